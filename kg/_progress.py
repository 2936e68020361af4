"""Progress on stderr for the steps that take seconds on a big tree: a bar over counted work, a spinner over
the rest. Shown only when stderr is a terminal (and ``KG_PROGRESS`` is not ``off``), cleared when the step
ends, so pipes, logs and tests see nothing.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["enabled", "track", "status"]

T = TypeVar("T")
_active: list[str] = []  # what is shown now: rich draws one live display at a time, so inner steps wait their turn


def enabled() -> bool:
    """True when progress may be drawn: stderr is a terminal and ``KG_PROGRESS`` does not turn it off."""
    if os.environ.get("KG_PROGRESS", "").strip().lower() in ("off", "0", "no", "false"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stderr
        return False


def track(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """``items``, with a bar of ``total`` steps on a terminal."""
    if _active or not enabled():
        yield from items
        return
    from rich.console import Console
    from rich.progress import track as rich_track

    _active.append(description)
    try:
        yield from rich_track(items, description=description, total=total, transient=True,
                              console=Console(stderr=True))
    finally:
        _active.pop()


@contextlib.contextmanager
def status(description: str) -> Iterator[None]:
    """A spinner saying what is being done, on a terminal, for a step that cannot count its work."""
    if _active or not enabled():
        yield
        return
    from rich.console import Console

    _active.append(description)
    try:
        with Console(stderr=True).status(description):
            yield
    finally:
        _active.pop()
