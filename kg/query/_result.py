"""Query results: rows of RDF terms whatever the engine, and their text forms.

SELECT and ASK results print as ``table`` (aligned, IRIs shortened with the project's prefixes), ``csv`` and
``tsv`` (the W3C SPARQL 1.1 CSV/TSV result formats), ``json`` and ``xml`` (W3C SPARQL 1.1 Query Results JSON
and XML) or ``md`` (a Markdown table); CONSTRUCT and DESCRIBE results print as ``turtle``, ``jsonld`` or ``nt``.

The JSON writer is the one of record: CSV and TSV rows are pyoxigraph's writers reading that JSON back, so
both engines' rows get one term encoding (``<iri>``, ``"text"`` with escapes, ``3``, ``"x"@en``, ``_:b``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from kg._util import excerpt, md_escape
from kg.errors import UsageError
from kg.export import get as export_format
from kg.export import serialize_triples, triple_formats
from kg.vocab import PREFIXES, bind_prefixes

__all__ = ["QueryResult", "RESULT_FORMATS", "RESULT_MEDIA_TYPES", "GRAPH_FORMATS", "shorten", "render"]

Term = Identifier | None
#: longest namespace first, so ``concept:`` wins over a shorter prefix of the same IRI
_NAMESPACES = sorted(((ns, name) for name, ns in PREFIXES.items()), key=lambda item: -len(item[0]))
TABLE_CELL = 80


@dataclass
class QueryResult:
    """The answer to a query: ``rows`` of RDF terms for SELECT, ``boolean`` for ASK, ``triples`` for graphs.

    >>> result = kg.query_graph(graph, name="lab-coverage", params={"concept": "deployment-time-spread"})
    >>> [(row["lab"], row["level"]) for row in result.records()][:1]
    [('Anthropic', 'isolated')]
    """

    kind: str  # "select", "ask" or "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Term, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Identifier, Identifier, Identifier]] = field(default_factory=list)
    engine: str = ""

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1

    def __iter__(self) -> Iterator[tuple[Term, ...]]:
        return iter(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else len(self) > 0

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (literals converted, IRIs as strings, unbound as None)."""
        return [{var: _python(term) for var, term in zip(self.vars, row, strict=True)} for row in self.rows]

    def column(self, var: str) -> list[Any]:
        """The plain Python values of one column."""
        index = self.vars.index(var)
        return [_python(row[index]) for row in self.rows]

    @property
    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE result, with the project's prefixes bound."""
        graph = bind_prefixes(Graph())
        for triple in self.triples:
            graph.add(triple)
        return graph

    def to_dataframe(self, *, full_iris: bool = False) -> Any:
        """The rows as a pandas DataFrame (``pip install 'kg[notebook]'``), one column per variable.

        Columns are typed where the literals are: numbers as ``int64``/``float64``, dates and date-times as
        ``datetime64``, booleans as ``bool``; other columns hold text, IRIs shortened with the project's
        prefixes (``org:anthropic``) unless ``full_iris``. Unbound values are missing. An ASK result is one
        ``boolean`` column; a CONSTRUCT/DESCRIBE result has ``subject``, ``predicate`` and ``object``.

        >>> kg.query_graph(graph, name="claims-by", params={"holder": "Alex Mallen"}).to_dataframe().claim[0]
        'claim:archetypes-indistinguishable-in-training'
        """
        from kg.query._frame import dataframe

        if self.kind == "ask":
            return dataframe(["boolean"], [(Literal(bool(self.boolean)),)], shorten)
        names, rows = (["subject", "predicate", "object"], self.triples) if self.kind == "graph" else (
            self.vars, self.rows)
        return dataframe(names, rows, shorten, full_iris=full_iris)

    def _repr_html_(self) -> str:
        """The result as an HTML table (Jupyter shows it inline): every value escaped, IRIs shortened."""
        from kg.query._frame import html_table

        if self.kind == "ask":
            return html_table(["boolean"], [(Literal(bool(self.boolean)),)], shorten, "ASK")
        names, rows = (["subject", "predicate", "object"], self.triples) if self.kind == "graph" else (
            self.vars, self.rows)
        count = f"{len(rows)} {'triple' if self.kind == 'graph' else 'row'}{'s' if len(rows) != 1 else ''}"
        return html_table(names, rows, shorten, f"{count}, {self.engine}" if self.engine else count)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.serialize().decode("utf-8").rstrip("\n"))

    @property
    def df(self) -> Any:
        """Shorthand for :meth:`to_dataframe`."""
        return self.to_dataframe()

    def serialize(self, format: str | None = None) -> bytes:
        """This result in a text format (default: table for rows and booleans, turtle for graphs)."""
        return render(self, format)


