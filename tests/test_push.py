"""``kg push`` and ``kg query --endpoint`` against a real ``oxigraph serve`` (the PyPI package's server), started on
127.0.0.1 over a temporary folder by the fixture: every named query gives the embedded engine's rows."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from kg.endpoint import auth_headers
from kg.errors import EndpointError
from kg.query import query
from kg.server.push import push, query_endpoint_for
from tests.conftest import run_kg
from tests.servers import Server, free_port, oxigraph_serve
from tests.test_query import SAMPLE_PARAMS
from tests.test_query_safety import Listener


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory) -> Iterator[Server]:
    """An Oxigraph server holding the bundled graph, pushed with ``kg push`` (the CLI, as users run it)."""
    server = oxigraph_serve(tmp_path_factory.mktemp("oxigraph"))
    try:
        pushed = run_kg("push", "--endpoint", f"{server.url}/store", "--replace",
                        env={"KG_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))})
        assert pushed.code == 0, pushed.err
        assert "the count afterwards found them all" in pushed.err
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("name,params", [(n, p) for n, ps in SAMPLE_PARAMS.items() for p in ps],
                         ids=lambda v: v if isinstance(v, str) else "-".join(v.values()) or "all")
def test_named_queries_give_the_same_rows_through_the_endpoint(oxigraph, graph, name, params):
    embedded = query(graph, name=name, params=params)
    remote = query(graph, name=name, params=params, endpoint=f"{oxigraph.url}/query")
    assert remote.vars == embedded.vars
    assert remote.rows == embedded.rows  # same rows in the same order


def test_the_cli_prints_the_same_through_the_endpoint(oxigraph):
    args = ["query", "--name", "claims-by", "-p", "holder=Alex Mallen", "-f", "json"]
    local, remote = run_kg(*args), run_kg(*args, "--endpoint", f"{oxigraph.url}/query")
    assert local.code == remote.code == 0, remote.err
    assert remote.out == local.out and json.loads(remote.out)["results"]["bindings"]


@pytest.mark.parametrize("text", [
    "CONSTRUCT WHERE { ?c kg:about concept:schemers }",
    "ASK { ?c kg:about concept:schemers }",
    "SELECT ?name WHERE { ?lab kg:name ?name } ORDER BY ?name LIMIT 3",
    "SELECT ?s FROM <https://w3id.org/kg-ai-risk/graph/entities> WHERE { ?s a kg:Person }",
])
def test_raw_queries_through_the_endpoint(oxigraph, graph, text):
    embedded, remote = query(graph, text), query(graph, text, endpoint=f"{oxigraph.url}/query")
    assert (remote.kind, remote.vars, remote.rows, remote.boolean, remote.triples) == (
        embedded.kind, embedded.vars, embedded.rows, embedded.boolean, embedded.triples)


@pytest.mark.parametrize("text", [
    "SELECT ?c ?x # a comment with { braces\n WHERE { ?c kg:about ?x FILTER(STR(?c) != \"}{\") }",
    "CONSTRUCT { ?c kg:about ?x } WHERE { ?c kg:about ?x }",
    "ASK { ?c kg:about ?x }",
    "SELECT ?x ?n WHERE { ?c kg:about ?x } GROUP BY ?x HAVING (COUNT(?c) > 0) ORDER BY ?x",
])
def test_bound_raw_queries_through_the_endpoint(oxigraph, graph, text):
    text = text.replace("?x ?n", "?x (COUNT(?c) AS ?n)")
    params = {"x": "schemers"}
    embedded = query(graph, text, params=params)
    remote = query(graph, text, params=params, endpoint=f"{oxigraph.url}/query")
    assert (remote.kind, remote.vars, remote.rows, remote.boolean, remote.triples) == (
        embedded.kind, embedded.vars, embedded.rows, embedded.boolean, embedded.triples)


@pytest.mark.parametrize("text,words", [("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA is refused"),
                                        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
                                        ("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", "FROM")])
def test_refusals_happen_before_the_endpoint_is_asked(text, words):
    listener = Listener()
    try:
        result = run_kg("query", text, "--endpoint", listener.url + "/q")
        assert result.code == 1 and words in result.err and result.err.count("\n") == 1
        assert listener.requests == []
    finally:
        listener.close()


def test_push_counts_every_graph(oxigraph, graph):
    answer = httpx.post(f"{oxigraph.url}/query", data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"},
                        headers={"Accept": "application/sparql-results+json"}).json()
    graphs = {b["g"]["value"] for b in answer["results"]["bindings"]}
    documents = {f"https://w3id.org/kg-ai-risk/graph/{doc}" for doc in graph.documents}
    assert graphs == documents | {"https://w3id.org/kg-ai-risk/graph/entities",
                                  "https://w3id.org/kg-ai-risk/graph/dataset"}


def test_push_into_one_graph_and_again_with_replace(tmp_path, graph):
    server = oxigraph_serve(tmp_path)
    try:
        into = "http://example.org/all"
        first = push(graph, f"{server.url}/store", into=into, replace=True)
        again = push(graph, f"{server.url}/store", into=into, replace=True)
        assert list(first.graphs) == [into] and first.graphs == again.graphs
        count = httpx.post(f"{server.url}/query", headers={"Accept": "application/sparql-results+json"},
                           data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{into}> {{ ?s ?p ?o }} }}"})
        assert int(count.json()["results"]["bindings"][0]["n"]["value"]) == first.triples
    finally:
        server.stop()


def test_push_errors_are_one_line(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}/store"
    result = run_kg("push", "--endpoint", dead, env={"KG_CACHE_DIR": str(tmp_path)})
    assert result.code == 1 and result.err.count("\n") == 1 and "cannot reach it" in result.err
    assert run_kg("push", "--endpoint", "ftp://example.org/x").code == 2
    assert run_kg("push").code == 2  # --endpoint is required


def test_credentials_come_from_the_environment_only():
    assert auth_headers({"KG_ENDPOINT_TOKEN": "t0k"}) == {"Authorization": "Bearer t0k"}
    assert auth_headers({"KG_ENDPOINT_USER": "ann", "KG_ENDPOINT_PASSWORD": "pw"}) == {
        "Authorization": "Basic YW5uOnB3"}
    assert auth_headers({}) == {}
    help_text = run_kg("push", "--help").out
    assert "KG_ENDPOINT_TOKEN" in help_text and "--password" not in help_text and "--token" not in help_text


def test_the_query_endpoint_beside_a_store():
    assert query_endpoint_for("http://h:7878/store") == "http://h:7878/query"
    assert query_endpoint_for("http://h/ds/data") == "http://h/ds/sparql"
    assert query_endpoint_for("http://h/repositories/r/rdf-graphs/service") == "http://h/repositories/r"
    assert query_endpoint_for("http://h/other") == "http://h/other"


def test_a_store_that_loses_triples_fails_the_check(graph):
    listener = Listener()  # answers every request with the same Turtle: the count finds no graph at all
    try:
        with pytest.raises(EndpointError):
            push(graph, f"{listener.url}/store")
    finally:
        listener.close()
