"""What the page shows: the chosen part of the graph, each node's and edge's details, as plain JSON data.

Everything here is data, never markup: the page's script turns it into DOM text nodes, so no value from
the corpus is ever parsed as HTML. Only ``http``/``https`` URLs are passed on as links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg._util import excerpt, safe_url
from kg.errors import UsageError
from kg.graph import Edge, KnowledgeGraph, SourceRef
from kg.model import (
    RELATIONS,
    Claim,
    Concept,
    Credibility,
    Document,
    Entity,
    Event,
    Group,
    Node,
    Organization,
    Person,
    Question,
    Source,
    Tension,
)
from kg.vocab import ID_KINDS

__all__ = ["Selection", "select", "parse_types", "parse_relations", "node_payload", "edge_payload",
           "safe_url", "short_label", "source_entry", "credibility_text"]

LABEL_LIMIT = 42


def short_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """The caption drawn under a node: one line of at most ``limit`` characters."""
    return excerpt(text, limit)


def parse_types(names: Iterable[str] | None) -> list[str] | None:
    """Node classes from user input (``Claim``, ``claim``, ``org``); UsageError listing the known ones."""
    if names is None:
        return None
    known = list(ID_KINDS.values())
    lookup = {n.casefold(): n for n in known} | {k: v for k, v in ID_KINDS.items()}
    out: list[str] = []
    for name in names:
        key = name.strip().casefold()
        if not key:
            continue
        if key not in lookup:
            raise UsageError(f"unknown node type '{name.strip()}' (known: {', '.join(known)})")
        if lookup[key] not in out:
            out.append(lookup[key])
    if not out:
        raise UsageError(f"no node type given (known: {', '.join(known)})")
    return out


def parse_relations(names: Iterable[str] | None) -> list[str] | None:
    """Relation names from user input (``in_tension_with`` or ``in-tension-with``); UsageError if unknown."""
    if names is None:
        return None
    out: list[str] = []
    for name in names:
        key = name.strip().replace("-", "_")
        if not key:
            continue
        if key not in RELATIONS:
            raise UsageError(f"unknown relation '{name.strip()}' (known: {', '.join(RELATIONS)})")
        if key not in out:
            out.append(key)
    if not out:
        raise UsageError(f"no relation given (known: {', '.join(RELATIONS)})")
    return out


@dataclass
class Selection:
    """The nodes and edges a page shows; parallel edges of one relation are merged into one."""

    nodes: list[str]
    edges: list[list[Edge]] = field(default_factory=list)
    focus: str | None = None


def select(graph: KnowledgeGraph, *, focus: str | None = None, depth: int = 2, types: list[str] | None = None,
           relations: list[str] | None = None) -> Selection:
    """Nodes of ``types`` joined by edges of ``relations``, limited to ``depth`` steps around ``focus``.

    With ``relations``, nodes left without any edge are dropped (the focus always stays).
    """
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, got {depth}")
    focus_id = graph.resolve(focus) if focus is not None else None
    type_set = set(types) if types else None
    rel_set = set(relations) if relations else None

    def keep(node_id: str) -> bool:
        return node_id == focus_id or type_set is None or graph.nodes[node_id].rdf_class in type_set

    nodes = [n.id for n in graph.iter_nodes() if keep(n.id)]
    edges = [e for e in graph.edges
             if (rel_set is None or e.relation in rel_set) and keep(e.subject) and keep(e.object)]
    if rel_set is not None:
        touched = {e.subject for e in edges} | {e.object for e in edges} | ({focus_id} if focus_id else set())
        nodes = [n for n in nodes if n in touched]
    if focus_id is not None:
        reached = _around(focus_id, edges, depth)
        nodes = [n for n in nodes if n in reached]
        edges = [e for e in edges if e.subject in reached and e.object in reached]
    return Selection(nodes, _merge(edges), focus_id)


def _around(start: str, edges: list[Edge], depth: int) -> set[str]:
    """``start`` and the nodes at most ``depth`` edges away from it, whichever way the edges point."""
    near = nx.Graph((e.subject, e.object) for e in edges)
    near.add_node(start)
    return set(nx.ego_graph(near, start, radius=depth))


def _merge(edges: list[Edge]) -> list[list[Edge]]:
    groups: dict[tuple[str, str, str], list[Edge]] = {}
    for e in edges:
        ends = sorted((e.subject, e.object)) if RELATIONS[e.relation].symmetric else (e.subject, e.object)
        groups.setdefault((ends[0], e.relation, ends[1]), []).append(e)
    return list(groups.values())


# --- details shown in tooltips and the side panel -------------------------------------------------------

Facts = list[list[str]]


def _caption(graph: KnowledgeGraph, node_id: str) -> str:
    node = graph.nodes.get(node_id)
    return node.caption if node is not None else node_id


def _names(graph: KnowledgeGraph, ids: Iterable[str]) -> str:
    return "; ".join(_caption(graph, i) for i in ids)


def credibility_text(cred: Credibility | None) -> str | None:
    """``tier 3/5 · Good quality (basis)``, or None when nothing is known."""
    if cred is None or (cred.tier is None and not cred.label and not cred.basis):
        return None
    parts = [f"tier {cred.tier}/5" if cred.tier is not None else "", cred.label or ""]
    text = " · ".join(p for p in parts if p)
    return f"{text} ({cred.basis})" if cred.basis and text else (text or cred.basis)


def source_entry(graph: KnowledgeGraph, source_id: str) -> dict[str, Any]:
    """What the page shows of a source wherever it is cited: title, kind/venue/date, credibility, link."""
    source = graph.nodes.get(source_id)
    entry: dict[str, Any] = {"title": _caption(graph, source_id)}
    if isinstance(source, Source):
        cred = credibility_text(source.credibility)
        venue = graph.nodes.get(source.venue) if source.venue else None
        if cred is None and isinstance(venue, Organization):
            venue_cred = credibility_text(venue.credibility)
            cred = f"{venue_cred} (venue: {venue.name})" if venue_cred else None
        meta = [source.kind, venue.caption if venue is not None else "",
                source.published.isoformat() if source.published else ""]
        entry["meta"] = " · ".join(m for m in meta if m)
        if cred:
            entry["cred"] = cred
        entry.update(_url_fields(source.url))
    return entry


def _url_fields(url: str | None) -> dict[str, str]:
    """``{"url": ...}`` for a web address the page may link to, ``{"rawUrl": ...}`` for any other text, to show
    unlinked, and nothing for no URL."""
    safe = safe_url(url)
    if safe:
        return {"url": safe}
    return {"rawUrl": url} if url else {}


def _sources(graph: KnowledgeGraph, refs: Iterable[SourceRef], table: dict[str, dict[str, Any]]) -> list[list[Any]]:
    """``[source id, citation number or None]`` pairs; each source's entry goes once into ``table``."""
    seen: set[tuple[str, int | None]] = set()
    out: list[list[Any]] = []
    for ref in refs:
        if (ref.source, ref.number) in seen:
            continue
        seen.add((ref.source, ref.number))
        if ref.source not in table:
            table[ref.source] = source_entry(graph, ref.source)
        out.append([ref.source, ref.number])
    return out


