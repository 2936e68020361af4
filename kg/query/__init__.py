"""SPARQL over the built graph: raw queries, the named query library, two embedded engines, safe by default.

>>> len(query(graph, "SELECT ?lab WHERE { ?lab kg:kind 'lab' }"))
5
>>> result = query(graph, name="lab-coverage", params={"concept": "deployment-time-spread"})
>>> result.records()[0]["level"]          # rows as dicts; result.df is a pandas DataFrame
'isolated'

Queries see the union of every document's named graph; the project's prefixes (``kg:``, ``concept:``,
``rdf:``, ``schema:``, ...) are predeclared. Parameters are bound as RDF terms by the engine, never pasted into
the text; ``SERVICE``, ``LOAD``, updates and ``FROM`` a graph the dataset does not hold are refused after
parsing; ``timeout`` runs the query in a worker process killed at the deadline. A loaded engine is a view of
the (immutable) graph, kept with it by :meth:`KnowledgeGraph.view <kg.graph.KnowledgeGraph.view>`.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Literal
from rdflib.term import Identifier

from kg.cache import CacheSetting, cache_dir
from kg.endpoint import check_url
from kg.errors import UsageError
from kg.graph import KnowledgeGraph
from kg.query._engines import DEFAULT_ENGINE, ENGINES, Engine, OxigraphEngine, engines, get, register
from kg.query._named import NAMED_QUERIES, NamedQuery, Param, get_named, named_queries
from kg.query._parse import Prepared, prepare
from kg.query._remote import RemoteEngine, remote_text
from kg.query._result import GRAPH_FORMATS, RESULT_FORMATS, RESULT_MEDIA_TYPES, QueryResult, render, shorten
from kg.query._worker import check_timeout, run_with_timeout
from kg.vocab import graph_iri, iri

__all__ = [
    "query",
    "prepare_query",
    "BoundQuery",
    "Engine",
    "OxigraphEngine",
    "RemoteEngine",
    "remote_text",
    "QueryResult",
    "NamedQuery",
    "Param",
    "named_queries",
    "get_named",
    "NAMED_QUERIES",
    "ENGINES",
    "engines",
    "register_engine",
    "load_engine",
    "DEFAULT_ENGINE",
    "RESULT_FORMATS",
    "RESULT_MEDIA_TYPES",
    "GRAPH_FORMATS",
    "render",
    "shorten",
    "check_timeout",
]

register_engine = register


@dataclass(frozen=True)
class BoundQuery:
    """A query that passed the safety checks, with its parameters bound as RDF terms: ready for any engine
    (``engine.run(bound.prepared, bound.bindings)``), in this process, a worker, or a remote endpoint."""

    prepared: Prepared
    bindings: dict[str, Identifier]

    @property
    def kind(self) -> str:
        """``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE)."""
        return self.prepared.kind


def prepare_query(graph: KnowledgeGraph, sparql: str | None = None, *, name: str | None = None,
                  params: Mapping[str, str | Identifier] | None = None, origin: str = "query",
                  cache: CacheSetting = None) -> BoundQuery:
    """Check a SPARQL query (``sparql``) or a named query (``name``) and bind its ``params``, without running it.

    The refusals (updates, ``LOAD``, ``SERVICE``, ``FROM`` a graph ``graph`` does not hold) and the binding
    rules are :func:`query`'s, which is this and a run; a server or another engine reuses them through it.
    """
    if (sparql is None) == (name is None):
        raise UsageError("give either a SPARQL query or the name of a named query")
    named = get_named(name) if name is not None else None
    text = named.text if named is not None else str(sparql)
    directory = cache_dir(cache)
    prepared = prepare(text, _known_graphs(graph), f"named query '{name}'" if named is not None else origin,
                       None if directory is None else directory / "queries")
    return BoundQuery(prepared, _bind(graph, prepared, named, dict(params or {})))


def query(graph: KnowledgeGraph, sparql: str | None = None, *, name: str | None = None,
          params: Mapping[str, str | Identifier] | None = None, engine: str | None = None,
          timeout: float | None = None, origin: str = "query", cache: CacheSetting = None,
          endpoint: str | None = None) -> QueryResult:
    """Answer a SPARQL query (``sparql``) or a named query (``name``) over ``graph``.

    ``params`` bind variables to RDF terms: a value naming a node (id, name or alias, as
    :meth:`KnowledgeGraph.resolve` reads it) binds that node's IRI; in raw queries a value in double quotes
    (``'"text"'``) binds a plain string literal; rdflib terms are bound as they are. ``engine`` is
    ``oxigraph`` (default) or ``rdflib``; ``timeout`` (seconds) stops the query with a QueryError;
    ``origin`` names the query in error messages (a file name, say); ``cache`` is the build cache (as
    :func:`kg.load` takes it), where what the safety checks learnt of a query text is kept. ``endpoint`` (a
    SPARQL 1.1 Protocol URL) sends the checked, bound query there instead (see :class:`RemoteEngine`).
    """
    get(engine or DEFAULT_ENGINE)  # an unknown engine or timeout is a usage error before anything else
    if timeout is not None:
        check_timeout(timeout)
    if endpoint is not None:
        check_url(endpoint)
    bound = prepare_query(graph, sparql, name=name, params=params, origin=origin, cache=cache)
    if endpoint is not None:
        return RemoteEngine(endpoint, timeout).run(bound.prepared, bound.bindings)
    engine_name = ENGINES.canonical(engine or DEFAULT_ENGINE)
    loaded = load_engine(graph, engine_name)
    if timeout is None:
        return loaded.run(bound.prepared, bound.bindings)
    if "fork" in mp.get_all_start_methods():
        loader = functools.partial(_same, loaded)
    else:  # pragma: no cover - spawn platforms reload the graph in the worker
        loader = functools.partial(_reload, engine_name, tuple(map(str, graph.data_dirs)))
    return run_with_timeout(loader, bound.prepared, bound.bindings, timeout)


def load_engine(graph: KnowledgeGraph, engine: str = DEFAULT_ENGINE) -> Engine:
    """The engine ``engine`` loaded with ``graph``'s quads: a view of the graph, loaded once per graph and engine."""
    return graph.view(("query-engine", engine), get(engine))


