"""The registry of document formats: name -> parser module, loaded lazily, and format detection.

A parser is any module with two functions (see :class:`Parser`); adding a format is one module and one
:func:`register` line, or, from another package, one entry point in the ``kg.ingest_formats`` group.
"""

from __future__ import annotations

from types import ModuleType
from typing import Protocol, cast

from kg.errors import IngestError, UsageError
from kg.ingest._text import Text
from kg.ingest.draft import Draft
from kg.registry import Registry

__all__ = ["Parser", "PARSERS", "register", "get", "formats", "canonical", "detect", "MIN_SCORE"]


class Parser(Protocol):
    """A document format."""

    def detect(self, text: Text) -> float:
        """How strongly ``text`` looks like a document of this format, from 0 (not at all) to 1."""
        ...

    def parse(self, text: Text) -> Draft:
        """Everything the document says, with line spans; warnings go to ``text.warn``."""
        ...


#: below this score no format is recognised
MIN_SCORE = 0.3


def _parser(name: str, loaded: object) -> Parser:
    if not (callable(getattr(loaded, "detect", None)) and callable(getattr(loaded, "parse", None))):
        raise UsageError(f"document format '{name}' has no detect() and parse(): {loaded!r}")
    return cast(Parser, loaded)


#: parsers by format name; other packages add theirs under the ``kg.ingest_formats`` entry-point group
PARSERS: Registry[Parser] = Registry("document format", "kg.ingest_formats", adapt=_parser, hint="or auto")


def register(name: str, module: str | ModuleType | Parser, aliases: tuple[str, ...] = ()) -> None:
    """Register the parser ``module`` (by name, imported on first use) under ``name`` and its aliases."""
    PARSERS.register(name, module, aliases=aliases)


def formats() -> list[str]:
    """The registered format names."""
    return PARSERS.names()


def canonical(name: str) -> str:
    """The registered name of format ``name`` or one of its aliases; UsageError for an unknown one."""
    return PARSERS.canonical(name)


def get(name: str) -> Parser:
    """The parser of format ``name`` (or an alias)."""
    return PARSERS.get(name)


def detect(text: Text) -> str:
    """The format ``text`` is written in; IngestError when none or several fit."""
    scores = sorted(((get(name).detect(text), name) for name in formats()), reverse=True)
    best_score, best = scores[0]
    if best_score < MIN_SCORE:
        raise IngestError(f"{text.name}: cannot tell what kind of document this is (expected a "
                          f"{', '.join(formats())} with its usual sections); pass --format")
    if len(scores) > 1 and scores[1][0] >= best_score - 0.05:
        raise IngestError(f"{text.name}: looks as much like a {best} as a {scores[1][1]}; pass --format")
    return best


register("briefing", "kg.ingest.briefing")
register("resource", "kg.ingest.resource", aliases=("resource-card", "card"))
register("concept", "kg.ingest.concept", aliases=("concept-page", "page"))