def _add(facts: Facts, name: str, value: object) -> None:
    if value is None or value == "" or value == []:
        return
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    facts.append([name, str(value)])


def _node_facts(graph: KnowledgeGraph, node: Node) -> Facts:
    facts: Facts = []
    if isinstance(node, Claim):
        _add(facts, "Statement", node.statement)
        _add(facts, "Holders", _names(graph, node.holders))
        _add(facts, "About", _names(graph, node.about))
        _add(facts, "Date", node.when)
        _add(facts, "Status", node.status)
        _add(facts, "Polarity", node.polarity)
        _add(facts, "Estimate", node.estimate)
        _add(facts, "Confidence", node.confidence)
        _add(facts, "Implications", node.implications)
    elif isinstance(node, Tension):
        _add(facts, "Note", node.note)
        _add(facts, "Kind", node.kind)
        _add(facts, "Claim A", _caption(graph, node.a))
        _add(facts, "Held by (A)", _holders(graph, node.a))
        _add(facts, "Claim B", _caption(graph, node.b))
        _add(facts, "Held by (B)", _holders(graph, node.b))
        _add(facts, "Asserted by", node.asserted_by)
        _add(facts, "Rule", node.rule)
        _add(facts, "Reason", node.reason)
    elif isinstance(node, Concept):
        _add(facts, "Definition", node.definition)
        _add(facts, "Kind", node.kind)
        _add(facts, "Also called", node.aliases)
        _add(facts, "Broader", _names(graph, node.broader))
        _add(facts, "Examples", node.examples)
    elif isinstance(node, Source):
        _add(facts, "Kind", node.kind)
        _add(facts, "Authors", _names(graph, node.authors))
        _add(facts, "Venue", _caption(graph, node.venue) if node.venue else None)
        _add(facts, "Published", node.published.isoformat() if node.published else node.period)
        _add(facts, "Written by", node.author_names)
        _add(facts, "Quality (0-100)", node.quality)
        _add(facts, "Credibility", credibility_text(node.credibility))
        _add(facts, "Summary", node.summary)
        _add(facts, "Notes", node.notes)
        _add(facts, "Stable id", node.stable_id)
    elif isinstance(node, Person | Organization | Group):
        _add(facts, "Kind", getattr(node, "kind", None))
        _add(facts, "Also called", node.aliases)
        _add(facts, "Description", node.description)
        if isinstance(node, Person | Group):
            _add(facts, "Affiliations", _names(graph, node.affiliations))
        else:
            _add(facts, "Credibility", credibility_text(node.credibility))
    elif isinstance(node, Event):
        _add(facts, "Date", node.date.isoformat())
        _add(facts, "Summary", node.summary)
        _add(facts, "Actors", _names(graph, node.actors))
    elif isinstance(node, Question):
        _add(facts, "Question", node.text)
        _add(facts, "About", _names(graph, node.about))
    elif isinstance(node, Document):
        _add(facts, "Kind", node.kind)
        _add(facts, "Version", node.version)
        _add(facts, "Updated", node.updated.isoformat() if node.updated else None)
        _add(facts, "Summary", node.summary)
        _add(facts, "Why it matters", node.why_it_matters)
    if isinstance(node, Entity):
        _add(facts, "Facts", node.facts)
        _add(facts, "Imported from", node.origin)
    status = getattr(node, "status", None)
    if status == "proposed":
        _add(facts, "Status", "proposed (awaiting review)")
    document = graph.document_of(node.id)
    _add(facts, "Document", document.title if document else None)
    return facts


