"""SPARQL engine registry: plain rdflib in memory, and Oxigraph (pyoxigraph) over the graph's store.

Both answer the same prepared query over the union of the graph's named graphs, with parameters bound as RDF
terms (rdflib ``initBindings``, Oxigraph ``substitutions``), and both return a :class:`QueryResult` of rdflib
terms, so callers and tests can compare them. Adding an engine is a class and one :func:`register` line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol, cast

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.query import ResultRow
from rdflib.term import Identifier

from kg._util import excerpt
from kg.errors import QueryError, UsageError
from kg.graph import KnowledgeGraph
from kg.query._parse import Prepared
from kg.query._result import QueryResult
from kg.registry import Registry
from kg.vocab import PREFIXES

__all__ = ["Engine", "ENGINES", "register", "get", "engines", "DEFAULT_ENGINE", "RdflibEngine", "OxigraphEngine"]

#: a triple of a CONSTRUCT or DESCRIBE result
_Triple = tuple[Identifier, Identifier, Identifier]

#: rdflib logs a warning with a traceback whenever it makes a literal whose lexical form does not fit its datatype
#: (``"x"^^xsd:integer``, from data or ``STRDT``). Such a literal is legal RDF, kept as it is written; the noise
#: goes, in this one place, for both engines (rdflib's evaluator makes them too, out of our reach).
_ILL_TYPED = "Failed to convert Literal lexical form to value"
logging.getLogger("rdflib.term").addFilter(lambda record: not str(record.msg).startswith(_ILL_TYPED))
_PLAIN = (str(XSD.string), str(RDF.langString))

#: chosen by bench/bench_query.py: Oxigraph runs the named-query suite many times faster (see the README)
DEFAULT_ENGINE = "oxigraph"


class Engine(Protocol):
    """A loaded SPARQL engine holding one graph's quads."""

    name: str

    def run(self, prepared: Prepared, bindings: Mapping[str, Identifier]) -> QueryResult:
        """Evaluate a prepared (already checked) query with variables bound to RDF terms."""
        ...


EngineFactory = Callable[[KnowledgeGraph], Engine]


def _factory(name: str, loaded: object) -> EngineFactory:
    if not callable(loaded):
        raise UsageError(f"query engine '{name}' is not a factory of engines: {excerpt(loaded)}")
    return loaded


#: engine factories by name; other packages add theirs under the ``kg.query_engines`` entry-point group
ENGINES: Registry[EngineFactory] = Registry("query engine", "kg.query_engines", adapt=_factory)


def register(name: str, factory: EngineFactory | str, aliases: tuple[str, ...] = ()) -> None:
    """Make an engine selectable by name; ``factory`` (or its import target ``"module:attr"``) loads it with a
    :class:`~kg.graph.KnowledgeGraph` (its records, ``graph.rdf`` or :func:`kg.store.store`)."""
    ENGINES.register(name, factory, aliases=aliases)


def get(name: str) -> EngineFactory:
    """The factory of engine ``name``; UsageError listing the known engines otherwise."""
    return ENGINES.get(name)


def engines() -> list[str]:
    """Names of the registered engines."""
    return sorted(ENGINES.names())


def _sort_key(row: tuple[Identifier | None, ...]) -> tuple[tuple[int, str, str], ...]:
    return tuple((0, "", "") if t is None else (1, type(t).__name__, t.n3()) for t in row)


def finish(result: QueryResult, prepared: Prepared) -> QueryResult:
    """Give results a stable order when the query does not fix one, so output is deterministic."""
    if result.kind == "select" and not prepared.ordered:
        result.rows.sort(key=_sort_key)
    if result.kind == "graph":
        result.triples.sort(key=lambda triple: tuple(t.n3() for t in triple))
    return result


class RdflibEngine:
    """rdflib's own SPARQL evaluator over the in-memory Dataset (default graph = union of named graphs)."""

    name = "rdflib"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @classmethod
    def from_graph(cls, graph: KnowledgeGraph) -> RdflibEngine:
        """The engine over the graph's rdflib view (``graph.rdf``)."""
        return cls(graph.rdf)

    @classmethod
    def from_nquads(cls, data: bytes) -> RdflibEngine:
        dataset = Dataset(default_union=True)
        dataset.parse(data=data, format="nquads")
        return cls(dataset)

    def run(self, prepared: Prepared, bindings: Mapping[str, Identifier]) -> QueryResult:
        try:
            answer = self.dataset.query(prepared.parsed, initBindings=dict(bindings))
            if prepared.kind == "ask":
                return finish(QueryResult("ask", boolean=bool(answer.askAnswer), engine=self.name), prepared)
            if prepared.kind == "graph":
                # rdflib types a graph's terms as Node; those of a parsed or constructed graph are Identifiers
                triples = cast(list[_Triple], list(answer.graph)) if answer.graph is not None else []
                canonical = _canonical(triple[2] for triple in triples)
                triples = [(s, p, canonical.get(o, o)) for s, p, o in triples]
                return finish(QueryResult("graph", triples=triples, engine=self.name), prepared)
            names = [str(v) for v in answer.vars or []]
            rows: list[tuple[Identifier | None, ...]] = [tuple(row) for row in answer if isinstance(row, ResultRow)]
            canonical = _canonical(term for row in rows for term in row)
            rows = [tuple(t if t is None else canonical.get(t, t) for t in row) for row in rows] if canonical else rows
        except QueryError:
            raise
        except Exception as err:  # evaluation errors rdflib raises as plain exceptions
            raise QueryError(f"{prepared.where}: query failed: {excerpt(err, 160)}") from None
        return finish(QueryResult("select", names, rows, engine=self.name), prepared)


