"""The KnowledgeGraph: a frozen value of its records (nodes, documents, owners) and the edges they state,
with views built lazily on demand.

A graph is built from records only: :func:`kg.load` reads them from YAML, :meth:`KnowledgeGraph.from_records`
takes them from memory (an importer's, a test's). It knows nothing of files: where each record was read lives in
``graph.locations`` (a :class:`~kg.report.Locations`), which only validation and error messages consult.

Views (:meth:`KnowledgeGraph.view`) are computed from the records the first time they are asked for and kept
with the graph: ``graph.nx`` (networkx), ``graph.rdf`` (rdflib Dataset) and, through :mod:`kg.query`, the query
engines. Since the graph cannot change, a view never goes stale; treat views as read-only.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kg.edges import Edge, SourceRef, check_records, cited, document_nodes
from kg.errors import UsageError
from kg.model import RELATIONS, Document, Node
from kg.report import Issue, Locations, Report
from kg.vocab import ID_KINDS

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset

__all__ = ["SourceRef", "Edge", "KnowledgeGraph", "to_networkx"]

V = TypeVar("V")

#: which kind a name means first when several nodes share it (``resolve`` without types)
_RESOLVE_ORDER = ("Person", "Organization", "Group", "Concept", "Document", "Source", "Question", "Event", "Claim",
                  "Tension")


def _edge_order(edge: Edge) -> tuple[str, ...]:
    return edge.subject, edge.relation, edge.object, edge.document or "", edge.key


@dataclass(frozen=True, repr=False)
class KnowledgeGraph:
    """The built graph: nodes by id (documents and what they state included), documents, owners, typed edges.

    Build one with :func:`kg.load` (from data directories) or :meth:`from_records` (from records in memory).
    Two graphs of the same records and edges are equal; ``data_dirs`` and ``locations`` say where the records
    came from and take no part in equality. Its mappings are read-only by contract.

    >>> from kg.model import Person
    >>> graph = KnowledgeGraph.from_records([Person(id="person/jane-roe", name="Jane Roe")])
    >>> graph.number_of_nodes("Person"), graph.locations.locate("person/jane-roe")
    (1, None)
    """

    #: every node by id, documents and the claims, tensions, events and questions they define included
    nodes: Mapping[str, Node]
    #: every document bundle by id
    documents: Mapping[str, Document] = field(default_factory=dict)
    #: node id -> id of the document that defines it (absent for registry entities)
    owner: Mapping[str, str] = field(default_factory=dict)
    #: the typed edges, sorted into a stable order when the graph is made
    edges: tuple[Edge, ...] = field(default_factory=tuple)
    #: problems found while loading that do not stop it (an entity a later data directory redefines)
    warnings: tuple[Issue, ...] = field(default_factory=tuple)
    #: every directory the records were read from, in order (none for a graph built from records)
    data_dirs: tuple[Path, ...] = field(default=(), compare=False)
    #: where each record was read, for validation and error messages only (empty without files)
    locations: Locations = field(default_factory=Locations, compare=False, repr=False)
    _views: dict[Hashable, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    _builders: dict[Hashable, Callable[[KnowledgeGraph], Any]] = field(default_factory=dict, init=False,
                                                                      compare=False, repr=False)

    __hash__ = None  # type: ignore[assignment]  # a value of mappings: compared by content, never hashed

    def __post_init__(self) -> None:
        object.__setattr__(self, "edges", tuple(sorted(self.edges, key=_edge_order)))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        object.__setattr__(self, "data_dirs", tuple(Path(d) for d in self.data_dirs))

    def __repr__(self) -> str:
        dirs = f", data_dirs={[str(d) for d in self.data_dirs]}" if self.data_dirs else ""
        return f"<KnowledgeGraph: {len(self.nodes)} nodes, {len(self.edges)} edges{dirs}>"

    @classmethod
    def from_records(cls, nodes: Iterable[Node] = (), documents: Iterable[Document] = ()) -> KnowledgeGraph:
        """The graph of ``nodes`` (registry entities) and ``documents`` (bundles, with what they state), checked
        as :func:`kg.load` checks data files: raises :class:`~kg.errors.DataError` listing every problem
        (duplicate or unknown ids, edges of the wrong types, undefined citations), without locations.

        >>> from kg.model import Concept, Person
        >>> graph = KnowledgeGraph.from_records([Person(id="person/jane-roe", name="Jane Roe"),
        ...                                      Concept(id="concept/reward-tampering", label="Reward tampering",
        ...                                              kind="failure-mode")])
        >>> graph.resolve("Jane Roe")
        'person/jane-roe'
        """
        report = Report()
        by_id: dict[str, Node] = {}
        docs: dict[str, Document] = {}
        owner: dict[str, str] = {}

        def add(node: Node, document: str | None) -> None:
            if node.id in by_id:
                report.add("duplicate-id", f"duplicate id '{node.id}'")
                return
            by_id[node.id] = node
            if document is not None:
                owner[node.id] = document

        bundles = [*documents, *(n for n in nodes if isinstance(n, Document))]
        for node in nodes:
            if not isinstance(node, Document):
                add(node, None)
        for doc in bundles:
            if doc.id in by_id:
                report.add("duplicate-id", f"duplicate id '{doc.id}'")
                continue
            add(doc, None)
            docs[doc.id] = doc
            for item in document_nodes(doc):
                add(item, doc.id)
        edges = check_records(by_id, docs, owner, report)
        report.raise_for_errors()
        return cls(by_id, docs, owner, tuple(edges))

    @classmethod
    def deferred(cls, records: Callable[[], KnowledgeGraph], warnings: Iterable[Issue] = (),
                 data_dirs: Iterable[Path] = (), locations: Locations | None = None) -> KnowledgeGraph:
        """A graph whose records (nodes, documents, owners, edges) are made by ``records()`` the first time
        anything reads them: the build cache hands out graphs whose store answers a query before, or without,
        unpickling the records. Equal to the graph ``records()`` returns."""
        return _Deferred(records, tuple(warnings), tuple(data_dirs), locations or Locations())

    @property
    def data_dir(self) -> Path | None:
        """The directory the graph was loaded from (the first one, when there were several; None without files)."""
        return self.data_dirs[0] if self.data_dirs else None

    def view(self, key: Hashable, build: Callable[[KnowledgeGraph], V]) -> V:
        """The view ``key`` of this graph, made by ``build(graph)`` the first time it is asked for and kept.

        ``nx`` and ``rdf`` are views; :mod:`kg.query` keeps its loaded engines as views too. A view is derived
        from the records only, so it stays valid for the life of the graph; treat it as read-only.
        """
        if key not in self._views:
            self._views[key] = self._builders.get(key, build)(self)
        return self._views[key]  # type: ignore[no-any-return]

    def provide(self, key: Hashable, build: Callable[[KnowledgeGraph], Any]) -> None:
        """Have view ``key`` made by ``build`` instead of its own builder, when it is first asked for: the build
        cache (:mod:`kg.cache`) opens the store it keeps on disk rather than loading a new one. A view already
        made is kept."""
        self._builders[key] = build

    def document_of(self, node_id: str) -> Document | None:
        """The document that defines a claim, tension, event or question (None for registry entities)."""
        owner = self.owner.get(node_id)
        return self.documents.get(owner) if owner else None

    def sources_of(self, node_id: str) -> tuple[SourceRef, ...]:
        """The sources a claim, tension, event or question cites, with their citation numbers."""
        node, doc = self.nodes[node_id], self.document_of(node_id)
        numbers = getattr(node, "citations", None)
        if doc is None or not isinstance(numbers, list):
            return ()
        return cited(doc, numbers)

    def iter_nodes(self, *types: str) -> Iterator[Node]:
        """Nodes in id order, optionally only those of the given classes (``"Claim"``, ...)."""
        return (self.nodes[i] for i in sorted(self.nodes) if not types or self.nodes[i].rdf_class in types)

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
        tests: tuple[Callable[[Node], bool], ...] = (
            lambda n: n.id.split("/", 1)[1] == wanted,
            lambda n: n.caption.casefold() == wanted or wanted in (a.casefold() for a in getattr(n, "aliases", [])),
        )
        for test in tests:
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

    @property
    def nx(self) -> nx.MultiDiGraph[str]:
        """The networkx view: node attributes ``type``, ``label`` and the record's fields; edge ``relation``,
        ``sources`` and provenance. Built once; treat it as read-only."""
        return self.view("nx", to_networkx)

    @property
    def rdf(self) -> Dataset:
        """The RDF view (an rdflib Dataset, one named graph per document). Built once; treat it as read-only."""
        return self.view("rdf", _rdf_view)


#: the fields a deferred graph reads on first use
_RECORDS = ("nodes", "documents", "owner", "edges")


class _Deferred(KnowledgeGraph):
    """A KnowledgeGraph whose record fields are filled in on first use (see :meth:`KnowledgeGraph.deferred`)."""

    def __init__(self, records: Callable[[], KnowledgeGraph], warnings: tuple[Issue, ...],
                 data_dirs: tuple[Path, ...], locations: Locations) -> None:  # the records come later
        for name, value in (("_records", records), ("warnings", warnings), ("data_dirs", data_dirs),
                            ("locations", locations), ("_views", {}), ("_builders", {})):
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:  # called only for attributes not set yet: the records
        records = self.__dict__.pop("_records", None)
        if name not in _RECORDS or records is None:
            raise AttributeError(f"'KnowledgeGraph' object has no attribute '{name}'")
        loaded = records()
        for field_name in _RECORDS:
            object.__setattr__(self, field_name, getattr(loaded, field_name))
        return getattr(self, name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeGraph):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in (*_RECORDS, "warnings"))


def _rdf_view(graph: KnowledgeGraph) -> Dataset:
    from kg.rdf import to_dataset  # kg.rdf is a layer above the graph (README: Development)

    return to_dataset(graph.iter_nodes(), graph.owner, graph.edges)


def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph[str]:
    """Build the networkx MultiDiGraph view of ``kg`` (networkx is imported here: few commands need it)."""
    import networkx as nx

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in kg.iter_nodes():
        attrs: dict[str, Any] = node.model_dump(
            mode="json", exclude={"claims", "tensions", "events", "questions", "perspectives", "relations", "entities"},
            exclude_none=True)
        attrs.pop("id")
        attrs.pop("label", None)
        document = kg.owner.get(node.id)
        if document:
            attrs["document"] = document
        graph.add_node(node.id, type=node.rdf_class, label=node.caption, **attrs)
    for edge in kg.edges:
        attrs = {
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
