"""kg.vocab: the inverse of graph_iri and prefix binding."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from kg.vocab import (
    BASE,
    DESCRIPTION_GRAPH,
    ENTITIES_GRAPH,
    EXPORT_PREFIXES,
    PREFIXES,
    bind_prefixes,
    graph_document,
    graph_iri,
)


@pytest.mark.parametrize("doc_id", ["doc/briefing-mallen-behavioral-selection", "doc/a"])
def test_graph_document_inverts_graph_iri(doc_id: str) -> None:
    assert graph_document(graph_iri(doc_id)) == doc_id


@pytest.mark.parametrize("graph", [ENTITIES_GRAPH, DESCRIPTION_GRAPH, URIRef(BASE + "graph/"),
                                   URIRef("https://example.org/graph/doc/a"), URIRef(BASE + "graph/doc/A b")])
def test_graph_document_is_none_for_any_other_graph(graph: URIRef) -> None:
    assert graph_document(graph) is None


def test_bind_prefixes_replaces_rdflibs_defaults() -> None:  # rdflib binds org: to W3C ORG
    graph = bind_prefixes(Graph())
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    assert all(bound[prefix] == ns for prefix, ns in PREFIXES.items())
    exported = {prefix: str(ns) for prefix, ns in bind_prefixes(Graph(), EXPORT_PREFIXES).namespaces()}
    assert all(exported[prefix] == ns for prefix, ns in EXPORT_PREFIXES.items())
