"""``kg serve``: the SPARQL 1.1 Protocol endpoint, content negotiation, refusals, limits, pages, over real HTTP.

Most tests talk to the app in process (Starlette's test client, the real query workers); the ones that need a
real socket (SPARQLWrapper, concurrency under the timeout) start ``kg serve`` as a process.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from rdflib.namespace import Namespace
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper
from starlette.testclient import TestClient

import kg
from kg.errors import QueryError
from kg.query import named_queries, query
from kg.server import Settings, create_service
from tests.conftest import DATA
from tests.servers import Server, kg_serve
from tests.test_query import SAMPLE_PARAMS
from tests.test_query_safety import FORMS, refused

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
LABS = 'SELECT ?lab ?name WHERE { ?lab kg:kind "lab" ; kg:name ?name } ORDER BY ?name'
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 2.0
MAX_ROWS = 50
MAX_BODY = 64 * 1024


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    service = create_service(str(DATA), cache=tmp_path_factory.mktemp("cache"), workers=2,
                             settings=Settings(timeout=TIMEOUT, max_rows=MAX_ROWS, max_body=MAX_BODY))
    try:
        with TestClient(service.app, raise_server_exceptions=False) as test_client:
            yield test_client
    finally:
        service.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    running = kg_serve(tmp_path_factory.mktemp("serve"), "--timeout", str(TIMEOUT), "--workers", "2")
    yield running
    running.stop()


def _json_rows(body: bytes) -> list[dict[str, str]]:
    payload = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in payload["results"]["bindings"]]


def _expected(graph: kg.KnowledgeGraph, text: str | None = None, **kwargs: object) -> list[dict[str, str]]:
    return _json_rows(query(graph, text, **kwargs).serialize("json"))  # type: ignore[arg-type]


# --- the protocol ------------------------------------------------------------------------------------------


def test_get_post_form_and_post_body_give_the_same_answer(client, graph):
    expected = _expected(graph, LABS)
    answers = [client.get("/sparql", params={"query": LABS}),
               client.post("/sparql", data={"query": LABS}),
               client.post("/sparql", content=LABS, headers={"Content-Type": "application/sparql-query"})]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/sparql-results+json")
        assert _json_rows(answer.content) == expected
    assert len(expected) == 5


@pytest.mark.parametrize("accept,media,check", [
    ("application/sparql-results+json", "application/sparql-results+json", lambda b: json.loads(b)["head"]),
    ("application/json", "application/sparql-results+json", lambda b: json.loads(b)["head"]),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: b"<sparql" in b),
    ("text/csv", "text/csv", lambda b: b.startswith(b"lab,name\r\n")),
    ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.startswith(b"?lab\t?name\n")),
    ("text/html;q=0.9, text/csv", "text/csv", lambda b: b.startswith(b"lab,name")),
    ("*/*", "application/sparql-results+json", lambda b: json.loads(b)["results"]),
    ("text/*", "text/csv", lambda b: b.startswith(b"lab,name")),
])
def test_select_results_are_negotiated(client, accept, media, check):
    answer = client.get("/sparql", params={"query": LABS}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media
    assert answer.headers["vary"] == "Accept"
    assert check(answer.content)


@pytest.mark.parametrize("accept,media,rdf_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/sparql-results+json, text/turtle;q=0.9", "text/turtle", "turtle"),
    ("*/*", "text/turtle", "turtle"),
])
def test_construct_results_are_negotiated(client, graph, accept, media, rdf_format):
    text = "CONSTRUCT WHERE { ?c kg:about concept:schemers }"
    answer = client.post("/sparql", data={"query": text}, headers={"Accept": accept})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    parsed = Graph().parse(data=answer.content, format=rdf_format)
    assert set(parsed) == set(query(graph, text).triples)


def test_ask_and_the_format_parameter(client):
    assert json.loads(client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).content)["boolean"] is True
    answer = client.get("/sparql", params={"query": LABS, "format": "tsv"}, headers={"Accept": "text/csv"})
    assert answer.headers["content-type"].startswith("text/tab-separated-values")


def test_no_acceptable_format_is_406(client):
    answer = client.get("/sparql", params={"query": LABS}, headers={"Accept": "image/png"})
    assert answer.status_code == 406
    assert "application/sparql-results+json" in answer.text


def test_service_description_without_a_query(client):
    answer = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    description = Graph().parse(data=answer.content, format="turtle")
    service = next(description.subjects(SD.endpoint, None))
    assert str(service).endswith("/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert len(set(description.objects(None, SD.name))) == 4  # three documents and the registries


def test_query_page_for_browsers_lists_the_named_queries_offline(client):
    answer = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    policy = answer.headers["content-security-policy"]
    assert "script-src 'sha256-" in policy and "connect-src 'self'" in policy and "default-src 'none'" in policy
    for name in named_queries():
        assert f'"name":"{name}"' in answer.text
    assert "http://" not in answer.text.replace("http://www.w3.org", "") and "https://" not in answer.text.split(
        "kg-examples")[0]


# --- named queries ------------------------------------------------------------------------------------------


def test_queries_lists_the_library(client):
    listed = client.get("/queries").json()
    assert [q["name"] for q in listed] == list(named_queries())
    coverage = next(q for q in listed if q["name"] == "lab-coverage")
    assert coverage["params"][0]["name"] == "concept" and coverage["params"][0]["required"] is True


@pytest.mark.parametrize("name,params", [(n, p) for n, ps in SAMPLE_PARAMS.items() for p in ps],
                         ids=lambda v: v if isinstance(v, str) else "-".join(v.values()) or "all")
def test_named_queries_give_the_embedded_rows(client, graph, name, params):
    answer = client.get(f"/queries/{name}", params=params)
    assert answer.status_code == 200, answer.text
    assert _json_rows(answer.content) == _expected(graph, name=name, params=params)[:MAX_ROWS]


def test_named_query_errors(client):
    assert client.get("/queries/nope").status_code == 404
    missing = client.get("/queries/lab-coverage")
    assert missing.status_code == 400 and "concept" in missing.text
    assert client.get("/queries/lab-coverage", params={"concept": "nobody-at-all"}).status_code == 400
    hostile = client.get("/queries/claims-by", params={"holder": '"} UNION { ?s ?p ?o }'})
    assert hostile.status_code == 400 and hostile.text.count("\n") == 1


# --- read-only and safe ------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_refusals_are_400_with_kg_query_reasons(client, graph, form):
    text, words = refused("http://127.0.0.1:9")[form]
    with pytest.raises(QueryError) as embedded:
        query(graph, text)
    answer = client.post("/sparql", data={"query": text})
    assert answer.status_code == 400
    assert answer.text == f"{embedded.value}\n" and words in answer.text


@pytest.mark.parametrize("how", ["form", "body"])
def test_update_requests_are_refused(client, how):
    text = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    answer = (client.post("/sparql", data={"update": text}) if how == "form" else
              client.post("/sparql", content=text, headers={"Content-Type": "application/sparql-update"}))
    assert answer.status_code == 400 and "INSERT DATA is refused" in answer.text
    assert client.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()["boolean"] is False


def test_protocol_dataset_parameters_are_refused(client):
    answer = client.get("/sparql", params={"query": LABS, "default-graph-uri": "http://example.org/g"})
    assert answer.status_code == 400 and "FROM" in answer.text


def test_timeout_stops_a_query_with_503_and_the_workers_recover(client):
    started = time.monotonic()
    answer = client.post("/sparql", data={"query": SLOW})
    assert answer.status_code == 503
    assert "timeout" in answer.text and time.monotonic() - started < TIMEOUT + 5
    assert client.get("/sparql", params={"query": LABS}).status_code == 200


def test_row_cap(client):
    answer = client.get("/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "format": "csv"})
    assert answer.status_code == 200
    assert len(list(csv.reader(io.StringIO(answer.text)))) == MAX_ROWS + 1
    assert "left out" in answer.headers["kg-truncated"]


def test_bodies_over_the_limit_are_413(client):
    big = "# " + "x" * MAX_BODY + "\nASK {}"
    assert client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413


def test_errors_are_one_line_with_a_policy(client):
    for answer in [client.get("/nothing"), client.put("/sparql"), client.post("/sparql", content=b"x"),
                   client.get("/sparql", params={"query": "SELECT * WHERE { ?s"}),
                   client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})]:
        assert 400 <= answer.status_code < 500, answer.status_code
        assert answer.text.count("\n") == 1 and "Traceback" not in answer.text
        assert answer.headers["content-security-policy"].startswith("default-src 'none'")
        assert answer.headers["x-content-type-options"] == "nosniff"


# --- pages -----------------------------------------------------------------------------------------------


def test_graph_page_carries_its_own_policy(client):
    answer = client.get("/")
    assert answer.status_code == 200 and "vis-network" in answer.text.lower()
    policy = answer.headers["content-security-policy"]
    assert "connect-src 'none'" in policy and "script-src 'sha256-" in policy


def test_tensions_and_briefs(client, graph):
    topic = "deployment-time-spread"
    page = client.get("/tensions", params={"topic": topic})
    assert page.status_code == 200 and page.headers["content-security-policy"] == \
        "default-src 'none'; style-src 'unsafe-inline'"
    assert client.get("/tensions", params={"topic": topic, "format": "md"}).text == kg.tensions(graph, topic=topic)
    assert client.get("/brief", params={"topic": topic, "format": "md"}).text == kg.brief(graph, topic=topic)
    assert client.get("/brief", params={"topic": "no-such-topic"}).status_code == 400
    assert client.get("/brief", params={"topic": topic, "format": "docx"}).status_code == 400


def test_health(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["nodes"] == 93 and health["workers"] == 2


# --- a real server -------------------------------------------------------------------------------------------


def test_starts_on_loopback_and_says_so(server):
    assert "only this machine can reach it" in server.output()
    assert server.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_select(server, graph, fmt):
    wrapper = SPARQLWrapper(f"{server.url}/sparql")
    wrapper.setQuery("PREFIX kg: <https://w3id.org/kg-ai-risk/ontology#> " + LABS)
    wrapper.setReturnFormat(fmt)
    result = wrapper.query().convert()
    if fmt == JSON:
        names = [b["name"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    else:
        names = [n.firstChild.data for n in result.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert names == [row["name"] for row in _expected(graph, LABS)]


def test_sparqlwrapper_construct_and_post(server, graph):
    wrapper = SPARQLWrapper(f"{server.url}/sparql")
    wrapper.setMethod("POST")
    wrapper.setQuery("CONSTRUCT WHERE { ?c kg:about concept:schemers }")
    wrapper.setReturnFormat(TURTLE)
    parsed = Graph().parse(data=wrapper.query().convert(), format="turtle")
    assert len(parsed) == len(query(graph, "CONSTRUCT WHERE { ?c kg:about concept:schemers }").triples)


def test_a_query_cut_by_the_timeout_holds_up_no_other(server):
    slow: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        slow["status"] = httpx.post(f"{server.url}/sparql", data={"query": SLOW}, timeout=30).status_code
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    latencies = []
    while thread.is_alive():
        started = time.monotonic()
        answer = httpx.get(f"{server.url}/queries/tensions", timeout=30)
        latencies.append(time.monotonic() - started)
        assert answer.status_code == 200
    thread.join()
    assert slow["status"] == 503 and float(slow["seconds"]) < TIMEOUT + 3  # type: ignore[arg-type]
    assert len(latencies) >= 3 and max(latencies) < 1.0, latencies


def test_watch_swaps_in_a_graph_that_builds_and_keeps_the_last_one_otherwise(tmp_path, minimal: Path):
    running = Server([sys.executable, "-m", "kg.cli", "--data", str(minimal), "serve", "--port", "0", "--watch"], None,
                     env={"KG_CACHE_DIR": str(tmp_path / "cache")}, log=tmp_path / "log")
    try:
        running.wait("/health", find_url=True)
        before = httpx.get(f"{running.url}/health").json()["nodes"]
        people = minimal / "entities" / "people.yaml"
        people.write_text(people.read_text() + "\n- id: person/new-person\n  name: New Person\n")
        deadline = time.monotonic() + 60
        while httpx.get(f"{running.url}/health").json()["nodes"] == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert httpx.get(f"{running.url}/health").json()["nodes"] == before + 1
        ask = "ASK { <https://w3id.org/kg-ai-risk/id/person/new-person> ?p ?o }"
        assert httpx.get(f"{running.url}/sparql", params={"query": ask}).json()["boolean"] is True
        people.write_text(people.read_text() + "\n- id: person/broken\n  nmae: Typo\n")
        deadline = time.monotonic() + 60
        while "does not build" not in running.output() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "does not build" in running.output() and "nmae" in running.output()
        assert httpx.get(f"{running.url}/health").json()["nodes"] == before + 1
        assert httpx.get(f"{running.url}/sparql", params={"query": ask}).json()["boolean"] is True
    finally:
        running.stop()
