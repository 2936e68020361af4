"""The Tensions section: curated tensions (and, on request, suggested ones) with a numbered Sources list.

>>> print(tensions(graph, document="doc/briefing-mallen-behavioral-selection"))  # doctest: +ELLIPSIS
## Tensions
<BLANKLINE>
- **Self-correction.** Mallen's model leans on training-time analysis ... [1]
...
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kg.errors import UsageError
from kg.generate._cite import Numbering, SourceEntry, require_sources
from kg.generate._render import render
from kg.generate._scope import Scope, names, resolve_scope
from kg.generate.rules import Suggestion, suggest_tensions
from kg.graph import KnowledgeGraph, SourceRef
from kg.model import Claim, Tension

__all__ = ["Side", "TensionItem", "TENSION_FORMATS", "tensions", "tension_items", "suggested_items"]

#: output formats of :func:`tensions`
TENSION_FORMATS = ("md", "json", "html")


@dataclass(frozen=True)
class Side:
    """One claim of a tension as printed: who holds it, when, what it says, and its citation numbers."""

    id: str
    statement: str
    holders: tuple[tuple[str, str], ...]  # (id, name)
    holder_names: str
    date: str | None  # ISO date at its own precision (2025-03-01, 2025-03 or 2025)
    polarity: str | None
    document: str | None
    citations: tuple[int, ...]
    #: True when the claim's sources differ from the tension's, so the bullet shows them after the claim
    show_citations: bool

    def to_json(self) -> dict[str, Any]:
        """The claim as JSON-ready data."""
        return {"id": self.id, "statement": self.statement,
                "holders": [{"id": i, "name": n} for i, n in self.holders],
                "date": self.date, "polarity": self.polarity,
                "document": self.document, "citations": list(self.citations)}


@dataclass(frozen=True)
class TensionItem:
    """A curated or suggested tension as printed: both claims, the nature of the conflict, citations."""

    id: str
    kind: str
    note: str | None
    asserted_by: str
    rule: str | None
    reason: str | None
    document: str | None
    sides: tuple[Side, Side]
    citations: tuple[int, ...]

    @property
    def kind_label(self) -> str:
        """The kind as a heading word: ``Self-correction``, ``Institutional``."""
        return self.kind[:1].upper() + self.kind[1:]

    @property
    def tail(self) -> tuple[int, ...]:
        """The markers ending the bullet: the tension's citations not already shown after one of its claims."""
        shown = {n for s in self.sides if s.show_citations for n in s.citations}
        return tuple(n for n in self.citations if n not in shown)

    def to_json(self) -> dict[str, Any]:
        """The tension as JSON-ready data."""
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "note": self.note,
                                "asserted_by": self.asserted_by}
        if self.asserted_by == "inferred":
            data.update(rule=self.rule, reason=self.reason)
        data.update(document=self.document, a=self.sides[0].id, b=self.sides[1].id,
                    claims=[s.to_json() for s in self.sides], citations=list(self.citations))
        return data


def _claim(graph: KnowledgeGraph, claim_id: str) -> Claim:
    claim = graph.nodes.get(claim_id)
    if not isinstance(claim, Claim):
        raise UsageError(f"'{claim_id}' is not a claim in the graph")
    return claim


def _side(graph: KnowledgeGraph, claim: Claim, numbering: Numbering, shared: frozenset[str]) -> Side:
    refs = require_sources(graph, claim.id)
    show = {r.source for r in refs} != shared
    return Side(claim.id, claim.statement, tuple((h, graph.nodes[h].caption) for h in claim.holders),
                names(graph, claim.holders), claim.when, claim.polarity, graph.owner.get(claim.id),
                tuple(numbering.numbers(refs)), show)


def _item(graph: KnowledgeGraph, numbering: Numbering, *, id: str, a: str, b: str, kind: str, note: str | None,
          refs: tuple[SourceRef, ...] | None, asserted_by: str = "source", rule: str | None = None,
          reason: str | None = None, document: str | None = None) -> TensionItem:
    claims = (_claim(graph, a), _claim(graph, b))
    if refs is None:  # a suggestion cites what its two claims cite
        refs = tuple(dict.fromkeys(r for c in claims for r in require_sources(graph, c.id)))
    shared = frozenset(r.source for r in refs)
    side_a = _side(graph, claims[0], numbering, shared)  # number in reading order: claims, then the tension
    side_b = _side(graph, claims[1], numbering, shared)
    return TensionItem(id, kind, note, asserted_by, rule, reason, document, (side_a, side_b),
                       tuple(numbering.numbers(refs)))


def tension_items(graph: KnowledgeGraph, found: list[Tension], numbering: Numbering) -> list[TensionItem]:
    """Curated tensions as printed items; DataError when a tension or one of its claims cites nothing."""
    return [_item(graph, numbering, id=t.id, a=t.a, b=t.b, kind=t.kind, note=t.note,
                  refs=require_sources(graph, t.id), asserted_by=t.asserted_by, rule=t.rule, reason=t.reason,
                  document=graph.owner.get(t.id)) for t in found]


def suggested_items(graph: KnowledgeGraph, scope: Scope, numbering: Numbering) -> list[TensionItem]:
    """Suggested tensions with at least one claim within ``scope``, as printed items."""
    chosen: list[Suggestion] = [s for s in suggest_tensions(graph)
                                if scope.covers_claim(s.a) or scope.covers_claim(s.b)]
    return [_item(graph, numbering, id=s.id, a=s.a, b=s.b, kind=s.kind, note=None, refs=None,
                  asserted_by=s.asserted_by, rule=s.rule, reason=s.reason) for s in chosen]


def tensions(graph: KnowledgeGraph, *, document: str | None = None, topic: str | None = None,
             format: str = "md", suggested: bool = False) -> str:
    """The Tensions section of a document, of a topic, or of the whole graph (neither given), then Sources.

    ``document`` and ``topic`` take an id or anything :meth:`KnowledgeGraph.resolve` accepts; a topic is a
    concept (with its narrower concepts), person, organization or source, and selects the tensions whose
    claims are about, held by or cite it. With a document the citation numbers are the document's own;
    otherwise sources are numbered by first citation. ``suggested`` adds the tensions rules propose, in a
    subsection of their own. ``format`` is ``md``, ``json`` or ``html``.
    """
    if format not in TENSION_FORMATS:
        raise UsageError(f"unknown tensions format '{format}' (known: {', '.join(TENSION_FORMATS)})")
    scope = resolve_scope(graph, document, topic)
    numbering = Numbering(graph, scope.document)
    items = tension_items(graph, scope.tensions(), numbering)
    extra = suggested_items(graph, scope, numbering) if suggested else None
    sources = numbering.entries()  # a document's whole list; otherwise the sources cited above
    if format == "json":
        return _json(scope, items, extra, sources)
    return render("tensions", format, {"scope": scope, "tensions": items, "suggested": extra, "sources": sources})


def _json(scope: Scope, items: list[TensionItem], extra: list[TensionItem] | None,
          sources: list[SourceEntry]) -> str:
    data: dict[str, Any] = {
        "scope": {"document": scope.document.id if scope.document else None,
                  "topic": scope.topic.id if scope.topic else None},
        "tensions": [i.to_json() for i in items],
    }
    if extra is not None:
        data["suggested"] = [i.to_json() for i in extra]
    data["sources"] = [s.to_json() for s in sources]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
