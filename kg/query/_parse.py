"""Parse a SPARQL query once, with rdflib, and refuse what could reach the network or change data.

Neither rdflib nor pyoxigraph can switch off ``SERVICE``, ``LOAD`` or fetching ``FROM <url>`` by a setting, so
the parsed query is walked here before any engine sees it: a ``SERVICE`` anywhere in the algebra (including
inside ``EXISTS``), any update, and a ``FROM``/``FROM NAMED`` naming a graph the dataset does not hold are
refused. Refusals and syntax errors are :class:`~kg.errors.QueryError` (exit 1) with one line of message.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg._util import excerpt, write_atomic
from kg.errors import KgError, QueryError
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

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
    """A checked query: its text (engines parse it themselves) and what the checks learnt of it.

    rdflib's parsed form (:attr:`parsed`) is made only when asked for (by the rdflib engine): a query's facts
    come from the memo of :func:`prepare` when it has seen the text before, without parsing it again.
    """

    text: str
    kind: str  # "select", "ask" or "graph"
    ordered: bool  # the query fixes the order of its results (ORDER BY at the top)
    has_dataset: bool  # the query names its own dataset with FROM / FROM NAMED
    projected: tuple[str, ...] = ()  # the variables a SELECT returns
    variables: frozenset[str] = frozenset()  # every variable the query's patterns use
    where: str = "query"

    @cached_property
    def parsed(self) -> Query:
        """rdflib's parsed and translated form of the query."""
        return _parse(self.text, self.where)


def _parse(text: str, where: str) -> Query:
    # rdflib's SPARQL grammar takes a tenth of a second to import: only queries not in the memo need it
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return translateQuery(parseQuery(text), initNs=PREFIXES)
    except ParseBaseException as err:
        _raise_update_or_syntax(text, err, where)
        raise  # pragma: no cover - the line above always raises
    except Exception as err:  # rdflib reports some errors (unknown prefix, bad aggregate) as plain exceptions
        raise QueryError(f"{where}: invalid SPARQL: {excerpt(err, 160)}") from None


def prepare(text: str, known_graphs: Collection[str] = (), where: str = "query",
            memo: Path | None = None) -> Prepared:
    """Parse ``text`` (with the project's prefixes predeclared) and refuse unsafe forms.

    ``known_graphs`` are the named graphs a ``FROM`` may name; ``where`` names the query in messages (a file
    name, a named query, or ``query``). What the checks learn of a query that passes them is kept in memory and,
    with ``memo`` (a folder of the build cache), on disk: parsing with rdflib takes longer than a warm query
    of a million triples, and the named queries are the same text every time.
    """
    facts = _facts(text, where, memo)
    for keyword, graph in facts["datasets"]:
        if graph not in known_graphs:
            raise QueryError(f"{where}: {keyword} <{excerpt(graph, 80)}> is refused: kg query never fetches data; "
                             "FROM may only name one of the graph's own named graphs")
    return Prepared(text, facts["kind"], facts["ordered"], bool(facts["datasets"]), tuple(facts["projected"]),
                    frozenset(facts["variables"]), where)


@lru_cache(maxsize=128)
def _facts(text: str, where: str, memo: Path | None) -> dict[str, Any]:
    path = memo / f"{hashlib.blake2b(text.encode(), digest_size=20).hexdigest()}.json" if memo else None
    if path is not None:
        with contextlib.suppress(OSError, ValueError):
            found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if found.get("text") == text:
                return found
    facts = _check(_parse(text, where), where)
    if path is not None:
        with contextlib.suppress(OSError, KgError):  # a read-only cache only costs the parse next time
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, lambda out: out.write(json.dumps({"text": text, **facts}).encode("utf-8")))
    return facts


def _check(parsed: Query, where: str) -> dict[str, Any]:
    """Refuse SERVICE; the facts of the query (its kind, order, FROM clauses, variables) otherwise."""
    from rdflib.term import Variable

    algebra = parsed.algebra
    variables: set[str] = set()
    for node in walk(algebra):
        if node.name == "ServiceGraphPattern":
            raise QueryError(f"{where}: SERVICE <{node.term}> is refused: kg query never contacts remote endpoints")
        # CompValue.get(key) answers the key itself when it is missing: test membership instead
        variables.update(str(v) for v in (node["_vars"] if "_vars" in node else ()) if isinstance(v, Variable))
    datasets = []
    for clause in algebra.get("datasetClause") or []:
        keyword = "FROM" if "default" in clause else "FROM NAMED"
        datasets.append((keyword, str(clause["default"] if "default" in clause else clause["named"])))
    projected = [str(v) for v in (algebra["PV"] if "PV" in algebra else ())]
    return {"kind": _KINDS[algebra.name], "ordered": _is_ordered(algebra.p), "datasets": datasets,
            "projected": projected, "variables": sorted(variables)}


def _raise_update_or_syntax(text: str, err: ParseBaseException, where: str) -> None:
    from rdflib.plugins.sparql.parser import parseUpdate

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
    from rdflib.plugins.sparql.parserutils import CompValue

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
    from rdflib.plugins.sparql.parserutils import CompValue

    while isinstance(pattern, CompValue):
        if pattern.name == "OrderBy":
            return True
        if pattern.name not in ("Project", "Distinct", "Reduced", "Slice", "ToMultiSet"):
            return False
        pattern = pattern.get("p")
    return False

