"""Every validation error, on a small broken copy of the fixture corpus: file:line, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.cli import main
from tests.conftest import BILLION_LAUGHS_TEXT, run_kg

DOC = "documents/briefing-reward-tampering.yaml"

# (case id, file, text to replace, replacement, text on the line the error must name, message fragment)
CASES = [
    ("malformed-yaml", "entities/people.yaml", "  name: Sam Poe", "  name: [Sam Poe", "name: [Sam Poe",
     "YAML syntax error"),
    ("python-tag", "entities/sources.yaml", "  kind: blog-post\n  venue: org/example-forum\n  published: 2025-03-09",
     "  kind: !!python/object/apply:os.system ['echo pwned']\n  venue: org/example-forum\n  published: 2025-03-09",
     "!!python", "YAML tag !!python/object/apply"),
    ("duplicate-id", "entities/people.yaml", "- id: person/sam-poe", "- id: person/jane-roe",
     "- id: person/jane-roe\n  name: Sam", "duplicate id 'person/jane-roe'"),
    ("dangling-reference", DOC, "holders: [person/sam-poe]", "holders: [person/sam-po]", "person/sam-po]",
     "unknown id 'person/sam-po' (did you mean 'person/sam-poe'?)"),
    ("unknown-node-type", "entities/concepts.yaml", "- id: concept/sandboxing", "- id: widget/sandboxing",
     "widget/sandboxing", "not a node id"),
    ("unknown-relation", DOC, "relation: mitigates", "relation: refutes", "refutes", "unknown relation 'refutes'"),
    ("relation-wrong-types", DOC, "subject: concept/sandboxing, relation: mitigates",
     "subject: person/sam-poe, relation: mitigates", "person/sam-poe, relation: mitigates",
     "mitigates cannot join a Person"),
    ("unknown-kind", "entities/organizations.yaml", "  kind: venue", "  kind: magazine", "kind: magazine",
     "Organization kind: Input should be"),
    ("bad-date", DOC, "date: 2025-03-09", "date: 2025-02-30", "date: 2025-02-30", "not a valid date"),
    ("tension-same-claim", DOC, "b: claim/tampering-far-off", "b: claim/tampering-near-term",
     "- id: tension/tampering-timeline", "same claim 'claim/tampering-near-term' on both sides"),
    ("undefined-citation", DOC, "    polarity: con\n    citations: [2]", "    polarity: con\n    citations: [2, 5]",
     "citations: [2, 5]", "citation [5] is not defined by the document (defined: [1], [2])"),
    ("unknown-field", DOC, "    polarity: pro\n", "    polarity: pro\n    colour: red\n", "colour: red",
     "colour: unknown field"),
    ("missing-field", DOC, "    statement: Reward tampering needs capabilities no deployed agent has yet.\n", "",
     "- id: claim/tampering-far-off", "statement: required field is missing"),
    ("uncited-claim", DOC, "    polarity: con\n    citations: [2]", "    polarity: con\n    citations: []",
     "citations: []", "citations: List should have at least 1 item"),
    ("unknown-registry", "entities/people.yaml", "- id: person/jane-roe", "- id: person/jane-roe", None,
     "unknown entity registry 'widgets.yaml'"),
    ("document-id-mismatch", DOC, "kind: briefing\n", "id: doc/another-name\nkind: briefing\n", "id: doc/another-name",
     "does not match its file name"),
    ("citation-to-non-source", DOC, "  2: source/poe-reply", "  2: person/sam-poe", "2: person/sam-poe",
     "must be a source"),
]


#: case id -> every error line `kg validate --data data` prints for it (the whole list, in order)
ERRORS = {
    "malformed-yaml": [
        "data/entities/people.yaml:6: YAML syntax error: expected ',' or ']', but got '<stream end>' (while "
        "parsing a flow sequence at line 6)",
    ],
    "python-tag": [
        "data/entities/sources.yaml:9: YAML tag !!python/object/apply:os.system is not allowed (only plain "
        "data is read)",
    ],
    "duplicate-id": [
        "data/documents/briefing-reward-tampering.yaml:17: holders: unknown id 'person/sam-poe' (did you "
        "mean 'person/jane-roe'?)",
        "data/entities/people.yaml:5: duplicate id 'person/jane-roe' (first defined at "
        "data/entities/people.yaml:1)",
        "data/entities/sources.yaml:12: authors: unknown id 'person/sam-poe' (did you mean "
        "'person/jane-roe'?)",
    ],
    "dangling-reference": [
        "data/documents/briefing-reward-tampering.yaml:17: holders: unknown id 'person/sam-po' (did you mean "
        "'person/sam-poe'?)",
    ],
    "unknown-node-type": [
        "data/documents/briefing-reward-tampering.yaml:45: subject: unknown id 'concept/sandboxing'",
        "data/entities/concepts.yaml:5: Concept id: not a node id (expected one of person/, org/, group/, "
        "source/, concept/, claim/, tension/, event/, question/, doc/ followed by a lowercase-slug) (got "
        "'widget/sandboxing')",
    ],
    "unknown-relation": [
        "data/documents/briefing-reward-tampering.yaml:45: Relation: unknown relation 'refutes' (known: "
        "about, addresses, affiliated_with, amplifies, asserts, authored, broader, cites, example_of, "
        "in_tension_with, involves, mentions, mitigates, published_in, refines, related_to, supports)",
    ],
    "relation-wrong-types": [
        "data/documents/briefing-reward-tampering.yaml:45: mitigates cannot join a Person ('person/sam-poe') "
        "to a Concept ('concept/reward-tampering'); it needs Concept",
    ],
    "unknown-kind": [
        "data/entities/organizations.yaml:6: Organization kind: Input should be 'lab', 'research-org', "
        "'venue', 'feed', 'company', 'government', 'wiki', 'funder', 'academic' or 'other' (got 'magazine')",
    ],
    "bad-date": [
        "data/documents/briefing-reward-tampering.yaml:19: Claim date: not a valid date (use YYYY-MM-DD) "
        "(got '2025-02-30')",
    ],
    "tension-same-claim": [
        "data/documents/briefing-reward-tampering.yaml:23: Tension: tension 'tension/tampering-timeline' has "
        "the same claim 'claim/tampering-near-term' on both sides",
    ],
    "undefined-citation": [
        "data/documents/briefing-reward-tampering.yaml:21: citation [5] is not defined by the document "
        "(defined: [1], [2])",
    ],
    "unknown-field": [
        "data/documents/briefing-reward-tampering.yaml:14: Claim colour: unknown field",
    ],
    "missing-field": [
        "data/documents/briefing-reward-tampering.yaml:15: Claim statement: required field is missing",
    ],
    "uncited-claim": [
        "data/documents/briefing-reward-tampering.yaml:21: Claim citations: List should have at least 1 item "
        "after validation, not 0",
    ],
    "unknown-registry": [
        "data/entities/widgets.yaml:1: unknown entity registry 'widgets.yaml' (expected one of people.yaml, "
        "organizations.yaml, sources.yaml, concepts.yaml, groups.yaml, or KIND.SUFFIX.yaml such as "
        "people.extra.yaml)",
    ],
    "document-id-mismatch": [
        "data/documents/briefing-reward-tampering.yaml:1: document id 'doc/another-name' does not match its "
        "file name (expected 'doc/briefing-reward-tampering')",
    ],
    "citation-to-non-source": [
        "data/documents/briefing-reward-tampering.yaml:1: cites cannot join a Document "
        "('doc/briefing-reward-tampering') to a Person ('person/sam-poe'); it needs Source",
        "data/documents/briefing-reward-tampering.yaml:6: citations: [2] must be a source, 'person/sam-poe' "
        "is a Person",
        "data/documents/briefing-reward-tampering.yaml:21: cites cannot join a Claim "
        "('claim/tampering-far-off') to a Person ('person/sam-poe'); it needs Source",
        "data/documents/briefing-reward-tampering.yaml:28: cites cannot join a Tension "
        "('tension/tampering-timeline') to a Person ('person/sam-poe'); it needs Source",
        "data/documents/briefing-reward-tampering.yaml:39: cites cannot join a Question "
        "('question/tampering-detectable') to a Person ('person/sam-poe'); it needs Source",
    ],
}


def _break(root: Path, file: str, old: str, new: str) -> Path:
    path = root / file
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))
    return path


def _line_of(path: Path, marker: str) -> int:
    text = path.read_text()
    return text[: text.index(marker)].count("\n") + 1 + marker[: len(marker) - len(marker.lstrip("\n"))].count("\n")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_error_names_file_and_line(case, minimal, capsys, monkeypatch):
    name, file, old, new, marker, fragment = case
    path = _break(minimal, file, old, new)
    if name == "unknown-registry":
        path = minimal / "entities" / "widgets.yaml"
        path.write_text("- id: concept/x\n")
    expected_line = _line_of(path, marker) if marker else 1
    monkeypatch.chdir(minimal.parent)
    out = minimal.parent / "out.ttl"

    assert main(["validate", "--data", "data", "--no-shacl"]) == 1
    err = capsys.readouterr().err
    expected = f"{path.relative_to(minimal.parent)}:{expected_line}: "
    lines = [line for line in err.splitlines() if fragment in line]
    assert lines, f"no line with {fragment!r} in:\n{err}"
    assert lines[0].startswith(expected), f"expected {expected!r}, got {lines[0]!r}"
    count = len(ERRORS[name])
    assert err.splitlines() == [*ERRORS[name], f"kg: {count} error{'s' if count > 1 else ''} in data"]

    assert main(["export", "--data", "data", "--format", "turtle", "-o", str(out)]) == 1
    assert not out.exists()
    assert fragment in capsys.readouterr().err


def test_all_errors_reported_in_one_run(minimal):
    for _, file, old, new, _, _ in (CASES[5], CASES[9], CASES[10], CASES[11]):
        _break(minimal, file, old, new)
    report = kg.validate(minimal, shacl=False)
    assert [str(i).removeprefix(f"{minimal}/") for i in report.errors] == [
        f"{DOC}:14: Claim colour: unknown field",
        f"{DOC}:24: Tension: tension 'tension/tampering-timeline' has the same claim 'claim/tampering-near-term' "
        "on both sides",
        f"{DOC}:46: Relation: unknown relation 'refutes' (known: about, addresses, affiliated_with, amplifies, "
        "asserts, authored, broader, cites, example_of, in_tension_with, involves, mentions, mitigates, "
        "published_in, refines, related_to, supports)",
        f"{DOC}:22: citation [5] is not defined by the document (defined: [1], [2])"]
    assert [i.code for i in report.errors] == ["invalid", "invalid", "invalid", "citation"]


def test_excerpts_stay_short(minimal):
    _break(minimal, "entities/organizations.yaml", "  kind: venue", "  kind: " + "x" * 5000)
    report = kg.validate(minimal, shacl=False)
    quoted = "x" * 39 + "…"  # at most 40 characters of the offending value
    assert [str(i) for i in report.errors] == [
        f"{minimal}/entities/organizations.yaml:6: Organization kind: Input should be 'lab', 'research-org', "
        "'venue', 'feed', 'company', 'government', 'wiki', 'funder', 'academic' or 'other' "
        f"(got '{quoted}')"]


def test_billion_laughs_in_data_fails_fast(minimal):
    (minimal / "entities" / "concepts.yaml").write_text(BILLION_LAUGHS_TEXT)
    report = kg.validate(minimal, shacl=False)
    assert [str(i) for i in report.errors] == [
        f"{minimal}/entities/concepts.yaml:6: YAML aliases expand to more than 200000 values"]


def test_broken_registry_does_not_cascade(minimal):
    _break(minimal, "entities/people.yaml", "  name: Sam Poe", "  name: [Sam Poe")
    report = kg.validate(minimal, shacl=False)
    assert [(i.code, str(i)) for i in report.errors] == [
        ("yaml", f"{minimal}/entities/people.yaml:6: YAML syntax error: expected ',' or ']', but got "
                 "'<stream end>' (while parsing a flow sequence at line 6)")]


def test_previous_output_untouched_on_error(minimal, tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_text("previous contents\n")
    _break(minimal, DOC, "relation: mitigates", "relation: refutes")
    result = run_kg("export", "--data", str(minimal), "-o", str(out))
    assert result.code == 1
    assert out.read_text() == "previous contents\n"
    assert "unknown relation 'refutes'" in result.err
    assert "Traceback" not in result.err


def test_valid_fixture_and_bundled_data_validate(minimal):
    assert kg.validate(minimal).ok
    assert kg.validate(Path(__file__).resolve().parent.parent / "data").ok


def test_shacl_violation_is_reported(minimal, monkeypatch):
    """A graph the pydantic checks accept but the shapes reject is caught by kg validate."""
    from kg import _shacl
    from kg.ontology import check_shacl
    from kg.vocab import KG, graph_iri, iri

    graph = kg.load(minimal)
    extra = f'{iri("claim/tampering-near-term").n3()} {KG.status.n3()} "maybe" '
    extra += f'{graph_iri("doc/briefing-reward-tampering").n3()} .\n'
    data = _shacl._data_nquads(graph) + extra.encode()
    monkeypatch.setattr(_shacl, "_data_nquads", lambda _: data)
    issues = [str(i).removeprefix(f"{minimal}/") for i in check_shacl(graph)]
    where = f"{DOC}:8: SHACL: claim/tampering-near-term kg:status: "
    assert issues[0] == where + "More than 1 values on claim:tampering-near-term->kg:status"
    assert issues[1].startswith(where + 'Value Literal("maybe") not in list [')  # pyshacl lists the 3 in any order
    assert len(issues) == 2


def test_missing_data_dir_is_a_usage_error(tmp_path):
    result = run_kg("stats", "--data", str(tmp_path / "nope"))
    assert result.code == 2
    assert result.err.strip() == f"kg: error: data directory not found: {tmp_path / 'nope'}"