def _python(term: Term) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def shorten(term: Term) -> str:
    """A term as people read it: ``concept:kludges`` for project IRIs, the text of a literal, '' if unbound."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for namespace, prefix in _NAMESPACES:
            rest = text[len(namespace):]
            if text.startswith(namespace) and rest and all(c.isalnum() or c in "-_." for c in rest):
                return f"{prefix}:{rest}"
        return f"<{text}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _cells(result: QueryResult, show: Callable[[Term], str]) -> tuple[list[str], list[list[str]]]:
    if result.kind == "ask":
        return ["boolean"], [["true" if result.boolean else "false"]]
    return list(result.vars), [[show(term) for term in row] for row in result.rows]


def _table(result: QueryResult) -> str:
    header, rows = _cells(result, lambda t: excerpt(shorten(t), TABLE_CELL))
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    if result.kind == "select":
        lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _markdown(result: QueryResult) -> str:
    header, rows = _cells(result, lambda t: md_escape(shorten(t)).replace("|", "\\|"))
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _oxigraph(format: ox.QueryResultsFormat) -> Callable[[QueryResult], str]:
    """pyoxigraph's writer of ``format``, fed with the rows as :func:`_json` writes them."""

    def write(result: QueryResult) -> str:
        # compact JSON: json's C encoder writes it, ten times faster than the indented form users read
        data = ox.parse_query_results(json.dumps(_payload(result), ensure_ascii=False),
                                      ox.QueryResultsFormat.JSON).serialize(format=format)
        assert data is not None  # without an output to write to, serialize() returns the bytes
        return data.decode("utf-8")  # (the parsed results, which only this thread may drop, are gone already)

    return write


def _csv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 CSV: variable names, then IRIs and literal values as plain strings."""
    if result.kind == "ask":  # the W3C format has no booleans: a one-cell table
        return "boolean\r\n" + ("true" if result.boolean else "false") + "\r\n"
    return _oxigraph(ox.QueryResultsFormat.CSV)(result)


def _tsv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 TSV: ``?var`` headers, then terms in their SPARQL/Turtle syntax."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    return _oxigraph(ox.QueryResultsFormat.TSV)(result)


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None:
        value["datatype"] = str(term.datatype)
    return value


def _payload(result: QueryResult) -> dict[str, Any]:
    """The W3C SPARQL 1.1 Query Results JSON object of ``result``."""
    if result.kind == "ask":
        return {"head": {}, "boolean": bool(result.boolean)}
    bindings = [{var: _json_term(term) for var, term in zip(result.vars, row, strict=True) if term is not None}
                for row in result.rows]
    return {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}


def _json(result: QueryResult) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    return json.dumps(_payload(result), indent=2, ensure_ascii=False) + "\n"


RESULT_FORMATS: dict[str, Callable[[QueryResult], str]] = {
    "table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "xml": _oxigraph(ox.QueryResultsFormat.XML),
    "md": _markdown,
}
#: the media type of each result format, for HTTP content negotiation (``kg serve``)
RESULT_MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "md": "text/markdown", "table": "text/plain",
}
#: CONSTRUCT/DESCRIBE formats: the export registry's triple formats (aliases such as ``ttl`` work too)
GRAPH_FORMATS: tuple[str, ...] = tuple(triple_formats())
_ALIASES = {"markdown": "md"}


def _export_name(name: str) -> str | None:
    try:
        return export_format(name).name
    except UsageError:
        return None


def render(result: QueryResult, format: str | None = None) -> bytes:
    """``result`` as bytes in ``format``; UsageError when the format does not fit the kind of result.

    CONSTRUCT and DESCRIBE results are written by the export registry's triple formats, so they are as
    deterministic as ``kg export``."""
    if result.kind == "graph":
        name = format or "turtle"
        if name not in GRAPH_FORMATS and _export_name(name) not in GRAPH_FORMATS:
            raise UsageError(f"a CONSTRUCT or DESCRIBE result prints as {', '.join(GRAPH_FORMATS)}, not '{name}'")
        return serialize_triples(result.graph, name)
    name = _ALIASES.get(format or "", format) or "table"
    if name not in RESULT_FORMATS:
        raise UsageError(f"a {result.kind.upper()} result prints as {', '.join(RESULT_FORMATS)}, not '{name}'")
    return RESULT_FORMATS[name](result).encode("utf-8")
