"""The registry of document formats: name -> parser module, loaded lazily, and format detection.

A parser is any module with two functions (see :class:`Parser`); adding a format is one module and one
:func:`register` line.
"""

from __future__ import annotations

import importlib
from typing import Protocol, cast

from kg.errors import IngestError, UsageError
from kg.ingest._text import Text
from kg.ingest.draft import Draft

__all__ = ["Parser", "register", "get", "formats", "canonical", "detect", "MIN_SCORE"]


class Parser(Protocol):
    """A document format."""

    def detect(self, text: Text) -> float:
        """How strongly ``text`` looks like a document of this format, from 0 (not at all) to 1."""
        ...

    def parse(self, text: Text) -> Draft:
        """Everything the document says, with line spans; warnings go to ``text.warn``."""
        ...


_MODULES: dict[str, str] = {}
_ALIASES: dict[str, str] = {}
#: below this score no format is recognised
MIN_SCORE = 0.3


def register(name: str, module: str, aliases: tuple[str, ...] = ()) -> None:
    """Register the parser ``module`` (imported on first use) under ``name`` and its aliases."""
    _MODULES[name] = module
    for alias in (name, *aliases):
        _ALIASES[alias] = name


def formats() -> list[str]:
    """The registered format names."""
    return list(_MODULES)


def canonical(name: str) -> str:
    """The registered name of format ``name`` or one of its aliases; UsageError for an unknown one."""
    try:
        return _ALIASES[name]
    except KeyError:
        known = ", ".join(["auto", *_MODULES])
        raise UsageError(f"unknown document format '{name}' (known: {known})") from None


def get(name: str) -> Parser:
    """The parser of format ``name`` (or an alias)."""
    return cast(Parser, importlib.import_module(_MODULES[canonical(name)]))


def detect(text: Text) -> str:
    """The format ``text`` is written in; IngestError when none or several fit."""
    scores = sorted(((get(name).detect(text), name) for name in _MODULES), reverse=True)
    best_score, best = scores[0]
    if best_score < MIN_SCORE:
        raise IngestError(f"{text.name}: cannot tell what kind of document this is (expected a "
                          f"{', '.join(_MODULES)} with its usual sections); pass --format")
    if len(scores) > 1 and scores[1][0] >= best_score - 0.05:
        raise IngestError(f"{text.name}: looks as much like a {best} as a {scores[1][1]}; pass --format")
    return best


register("briefing", "kg.ingest.briefing")
register("resource", "kg.ingest.resource", aliases=("resource-card", "card"))
register("concept", "kg.ingest.concept", aliases=("concept-page", "page"))
