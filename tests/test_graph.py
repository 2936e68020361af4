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
    assert graph.edges == sorted(graph.edges, key=lambda e: (e.subject, e.relation, e.object, e.document or "", e.key))
