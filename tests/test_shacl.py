"""SHACL engines: shacl-rust flags what pySHACL flags, and the issues keep pySHACL's words, file and line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

import kg
from kg import _shacl
from kg.errors import UsageError
from kg.ontology import check_shacl, read_ontology, read_shapes
from kg.rdf import flatten
from kg.report import Issue
from kg.vocab import KG, SH, id_of
from tests.conftest import DATA

Quads = list[str]
TYPE = RDF.type.n3()


def _first(quads: Quads, cls: str) -> str:
    """The first node (in IRI order) of class kg:cls, as N-Triples."""
    return min(q.split(" ", 1)[0] for q in quads if f" {TYPE} {KG[cls].n3()} " in q)


def _add(quads: Quads, subject: str, prop: URIRef, value: str) -> None:
    """Add a triple to the named graph that types ``subject``."""
    graph = next(q.rsplit(" ", 2)[1] for q in quads if q.startswith(f"{subject} {TYPE} "))
    quads.append(f"{subject} {prop.n3()} {value} {graph} .")


def _drop(quads: Quads, subject: str | None = None, prop: URIRef | None = None, value: str | None = None) -> None:
    def hit(quad: str) -> bool:
        s, p, rest = quad.rsplit(" ", 2)[0].split(" ", 2)
        return (subject in (None, s)) and (prop is None or p == prop.n3()) and (value in (None, rest))

    quads[:] = [q for q in quads if not hit(q)]


def _tension_on_one_claim(q: Quads) -> None:
    tension = _first(q, "Tension")
    claim_a = next(line.split(" ")[2] for line in q if line.startswith(f"{tension} {KG.claimA.n3()} "))
    _drop(q, tension, KG.claimB)
    _add(q, tension, KG.claimB, claim_a)


def _statement_gone_wrong(q: Quads) -> None:
    statement = _first(q, "Statement")
    _add(q, statement, RDF.predicate, KG.nonsense.n3())
    _add(q, statement, RDF.object, '"x"')


#: ways to break the RDF that only SHACL sees (the records would not allow them): N-Quads line edits
BREAKS: dict[str, Callable[[Quads], None]] = {
    "status-not-listed": lambda q: _add(q, _first(q, "Claim"), KG.status, '"maybe"'),
    "lines-pattern": lambda q: _add(q, _first(q, "Claim"), KG.lines, '"0-3"'),
    "date-datatype": lambda q: _add(q, _first(q, "Claim"), KG.date, '"2025"'),
    "claim-cites-a-person": lambda q: _add(q, _first(q, "Claim"), KG.cites, _first(q, "Person")),
    "period-or": lambda q: _add(q, _first(q, "Claim"), KG.period, Literal("2025-01-01", datatype=XSD.date).n3()),
    "claim-without-holder": lambda q: _drop(q, prop=KG.asserts, value=_first(q, "Claim")),
    "tension-on-one-claim": _tension_on_one_claim,
    "person-mitigates": lambda q: _add(q, _first(q, "Person"), KG.mitigates, _first(q, "Concept")),
    "claim-authored-claim": lambda q: _add(q, _first(q, "Claim"), KG.authored, _first(q, "Claim")),
    "tier-out-of-range": lambda q: _add(q, _first(q, "Organization"), KG.credibilityTier, Literal(9).n3()),
    "statement-gone-wrong": _statement_gone_wrong,
    "person-without-label": lambda q: _drop(q, _first(q, "Person"), RDFS.label),
    "citation-untyped": lambda q: _drop(q, _first(q, "Citation"), RDF.type),
    "related-to-a-literal": lambda q: _add(q, _first(q, "Concept"), KG.relatedTo, '"x"'),
}


def _broken(graph: kg.KnowledgeGraph, *breaks: str) -> bytes:
    quads = [q for q in _shacl._data_nquads(graph).decode().splitlines() if q]
    for name in breaks:
        BREAKS[name](quads)
    return "\n".join(quads).encode() + b"\n"


def _as_before(graph: kg.KnowledgeGraph, data: bytes) -> list[str]:
    """What check_shacl reported before shacl-rust: pySHACL on the flattened rdflib Dataset, issues as then."""
    from pyshacl import validate

    flat = flatten(Dataset(default_union=True).parse(data=data, format="nquads"))
    conforms, results, _ = validate(flat, shacl_graph=read_shapes(), ont_graph=read_ontology(), inference="none",
                                    allow_warnings=True)
    issues = []
    for result in [] if conforms else results.subjects(RDF.type, SH.ValidationResult):
        focus, path = results.value(result, SH.focusNode), results.value(result, SH.resultPath)
        node_id = id_of(focus) if isinstance(focus, URIRef) else None
        path_text = f" {path.n3(flat.namespace_manager)}" if isinstance(path, URIRef) else ""
        issues.append(Issue("shacl", f"SHACL: {node_id or focus}{path_text}: {results.value(result, SH.resultMessage)}",
                            graph.locations.locate(node_id) if node_id else None))
    return [str(i) for i in sorted(issues, key=lambda i: i.message)]


def _engines(graph: kg.KnowledgeGraph, data: bytes, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    monkeypatch.setattr(_shacl, "_data_nquads", lambda _: data)
    return {engine: [str(i) for i in check_shacl(graph, engine=engine)] for engine in _shacl.ENGINES}


@pytest.mark.parametrize("name", BREAKS)
def test_engines_report_what_pyshacl_reported(name, minimal, monkeypatch):
    graph = kg.load(minimal)
    data = _broken(graph, name)
    reports = _engines(graph, data, monkeypatch)
    before = _as_before(graph, data)
    assert before, "the break must be a SHACL violation"
    assert reports == {engine: before for engine in _shacl.ENGINES}


def test_every_break_at_once_on_the_bundled_corpus(monkeypatch):
    graph = kg.load(DATA)
    data = _broken(graph, *BREAKS)
    reports = _engines(graph, data, monkeypatch)
    before = _as_before(graph, data)
    assert len(before) > len(BREAKS)
    assert reports == {engine: before for engine in _shacl.ENGINES}


def test_valid_data_conforms_under_every_engine(minimal):
    graph = kg.load(minimal)
    assert {engine: check_shacl(graph, engine=engine) for engine in _shacl.ENGINES} == {"shacl-rust": [],
                                                                                        "pyshacl": []}


def test_a_node_pyshacl_does_not_word_keeps_shacl_rusts_words(minimal, monkeypatch):
    graph = kg.load(minimal)
    data = _broken(graph, "status-not-listed")
    monkeypatch.setattr(_shacl, "_data_nquads", lambda _: data)
    monkeypatch.setattr(_shacl, "_pyshacl", lambda *_: [])
    issues = [str(i).removeprefix(f"{minimal}/") for i in check_shacl(graph)]
    where = "documents/briefing-reward-tampering.yaml:15: SHACL: claim/tampering-far-off kg:status: "
    assert sorted(issues) == [where + "Property has 2 values (max: 1)", where + "Value is not in the allowed list"]


def test_the_engine_is_chosen_by_name_or_environment(minimal, monkeypatch):
    graph = kg.load(minimal)
    with pytest.raises(UsageError, match="unknown SHACL engine 'jena' .known: shacl-rust, pyshacl."):
        check_shacl(graph, engine="jena")
    monkeypatch.setenv(_shacl.ENGINE_VARIABLE, "jena")
    with pytest.raises(UsageError, match="unknown SHACL engine 'jena'"):
        check_shacl(graph)