def _canonical(terms: Iterable[Identifier | None]) -> dict[Identifier, Identifier]:
    """Oxigraph's form of each typed literal among ``terms`` (``"007"^^xsd:integer`` -> ``"7"``), by one query.

    Oxigraph keeps numbers, booleans, dates and durations as values, so it can only answer their canonical
    forms; rdflib keeps the lexical form of some literals and rewrites others. Mapping the rdflib engine's
    literals through Oxigraph makes both engines print the same cells. Ill-typed literals stay as written.
    """
    typed = list({term for term in terms
                  if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) not in _PLAIN})
    if not typed:
        return {}
    variables = [ox.Variable(f"v{i}") for i in range(len(typed))]
    query = f"SELECT {' '.join(f'?{v.value}' for v in variables)} WHERE {{}}"
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        variable: _to_ox(term) for variable, term in zip(variables, typed, strict=True)}
    answer = ox.Store().query(query, substitutions=substitutions)
    assert isinstance(answer, ox.QuerySolutions)
    solution = next(iter(answer))
    mapped = {term: _to_rdflib(solution[variable]) for term, variable in zip(typed, variables, strict=True)}
    return {term: value for term, value in mapped.items() if value is not None}


def _to_rdflib(term: object) -> Identifier | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # the lexical form as Oxigraph answers it: rdflib's normalizing would rewrite "1000"^^xsd:double as "1000.0"
        return Literal(term.value, datatype=None if datatype in _PLAIN else datatype, normalize=False)
    raise QueryError(f"unsupported term in a query result: {excerpt(term)}")


def _to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise UsageError(f"cannot bind {excerpt(term)} as an RDF term")


class OxigraphEngine:
    """Oxigraph's SPARQL engine (pyoxigraph) over the graph's store (:func:`kg.store.store`)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def from_graph(cls, graph: KnowledgeGraph) -> OxigraphEngine:
        """The engine over the graph's store: in memory from its records, or the build cache's on disk."""
        from kg.store import store

        return cls(store(graph))

    @classmethod
    def from_nquads(cls, data: bytes) -> OxigraphEngine:
        store = ox.Store()
        store.bulk_load(data, ox.RdfFormat.N_QUADS)
        return cls(store)

    def run(self, prepared: Prepared, bindings: Mapping[str, Identifier]) -> QueryResult:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): _to_ox(term) for name, term in bindings.items()}
        answer: object = None
        try:
            answer = self.store.query(prepared.text, prefixes=PREFIXES, substitutions=substitutions,
                                      use_default_graph_as_union=not prepared.has_dataset)
            if isinstance(answer, ox.QueryBoolean):
                return finish(QueryResult("ask", boolean=bool(answer), engine=self.name), prepared)
            if isinstance(answer, ox.QueryTriples):
                triples = [(_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)) for t in answer]
                return finish(QueryResult("graph", triples=triples, engine=self.name), prepared)  # type: ignore[arg-type]
            assert isinstance(answer, ox.QuerySolutions)
            names = [v.value for v in answer.variables]
            rows = _rows(answer)
        except SyntaxError as err:
            raise QueryError(f"{prepared.where}: SPARQL syntax error: {excerpt(err, 160)}") from None
        except (OSError, RuntimeError, ValueError) as err:
            raise QueryError(f"{prepared.where}: query failed: {excerpt(err, 160)}") from None
        finally:  # pyoxigraph's results may only be dropped by their own thread: never leave them to the GC
            answer = None
        return finish(QueryResult("select", names, rows, engine=self.name), prepared)


def _rows(answer: ox.QuerySolutions) -> list[tuple[Identifier | None, ...]]:
    """The solutions as rows of rdflib terms, each distinct term converted once (rdflib's are slow to make)."""
    memo: dict[object, Identifier | None] = {None: None}
    rows: list[tuple[Identifier | None, ...]] = []
    for solution in answer:
        row: list[Identifier | None] = []
        for term in solution:
            if term not in memo:
                memo[term] = _to_rdflib(term)
            row.append(memo[term])
        rows.append(tuple(row))
    return rows


register("rdflib", RdflibEngine.from_graph)
register("oxigraph", OxigraphEngine.from_graph)
