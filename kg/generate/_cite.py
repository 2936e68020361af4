"""Citation numbering for generated text: which number each source gets, and the Sources list.

With a document, numbers are the document's own, so a generated section drops into that document unchanged
(sources it does not cite, for example those of suggested tensions, continue after its last number);
without one, sources are numbered in the order they are first cited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg._util import safe_url
from kg.errors import DataError
from kg.graph import KnowledgeGraph, SourceRef
from kg.model import Document, Organization, Source

__all__ = ["Numbering", "SourceEntry", "Part", "require_sources", "split_markers"]

_MARKER = re.compile(r"\[(\d{1,6})\]")


@dataclass(frozen=True)
class SourceEntry:
    """One line of a Sources list: ``[number] title — venue (published)``."""

    number: int
    id: str
    title: str
    venue: str | None
    published: dt.date | None
    url: str | None

    @property
    def link(self) -> str | None:
        """The URL when it is a web address (``http``/``https`` with a host), safe to put in an ``href``."""
        return safe_url(self.url)

    def to_json(self) -> dict[str, object]:
        """The entry as JSON-ready data."""
        return {"number": self.number, "id": self.id, "title": self.title, "venue": self.venue,
                "published": self.published.isoformat() if self.published else None, "url": self.url}


@dataclass(frozen=True)
class Part:
    """A run of prose: plain ``text``, or a citation ``number`` (exactly one of the two is set)."""

    text: str | None = None
    number: int | None = None


class Numbering:
    """Gives every cited source one number, in a document's own numbering or in order of first citation."""

    def __init__(self, graph: KnowledgeGraph, document: Document | None = None) -> None:
        self.graph = graph
        self.document = document
        self._by_source: dict[str, int] = {}
        self._sources: dict[int, str] = {}
        if document is not None:
            for number, source in sorted(document.citations.items()):
                self._sources[number] = source
                self._by_source.setdefault(source, number)

    def number(self, ref: SourceRef) -> int:
        """The number ``ref``'s source is cited by here (allocated on first use)."""
        if self.document is not None and ref.document == self.document.id and ref.number in self._sources:
            return ref.number
        if ref.source not in self._by_source:
            number = max(self._sources, default=0) + 1
            self._by_source[ref.source] = number
            self._sources[number] = ref.source
        return self._by_source[ref.source]

    def numbers(self, refs: Iterable[SourceRef]) -> list[int]:
        """The numbers of ``refs``, each once, in the order given."""
        return list(dict.fromkeys(self.number(ref) for ref in refs))

    def prose(self, text: str, document: Document) -> list[Part]:
        """``text`` of ``document`` with its ``[n]`` markers renumbered here (unknown numbers stay text)."""
        parts: list[Part] = []
        for piece, number in split_markers(text):
            if number is not None and number in document.citations:
                parts.append(Part(number=self.number(SourceRef(document.citations[number], number, document.id))))
            else:
                parts.append(Part(text=piece))
        return parts

    def entries(self) -> list[SourceEntry]:
        """The Sources list: every numbered source, by number."""
        return [self._entry(number, source) for number, source in sorted(self._sources.items())]

    def _entry(self, number: int, source_id: str) -> SourceEntry:
        source = self.graph.nodes[source_id]
        assert isinstance(source, Source)
        venue = self.graph.nodes.get(source.venue) if source.venue else None
        name = venue.name if isinstance(venue, Organization) else None
        return SourceEntry(number, source.id, source.title, name, source.published, source.url)


def split_markers(text: str) -> list[tuple[str, int | None]]:
    """``text`` cut into plain runs ``(text, None)`` and citation markers ``("[n]", n)``."""
    pieces: list[tuple[str, int | None]] = []
    position = 0
    for match in _MARKER.finditer(text):
        if match.start() > position:
            pieces.append((text[position:match.start()], None))
        pieces.append((match.group(0), int(match.group(1))))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def require_sources(graph: KnowledgeGraph, node_id: str) -> tuple[SourceRef, ...]:
    """The sources of a claim, tension, event or question; DataError when it has none, so nothing is
    printed uncited."""
    refs = graph.sources_of(node_id)
    if not refs:
        where = graph.document_of(node_id)
        place = f" in {where.id}" if where else ""
        kind = graph.nodes[node_id].rdf_class.lower() if node_id in graph.nodes else "record"
        raise DataError(f"{kind} '{node_id}'{place} cites no known source; it cannot be printed uncited "
                        f"(give it citation numbers the document defines)")
    return refs
