"""kg.dataset: the VoID/DCAT description every RDF export carries, its counts checked against the graph."""

from __future__ import annotations

from collections import Counter

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD

import kg
from kg.dataset import TITLE, _partition, describe, rdf_dataset, union_graph
from kg.store import STORE_VIEW, build_store, store
from kg.vocab import DATASET, DCAT, DESCRIPTION_GRAPH, ENTITIES_GRAPH, ID, KG, VOID, graph_document, graph_iri, iri


def _int(graph, subject, prop) -> int:
    return int(graph.value(subject, prop))


def test_title_version_license_and_ontology(graph):
    description = describe(graph)
    assert (DATASET, RDF.type, VOID.Dataset) in description and (DATASET, RDF.type, DCAT.Dataset) in description
    assert (DATASET, DCTERMS.title, Literal(TITLE, lang="en")) in description
    assert (DATASET, DCAT.version, Literal(kg.__version__)) in description
    assert (DATASET, DCTERMS.license, URIRef("https://opensource.org/licenses/MIT")) in description
    assert (DATASET, DCTERMS.conformsTo, URIRef("https://w3id.org/kg-ai-risk/ontology")) in description
    assert (DATASET, OWL.versionInfo, Literal(kg.__version__)) in description


def test_counts_per_class_match_the_graph(graph):
    description = describe(graph)
    partitions = {description.value(p, VOID["class"]): _int(description, p, VOID.entities)
                  for p in description.objects(DATASET, VOID.classPartition)}
    for cls in ("Claim", "Tension", "Person", "Source", "Concept", "Document"):
        assert partitions[KG[cls]] == graph.number_of_nodes(cls), cls
    assert partitions[KG.Statement] == len(graph.edges)
    assert _int(description, DATASET, VOID.classes) == len(partitions)


