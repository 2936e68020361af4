"""The RDF view: direct triples, statement nodes with provenance, named graphs, SHACL conformance."""

from __future__ import annotations

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS, XSD

import kg
from kg.export import union_graph
from kg.ontology import check_shacl
from kg.vocab import ENTITIES_GRAPH, KG, citation_iri, graph_iri, iri
from tests.conftest import DATA, outputs_under_hash_seeds


def _statements(graph, subject, prop, obj):
    rdf = graph.rdf
    return [s for s in rdf.subjects(RDF.subject, iri(subject))
            if (s, RDF.predicate, prop) in rdf and (s, RDF.object, iri(obj)) in rdf]


def test_bundled_graph_conforms_to_shapes(graph):
    assert check_shacl(graph) == []


def test_direct_triples(graph):
    rdf = graph.rdf
    assert (iri("person/alex-mallen"), KG.asserts, iri("claim/deployment-spread-most-plausible-pathway")) in rdf
    assert (iri("claim/bsm-keeps-predictive-value"), KG.statement, None) in rdf
    published = Literal("2026-05-15", datatype=XSD.date)
    assert (iri("source/risk-reports-deployment-time-spread"), KG.published, published) in rdf
    assert (iri("org/alignment-forum"), KG.credibilityTier, Literal(3)) in rdf
    assert (iri("concept/schemers"), RDF.type, KG.Concept) in rdf
    assert (iri("concept/schemers"), RDFS.label, Literal("Schemers")) in rdf


def test_symmetric_relations_are_stated_both_ways(graph):
    a, b = iri("claim/mythos-acknowledges-spread-in-isolation"), iri("claim/isolated-acknowledgment-meaningless")
    assert (a, KG.inTensionWith, b) in graph.rdf
    assert (b, KG.inTensionWith, a) in graph.rdf


def test_addresses_none_lives_only_on_the_statement_node(graph):
    rdf = graph.rdf
    gdm, spread = iri("org/google-deepmind"), iri("concept/deployment-time-spread")
    assert (gdm, KG.addresses, spread) not in rdf
    (statement,) = _statements(graph, "org/google-deepmind", KG.addresses, "concept/deployment-time-spread")
    assert rdf.value(statement, KG.level) == Literal("none")
    assert rdf.value(statement, KG.statedByClaim) == iri("claim/mallen-risk-report-survey")
    assert (iri("org/anthropic"), KG.addresses, spread) in rdf


def test_statement_nodes_carry_sources_and_citation_numbers(graph):
    rdf = graph.rdf
    (statement,) = _statements(graph, "claim/deployment-spread-most-plausible-pathway", KG.inTensionWith,
                               "claim/lab-reports-prioritize-other-risks")
    assert rdf.value(statement, KG.tension) == iri("tension/spread-priority-vs-lab-priorities")
    assert rdf.value(statement, PROV.wasDerivedFrom) == iri("source/risk-reports-deployment-time-spread")
    citation = rdf.value(statement, KG.citation)
    assert citation == citation_iri("doc/briefing-mallen-behavioral-selection", 3)
    assert rdf.value(citation, KG.citationNumber) == Literal(3)
    assert rdf.value(citation, KG.citedSource) == iri("source/risk-reports-deployment-time-spread")
    assert rdf.value(statement, KG.assertedBy) == Literal("source")


def test_named_graph_per_document(graph):
    doc = "doc/briefing-mallen-behavioral-selection"
    named = graph.rdf.graph(graph_iri(doc))
    assert (iri("claim/bsm-omits-reflection"), RDF.type, KG.Claim) in named
    assert (iri("claim/bsm-omits-reflection"), KG.inDocument, iri(doc)) in named
    other = graph.rdf.graph(graph_iri("doc/concept-misaligned-model-behaviors"))
    assert (iri("claim/bsm-omits-reflection"), RDF.type, KG.Claim) not in other
    assert (iri("person/alex-mallen"), RDF.type, KG.Person) in graph.rdf.graph(ENTITIES_GRAPH)


def test_no_blank_nodes(graph):
    assert not any(isinstance(term, BNode) for triple in graph.rdf for term in triple)


def test_turtle_export_parses_in_rdflib_and_pyoxigraph(graph):
    payload = kg.export_graph(graph, "turtle")
    parsed = Graph().parse(data=payload, format="turtle")
    assert isomorphic(parsed, union_graph(graph))
    store = pyoxigraph.Store()
    store.load(payload, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(parsed) > 2000
    answer = list(store.query(
        "PREFIX kg: <https://w3id.org/kg-ai-risk/ontology#> SELECT (COUNT(?t) AS ?n) WHERE { ?t a kg:Tension }"))
    assert answer[0]["n"].value == "3"


_RDF_VIEW = """
import sys, kg
graph = kg.load(sys.argv[1])
sys.stdout.buffer.write(kg.export_graph(graph, "nq") + b"\\n--\\n" + kg.export_graph(graph, "turtle"))
"""


def test_rdf_view_is_byte_identical_under_two_hash_seeds(graph):
    """Statement IRIs, named graphs and serialisation order must not depend on set order (PYTHONHASHSEED)."""
    first, second = outputs_under_hash_seeds(_RDF_VIEW, str(DATA))
    assert first == second
    assert first == kg.export_graph(graph, "nq") + b"\n--\n" + kg.export_graph(graph, "turtle")


def test_iris_are_minted_from_ids():
    assert iri("concept/kludges") == URIRef("https://w3id.org/kg-ai-risk/id/concept/kludges")
    assert kg.vocab.id_of(iri("concept/kludges")) == "concept/kludges"
    assert kg.vocab.id_of(URIRef("https://example.org/x")) is None
