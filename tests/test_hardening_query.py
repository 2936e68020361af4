"""Ill-typed and non-canonical literals in query results: no rdflib traceback, the same cells from both engines."""

from __future__ import annotations

import logging

import pytest

from kg.cli import main
from tests.conftest import run_kg

SELECT = ('SELECT (STRDT("x", xsd:integer) AS ?x) (STRDT("1e3", xsd:double) AS ?d) ("1e3"^^xsd:double AS ?d2) '
          '(STRDT("007", xsd:integer) AS ?i) ("007"^^xsd:integer AS ?i2) ("+1.50"^^xsd:decimal AS ?dec) WHERE {}')
CONSTRUCT = ('CONSTRUCT { <urn:a> <urn:p> ?x, ?d, ?i } WHERE { BIND(STRDT("x", xsd:integer) AS ?x) '
             'BIND(STRDT("1e3", xsd:double) AS ?d) BIND("007"^^xsd:integer AS ?i) }')
ENGINES = ("oxigraph", "rdflib")


def _run(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, *argv: str) -> str:
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        code = main(["query", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err and "WARNING" not in err and err.strip() == ""
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    return out


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "md", "xml"])
def test_select_ill_typed_literals_same_cells_from_both_engines(capsys, caplog, fmt):
    outputs = {engine: _run(capsys, caplog, "--engine", engine, "-f", fmt, SELECT) for engine in ENGINES}
    assert outputs["oxigraph"] == outputs["rdflib"]
    if fmt == "csv":  # the lexical forms Oxigraph answers: canonical where valid, as written where ill-typed
        assert outputs["rdflib"].splitlines()[1] == "x,1000,1000,7,7,1.5"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_construct_ill_typed_literals_same_from_both_engines(capsys, caplog, fmt):
    outputs = {engine: _run(capsys, caplog, "--engine", engine, "-f", fmt, CONSTRUCT) for engine in ENGINES}
    assert outputs["oxigraph"] == outputs["rdflib"]
    if fmt == "nt":
        assert '"x"^^<http://www.w3.org/2001/XMLSchema#integer>' in outputs["rdflib"]


@pytest.mark.parametrize("engine", ENGINES)
def test_no_traceback_on_the_real_stderr(engine):
    """The command as users run it: rdflib's logging reaches stderr only without pytest's log capture."""
    for query in (SELECT, CONSTRUCT):
        result = run_kg("query", "--engine", engine, query)
        assert result.code == 0, result.err
        assert result.err == "", result.err
