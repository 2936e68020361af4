"""The dataset description (VoID and DCAT) that every RDF export carries, and the dataset it describes.

Other tools read it to learn what an export holds before loading it: title, version, license, the ontology
it conforms to, and how many triples use each class and property. It holds no generation time, so the same
data always gives the same description (and byte-identical exports).

Both are read from the graph's Oxigraph store (:func:`kg.store.store`): the counts are SPARQL aggregates,
and the dataset comes out as N-Triples or N-Quads lines written by Oxigraph (canonical literals, one
statement per line, sorted), which the RDF exports are made from.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any, cast

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD

from kg._util import package_version
from kg.graph import KnowledgeGraph
from kg.ontology import read_ontology
from kg.store import store
from kg.vocab import (
    BASE,
    DATASET,
    DCAT,
    DESCRIPTION_GRAPH,
    EXPORT_PREFIXES,
    ID,
    KG,
    PREFIXES,
    VOID,
    bind_prefixes,
    edge_key,
    graph_document,
    iri,
)

__all__ = ["TITLE", "describe", "union_ntriples", "dataset_nquads", "rdf_dataset", "union_graph"]

TITLE = "kg: a knowledge graph of claims from the AI-risk literature"
_DESCRIPTION = ("Who claims what about AI risk, on what evidence, where claims conflict, and which labs address "
                "which risks: typed sources, people, organizations, concepts, claims, tensions, events and open "
                "questions, with the provenance of every edge.")
_ONTOLOGY = URIRef(BASE + "ontology")
_NT = ox.RdfFormat.N_TRIPLES

# Oxigraph's union default graph repeats a triple held by several named graphs: count distinct triples
# (COUNT(DISTINCT *) per property is a third faster than a DISTINCT subquery at 1M triples)
_PROPERTIES = "SELECT ?p (COUNT(DISTINCT *) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
_CLASSES = f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF.type}> ?c }} GROUP BY ?c"
_SUBJECTS = (f"SELECT (COUNT(*) AS ?n) (SUM(IF(STRSTARTS(STR(?s), \"{ID}\"), 1, 0)) AS ?entities) "
             "WHERE { SELECT DISTINCT ?s WHERE { ?s ?p ?o } }")
_OBJECTS = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"
_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _select(data: ox.Store, query: str) -> list[tuple[Any, ...]]:
    """The rows of a SELECT over the union of ``data``'s graphs, as tuples of Oxigraph terms."""
    return [tuple(row) for row in cast(ox.QuerySolutions, data.query(query, use_default_graph_as_union=True))]


def _partition(kind: str, term: str) -> URIRef:
    """A stable IRI for the class or property partition of ``term`` (no blank nodes)."""
    for prefix, namespace in PREFIXES.items():
        if term.startswith(namespace) and term != namespace:
            return URIRef(f"{DATASET}/{kind}/{prefix}-{term[len(namespace):]}")
    return URIRef(f"{DATASET}/{kind}/{edge_key(term)}")


def _count(n: Any) -> Literal:
    return Literal(int(n.value), datatype=XSD.integer)


def _about(graph: Graph) -> None:
    """What the dataset is: title, version, license, vocabulary."""
    add = graph.add
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, RDF.type, DCAT.Dataset))
    add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    add((DATASET, DCTERMS.description, Literal(_DESCRIPTION, lang="en")))
    add((DATASET, DCAT.version, Literal(package_version())))
    add((DATASET, OWL.versionInfo, Literal(package_version())))
    for license_iri in read_ontology().objects(_ONTOLOGY, DCTERMS.license):
        add((DATASET, DCTERMS.license, license_iri))
    add((DATASET, DCTERMS.conformsTo, _ONTOLOGY))
    add((DATASET, VOID.vocabulary, URIRef(str(KG))))
    add((DATASET, VOID.uriSpace, Literal(str(ID))))
    for keyword in ("AI risk", "AI safety", "claims", "knowledge graph"):
        add((DATASET, DCAT.keyword, Literal(keyword, lang="en")))