def _same(engine: Engine) -> Engine:
    return engine


def _reload(engine: str, data_dirs: tuple[str, ...]) -> Engine:  # pragma: no cover - spawn platforms only
    from kg.build import load

    return get(engine)(load(data_dirs))


class _KnownGraphs(Collection[str]):
    """The graph's named graphs, listed only if a query has a FROM to check (listing reads the records)."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        self._graph = graph

    def _names(self) -> frozenset[str]:
        return self._graph.view("named-graphs", _named_graphs)

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def _known_graphs(graph: KnowledgeGraph) -> Collection[str]:
    return _KnownGraphs(graph)


def _named_graphs(graph: KnowledgeGraph) -> frozenset[str]:
    """The IRIs of the graph's named graphs (one per document, one for the registries), from its records."""
    return frozenset(str(graph_iri(doc)) for doc in (None, *graph.documents))


def _check_bindable(prepared: Prepared, names: list[str], what: str) -> None:
    """Bound variables must occur in the query, and a SELECT must return them (Oxigraph binds no others)."""
    if prepared.kind == "select":
        for name in names:
            if name not in prepared.projected:
                shown = " ".join(f"?{v}" for v in sorted(prepared.projected))
                raise UsageError(f"{what} {name}: a bound variable must be in the SELECT clause (it returns {shown})")
        return
    for name in names:
        if name not in prepared.variables:
            raise UsageError(f"{what} {name}: the query has no variable ?{name}")


def _bind(graph: KnowledgeGraph, prepared: Prepared, named: NamedQuery | None,
          params: dict[str, Any]) -> dict[str, Identifier]:
    bindings: dict[str, Identifier] = {}
    if named is not None:
        unknown = [key for key in params if named.param(key) is None]
        if unknown:
            declared = ", ".join(str(p) for p in named.params) or "none"
            raise UsageError(f"named query '{named.name}' has no parameter '{unknown[0]}' (parameters: {declared})")
        missing = [p for p in named.params if p.required and p.name not in params]
        if missing:
            needs = "; ".join(f"--param {p.name}=... ({p}: {p.description})" for p in missing)
            raise UsageError(f"named query '{named.name}' needs {needs}")
        _check_bindable(prepared, [p.name for p in named.params], f"named query '{named.name}': parameter")
        for param in named.params:
            if param.name in params:
                value = params[param.name]
                bindings[param.name] = value if isinstance(value, Identifier) else iri(
                    graph.resolve(str(value), *param.types))
        return bindings
    _check_bindable(prepared, list(params), "--param")
    for key, value in params.items():
        bindings[key] = value if isinstance(value, Identifier) else _term(graph, str(value))
    return bindings


def _term(graph: KnowledgeGraph, value: str) -> Identifier:
    """A quoted value (``"text"``) is a string literal, taken verbatim; anything else must name a node."""
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return Literal(value[1:-1])
    return iri(graph.resolve(value))
