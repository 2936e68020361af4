"""Parse a SPARQL query once, with rdflib, and refuse what could reach the network or change data.

Neither rdflib nor pyoxigraph can switch off ``SERVICE``, ``LOAD`` or fetching ``FROM <url>`` by a setting, so
the parsed query is walked here before any engine sees it: a ``SERVICE`` anywhere in the algebra (including
inside ``EXISTS``), any update, and a ``FROM``/``FROM NAMED`` naming a graph the dataset does not hold are
refused. Refusals and syntax errors are :class:`~kg.errors.QueryError` (exit 1) with one line of message.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from kg._util import excerpt
from kg.errors import QueryError
from kg.vocab import PREFIXES

__all__ = ["Prepared", "prepare", "walk"]

#: algebra names of the query forms, and what kind of result each gives
_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "graph", "DescribeQuery": "graph"}
_UPDATE_NAMES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
    "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "INSERT/DELETE",
}


@dataclass(frozen=True)
class Prepared:
    """A parsed, checked query: its text (for engines that parse themselves) and rdflib's parsed form."""

    text: str
    parsed: Query
    kind: str  # "select", "ask" or "graph"
    ordered: bool  # the query fixes the order of its results (ORDER BY at the top)
    has_dataset: bool  # the query names its own dataset with FROM / FROM NAMED
    where: str = "query"


@lru_cache(maxsize=128)
def prepare(text: str, known_graphs: Collection[str] = (), where: str = "query") -> Prepared:
    """Parse ``text`` (with the project's prefixes predeclared) and refuse unsafe forms.

    ``known_graphs`` (hashable: a frozenset) are the named graphs a ``FROM`` may name; ``where`` names the
    query in messages (a file name, a named query, or ``query``). Cached: parsing costs more than running a
    named query on the bundled corpus, and a parsed query is reused with new bindings, as rdflib intends.
    """
    try:
        parsed = translateQuery(parseQuery(text), initNs=PREFIXES)
    except ParseBaseException as err:
        _raise_update_or_syntax(text, err, where)
    except Exception as err:  # rdflib reports some errors (unknown prefix, bad aggregate) as plain exceptions
        raise QueryError(f"{where}: invalid SPARQL: {excerpt(err, 160)}") from None
    algebra = parsed.algebra
    for node in walk(algebra):
        if node.name == "ServiceGraphPattern":
            raise QueryError(f"{where}: SERVICE <{node.term}> is refused: kg query never contacts remote endpoints")
    datasets = list(algebra.get("datasetClause") or [])
    for clause in datasets:
        keyword = "FROM" if "default" in clause else "FROM NAMED"
        graph = clause["default"] if "default" in clause else clause["named"]
        if str(graph) not in known_graphs:
            raise QueryError(f"{where}: {keyword} <{excerpt(graph, 80)}> is refused: kg query never fetches data; "
                             "FROM may only name one of the graph's own named graphs")
    return Prepared(text, parsed, _KINDS[algebra.name], _is_ordered(algebra.p), bool(datasets), where)


def _raise_update_or_syntax(text: str, err: ParseBaseException, where: str) -> None:
    try:
        update = parseUpdate(text)
    except Exception:
        update = None
    if update is not None and update.get("request"):
        ops = ", ".join(dict.fromkeys(_UPDATE_NAMES.get(r.name, r.name) for r in update.request))
        raise QueryError(f"{where}: {ops} is refused: kg query is read-only (no updates, no LOAD)") from None
    rest = (err.line or "")[err.col - 1:].strip()
    found = f" near '{excerpt(rest, 30)}'" if rest else " at the end of the line"
    detail = f" ({excerpt(err.msg, 60)})" if err.msg else ""
    raise QueryError(f"{where}:{err.lineno}:{err.col}: SPARQL syntax error{found}{detail}") from None


def walk(node: Any) -> Iterator[CompValue]:
    """Every CompValue in an algebra tree, expressions and EXISTS patterns included."""
    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)


def _is_ordered(pattern: Any) -> bool:
    """True when an ORDER BY decides the order of the results (under projection, DISTINCT and LIMIT)."""
    while isinstance(pattern, CompValue):
        if pattern.name == "OrderBy":
            return True
        if pattern.name not in ("Project", "Distinct", "Reduced", "Slice", "ToMultiSet"):
            return False
        pattern = pattern.get("p")
    return False