def _holders(graph: KnowledgeGraph, claim_id: str) -> str | None:
    claim = graph.nodes.get(claim_id)
    return _names(graph, claim.holders) if isinstance(claim, Claim) else None


def node_payload(graph: KnowledgeGraph, node_id: str, table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One node as the page needs it: id, short label, type and its details (sources go into ``table``)."""
    node = graph.nodes[node_id]
    if isinstance(node, Document):
        refs: Iterable[SourceRef] = (SourceRef(s, n, node.id) for n, s in sorted(node.citations.items()))
    else:
        refs = graph.sources_of(node_id)
    details: dict[str, Any] = {"title": node.caption, "facts": _node_facts(graph, node)}
    sources = _sources(graph, refs, table)
    if sources:
        details["src"] = sources
    details.update(_url_fields(getattr(node, "url", None)))
    return {"id": node_id, "label": short_label(node.caption), "type": node.rdf_class, "d": details}


def edge_payload(graph: KnowledgeGraph, group: list[Edge], index: int,
                 table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Merged parallel edges as one line: ends, relation and details (notes, levels, documents, sources)."""
    first = group[0]
    facts: Facts = []
    _add(facts, "Level", sorted({e.level for e in group if e.level}))
    _add(facts, "Note", sorted({e.note for e in group if e.note}))
    _add(facts, "Stated by claim", sorted({_caption(graph, e.claim) for e in group if e.claim}))
    _add(facts, "Asserted by", sorted({e.asserted_by for e in group}))
    _add(facts, "Document", sorted({_caption(graph, e.document) for e in group if e.document}))
    details: dict[str, Any] = {"facts": facts}
    sources = _sources(graph, (ref for e in group for ref in e.sources), table)
    if sources:
        details["src"] = sources
    return {"id": f"e{index}", "from": first.subject, "to": first.object, "rel": first.relation, "d": details}
