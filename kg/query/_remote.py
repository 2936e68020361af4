"""A remote SPARQL 1.1 endpoint as an engine: the same checked query and bindings, answered elsewhere.

The endpoint knows neither the project's prefixes nor Oxigraph's substitutions, so the text it receives is the
prefixes' declarations and the query with a ``VALUES`` block of the bound terms at the start of its WHERE
group: there the values join every pattern and are bound in that group's FILTERs and EXISTS, as Oxigraph's
substitutions are (a trailing ``VALUES`` joins only the finished solutions: a ``FILTER EXISTS`` on an optional
parameter would see it unbound). A query without a WHERE group (``DESCRIBE <x>``) gets a trailing ``VALUES``.

Queries see the endpoint's default graph: for the embedded engines' answers it must be the union of the named
graphs ``kg push`` uploads (GraphDB, Virtuoso, Neptune do so by default; ``oxigraph serve --union-default-graph``,
Fuseki's ``unionDefaultGraph``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib.term import Identifier

from kg._util import excerpt
from kg.endpoint import request
from kg.errors import QueryError
from kg.query._engines import _to_rdflib, finish
from kg.query._parse import Prepared
from kg.query._result import QueryResult
from kg.vocab import sparql_prefixes

__all__ = ["RemoteEngine", "remote_text"]

_ACCEPT = {"select": "application/sparql-results+json", "ask": "application/sparql-results+json",
           "graph": "application/n-triples"}


#: what the scan for the WHERE group skips (comments, long and short strings, IRIs) and what it looks for
_TOKENS = re.compile(r"#[^\n]*|'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|'(?:[^'\\\n]|\\.)*'"
                     r"|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|\bWHERE\b|[{}]", re.IGNORECASE)


def _where_group(text: str, kind: str) -> int | None:
    """The offset just after the ``{`` that opens the query's WHERE group, or None when it has none."""
    depth, after_where = 0, kind != "graph"  # CONSTRUCT's template comes before WHERE; SELECT/ASK may omit it
    for token in _TOKENS.finditer(text):
        word = token.group()
        if word == "{":
            if depth == 0 and after_where:
                return token.end()
            depth += 1
        elif word == "}":
            depth -= 1
        elif word.upper() == "WHERE" and depth == 0:
            after_where = True
    return None


def remote_text(prepared: Prepared, bindings: Mapping[str, Identifier]) -> str:
    """The query as a remote endpoint receives it: prefixes declared, bindings as a VALUES block in its WHERE."""
    text = prepared.text.rstrip() + "\n"
    if bindings:
        names = " ".join(f"?{name}" for name in bindings)
        terms = " ".join(term.n3() for term in bindings.values())
        values = f"VALUES ({names}) {{ ({terms}) }}"
        start = _where_group(text, prepared.kind)
        text = f"{text}{values}\n" if start is None else f"{text[:start]} {values}\n{text[start:]}"
    return sparql_prefixes() + text


class RemoteEngine:
    """A SPARQL 1.1 Protocol endpoint (``url``) answering queries prepared and bound as the embedded engines'."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float | None = None) -> None:
        self.url = url
        self.timeout = timeout

    def run(self, prepared: Prepared, bindings: Mapping[str, Identifier]) -> QueryResult:
        response = request("POST", self.url, what=prepared.where, timeout=self.timeout or 300.0, retries=2,
                           data={"query": remote_text(prepared, bindings)},
                           headers={"Accept": _ACCEPT[prepared.kind]})
        try:
            if prepared.kind == "graph":
                triples = [(_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object))
                           for t in ox.parse(response.content, ox.RdfFormat.N_TRIPLES)]
                return finish(QueryResult("graph", triples=triples, engine=self.name), prepared)  # type: ignore[arg-type]
            answer = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
            if isinstance(answer, ox.QueryBoolean):
                return finish(QueryResult("ask", boolean=bool(answer), engine=self.name), prepared)
            names = [v.value for v in answer.variables]
            rows = [tuple(_to_rdflib(term) for term in solution) for solution in answer]
        except (SyntaxError, ValueError) as err:
            raise QueryError(f"{prepared.where}: the endpoint's answer is not what was asked for: "
                             f"{excerpt(err, 120)}") from None
        return finish(QueryResult("select", names, rows, engine=self.name), prepared)