def _sparql(graph, query: str) -> list[tuple[str, ...]]:
    """Answers of ``query`` by pyoxigraph over the N-Quads export, the description's own graph left out: an
    independent count of what the description claims."""
    store = pyoxigraph.Store()
    store.load(kg.export_graph(graph, "nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    store.update(f"DROP GRAPH <{DESCRIPTION_GRAPH}>")
    return [tuple(term.value for term in row) for row in store.query(query, use_default_graph_as_union=True)]


def test_counts_per_property_and_class_agree_with_sparql(graph):
    description = describe(graph)
    properties = {str(description.value(p, VOID.property)): _int(description, p, VOID.triples)
                  for p in description.objects(DATASET, VOID.propertyPartition)}
    assert properties == {p: int(n) for p, n in _sparql(
        graph, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")}
    classes = {str(description.value(p, VOID["class"])): _int(description, p, VOID.entities)
               for p in description.objects(DATASET, VOID.classPartition)}
    assert classes == {c: int(n) for c, n in _sparql(
        graph, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")}
    [(triples, subjects, objects)] = _sparql(
        graph, "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?o) AS ?o_) WHERE { ?s ?p ?o }")
    assert _int(description, DATASET, VOID.triples) == int(triples)
    assert _int(description, DATASET, VOID.distinctSubjects) == int(subjects)
    assert _int(description, DATASET, VOID.distinctObjects) == int(objects)
    # worked out by hand from data/: 3 tensions, each an inTensionWith triple in both directions
    assert classes[str(KG.Tension)] == 3 and properties[str(KG.inTensionWith)] == 6


def test_each_named_graph_is_a_subset_derived_from_its_document(graph):
    description = describe(graph)
    subsets = set(description.objects(DATASET, VOID.subset))
    assert subsets == {graph_iri(doc) for doc in graph.documents} | {ENTITIES_GRAPH}
    for doc in graph.documents:
        assert (graph_iri(doc), PROV.wasDerivedFrom, iri(doc)) in description
        assert _int(description, graph_iri(doc), VOID.triples) == len(graph.rdf.graph(graph_iri(doc)))


def test_description_has_no_blank_nodes_and_its_own_graph(graph):
    dataset = rdf_dataset(graph)
    description = dataset.graph(DESCRIPTION_GRAPH)
    assert len(description) == len(describe(graph))
    assert not any(isinstance(term, BNode) for triple in description for term in triple)
    assert (DATASET, None, None) not in dataset.graph(ENTITIES_GRAPH)


def test_description_follows_the_data(minimal):
    small = kg.load(minimal)
    description = describe(small)
    claims = next(p for p in description.objects(DATASET, VOID.classPartition)
                  if description.value(p, VOID["class"]) == KG.Claim)
    assert _int(description, claims, VOID.entities) == small.number_of_nodes("Claim")
    assert _int(description, DATASET, VOID.triples) == len(union_graph(small, described=False))


def test_description_counts_a_triple_in_two_graphs_once(minimal):
    small = kg.load(minimal)
    doc = pyoxigraph.NamedNode(str(graph_iri(next(iter(small.documents)))))
    shared = []

    def restated(graph):
        """The store, with a triple of the registries stated again in a document's graph."""
        data = build_store(graph)
        shared.append(next(data.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDF.type)), None,
                                                  pyoxigraph.NamedNode(str(ENTITIES_GRAPH)))))
        data.add(pyoxigraph.Quad(shared[0].subject, shared[0].predicate, shared[0].object, doc))
        return data

    small.provide(STORE_VIEW, restated)
    union = union_graph(small, described=False)
    description = describe(small)
    assert len(store(small)) == len(union) + 1
    assert _int(description, DATASET, VOID.triples) == len(union)
    cls = URIRef(shared[0].object.value)
    part = next(p for p in description.objects(DATASET, VOID.classPartition)
                if description.value(p, VOID["class"]) == cls)
    assert _int(description, part, VOID.entities) == len(set(union.subjects(RDF.type, cls)))


def _described_by_counters(graph) -> Graph:
    """The description as kg.dataset computed it before it asked the store (Python counters over the rdflib
    view), for comparison."""
    data, description = graph.rdf, describe(graph)
    old = Graph()
    for triple in description:  # title, version, license, keywords: not counted
        if triple[0] == DATASET and triple[1] not in _COUNTED:
            old.add(triple)
    classes = Counter(data.objects(None, RDF.type))
    properties = Counter(p for _, p, _ in data.triples((None, None, None)))
    subjects, objects = set(data.subjects()), set(data.objects())
    for prop, n in ((VOID.triples, properties.total()), (VOID.classes, len(classes)),
                    (VOID.properties, len(properties)), (VOID.distinctSubjects, len(subjects)),
                    (VOID.distinctObjects, len(objects)),
                    (VOID.entities, sum(1 for s in subjects if str(s).startswith(str(ID))))):
        old.add((DATASET, prop, Literal(n, datatype=XSD.integer)))
    for kind, link, counted, counter in (("class", VOID["class"], VOID.entities, classes),
                                         ("property", VOID.property, VOID.triples, properties)):
        for term, n in counter.items():
            part = _partition(kind, str(term))
            old.add((DATASET, VOID[f"{kind}Partition"], part))
            old.add((part, link, term))
            old.add((part, counted, Literal(n, datatype=XSD.integer)))
    for named in data.graphs():
        if named.identifier == DATASET_DEFAULT_GRAPH_ID or not len(named):
            continue
        old.add((DATASET, VOID.subset, named.identifier))
        old.add((named.identifier, RDF.type, VOID.Dataset))
        old.add((named.identifier, VOID.triples, Literal(len(named), datatype=XSD.integer)))
        doc_id = graph_document(named.identifier)
        if doc_id in graph.documents:
            old.add((named.identifier, PROV.wasDerivedFrom, iri(doc_id)))
            old.add((named.identifier, DCTERMS.title, Literal(f"What {graph.documents[doc_id].caption} states")))
        else:
            old.add((named.identifier, DCTERMS.title, Literal("The entity registries (people, organizations, "
                                                              "sources, concepts)")))
    return old


_COUNTED = {VOID.triples, VOID.classes, VOID.properties, VOID.distinctSubjects, VOID.distinctObjects,
            VOID.entities, VOID.classPartition, VOID.propertyPartition, VOID.subset}


def test_sparql_counts_give_the_description_python_counters_gave(graph):
    """Counted by SPARQL aggregates over the store, the description holds the same triples as when it was
    counted with Python counters over the rdflib view."""
    assert set(describe(graph)) == set(_described_by_counters(graph))