def _counts(graph: Graph, data: ox.Store) -> None:
    """Triples, entities, distinct subjects and objects, and a partition per class and per property."""
    add = graph.add
    properties, classes = _select(data, _PROPERTIES), _select(data, _CLASSES)
    [(subjects, entities)], [(objects,)] = _select(data, _SUBJECTS), _select(data, _OBJECTS)
    add((DATASET, VOID.triples, Literal(sum(int(n.value) for _, n in properties), datatype=XSD.integer)))
    add((DATASET, VOID.entities, _count(entities)))
    add((DATASET, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    add((DATASET, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    add((DATASET, VOID.distinctSubjects, _count(subjects)))
    add((DATASET, VOID.distinctObjects, _count(objects)))
    for cls, n in classes:
        part = _partition("class", cls.value)
        add((DATASET, VOID.classPartition, part))
        add((part, VOID["class"], URIRef(cls.value)))
        add((part, VOID.entities, _count(n)))
    for prop, n in properties:
        part = _partition("property", prop.value)
        add((DATASET, VOID.propertyPartition, part))
        add((part, VOID.property, URIRef(prop.value)))
        add((part, VOID.triples, _count(n)))


def _subsets(graph: Graph, kg: KnowledgeGraph, data: ox.Store) -> None:
    """Each non-empty named graph as a subset, with its size and the document it was derived from."""
    add = graph.add
    for name, n in _select(data, _GRAPHS):
        named = URIRef(name.value)
        add((DATASET, VOID.subset, named))
        add((named, RDF.type, VOID.Dataset))
        add((named, VOID.triples, _count(n)))
        doc_id = graph_document(named)
        if doc_id is not None and doc_id in kg.documents:
            add((named, PROV.wasDerivedFrom, iri(doc_id)))
            add((named, DCTERMS.title, Literal(f"What {kg.documents[doc_id].caption} states")))
        else:
            add((named, DCTERMS.title, Literal("The entity registries (people, organizations, sources, concepts)")))


def describe(kg: KnowledgeGraph) -> Graph:
    """The VoID/DCAT description of ``kg``'s RDF view, counted by SPARQL aggregates over its store."""
    graph = bind_prefixes(Graph(), EXPORT_PREFIXES)
    data = store(kg)
    _about(graph)
    _counts(graph, data)
    _subsets(graph, kg, data)
    return graph


def _description_lines(kg: KnowledgeGraph) -> list[bytes]:
    """The description as N-Triples lines written by Oxigraph, like the store's own."""
    data = describe(kg).serialize(format="nt", encoding="utf-8")
    return (ox.serialize(ox.parse(data, _NT), format=_NT) or b"").splitlines()  # bytes when given no output


def _dump(data: ox.Store, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None,
          syntax: ox.RdfFormat = _NT) -> list[bytes]:
    """The lines of one graph of ``data`` in a line format (every graph, as N-Quads, for ``None``)."""
    return (data.dump(format=syntax, from_graph=graph) or b"").splitlines()


def _graphs(kg: KnowledgeGraph, described: bool) -> Iterator[tuple[ox.NamedNode | ox.BlankNode | None, list[bytes]]]:
    """The store graph by graph (the default graph first, if it holds triples; then the named graphs in IRI
    order, with the description's when ``described``), each as its N-Triples lines."""
    data = store(kg)
    named = {name.value: name for name in data.named_graphs()}
    description = {str(DESCRIPTION_GRAPH): _description_lines(kg)} if described else {}
    named.update((name, ox.NamedNode(name)) for name in description)
    default = _dump(data, ox.DefaultGraph())
    if default:
        yield None, default
    for key in sorted(named):
        lines = _dump(data, named[key]) + description.get(key, [])
        if lines:
            yield named[key], lines


def _quads(graph: ox.NamedNode | ox.BlankNode | None, lines: list[bytes]) -> list[bytes]:
    """N-Triples lines of ``graph`` as N-Quads lines (the default graph's stay as they are)."""
    suffix = f"{graph} .".encode() if graph is not None else b"."
    return [line[:-1] + suffix for line in lines]


def _joined(lines: list[bytes], unique: bool = False) -> bytes:
    """``lines`` sorted in place (duplicates dropped when ``unique``), one per line."""
    lines.sort()
    if unique:
        lines = [line for line, _ in groupby(lines)]
    lines.append(b"")
    return b"\n".join(lines)


def union_ntriples(kg: KnowledgeGraph, described: bool = True) -> bytes:
    """All triples of the RDF view (and its description when ``described``) as N-Triples: one triple per line,
    sorted and unique, as Oxigraph writes them."""
    return _joined([line for _, lines in _graphs(kg, described) for line in lines], unique=True)


def dataset_nquads(kg: KnowledgeGraph, grouped: bool = False) -> bytes:
    """The RDF view's named graphs plus the description's as N-Quads: one quad per line, sorted, as Oxigraph
    writes them; ``grouped``: graph by graph in IRI order instead, each sorted (the order TriG writes)."""
    if grouped:
        return b"".join(_joined(_quads(graph, lines)) for graph, lines in _graphs(kg, True))
    description = _quads(ox.NamedNode(str(DESCRIPTION_GRAPH)), _description_lines(kg))
    return _joined(_dump(store(kg), None, ox.RdfFormat.N_QUADS) + description)


def union_graph(kg: KnowledgeGraph, described: bool = True) -> Graph:
    """All triples of the RDF view in one rdflib graph, prefixes bound; with ``described``, plus its description."""
    return bind_prefixes(Graph(), EXPORT_PREFIXES).parse(data=union_ntriples(kg, described), format="nt")


def rdf_dataset(kg: KnowledgeGraph) -> Dataset:
    """The RDF view's named graphs (one per document, one for the registries) plus the description's graph."""
    dataset = bind_prefixes(Dataset(), EXPORT_PREFIXES)
    dataset.parse(data=dataset_nquads(kg), format="nquads")
    return dataset
