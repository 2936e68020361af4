"""The KnowledgeGraph API and its networkx view."""

from __future__ import annotations

import pytest

import kg


def test_networkx_view_types_labels_and_edges(graph):
    g = graph.nx
    assert g.number_of_nodes() == len(graph.nodes)
    assert g.number_of_edges() == len(graph.edges)
    assert g.nodes["person/alex-mallen"]["type"] == "Person"
    assert g.nodes["person/alex-mallen"]["label"] == "Alex Mallen"
    assert g.nodes["concept/kludges"]["label"] == "Kludges"
    claim = g.nodes["claim/bsm-omits-reflection"]
    assert claim["type"] == "Claim" and claim["document"] == "doc/briefing-mallen-behavioral-selection"
    edges = g.get_edge_data("claim/mythos-acknowledges-spread-in-isolation",
                            "claim/isolated-acknowledgment-meaningless")
    (tension,) = [e for e in edges.values() if e["relation"] == "in_tension_with"]
    assert tension["sources"] == ["source/risk-reports-deployment-time-spread"]
    assert tension["citations"] == [3]
    assert tension["tension"] == "tension/mythos-isolated-acknowledgment"
    assert all("relation" in d and "sources" in d for _, _, d in g.edges(data=True))


def test_addresses_edges_carry_level_and_claim(graph):
    levels = {e.subject: e.level for e in graph.iter_edges("addresses") if e.object == "concept/deployment-time-spread"
              and e.subject.startswith("org/")}
    assert levels == {"org/google-deepmind": "none", "org/xai": "none", "org/openai": "none", "org/meta": "none",
                      "org/anthropic": "isolated"}


def test_sources_of_resolves_citation_numbers(graph):
    refs = graph.sources_of("question/spread-mechanisms-and-scaling")
    assert [(r.number, r.source) for r in refs] == [
        (1, "source/clarifying-behavioral-selection-model"), (3, "source/risk-reports-deployment-time-spread")]
    assert graph.document_of("claim/bsm-omits-reflection").id == "doc/briefing-mallen-behavioral-selection"
    assert graph.document_of("person/alex-mallen") is None


@pytest.mark.parametrize("ref, types, expected", [
    ("concept/deployment-time-spread", (), "concept/deployment-time-spread"),
    ("deployment-time-spread", ("Concept",), "concept/deployment-time-spread"),
    ("Deployment-time spread", (), "concept/deployment-time-spread"),
    ("mallen", ("Person",), "person/alex-mallen"),
    ("GDM", (), "org/google-deepmind"),
])
def test_resolve(graph, ref, types, expected):
    assert graph.resolve(ref, *types) == expected


def test_resolve_unknown_suggests(graph):
    with pytest.raises(kg.UsageError, match="did you mean concept/deployment-time-spread"):
        graph.resolve("concept/deployment-time-sprad")


def test_edges_are_sorted_and_unique(graph):
    keys = [e.key for e in graph.edges]
    assert len(keys) == len(set(keys))
    order = sorted(graph.edges, key=lambda e: (e.subject, e.relation, e.object, e.document or "", e.key))
    assert list(graph.edges) == order


def _records() -> tuple[list, list]:
    from kg.model import Claim, Concept, Document, Person, Source

    people = [Person(id="person/jane-roe", name="Jane Roe"),
              Concept(id="concept/reward-tampering", label="Reward tampering", kind="failure-mode"),
              Source(id="source/roe-post", title="Roe's post", kind="blog-post")]
    claim = Claim(id="claim/tampering-near-term", statement="Reward tampering shows up soon.",
                  holders=["person/jane-roe"], about=["concept/reward-tampering"], citations=[1])
    doc = Document(id="doc/briefing-tampering", title="Tampering", kind="briefing", citations={1: "source/roe-post"},
                   claims=[claim])
    return people, [doc]


def test_a_graph_is_built_from_records_without_files():
    nodes, documents = _records()
    graph = kg.KnowledgeGraph.from_records(nodes, documents)
    assert graph.number_of_nodes() == 5 and graph.data_dirs == () and graph.data_dir is None
    assert graph.owner == {"claim/tampering-near-term": "doc/briefing-tampering"}
    assert graph.document_of("claim/tampering-near-term").id == "doc/briefing-tampering"
    assert [r.number for r in graph.sources_of("claim/tampering-near-term")] == [1]
    assert {(e.subject, e.relation, e.object) for e in graph.iter_edges("asserts", "about")} == {
        ("person/jane-roe", "asserts", "claim/tampering-near-term"),
        ("claim/tampering-near-term", "about", "concept/reward-tampering")}
    assert graph.locations.locate("person/jane-roe") is None
    answer = kg.query_graph(graph, "SELECT ?who WHERE { ?who kg:asserts ?c }")
    assert [str(row[0]).rsplit("/", 2)[-2:] for row in answer.rows] == [["person", "jane-roe"]]


def test_records_of_a_loaded_graph_build_the_same_graph(graph):
    registry = [n for n in graph.nodes.values() if n.id not in graph.owner and n.id not in graph.documents]
    rebuilt = kg.KnowledgeGraph.from_records(registry, graph.documents.values())
    assert rebuilt == graph
    assert rebuilt.edges == graph.edges and rebuilt.data_dirs == ()


def test_records_are_checked_as_files_are_without_locations():
    nodes, documents = _records()
    broken = documents[0].model_copy(update={"citations": {1: "source/roe-pots"}})
    with pytest.raises(kg.DataError) as err:
        kg.KnowledgeGraph.from_records([*nodes, nodes[0]], [broken])
    issues = err.value.issues
    assert [(i.code, i.location) for i in issues] == [("dangling", None)] * 3 + [("duplicate-id", None)]
    assert str(issues[1]) == "citations: [1] refers to unknown id 'source/roe-pots' (did you mean 'source/roe-post'?)"
    assert str(issues[-1]) == "duplicate id 'person/jane-roe'"


def test_a_graph_is_frozen_and_its_views_are_built_once(graph):
    from dataclasses import FrozenInstanceError

    with pytest.raises(FrozenInstanceError):
        graph.edges = ()  # type: ignore[misc]
    assert graph.rdf is graph.rdf and graph.nx is graph.nx
    assert kg.query_graph(graph, "ASK { ?s ?p ?o }").rows is not None
    assert graph.view(("query-engine", "oxigraph"), lambda g: None) is not None  # the engine query loaded
    with pytest.raises(TypeError):
        hash(graph)
