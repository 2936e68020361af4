"""What the page shows: the chosen part of the graph, each node's and edge's details, as plain JSON data.

Everything here is data, never markup: the page's script turns it into DOM text nodes, so no value from
the corpus is ever parsed as HTML. Only ``http``/``https`` URLs are passed on as links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import networkx as nx

from kg._util import excerpt, safe_url
from kg.errors import UsageError
from kg.graph import Edge, KnowledgeGraph, SourceRef
from kg.model import RELATIONS, Claim, Credibility, Document, Link, Lit, Node, Organization, Source, field_specs
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


#: fields the card shows elsewhere: its id, its title (a field that names the node), its link, where it was read
_ELSEWHERE = frozenset({"id", "lines", "url", "name", "title", "label"})
#: a label where the field's name alone reads badly (a field's own pydantic ``title`` wins over both)
_LABELS = {"aliases": "Also called", "text": "Question", "a": "Claim A", "b": "Claim B", "author_names": "Written by",
           "quality": "Quality (0-100)", "origin": "Imported from"}
#: how a status reads on the card: a curated entity's is not worth a line
_STATUS = {"curated": None, "proposed": "proposed (awaiting review)"}
#: a date known only to its year or month (``period``) stands in for the field holding the full date
_DATED = ("date", "published")


@cache
def _fields(model: type[Node]) -> tuple[tuple[str, str, Lit | Link | None], ...]:
    """``(field, label, RDF mapping)`` for what a card of ``model`` shows: the model's own fields first, then
    those it inherits (an entity's origin, ids and facts), each in declaration order."""
    specs = field_specs(model)
    own = [n for n in model.model_fields if n in vars(model).get("__annotations__", {})]
    shown = []
    for name in own + [n for n in model.model_fields if n not in own]:
        info = model.model_fields[name]
        spec = specs.get(name)
        if name in _ELSEWHERE or (isinstance(spec, Link) and spec.relation == "cites"):
            continue  # cited sources are listed with the source list
        if name == "period" and any(d in model.model_fields for d in _DATED):
            continue
        shown.append((name, info.title or _LABELS.get(name) or name.replace("_", " ").capitalize(), spec))
    return tuple(shown)


def _text(graph: KnowledgeGraph, spec: Lit | Link | None, value: object) -> str | None:
    """A field's value as the card shows it: linked nodes by their captions, dates in ISO form, lists joined."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, Credibility):
        return credibility_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(spec, Link) or (spec is None and isinstance(value, str) and value in graph.nodes):
        return _names(graph, [value] if isinstance(value, str) else value)  # type: ignore[arg-type]
    if spec is None:
        return None  # structure shown elsewhere or not at all: citation numbers, a document's records
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _node_facts(graph: KnowledgeGraph, node: Node) -> Facts:
    """What the card lists of ``node``, read from its model's fields (so a new field shows up by itself)."""
    facts: Facts = []
    for name, label, spec in _fields(type(node)):
        value = getattr(node, name)
        if name in _DATED and value is None:
            value = getattr(node, "period", None)
        if name == "status":
            value = _STATUS.get(value, value)
        _add(facts, label, _text(graph, spec, value))
        side = graph.nodes.get(value) if spec is None and isinstance(value, str) else None
        if isinstance(side, Claim):  # a tension's side: who holds that claim
            _add(facts, f"Held by ({name.upper()})", _names(graph, side.holders))
    document = graph.document_of(node.id)
    _add(facts, "Document", document.title if document else None)
    return facts


def node_payload(graph: KnowledgeGraph, node_id: str, table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One node as the page needs it: id, short label, type and its details (sources go into ``table``)."""
    node = graph.nodes[node_id]
    if isinstance(node, Document):
        refs: Iterable[SourceRef] = (SourceRef(s, n, node.id) for n, s in sorted(node.citations.items()))
    else:  # an imported entity lists the sources its knowledge base gives for it
        cited = [s for name, spec in field_specs(type(node)).items()
                 if isinstance(spec, Link) and spec.relation == "cites" for s in getattr(node, name)]
        refs = (*graph.sources_of(node_id), *(SourceRef(s) for s in cited))
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
