"""kg query safety: refused forms never reach the network, parameters cannot change a query, deadlines hold.

A real HTTP listener on 127.0.0.1 records every connection; the control tests show that the engines themselves
do contact it when asked directly, so a refusal that let a request through would fail these tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

import kg
from kg.query import engines, query
from kg.query._engines import OxigraphEngine
from tests.conftest import run_kg

TURTLE = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"


class Listener:
    """A tiny HTTP server on a random local port that answers Turtle and remembers every request line."""

    def __init__(self) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    data = conn.recv(65536)
                except OSError:
                    data = b""
                self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1") or "(connection)")
                body = TURTLE
                head = f"HTTP/1.1 200 OK\r\nContent-Type: text/turtle\r\nContent-Length: {len(body)}\r\n"
                try:
                    conn.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self.server.close()
        self._thread.join(timeout=5)


@pytest.fixture()
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _refused_forms(url: str) -> dict[str, tuple[str, str]]:
    """form -> (query text, words the refusal message must contain)"""
    return {
        "service": (f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
        "service-silent-in-exists": (
            f"SELECT ?s WHERE {{ ?s a kg:Claim FILTER EXISTS {{ SERVICE SILENT <{url}/q> {{ ?s ?p ?o }} }} }}",
            "SERVICE"),
        "service-in-subquery": (
            f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }} }} }}", "SERVICE"),
        "load": (f"LOAD <{url}/data.ttl>", "LOAD"),
        "load-into": (f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>", "LOAD"),
        "from": (f"SELECT * FROM <{url}/graph.ttl> WHERE {{ ?s ?p ?o }}", "FROM"),
        "from-named": (f"SELECT * FROM NAMED <{url}/graph.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM NAMED"),
        "from-file": ("SELECT * FROM <file:///etc/hostname> WHERE { ?s ?p ?o }", "FROM"),
        "insert-data": ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
        "delete-where": ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        "insert-where": ("INSERT { ?s a kg:Thing } WHERE { ?s a kg:Claim }", "INSERT/DELETE"),
        "clear": ("CLEAR ALL", "CLEAR"),
        "drop": ("DROP GRAPH <https://w3id.org/kg-ai-risk/graph/entities>", "DROP"),
        "create": ("CREATE GRAPH <urn:new>", "CREATE"),
        "copy": ("COPY DEFAULT TO <urn:g>", "COPY"),
        "move": ("MOVE DEFAULT TO <urn:g>", "MOVE"),
        "add": ("ADD DEFAULT TO <urn:g>", "ADD"),
    }


#: every place a graph pattern can stand in a query: a SERVICE there must be refused as at the top
_POSITIONS = {
    "optional": "SELECT * WHERE {{ ?s a kg:Claim OPTIONAL {{ {svc} }} }}",
    "union": "SELECT * WHERE {{ {{ ?s a kg:Claim }} UNION {{ {svc} }} }}",
    "minus": "SELECT * WHERE {{ ?s a kg:Claim MINUS {{ {svc} }} }}",
    "graph": "SELECT * WHERE {{ GRAPH ?g {{ {svc} }} }}",
    "not-exists": "SELECT * WHERE {{ ?s a kg:Claim FILTER NOT EXISTS {{ {svc} }} }}",
    "bind-exists": "SELECT * WHERE {{ ?s a kg:Claim BIND(EXISTS {{ {svc} }} AS ?x) }}",
    "select-expression": "SELECT (EXISTS {{ {svc} }} AS ?x) WHERE {{ ?s a kg:Claim }}",
    "having": "SELECT ?s WHERE {{ ?s a kg:Claim }} GROUP BY ?s HAVING (EXISTS {{ {svc} }})",
    "order-by": "SELECT ?s WHERE {{ ?s a kg:Claim }} ORDER BY (EXISTS {{ {svc} }})",
    "construct": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {svc} }}",
    "construct-where-nested": "CONSTRUCT {{ ?s a kg:Claim }} WHERE {{ {{ SELECT ?s WHERE {{ {svc} }} }} }}",
    "ask": "ASK {{ {svc} }}",
    "describe": "DESCRIBE ?s WHERE {{ {svc} }}",
    "optional-in-subquery": "SELECT * WHERE {{ {{ SELECT * WHERE {{ ?s a kg:Claim OPTIONAL {{ {svc} }} }} }} }}",
    "values-then-service": "SELECT * WHERE {{ VALUES ?x {{ 1 }} {svc} }}",
    "variable-endpoint": "SELECT * WHERE {{ BIND(<{url}/v> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
}


def _service_positions(url: str) -> dict[str, tuple[str, str]]:
    svc = f"SERVICE <{url}/sparql> {{ ?s ?p ?o }}"
    return {f"service-{name}": (text.format(svc=svc, url=url), "SERVICE") for name, text in _POSITIONS.items()}


def refused(url: str) -> dict[str, tuple[str, str]]:
    """Every refused query form with ``url`` as its remote address: form -> (text, words of the refusal)."""
    return {**_refused_forms(url), **_service_positions(url)}


FORMS = list(refused("http://x"))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("form", FORMS)
def test_refused_forms_never_reach_the_listener(graph, listener, engine, form):
    text, words = refused(listener.url)[form]
    before = len(graph.rdf)
    with pytest.raises(kg.QueryError, match="refused") as caught:
        query(graph, text, engine=engine)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    time.sleep(0.05)
    assert listener.requests == []
    assert len(graph.rdf) == before  # nothing was changed either


def test_refusals_on_the_cli_exit_1_with_one_line(listener):
    for form in ("service", "load", "from", "clear"):
        text, words = _refused_forms(listener.url)[form]
        result = run_kg("query", text)
        assert result.code == 1 and words in result.err and "refused" in result.err
        assert len(result.err.strip().splitlines()) == 1
    assert listener.requests == []


def test_control_engines_do_contact_the_listener_when_asked_directly(graph, listener):
    """Without kg's checks both engines make the request: the listener really sees them."""
    text = f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}"
    try:
        list(graph.rdf.query(text))
    except Exception:
        pass
    store = OxigraphEngine.from_graph(graph).store
    try:
        list(store.query(f"SELECT * WHERE {{ SERVICE <{listener.url}/ox> {{ ?s ?p ?o }} }}"))
    except Exception:
        pass
    deadline = time.monotonic() + 5
    while len(listener.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any("/sparql" in r for r in listener.requests), listener.requests
    assert any("/ox" in r for r in listener.requests), listener.requests
    assert isinstance(store, ox.Store)


# --- parameters are RDF terms --------------------------------------------------------------------------------

HOSTILE = ['"}', ">", '" } UNION { ?s ?p ?o } #', "> } UNION { ?s ?p ?o", "x\" ; DROP ALL ; \"",
           "concept/deployment-time-spread> } UNION { ?a ?b ?c } #"]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_node_parameter_cannot_change_a_named_query(graph, engine, value):
    with pytest.raises(kg.UsageError, match="no Concept"):
        query(graph, name="lab-coverage", params={"concept": value}, engine=engine)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_literal_parameter_is_one_literal(graph, engine, value):
    text = "SELECT ?lab ?name WHERE { ?lab kg:name ?name }"
    result = query(graph, text, params={"name": f'"{value}"'}, engine=engine)
    assert result.rows == []  # no organization has that name, and the pattern was not widened
    bound = query(graph, "SELECT ?x WHERE { BIND (?x AS ?y) }", params={"x": f'"{value}"'}, engine=engine)
    assert bound.column("x") == [value]  # the exact characters came back as one literal


def test_parameter_binds_the_resolved_node_iri(graph):
    for ref in ("deployment-time-spread", "concept/deployment-time-spread", "Deployment-time spread of misalignment",
                "deployment time spread"):
        rows = query(graph, name="lab-coverage", params={"concept": ref}).records()
        assert len(rows) == 5, ref


def test_hostile_parameter_on_the_cli():
    text = "SELECT ?lab ?name WHERE { ?lab kg:name ?name }"
    result = run_kg("query", text, "--param", 'name=""} UNION { ?s ?p ?o } #"', "--format", "csv")
    assert result.code == 0 and result.out.splitlines() == ["lab,name"]
    unquoted = run_kg("query", text, "--param", 'name="} UNION { ?s ?p ?o }')
    assert unquoted.code == 2 and "no node" in unquoted.err
    result = run_kg("query", "--name", "claims-by", "--param", "holder=> } UNION {")
    assert result.code == 2 and "no Person/Organization/Source" in result.err


def test_a_bound_variable_must_be_returned(graph):
    with pytest.raises(kg.UsageError, match="SELECT clause"):
        query(graph, "SELECT ?lab WHERE { ?lab kg:name ?name }", params={"name": '"xAI"'})
    with pytest.raises(kg.UsageError, match="no variable"):
        query(graph, "ASK { ?lab kg:name ?name }", params={"other": '"xAI"'})
    assert query(graph, "ASK { ?lab kg:name ?name }", params={"name": '"xAI"'}).boolean is True


# --- deadlines -----------------------------------------------------------------------------------------------

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_timeout_stops_a_runaway_query(graph, engine):
    started = time.monotonic()
    with pytest.raises(kg.QueryError, match="timeout"):
        query(graph, RUNAWAY, engine=engine, timeout=1)
    assert time.monotonic() - started < 60  # generous: the point is that it returns at all


def test_timeout_returns_the_answer_when_in_time(graph):
    for engine in engines():
        result = query(graph, name="lab-coverage", params={"concept": "deployment-time-spread"}, engine=engine,
                       timeout=60)
        assert len(result) == 5


def test_timeout_passes_errors_through(graph):
    with pytest.raises(kg.QueryError, match="refused"):
        query(graph, "CLEAR ALL", timeout=5)
    for bad in (0, -1, float("nan"), float("inf"), 1e300):
        with pytest.raises(kg.UsageError, match="must be a number of seconds above 0"):
            query(graph, "ASK { ?s ?p ?o }", timeout=bad)


def test_timeout_on_the_cli():
    started = time.monotonic()
    result = run_kg("query", RUNAWAY, "--timeout", "1")
    assert result.code == 1 and "timeout" in result.err and len(result.err.strip().splitlines()) == 1
    assert time.monotonic() - started < 90
