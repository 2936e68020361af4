"""Several data directories built into one graph: the first wins for registry entities, with a warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import kg
from kg.cli import main
from kg.report import Issue, Location
from tests.conftest import FIXTURES, run_kg

BRIEFING = FIXTURES / "documents" / "briefing-sandbagging.txt"
WIKI_PAGE = """kind: page
title: Jane Roe on the wiki
citations:
  1: source/roe-post
entities:
  people:
    - {id: person/jane-roe, name: Jane Roe (wiki), status: proposed}
  organizations:
    - {id: org/wiki-lab, name: Wiki Lab, kind: lab, status: proposed}
claims:
  - id: claim/wiki-roe-view
    statement: Reward tampering is near.
    holders: [person/jane-roe]
    citations: [1]
"""


@pytest.fixture()
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Directories ``a`` (the minimal fixture corpus) and ``b`` (empty), as relative paths from the cwd."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "a")
    (tmp_path / "b" / "entities").mkdir(parents=True)
    (tmp_path / "b" / "documents").mkdir()
    monkeypatch.chdir(tmp_path)
    return Path("a"), Path("b")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def override_b(b: Path) -> None:
    write(b / "entities" / "organizations.yaml", "- id: org/wiki-only\n  name: Wiki Only\n  kind: company\n"
          "- id: org/example-lab\n  name: Example Lab (wiki)\n  kind: research-org\n")


def test_first_directory_wins_and_the_override_is_a_warning(two):
    a, b = two
    override_b(b)
    report = kg.validate([a, b], shacl=False)
    expected = [Issue("override", "id 'org/example-lab' is also defined in a/entities/organizations.yaml:1; "
                      "that definition wins", Location("b/entities/organizations.yaml", 4), "warning")]
    assert report.issues == expected and report.ok
    graph = kg.load([a, b])
    assert list(graph.warnings) == expected
    assert graph.nodes["org/example-lab"].name == "Example Lab"
    assert graph.nodes["org/example-lab"].kind == "lab"
    assert graph.nodes["org/wiki-only"].name == "Wiki Only"
    assert graph.data_dirs == (a, b) and graph.data_dir == a
    reversed_graph = kg.load([b, a])
    assert reversed_graph.nodes["org/example-lab"].name == "Example Lab (wiki)"
    assert [str(w) for w in reversed_graph.warnings] == [
        "a/entities/organizations.yaml:1: warning: id 'org/example-lab' is also defined in "
        "b/entities/organizations.yaml:4; that definition wins"]


def test_an_entity_a_later_bundle_introduces_is_overridden_too(two):
    a, b = two
    write(b / "documents" / "wiki-roe.yaml", WIKI_PAGE)
    report = kg.validate([a, b])
    assert [str(i) for i in report.issues] == [
        "b/documents/wiki-roe.yaml:7: warning: id 'person/jane-roe' is also defined in a/entities/people.yaml:1; "
        "that definition wins"]
    graph = kg.load([a, b])
    assert graph.nodes["person/jane-roe"].name == "Jane Roe"
    assert graph.document_of("person/jane-roe") is None
    assert graph.document_of("org/wiki-lab").id == graph.document_of("claim/wiki-roe-view").id == "doc/wiki-roe"


def test_within_one_directory_a_duplicate_stays_an_error(two):
    a, _ = two
    write(a / "entities" / "people.extra.yaml", "- id: person/jane-roe\n  name: Jane Again\n")
    assert [str(i) for i in kg.validate(a, shacl=False).issues] == [
        "a/entities/people.yaml:1: duplicate id 'person/jane-roe' (first defined at a/entities/people.extra.yaml:1)"]


def test_documents_and_their_items_in_two_directories_are_errors(two):
    a, b = two
    shutil.copy(a / "documents" / "briefing-reward-tampering.yaml", b / "documents")
    write(b / "documents" / "other.yaml", WIKI_PAGE.replace("claim/wiki-roe-view", "claim/tampering-far-off")
          .replace("  people:\n    - {id: person/jane-roe, name: Jane Roe (wiki), status: proposed}\n", ""))
    report = kg.validate([a, b], shacl=False)
    assert [(str(i), i.code) for i in report.issues] == [
        ("b/documents/briefing-reward-tampering.yaml:1: duplicate id 'doc/briefing-reward-tampering' (first defined "
         "at a/documents/briefing-reward-tampering.yaml:1)", "duplicate-id"),
        ("b/documents/other.yaml:9: duplicate id 'claim/tampering-far-off' (first defined at "
         "a/documents/briefing-reward-tampering.yaml:15)", "duplicate-id"),
    ]
    with pytest.raises(kg.DataError) as raised:
        kg.load([a, b])
    assert raised.value.issues == report.issues


def test_errors_name_the_file_and_line_in_the_second_directory(two):
    a, b = two
    write(b / "entities" / "people.yaml", "- id: person/wiki-author\n  name: Wiki Author\n- id: person/nameless\n")
    write(b / "documents" / "wiki-roe.yaml", WIKI_PAGE.replace("holders: [person/jane-roe]",
                                                               "holders: [person/wiki-autor]"))
    assert [str(i) for i in kg.validate([a, b], shacl=False).sorted()] == [
        "b/documents/wiki-roe.yaml:7: warning: id 'person/jane-roe' is also defined in a/entities/people.yaml:1; "
        "that definition wins",
        "b/documents/wiki-roe.yaml:13: holders: unknown id 'person/wiki-autor' (did you mean 'person/wiki-author'?)",
        "b/entities/people.yaml:3: Person name: required field is missing",
    ]


def test_registry_files_with_a_suffix_are_read_and_unknown_ones_named(two):
    a, _ = two
    write(a / "entities" / "people.extra.yaml", "- id: person/extra-person\n  name: Extra Person\n")
    assert kg.load(a).nodes["person/extra-person"].name == "Extra Person"
    write(a / "entities" / "widgets.extra.yaml", "- id: person/x\n")
    assert [str(i) for i in kg.validate(a, shacl=False).issues] == [
        "a/entities/widgets.extra.yaml:1: unknown entity registry 'widgets.extra.yaml' (expected one of "
        "people.yaml, organizations.yaml, sources.yaml, concepts.yaml, groups.yaml, or KIND.SUFFIX.yaml such as "
        "people.extra.yaml)"]


def test_missing_or_empty_directories_are_named(two):
    a, b = two
    with pytest.raises(kg.UsageError, match=r"^data directory not found: nope$"):
        kg.load([a, "nope"])
    with pytest.raises(kg.UsageError, match=r"^data directories not found: nope, gone$"):
        kg.validate(["nope", a, "gone"])
    assert [str(i) for i in kg.validate([a, b], shacl=False).sorted()] == [
        "b:1: no data files found under b/entities or b/documents"]
    with pytest.raises(kg.UsageError, match="no data directory given"):
        kg.load([])


def test_a_directory_given_twice_is_read_once(two):
    a, _ = two
    assert kg.validate([a, Path.cwd() / a], shacl=False).issues == []


@pytest.mark.parametrize("argv", [
    ["--data", "a", "--data", "b", "validate", "--no-shacl"],
    ["validate", "--data", "a", "--data", "b", "--no-shacl"],
    ["--data", "a", "validate", "--no-shacl", "--data", "b"],
])
def test_cli_data_repeats_before_and_after_the_command(two, capsys, argv):
    override_b(two[1])
    assert main(argv) == 0
    assert capsys.readouterr().err.splitlines() == [
        "b/entities/organizations.yaml:4: warning: id 'org/example-lab' is also defined in "
        "a/entities/organizations.yaml:1; that definition wins",
        "kg: a, b are valid (0 errors, 1 warning)"]


def test_cli_order_decides_the_winner_and_other_commands_mention_warnings(two, capsys):
    override_b(two[1])
    assert main(["--data", "b", "stats", "--format", "json", "--data", "a"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["nodes"]["Organization"] == 3
    assert captured.err == "kg: 1 warning in b, a (kg validate lists them)\n"
    assert main(["--data", "b", "query", "SELECT ?n WHERE { org:example-lab kg:name ?n }", "--data", "a",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["Example Lab (wiki)"]


def test_cli_errors_in_two_directories(two, capsys):
    a, b = two
    write(b / "entities" / "people.yaml", "- id: person/nameless\n")
    assert main(["validate", "--data", "a", "--data", "b", "--no-shacl"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "b/entities/people.yaml:1: Person name: required field is missing", "kg: 1 error in a, b"]
    assert main(["stats", "--data", "a", "--data", "nope"]) == 2
    assert capsys.readouterr().err == "kg: error: data directory not found: nope\n"


def test_ingest_links_against_every_directory_and_writes_into_the_first(two):
    a, b = two
    write(b / "entities" / "organizations.yaml", "- id: org/northwind-ai\n  name: Northwind AI\n  kind: lab\n")
    bundle = kg.ingest_file(BRIEFING, data=[a, b])
    assert {"id": "org/northwind-ai", "name": "Northwind AI", "status": "existing"} in bundle.to_json()["links"]
    alone = kg.ingest_file(BRIEFING, data=a)
    assert "org/northwind-ai" not in {link["id"] for link in alone.to_json()["links"]}
    result = run_kg("ingest", str(BRIEFING), "--data", "a", "--data", "b", cwd=Path.cwd())
    assert result.code == 0, result.err
    written = Path("a/documents/briefing-sandbagging-dangerous-capability-evaluations.yaml")
    assert f"kg: wrote {written} (" in result.err
    assert sorted(p.name for p in (b / "documents").iterdir()) == []
    assert kg.validate([a, b], shacl=False).issues == []
    graph = kg.load([a, b])
    document = graph.documents["doc/briefing-sandbagging-dangerous-capability-evaluations"]
    assert "org/northwind-ai" in {holder for claim in document.claims for holder in claim.holders}
    assert "org/northwind-ai" not in {o.id for o in document.entities.organizations}  # linked, not proposed
    assert graph.document_of("org/northwind-ai") is None
    assert "unknown id 'org/northwind-ai'" in str(kg.validate(a, shacl=False).issues)


def test_ingest_finds_an_existing_bundle_in_a_later_directory(two):
    a, b = two
    write(b / "entities" / "organizations.yaml", "- id: org/northwind-ai\n  name: Northwind AI\n  kind: lab\n")
    first = run_kg("ingest", str(BRIEFING), "--data", "b", cwd=Path.cwd())
    assert first.code == 0, first.err
    again = run_kg("ingest", str(BRIEFING), "--data", "a", "--data", "b", cwd=Path.cwd())
    assert again.code == 0, again.err
    assert "kg: b/documents/briefing-sandbagging-dangerous-capability-evaluations.yaml already holds this document " \
           "(doc/briefing-sandbagging-dangerous-capability-evaluations)" in again.err
    assert sorted(p.name for p in (a / "documents").iterdir()) == ["briefing-reward-tampering.yaml"]
