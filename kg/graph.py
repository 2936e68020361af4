"""The KnowledgeGraph: records indexed by id, every typed edge with its sources, and the networkx view.

Edges are derived from records in one place (:func:`iter_edges`): fields marked with
:class:`~kg.model.Link`, citations, tension sides, and the relations a document states. The same list feeds
the integrity checks, the networkx view and the RDF view, so the views cannot disagree.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import UsageError
from kg.load import Corpus
from kg.model import (
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
from kg.report import Issue, Report
from kg.vocab import ID_KINDS, edge_key

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = ["SourceRef", "Edge", "KnowledgeGraph", "iter_edges", "check_corpus", "build_graph"]


#: which kind a name means first when several nodes share it (``resolve`` without types)
_RESOLVE_ORDER = ("Person", "Organization", "Group", "Concept", "Document", "Source", "Question", "Event", "Claim",
                  "Tension")


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

    @property
    def key(self) -> str:
        """A stable identifier of this edge (its statement node is ``statement_iri(key)``)."""
        parts = (self.subject, self.relation, self.object, self.document or "", self.tension or "")
        return edge_key(*parts)


@dataclass(frozen=True)
class _Placed:
    """An edge with the record and field it came from, for error messages."""

    edge: Edge
    record: str
    field: str


def _citations(document: Document, numbers: list[int]) -> tuple[SourceRef, ...]:
    return tuple(
        SourceRef(document.citations[n], n, document.id) for n in numbers if n in document.citations
    )


def _link_edges(node: Node, sources: tuple[SourceRef, ...], asserted_by: str,
                document: str | None) -> Iterator[_Placed]:
    for name, spec in field_specs(type(node)).items():
        if not isinstance(spec, Link):
            continue
        value = getattr(node, name)
        for target in value if isinstance(value, list) else ([value] if value else []):
            subject, obj = (target, node.id) if spec.inverse else (node.id, target)
            edge = Edge(subject, spec.relation, obj, sources, asserted_by, document)
            yield _Placed(edge, node.id, name)


def iter_edges(corpus: Corpus) -> Iterator[_Placed]:
    """Every edge the records state, each with the record and field it came from."""
    for node in corpus.iter_nodes("Person", "Organization", "Group", "Source", "Concept"):
        own = (SourceRef(node.id),) if isinstance(node, Source) else ()
        yield from _link_edges(node, own, "curator", corpus.owner.get(node.id))
    for doc in corpus.documents.values():
        yield from _link_edges(doc, (), "source", doc.id)
        for number, source in sorted(doc.citations.items()):
            yield _Placed(Edge(doc.id, "cites", source, (SourceRef(source, number, doc.id),), "source", doc.id),
                          doc.id, f"citations.{number}")
        items: list[Claim | Tension | Event | Question] = [*doc.claims, *doc.tensions, *doc.events, *doc.questions]
        for item in items:
            if corpus.nodes.get(item.id) is not item:
                continue  # a duplicate id, already reported
            refs = _citations(doc, item.citations)
            asserted = item.asserted_by if isinstance(item, Tension) else "source"
            yield from _link_edges(item, refs, asserted, doc.id)
            for ref in refs:
                yield _Placed(Edge(item.id, "cites", ref.source, (ref,), asserted, doc.id), item.id, "citations")
            if isinstance(item, Tension):
                for side in ("a", "b"):
                    yield _Placed(Edge(item.id, "involves", getattr(item, side), refs, asserted, doc.id),
                                  item.id, side)
                yield _Placed(Edge(item.a, "in_tension_with", item.b, refs, asserted, doc.id, note=item.note,
                                   tension=item.id), item.id, "b")
        for index, rel in enumerate(doc.relations):
            edge = Edge(rel.subject, rel.relation, rel.object, _citations(doc, rel.citations), rel.asserted_by,
                        doc.id, rel.level, rel.note, rel.claim)
            yield _Placed(edge, f"{doc.id}#relations/{index}", "object")


def check_corpus(corpus: Corpus, report: Report) -> list[Edge]:
    """Check references, edge types and citation numbers; return the edges that passed."""
    _check_citations(corpus, report)
    edges: list[Edge] = []
    seen: dict[str, _Placed] = {}
    for placed in iter_edges(corpus):
        edge = placed.edge
        if not _check_edge(corpus, placed, report):
            continue
        previous = seen.get(edge.key)
        if previous is not None:
            if previous.edge != edge:
                report.add("duplicate-edge", f"the {edge.relation} edge {edge.subject} → {edge.object} is stated "
                           f"twice in {edge.document or 'the registries'}", corpus.locate(placed.record))
            continue
        seen[edge.key] = placed
        edges.append(edge)
    return edges


def _check_edge(corpus: Corpus, placed: _Placed, report: Report) -> bool:
    edge, where = placed.edge, corpus.locate(placed.record, placed.field)
    spec = RELATIONS[edge.relation]
    stated = "#" in placed.record  # a relation record, whose fields are named subject and object
    ok = True
    for role, node_id in (("subject", edge.subject), ("object", edge.object)):
        if node_id in corpus.nodes:
            continue
        ok = False
        if not corpus.is_broken(node_id):
            field_name = role if stated else placed.field
            report.add("dangling", f"{field_name}: unknown id '{node_id}'{_did_you_mean(node_id, corpus)}",
                       corpus.locate(placed.record, field_name))
    if not ok:
        return False
    s_type, o_type = corpus.nodes[edge.subject].rdf_class, corpus.nodes[edge.object].rdf_class
    if not spec.allows(s_type, o_type):
        allowed = " or ".join(spec.range) if s_type in spec.domain or not spec.domain else " or ".join(spec.domain)
        report.add("relation-type", f"{edge.relation} cannot join a {s_type} ('{edge.subject}') to a {o_type} "
                   f"('{edge.object}'); it needs {allowed}", where)
        return False
    if edge.claim is not None and not isinstance(corpus.nodes.get(edge.claim), Claim):
        if not corpus.is_broken(edge.claim):
            report.add("dangling", f"claim: '{edge.claim}' is not a known claim{_did_you_mean(edge.claim, corpus)}",
                       corpus.locate(placed.record, "claim"))
        return False
    return True


def _check_citations(corpus: Corpus, report: Report) -> None:
    for doc in corpus.documents.values():
        for number, source in sorted(doc.citations.items()):
            node = corpus.nodes.get(source)
            where = corpus.locate(doc.id, "citations", number)
            if number < 1:
                report.add("citation", f"citation numbers start at 1, got [{number}]", where)
            if node is None and not corpus.is_broken(source):
                report.add("dangling", f"citations: [{number}] refers to unknown id '{source}'"
                           f"{_did_you_mean(source, corpus)}", where)
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
                                   f"(defined: {defined})", corpus.locate(record, "citations", position))
        for index, perspective in enumerate(doc.perspectives):
            person = corpus.nodes.get(perspective.person)
            if person is None or person.rdf_class != "Person":
                if not corpus.is_broken(perspective.person):
                    what = "unknown id" if person is None else f"a {person.rdf_class}, not a person:"
                    report.add("dangling", f"perspectives: person is {what} '{perspective.person}'"
                               f"{_did_you_mean(perspective.person, corpus)}",
                               corpus.locate(f"{doc.id}#perspectives/{index}", "person"))


def _did_you_mean(node_id: str, corpus: Corpus) -> str:
    close = difflib.get_close_matches(node_id, list(corpus.nodes), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def build_graph(corpus: Corpus, edges: list[Edge], warnings: Iterable[Issue] = ()) -> KnowledgeGraph:
    """A KnowledgeGraph from a checked corpus and its edges (``warnings``: what reading it reported)."""
    return KnowledgeGraph(corpus=corpus, edges=sorted(edges, key=lambda e: (e.subject, e.relation, e.object,
                                                                               e.document or "", e.key)),
                          warnings=tuple(warnings))


@dataclass
class KnowledgeGraph:
    """The built graph: nodes by id, documents, typed edges, and its networkx and RDF views."""

    corpus: Corpus
    edges: list[Edge] = field(default_factory=list)
    #: problems found while loading that do not stop it (an entity a later data directory redefines)
    warnings: tuple[Issue, ...] = ()

    @property
    def nodes(self) -> dict[str, Node]:
        """Every node by id."""
        return self.corpus.nodes

    @property
    def documents(self) -> dict[str, Document]:
        """Every document bundle by id."""
        return self.corpus.documents

    @property
    def data_dir(self) -> os.PathLike[str]:
        """The directory the graph was loaded from (the first one, when there were several)."""
        return self.corpus.root

    @property
    def data_dirs(self) -> tuple[os.PathLike[str], ...]:
        """Every directory the graph was loaded from, in the order they were read."""
        return self.corpus.roots

    def document_of(self, node_id: str) -> Document | None:
        """The document that defines a claim, tension, event or question (None for registry entities)."""
        owner = self.corpus.owner.get(node_id)
        return self.corpus.documents.get(owner) if owner else None

    def sources_of(self, node_id: str) -> tuple[SourceRef, ...]:
        """The sources a claim, tension, event or question cites, with their citation numbers."""
        node, doc = self.nodes[node_id], self.document_of(node_id)
        numbers = getattr(node, "citations", None)
        if doc is None or not isinstance(numbers, list):
            return ()
        return _citations(doc, numbers)

    def iter_nodes(self, *types: str) -> Iterator[Node]:
        """Nodes in id order, optionally only those of the given classes (``"Claim"``, ...)."""
        return self.corpus.iter_nodes(*types)

    def iter_edges(self, *relations: str) -> Iterator[Edge]:
        """Edges in a stable order, optionally only those of the given relations."""
        return (e for e in self.edges if not relations or e.relation in relations)

    def resolve(self, ref: str, *types: str) -> str:
        """The id of the node ``ref`` names: a full id, an id without its kind, a name, label or alias.

        Raises UsageError naming close matches when nothing or more than one node fits.
        """
        candidates = [n for n in self.iter_nodes(*types)]
        if ref in self.nodes and (not types or self.nodes[ref].rdf_class in types):
            return ref
        wanted = ref.strip().casefold()
        for test in (
            lambda n: n.id.split("/", 1)[1] == wanted,
            lambda n: n.caption.casefold() == wanted or wanted in (a.casefold() for a in getattr(n, "aliases", [])),
        ):
            hits = [n for n in candidates if test(n)]
            if hits:  # the most agent-like kind wins ("Paul Christiano" the person, not a source titled so)
                rank = {kind: i for i, kind in enumerate(types or _RESOLVE_ORDER)}
                best = min(rank.get(n.rdf_class, len(rank)) for n in hits)
                hits = [n for n in hits if rank.get(n.rdf_class, len(rank)) == best]
            if len(hits) == 1:
                return hits[0].id
            if len(hits) > 1:
                raise UsageError(f"'{ref}' is ambiguous: {', '.join(n.id for n in hits)}")
        kinds = "/".join(types) if types else "node"
        close = difflib.get_close_matches(ref, [n.id for n in candidates] + [n.id.split("/", 1)[1] for n in candidates],
                                          n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(f"no {kinds} '{ref}' in the graph{hint}")

    def number_of_nodes(self, rdf_class: str | None = None) -> int:
        """How many nodes there are, optionally of one class."""
        return sum(1 for n in self.nodes.values() if rdf_class is None or n.rdf_class == rdf_class)

    def number_of_edges(self, relation: str | None = None) -> int:
        """How many edges there are, optionally of one relation."""
        return sum(1 for e in self.edges if relation is None or e.relation == relation)

    def stats(self) -> dict[str, Any]:
        """Counts per node type and per edge relation (every known type listed, zeros included)."""
        node_counts = Counter(n.rdf_class for n in self.nodes.values())
        edge_counts = Counter(e.relation for e in self.edges)
        return {
            "nodes": {cls: node_counts.get(cls, 0) for cls in ID_KINDS.values()},
            "edges": {rel: edge_counts.get(rel, 0) for rel in RELATIONS},
            "total_nodes": len(self.nodes),
            "total_edges": len(self.edges),
        }

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx view: node attributes ``type``, ``label`` and the record's fields; edge ``relation``,
        ``sources`` and provenance. Built once; treat it as read-only."""
        return to_networkx(self)

    @cached_property
    def rdf(self) -> Dataset:
        """The RDF view (an rdflib Dataset, one named graph per document). Built once; treat it as read-only."""
        from kg.rdf import to_dataset

        return to_dataset(self)


def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """Build the networkx MultiDiGraph view of ``kg``."""
    graph = nx.MultiDiGraph()
    for node in kg.iter_nodes():
        attrs = node.model_dump(mode="json", exclude={"claims", "tensions", "events", "questions", "perspectives",
                                                      "relations", "entities"}, exclude_none=True)
        attrs.pop("id")
        attrs.pop("label", None)
        document = kg.corpus.owner.get(node.id)
        if document:
            attrs["document"] = document
        graph.add_node(node.id, type=node.rdf_class, label=node.caption, **attrs)
    for edge in kg.edges:
        attrs: dict[str, Any] = {
            "relation": edge.relation,
            "sources": [r.source for r in edge.sources],
            "citations": [r.number for r in edge.sources if r.number is not None],
            "asserted_by": edge.asserted_by,
        }
        for name in ("document", "level", "note", "claim", "tension"):
            value = getattr(edge, name)
            if value is not None:
                attrs[name] = value
        graph.add_edge(edge.subject, edge.object, key=edge.key, **attrs)
    return graph
