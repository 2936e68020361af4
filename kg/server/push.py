"""``kg push``: upload the graph to a SPARQL 1.1 Graph Store HTTP Protocol endpoint, then check it arrived.

Each named graph of the export (one per document, the registries' graph, and the dataset description) is sent
as N-Triples to ``ENDPOINT?graph=IRI``, in batches of at most :data:`BATCH` triples: with ``replace`` the first
batch is a ``PUT`` (the graph's old content goes) and the rest ``POST``; without it every batch is a ``POST``
(added to what is there). ``graph`` sends everything into that one graph instead. Afterwards one count query
per graph, against the store's query endpoint, must find every triple sent. Credentials and retries are
:mod:`kg.endpoint`'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from kg._progress import track
from kg.endpoint import check_url, request
from kg.errors import EndpointError
from kg.export import export
from kg.graph import KnowledgeGraph

__all__ = ["push", "PushReport", "BATCH", "query_endpoint_for"]

#: triples per request: small enough for any store's default body limit, large enough to be few requests
BATCH = 20_000
#: the query endpoint beside a store's Graph Store endpoint, by the last part of its path
_QUERY_BESIDE = {"store": "query", "data": "sparql", "rdf-graphs/service": ""}


@dataclass(frozen=True)
class PushReport:
    """What was sent and found: triples per graph IRI, and the number of requests."""

    graphs: dict[str, int]
    requests: int

    @property
    def triples(self) -> int:
        """The number of triples sent, over every graph."""
        return sum(self.graphs.values())


def query_endpoint_for(store: str) -> str:
    """The query endpoint beside a Graph Store endpoint (Oxigraph ``/store`` → ``/query``, Fuseki ``/ds/data`` →
    ``/ds/sparql``, GraphDB ``/repositories/R/rdf-graphs/service`` → ``/repositories/R``); else ``store``."""
    parts = urlsplit(store)
    path = parts.path.rstrip("/")
    for tail, other in _QUERY_BESIDE.items():
        if path.endswith("/" + tail):
            base = path[: -len(tail)].rstrip("/")
            return urlunsplit(parts._replace(path=f"{base}/{other}" if other else base, query=""))
    return store


def _graphs(graph: KnowledgeGraph, into: str | None) -> dict[str, list[ox.Triple]]:
    """The export's triples by named graph IRI (or all in ``into``), without duplicates, in export order."""
    grouped: dict[str, dict[ox.Triple, None]] = defaultdict(dict)
    for quad in ox.parse(export(graph, "nq"), ox.RdfFormat.N_QUADS):
        name = into or (quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else "")
        grouped[name][quad.triple] = None
    return {name: list(triples) for name, triples in grouped.items()}


def _batches(graphs: dict[str, list[ox.Triple]]) -> Iterator[tuple[str, int, bytes]]:
    for name, triples in graphs.items():
        for start in range(0, max(len(triples), 1), BATCH):
            body = ox.serialize(triples[start:start + BATCH], format=ox.RdfFormat.N_TRIPLES)
            yield name, start, body or b""


def push(graph: KnowledgeGraph, endpoint: str, *, into: str | None = None, replace: bool = False,
         query_endpoint: str | None = None) -> PushReport:
    """Upload ``graph`` to the Graph Store endpoint ``endpoint`` and verify it with a count per graph at
    ``query_endpoint`` (default: :func:`query_endpoint_for`); EndpointError when a request fails for good or a
    graph does not hold what was sent."""
    check_url(endpoint)
    graphs = _graphs(graph, into)
    batches = list(_batches(graphs))
    for name, start, body in track(batches, len(batches), f"pushing {sum(map(len, graphs.values())):,} triples"):
        method = "PUT" if replace and start == 0 else "POST"
        request(method, endpoint, what=f"push of <{name}>", params={"graph": name} if name else {"default": ""},
                content=body, headers={"Content-Type": "application/n-triples"}, timeout=300.0)
    counts = {name: len(triples) for name, triples in graphs.items()}
    _verify(query_endpoint or query_endpoint_for(endpoint), counts)
    return PushReport(counts, len(batches))


def _verify(url: str, expected: dict[str, int]) -> None:
    """Every graph holds at least the triples sent (exactly, when each was replaced)."""
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    response = request("POST", url, what="the count after the push", data={"query": text},
                       headers={"Accept": "application/sparql-results+json"})
    try:
        found = {str(row["g"].value): int(row["n"].value)
                 for row in ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)}  # type: ignore[union-attr]
    except (SyntaxError, ValueError, TypeError) as err:
        raise EndpointError(f"the count after the push: {url} did not answer with SPARQL JSON results "
                            f"({err})") from None
    missing = [f"<{name}> holds {found.get(name, 0)} of {count}" for name, count in expected.items()
               if name and found.get(name, 0) < count]
    if missing:
        raise EndpointError(f"the push did not arrive whole: {'; '.join(missing[:3])}"
                            f"{f' (and {len(missing) - 3} more graphs)' if len(missing) > 3 else ''}")
