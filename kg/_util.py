"""Small helpers shared by several modules: short excerpts for messages, atomic file writes, URL checks, the
package version."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from kg.errors import ExportError

__all__ = ["excerpt", "write_atomic", "write_bytes", "cannot_write", "safe_url", "package_version"]


def package_version() -> str:
    """The installed version of kg (``0+unknown`` when it runs from a checkout that was never installed)."""
    try:
        return version("kg")
    except PackageNotFoundError:  # pragma: no cover - the tests run an installed kg
        return "0+unknown"


def excerpt(value: object, limit: int = 40) -> str:
    """At most ``limit`` characters of ``value`` on one line, so messages never quote whole payloads."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write`` on a temporary file beside ``path`` and rename it over ``path`` only on success.

    An interrupted or failing writer leaves any previous file untouched.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes(path: str | os.PathLike[str], payload: bytes) -> None:
    """Write ``payload`` to ``path`` atomically; an OS failure becomes a one-line :class:`ExportError`."""
    try:
        write_atomic(path, lambda handle: handle.write(payload))
    except OSError as err:
        raise cannot_write(path, err) from err


def cannot_write(path: str | os.PathLike[str], err: OSError) -> ExportError:
    """The one error every writer reports: ``cannot write PATH: reason``."""
    return ExportError(f"cannot write {path}: {err.strerror or err}")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None (never a ``javascript:`` link)."""
    if not url:
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in text for c in "\r\n\t "):
        return None
    return text


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
