"""Whole briefings in the seed's section layout: What, Why it matters, Open questions, Timeline,
Perspectives, Tensions, Sources; for one document or for a topic, from templates that can be overridden.

Sections are built in the order they are printed, so that without a document the sources are numbered in
the order a reader first meets them. Empty sections are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kg.errors import DataError, UsageError
from kg.generate._cite import Numbering, Part, require_sources
from kg.generate._render import FORMATS, render
from kg.generate._scope import Scope, resolve_scope
from kg.generate.tensions import tension_items
from kg.graph import KnowledgeGraph, SourceRef
from kg.model import Claim, Concept, Document, Organization, Person, Perspective, Source

__all__ = ["Cited", "Dated", "View", "HolderView", "brief"]


@dataclass(frozen=True)
class Cited:
    """A printed text with its citation numbers."""

    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Dated:
    """A printed text with a date (None when unknown) and its citation numbers."""

    date: dt.date | str | None  # a claim's date may be known only to its year or month
    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class View:
    """A person's perspective within one document: stance, how it evolved, citations."""

    document: str
    stance: str
    evolution: str | None
    citations: tuple[int, ...]


@dataclass(frozen=True)
class HolderView:
    """Everything the Perspectives section says about one holder: a person (or, for a topic, an organization
    or a source)."""

    id: str
    name: str
    views: tuple[View, ...]
    claims: tuple[Dated, ...]


def brief(graph: KnowledgeGraph, *, document: str | None = None, topic: str | None = None, format: str = "md",
          template: str | Path | None = None) -> str:
    """A full briefing for a document (its own citation numbers) or a topic (sources numbered by first
    citation): What, Why it matters, Open questions, Timeline, Perspectives, Tensions, Sources.

    ``format`` is ``md`` or ``html``; ``template`` is a Jinja2 file used instead of the bundled
    ``briefing.<format>.j2`` (it may include the bundled ``_tensions`` and ``_sources`` parts).
    """
    if format not in FORMATS:
        raise UsageError(f"unknown briefing format '{format}' (known: {', '.join(FORMATS)})")
    if document is None and topic is None:
        raise UsageError("a briefing needs a document or a topic")
    scope = resolve_scope(graph, document, topic)
    numbering = Numbering(graph, scope.document)
    docs = scope.documents()
    context = {
        "scope": scope,
        "title": scope.label,
        "document": scope.document,
        "topic": scope.topic,
        "intro": _intro(scope),
        "what": [numbering.prose(d.summary, d) for d in docs if d.summary],
        "why": [numbering.prose(d.why_it_matters, d) for d in docs if d.why_it_matters],
        "questions": [Cited(q.text, _numbers(graph, numbering, q.id)) for q in scope.questions()],
        "timeline": [Dated(e.date, e.summary, _numbers(graph, numbering, e.id)) for e in scope.events()],
        "perspectives": _perspectives(graph, scope, numbering),
        "tensions": tension_items(graph, scope.tensions(), numbering),
        "suggested": None,
    }
    context["sources"] = numbering.entries()
    return render("briefing", format, context, template)


def _numbers(graph: KnowledgeGraph, numbering: Numbering, node_id: str) -> tuple[int, ...]:
    return tuple(numbering.numbers(require_sources(graph, node_id)))


def _intro(scope: Scope) -> list[Part]:
    """What the topic is, from the registry (a definition, description or summary); none for a document."""
    node = scope.topic
    if isinstance(node, Concept):
        text = node.definition
    elif isinstance(node, Person | Organization):
        text = node.description
    elif isinstance(node, Source):
        text = node.summary
    else:
        return []
    return [Part(text=text)] if text else []


#: holder types heard under Perspectives, in this order: a document's section follows the document's own (its
#: people); a topic has no such section to follow, so every voice on it is heard
DOCUMENT_VOICES = ("Person",)
TOPIC_VOICES = ("Person", "Organization", "Source")


def _perspectives(graph: KnowledgeGraph, scope: Scope, numbering: Numbering) -> list[HolderView]:
    claims = scope.claims()
    voices = DOCUMENT_VOICES if scope.document is not None else TOPIC_VOICES
    held: dict[str, list[Claim]] = {}
    for claim in claims:
        for holder in claim.holders:
            if graph.nodes[holder].rdf_class in voices:
                held.setdefault(holder, []).append(claim)
    views = scope.perspectives(set(held))
    holders = sorted({*held, *(p.person for _, p in views)},
                     key=lambda p: (voices.index(graph.nodes[p].rdf_class), graph.nodes[p].caption, p))
    order = {c.id: i for i, c in enumerate(claims)}
    found = []
    for holder in holders:
        own = [_view(graph, numbering, doc, p) for doc, p in views if p.person == holder]
        dated = sorted(held.get(holder, []), key=lambda c: (c.when is None, c.when or "", order[c.id]))
        found.append(HolderView(holder, graph.nodes[holder].caption, tuple(own),
                                tuple(Dated(c.when, c.statement, _numbers(graph, numbering, c.id)) for c in dated)))
    return found


def _view(graph: KnowledgeGraph, numbering: Numbering, doc: Document, perspective: Perspective) -> View:
    """A perspective with its citations; one without any is cited by the sources of the claims its person
    holds in that document (what it summarises), and is an error when there are none either."""
    refs = [SourceRef(doc.citations[n], n, doc.id) for n in perspective.citations if n in doc.citations]
    if not refs:
        refs = [r for c in doc.claims if perspective.person in c.holders for r in graph.sources_of(c.id)]
    if not refs:
        raise DataError(f"the perspective of '{perspective.person}' in {doc.id} cites no source and its person "
                        f"holds no cited claim there; it cannot be printed uncited")
    return View(doc.id, perspective.stance, perspective.evolution, tuple(numbering.numbers(refs)))
