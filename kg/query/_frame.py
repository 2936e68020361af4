"""Query results in notebooks: a pandas DataFrame with typed columns, and an HTML table.

A column whose bound values are all numbers (``xsd:integer``, ``xsd:decimal``, ``xsd:double``, ...) becomes a
numeric column, all dates or date-times (``xsd:date``, ``xsd:dateTime``) a ``datetime64`` column, all booleans a
boolean column; any other column holds text: literals' lexical forms and IRIs shortened with the project's
prefixes (``org:anthropic``) unless the whole IRIs are asked for. Unbound values are missing (``None``,
``NaN``, ``NaT``, ``<NA>``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kg.errors import UsageError

__all__ = ["dataframe", "html_table", "HTML_ROWS"]

Term = Identifier | None
#: rows an HTML table shows before it says how many more there are
HTML_ROWS = 50

_INTEGERS = {XSD[name] for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOATS = {XSD.decimal, XSD.double, XSD.float}
_DATES = {XSD.date, XSD.dateTime, XSD.dateTimeStamp}


def _kind(terms: list[Identifier]) -> str:
    """What a column holds: ``int``, ``float``, ``date``, ``bool`` or ``text``."""
    kinds = set()
    for term in terms:
        datatype = term.datatype if isinstance(term, Literal) else None
        if datatype in _INTEGERS:
            kinds.add("int")
        elif datatype in _FLOATS:
            kinds.add("float")
        elif datatype in _DATES:
            kinds.add("date")
        elif datatype == XSD.boolean:
            kinds.add("bool")
        else:
            return "text"
    if kinds <= {"int", "float"} and kinds:
        return "float" if "float" in kinds else "int"
    return kinds.pop() if len(kinds) == 1 else "text"


def _value(term: Identifier) -> Any:
    """A literal's Python value: columns typed ``int``, ``float`` or ``bool`` hold only literals."""
    assert isinstance(term, Literal)
    return term.toPython()


def _column(pd: Any, terms: list[Term], show: Callable[[Identifier], str]) -> Any:
    bound = [t for t in terms if t is not None]
    kind = _kind(bound) if bound else "empty"
    missing = len(bound) < len(terms)
    if kind == "int":
        return pd.array([None if t is None else int(_value(t)) for t in terms],
                        dtype="Int64" if missing else "int64")
    if kind == "float":
        return pd.array([float("nan") if t is None else float(_value(t)) for t in terms], dtype="float64")
    if kind == "date":
        return pd.to_datetime([None if t is None else str(t) for t in terms], format="ISO8601")
    if kind == "bool":
        return pd.array([None if t is None else bool(_value(t)) for t in terms],
                        dtype="boolean" if missing else "bool")
    return pd.Series([None if t is None else show(t) for t in terms], dtype="object" if kind == "empty" else None)


def _full(term: Identifier) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _shown(shorten: Callable[[Term], str]) -> Callable[[Identifier], str]:
    """IRIs in the project's namespaces as ``prefix:name``, others whole (without angle brackets)."""
    def show(term: Identifier) -> str:
        if isinstance(term, URIRef):
            short = shorten(term)
            return str(term) if short.startswith("<") else short
        return _full(term)
    return show


def dataframe(names: Sequence[str], rows: Sequence[Sequence[Term]], shorten: Callable[[Term], str],
              full_iris: bool = False) -> Any:
    """A DataFrame of ``rows`` under the column ``names``, typed as the module docstring says."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is in the notebook and dev extras
        raise UsageError("to_dataframe() needs pandas: pip install 'kg[notebook]'") from None
    show = _full if full_iris else _shown(shorten)
    columns = {name: _column(pd, [row[i] for row in rows], show) for i, name in enumerate(names)}
    return pd.DataFrame(columns, columns=list(names), index=pd.RangeIndex(len(rows)))


def html_table(names: Sequence[str], rows: Sequence[Sequence[Term]], shorten: Callable[[Term], str],
               caption: str, max_rows: int = HTML_ROWS) -> str:
    """An HTML table of ``rows`` (every value escaped; an IRI shows its short form, the whole IRI on hover)."""
    def cell(term: Term) -> str:
        if term is None:
            return "<td></td>"
        text = html.escape(" ".join(shorten(term).split()))
        if isinstance(term, URIRef):
            return f'<td title="{html.escape(str(term))}">{text}</td>'
        return f"<td>{text}</td>"

    head = "".join(f"<th>{html.escape(name)}</th>" for name in names)
    body = "\n".join("<tr>" + "".join(cell(t) for t in row) + "</tr>" for row in rows[:max_rows])
    more = len(rows) - max_rows
    note = f" (the first {max_rows} shown; .to_dataframe() has all {len(rows)})" if more > 0 else ""
    return (f'<table class="kg-result">\n<caption style="caption-side: bottom; text-align: left">'
            f"{html.escape(caption + note)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n"
            "</tbody>\n</table>\n")
