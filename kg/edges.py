"""Records → every typed edge with its provenance, and the integrity checks that run on records alone.

Edges are derived from records in one place (:func:`iter_edges`): fields marked with
:class:`~kg.model.Link`, citations, tension sides, and the relations a document states. The same list feeds
the integrity checks, the networkx view and the RDF view, so the views cannot disagree.

The checks (:func:`check_records`) need nothing but the records: where a record was read from comes from an
optional :class:`~kg.report.Locations` the loader produced, so records built in memory validate the same way
(their issues have no location).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from kg.model import (
    ENTITY_FILES,
    RELATIONS,
    Claim,
    Document,
    Event,
    Link,
    Node,
    Question,
    Source,
    Tension,
    field_specs,
)
from kg.report import Location, Locations, Report
from kg.vocab import edge_key

__all__ = ["SourceRef", "Edge", "Placed", "cited", "document_nodes", "iter_edges", "check_records"]

#: node id -> id of the document bundle that defines it (absent for registry entities)
Owners = Mapping[str, str]


@dataclass(frozen=True, order=True)
class SourceRef:
    """A source backing a record or edge, with the citation number its document gives it."""

    source: str
    number: int | None = None
    document: str | None = None


@dataclass(frozen=True)
class Edge:
    """A typed edge with its provenance: sources, who asserted it, and the document stating it."""

    subject: str
    relation: str
    object: str
    sources: tuple[SourceRef, ...] = ()
    asserted_by: str = "curator"
    document: str | None = None
    level: str | None = None
    note: str | None = None
    claim: str | None = None
    tension: str | None = None

    @cached_property
    def key(self) -> str:
        """A stable identifier of this edge (its statement node is ``statement_iri(key)``); a hash, so kept."""
        parts = (self.subject, self.relation, self.object, self.document or "", self.tension or "")
        return edge_key(*parts)


@dataclass(frozen=True)
class Placed:
    """An edge with the record and field it came from, for error messages."""

    edge: Edge
    record: str
    field: str


def cited(document: Document, numbers: list[int]) -> tuple[SourceRef, ...]:
    """The sources behind citation ``numbers`` of ``document`` (numbers it does not define are skipped)."""
    return tuple(
        SourceRef(document.citations[n], n, document.id) for n in numbers if n in document.citations
    )


def _link_edges(node: Node, sources: tuple[SourceRef, ...], asserted_by: str,
                document: str | None) -> Iterator[Placed]:
    for name, spec in field_specs(type(node)).items():
        if not isinstance(spec, Link):
            continue
        value = getattr(node, name)
        for target in value if isinstance(value, list) else ([value] if value else []):
            subject, obj = (target, node.id) if spec.inverse else (node.id, target)
            edge = Edge(subject, spec.relation, obj, sources, asserted_by, document)
            yield Placed(edge, node.id, name)


def document_nodes(document: Document) -> list[Node]:
    """The nodes a document bundle introduces: its registry entities, claims, tensions, events and questions."""
    nodes: list[Node] = [n for key in ENTITY_FILES for n in getattr(document.entities, key)]
    for key in ("claims", "tensions", "events", "questions"):
        nodes += getattr(document, key)
    return nodes


def iter_edges(nodes: Mapping[str, Node], documents: Mapping[str, Document], owner: Owners) -> Iterator[Placed]:
    """Every edge the records state, each with the record and field it came from."""
    entities = ("Person", "Organization", "Group", "Source", "Concept")
    for node in (nodes[i] for i in sorted(nodes) if nodes[i].rdf_class in entities):
        own = (SourceRef(node.id),) if isinstance(node, Source) else ()
        yield from _link_edges(node, own, "curator", owner.get(node.id))
    for doc in documents.values():
        yield from _link_edges(doc, (), "source", doc.id)
        for number, source in sorted(doc.citations.items()):
            yield Placed(Edge(doc.id, "cites", source, (SourceRef(source, number, doc.id),), "source", doc.id),
                          doc.id, f"citations.{number}")
        items: list[Claim | Tension | Event | Question] = [*doc.claims, *doc.tensions, *doc.events, *doc.questions]
        for item in items:
            if nodes.get(item.id) is not item:
                continue  # a duplicate id, already reported
            refs = cited(doc, item.citations)
            asserted = item.asserted_by if isinstance(item, Tension) else "source"
            yield from _link_edges(item, refs, asserted, doc.id)
            for ref in refs:
                yield Placed(Edge(item.id, "cites", ref.source, (ref,), asserted, doc.id), item.id, "citations")
            if isinstance(item, Tension):
                for side in ("a", "b"):
                    yield Placed(Edge(item.id, "involves", getattr(item, side), refs, asserted, doc.id),
                                  item.id, side)
                yield Placed(Edge(item.a, "in_tension_with", item.b, refs, asserted, doc.id, note=item.note,
                                   tension=item.id), item.id, "b")
        for index, rel in enumerate(doc.relations):
            edge = Edge(rel.subject, rel.relation, rel.object, cited(doc, rel.citations), rel.asserted_by,
                        doc.id, rel.level, rel.note, rel.claim)
            yield Placed(edge, f"{doc.id}#relations/{index}", "object")


@dataclass(frozen=True)
class _Checked:
    """What the checks look at: the nodes, where they were read, and which ids failed to load."""

    nodes: Mapping[str, Node]
    locations: Locations
    is_broken: Callable[[str], bool]

    def locate(self, key: str, *path: object) -> Location | None:
        return self.locations.locate(key, *path)


def check_records(nodes: Mapping[str, Node], documents: Mapping[str, Document], owner: Owners, report: Report,
                  locations: Locations | None = None, is_broken: Callable[[str], bool] | None = None) -> list[Edge]:
    """Check references, edge types and citation numbers; return the edges that passed.

    ``locations`` places each issue in its file (issues have no location without it); ``is_broken`` names ids
    whose records failed to load, so that references to them are not reported a second time.
    """
    records = _Checked(nodes, locations or Locations(), is_broken or (lambda _id: False))
    _check_citations(records, documents, report)
    edges: list[Edge] = []
    seen: dict[str, Placed] = {}
    for placed in iter_edges(nodes, documents, owner):
        edge = placed.edge
        if not _check_edge(records, placed, report):
            continue
        previous = seen.get(edge.key)
        if previous is not None:
            if previous.edge != edge:
                report.add("duplicate-edge", f"the {edge.relation} edge {edge.subject} → {edge.object} is stated "
                           f"twice in {edge.document or 'the registries'}", records.locate(placed.record))
            continue
        seen[edge.key] = placed
        edges.append(edge)
    _warn_broader_cycles(edges, records, report)
    return edges


def _warn_broader_cycles(edges: list[Edge], records: _Checked, report: Report) -> None:
    """A ``broader`` cycle is allowed (the data stays usable: topics include their narrower concepts once) but
    almost always a mistake, so each cycle is a warning at its first concept."""
    import networkx as nx

    hierarchy: nx.DiGraph[str] = nx.DiGraph((e.subject, e.object) for e in edges if e.relation == "broader")
    # each cycle from its smallest id, in the order the edges run
    cycles = [c[c.index(min(c)):] + c[:c.index(min(c))] for c in nx.simple_cycles(hierarchy)]
    for cycle in sorted(cycles):
        path = " → ".join([*cycle, cycle[0]])
        report.add("broader-cycle", f"broader concepts form a cycle: {path}", records.locate(cycle[0], "broader"),
                   severity="warning")


def _check_edge(records: _Checked, placed: Placed, report: Report) -> bool:
    edge = placed.edge
    spec = RELATIONS[edge.relation]
    stated = "#" in placed.record  # a relation record, whose fields are named subject and object
    ok = True
    for role, node_id in (("subject", edge.subject), ("object", edge.object)):
        if node_id in records.nodes:
            continue
        ok = False
        if not records.is_broken(node_id):
            field_name = role if stated else placed.field
            report.add("dangling", f"{field_name}: unknown id '{node_id}'{_did_you_mean(node_id, records)}",
                       records.locate(placed.record, field_name))
    if not ok:
        return False
    s_type, o_type = records.nodes[edge.subject].rdf_class, records.nodes[edge.object].rdf_class
    if not spec.allows(s_type, o_type):
        allowed = " or ".join(spec.range) if s_type in spec.domain or not spec.domain else " or ".join(spec.domain)
        report.add("relation-type", f"{edge.relation} cannot join a {s_type} ('{edge.subject}') to a {o_type} "
                   f"('{edge.object}'); it needs {allowed}", records.locate(placed.record, placed.field))
        return False
    if edge.claim is not None and not isinstance(records.nodes.get(edge.claim), Claim):
        if not records.is_broken(edge.claim):
            report.add("dangling", f"claim: '{edge.claim}' is not a known claim{_did_you_mean(edge.claim, records)}",
                       records.locate(placed.record, "claim"))
        return False
    return True


def _check_citations(records: _Checked, documents: Mapping[str, Document], report: Report) -> None:
    for doc in documents.values():
        for number, source in sorted(doc.citations.items()):
            node = records.nodes.get(source)
            where = records.locate(doc.id, "citations", number)
            if number < 1:
                report.add("citation", f"citation numbers start at 1, got [{number}]", where)
            if node is None and not records.is_broken(source):
                report.add("dangling", f"citations: [{number}] refers to unknown id '{source}'"
                           f"{_did_you_mean(source, records)}", where)
            elif node is not None and not isinstance(node, Source):
                report.add("citation", f"citations: [{number}] must be a source, '{source}' is a "
                           f"{node.rdf_class}", where)
        defined = ", ".join(f"[{n}]" for n in sorted(doc.citations)) or "none"
        for key in ("claims", "tensions", "events", "questions", "perspectives", "relations"):
            for index, item in enumerate(getattr(doc, key)):
                record = getattr(item, "id", None) or f"{doc.id}#{key}/{index}"
                for position, number in enumerate(item.citations):
                    if number not in doc.citations:
                        report.add("citation", f"citation [{number}] is not defined by the document "
                                   f"(defined: {defined})", records.locate(record, "citations", position))
        for index, perspective in enumerate(doc.perspectives):
            person = records.nodes.get(perspective.person)
            if person is None or person.rdf_class != "Person":
                if not records.is_broken(perspective.person):
                    what = "unknown id" if person is None else f"a {person.rdf_class}, not a person:"
                    report.add("dangling", f"perspectives: person is {what} '{perspective.person}'"
                               f"{_did_you_mean(perspective.person, records)}",
                               records.locate(f"{doc.id}#perspectives/{index}", "person"))


def _did_you_mean(node_id: str, records: _Checked) -> str:
    close = difflib.get_close_matches(node_id, list(records.nodes), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
