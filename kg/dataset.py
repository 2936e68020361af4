"""The dataset description (VoID and DCAT) that every RDF export carries, and the dataset it describes.

Other tools read it to learn what an export holds before loading it: title, version, license, the ontology
it conforms to, and how many triples use each class and property. It holds no generation time, so the same
data always gives the same description (and byte-identical exports).
"""

from __future__ import annotations

from collections import Counter

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD
from rdflib.term import Node

from kg._util import package_version
from kg.graph import KnowledgeGraph
from kg.ontology import read_ontology
from kg.rdf import flatten
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

__all__ = ["TITLE", "describe", "rdf_dataset", "union_graph"]

TITLE = "kg: a knowledge graph of claims from the AI-risk literature"
_DESCRIPTION = ("Who claims what about AI risk, on what evidence, where claims conflict, and which labs address "
                "which risks: typed sources, people, organizations, concepts, claims, tensions, events and open "
                "questions, with the provenance of every edge.")
_ONTOLOGY = URIRef(BASE + "ontology")


def _partition(kind: str, term: Node) -> URIRef:
    """A stable IRI for the class or property partition of ``term`` (no blank nodes)."""
    for prefix, namespace in PREFIXES.items():
        if str(term).startswith(namespace) and str(term) != namespace:
            return URIRef(f"{DATASET}/{kind}/{prefix}-{str(term)[len(namespace):]}")
    return URIRef(f"{DATASET}/{kind}/{edge_key(str(term))}")


def describe(kg: KnowledgeGraph, data: Graph | None = None) -> Graph:
    """The VoID/DCAT description of ``kg``'s RDF view (``data``: that view's union, when already built)."""
    # the RDF view's default graph is the union of its named graphs: count from it rather than from a copy
    data = data if data is not None else kg.rdf
    graph = bind_prefixes(Graph(), EXPORT_PREFIXES)
    add = graph.add
    ontology = read_ontology()
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, RDF.type, DCAT.Dataset))
    add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    add((DATASET, DCTERMS.description, Literal(_DESCRIPTION, lang="en")))
    add((DATASET, DCAT.version, Literal(package_version())))
    add((DATASET, OWL.versionInfo, Literal(package_version())))
    for license_iri in ontology.objects(_ONTOLOGY, DCTERMS.license):
        add((DATASET, DCTERMS.license, license_iri))
    add((DATASET, DCTERMS.conformsTo, _ONTOLOGY))
    add((DATASET, VOID.vocabulary, URIRef(str(KG))))
    add((DATASET, VOID.uriSpace, Literal(str(ID))))
    for keyword in ("AI risk", "AI safety", "claims", "knowledge graph"):
        add((DATASET, DCAT.keyword, Literal(keyword, lang="en")))

    classes = Counter(o for o in data.objects(None, RDF.type))
    properties = Counter(p for _, p, _ in data.triples((None, None, None)))
    subjects = set(data.subjects())
    objects = set(data.objects())

    def count(n: int) -> Literal:
        return Literal(n, datatype=XSD.integer)

    add((DATASET, VOID.triples, count(properties.total())))
    add((DATASET, VOID.entities, count(sum(1 for s in subjects if str(s).startswith(str(ID))))))
    add((DATASET, VOID.classes, count(len(classes))))
    add((DATASET, VOID.properties, count(len(properties))))
    add((DATASET, VOID.distinctSubjects, count(len(subjects))))
    add((DATASET, VOID.distinctObjects, count(len(objects))))
    for cls, n in classes.items():
        part = _partition("class", cls)
        add((DATASET, VOID.classPartition, part))
        add((part, VOID["class"], cls))
        add((part, VOID.entities, count(n)))
    for graph_name in sorted({g.identifier for g in kg.rdf.graphs()} - {DATASET_DEFAULT_GRAPH_ID}, key=str):
        named = kg.rdf.graph(graph_name)
        if not len(named):
            continue
        add((DATASET, VOID.subset, graph_name))
        add((graph_name, RDF.type, VOID.Dataset))
        add((graph_name, VOID.triples, count(len(named))))
        doc_id = graph_document(graph_name)
        if doc_id is not None and doc_id in kg.documents:
            add((graph_name, PROV.wasDerivedFrom, iri(doc_id)))
            add((graph_name, DCTERMS.title, Literal(f"What {kg.documents[doc_id].caption} states")))
        else:
            add((graph_name, DCTERMS.title, Literal("The entity registries (people, organizations, sources, "
                                                    "concepts)")))
    for prop, n in properties.items():
        part = _partition("property", prop)
        add((DATASET, VOID.propertyPartition, part))
        add((part, VOID.property, prop))
        add((part, VOID.triples, count(n)))
    return graph


def union_graph(kg: KnowledgeGraph, described: bool = True) -> Graph:
    """All triples of the RDF view in one plain graph, prefixes bound; with ``described``, plus its description."""
    graph = flatten(kg.rdf)
    if described:
        for triple in describe(kg, graph):
            graph.add(triple)
    return graph


def rdf_dataset(kg: KnowledgeGraph) -> Dataset:
    """The RDF view's named graphs (one per document, one for the registries) plus the description's graph."""
    dataset = bind_prefixes(Dataset(), EXPORT_PREFIXES)
    for s, p, o, g in kg.rdf.quads((None, None, None, None)):
        dataset.graph(g).add((s, p, o))
    target = dataset.graph(DESCRIPTION_GRAPH)
    for triple in describe(kg):
        target.add(triple)
    return dataset
