"""``kg import longterm-wiki``: a small invented knowledge base (both layouts), re-imports, merging into a data
directory, usage errors, and the real snapshot (skipped with a message when ``../shared`` is absent).

Every expected number below is worked out by hand from ``tests/fixtures/longterm-wiki/flat/`` (its README says
so): a change there changes them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

import kg
from kg.importers import import_kb
from tests.conftest import DATA, FIXTURES, ROOT, SHARED, Result, run_kg

FLAT = FIXTURES / "longterm-wiki" / "flat"
REAL = SHARED / "corpora" / "longterm-wiki"
MANIFEST = "longterm-wiki.import.json"
BROKEN = os.path.relpath(FLAT / "pages" / "risks" / "broken.mdx", ROOT)
BROKEN_MESSAGE = f"{BROKEN}:8: unterminated <Crux> tag"

#: the report's counts for the fixture, by hand
COUNTS = {
    # entities/*.yaml: 3 people, 3 organizations (anthropic is the curated one), a risk, a concept, an approach
    "entities": 9, "entities: person": 3, "entities: organization": 3, "entities: risk": 1, "entities: concept": 1,
    "entities: approach": 1, "entities already in the curated corpus": 1,
    # nimbus-ai researches goal-drift; tripwire-audits is researched by safeguard-institute
    "addresses edges (organization addresses or researches a concept)": 2,
    "organizations.yaml entries": 2, "glossary terms": 2, "venues": 2,
    # 4 pages, broken.mdx skipped; silent-drift.mdx (E950) matches no entity
    "page documents": 3, "pages skipped": 1, "page topics (numericId matches no entity)": 1,
    # nimbus-ai: 5 EntityLinks + E999; oversight-debate: 2; silent-drift: 1
    "entity links resolved": 8, "entity links unresolved": 1,
    # <R>: nimbus-ai 2 (one in a Quick Assessment cell), oversight-debate 1; links: nimbus-ai 2 (one in a cell),
    # oversight-debate 1 (in a cell): each counted once, though a cell's citation is cited by its row's claim too
    "resource citations": 3, "link citations": 3,
    "pages with a Quick Assessment": 2, "Quick Assessment tables: Dimension | Assessment | Evidence": 1,
    "Quick Assessment tables: other columns": 1, "Quick Assessment claims": 3,
    # cruxes.yaml: goal-drift-detectable (3 positions), oversight-scales (2); pages: goal-drift-detectable (one
    # position worded as in the YAML, one not) and page-only-crux (2)
    "crux components": 2, "crux questions": 3, "crux positions from cruxes.yaml": 5,
    "crux positions only on pages": 2, "crux positions merged (page = cruxes.yaml)": 1,
    "crux positions kept apart (page differs from cruxes.yaml)": 1, "crux tensions": 6 + 1 + 1,
    "disagreement maps": 1, "disagreement-map claims": 3, "disagreement-map tensions": 2,  # support/oppose/open
    "key-question lists": 2, "key questions": 3,
    "key-people lists": 1, "key people": 3, "key people added as people": 1,  # Tomas Reyes
    "experts": 3, "expert positions": 4, "experts added as people": 1, "expert topics added as concepts": 2,
    "literature": 2, "literature authors resolved": 2, "literature authors kept as names": 1,
    # the essays URL (Quill Notes), the journal review and the literature paper (Example Journal)
    "sources with venue credibility": 3,
    # crux holders: Ada Quill x2, Mira Okafor, José Núñez; Safeguard Institute, Harbor Policy Lab; Some Nimbus AI
    # researchers; Skeptics, Some policy analysts. Disagreement map: José Núñez, Harbor Policy Lab, Some Nimbus AI
    # researchers.
    "holders: person": 5, "holders: organization": 3, "holders: group tied to an organization": 2,
    "holders: group of its own": 2,
    "written: people": 5, "written: organizations": 5, "written: groups": 4, "written: concepts": 7,
    "written: sources": 16, "written: entities": 37, "written: documents": 6, "written: claims": 3 + 8 + 3 + 4,
    "written: tensions": 8 + 2, "written: questions": 3 + 1 + 3, "written: events": 0,
}
LISTS = {
    "Quick Assessment tables: other columns": ["pages/debates/oversight-debate.mdx: Question | Answer"],
    "crux positions kept apart": ["goal-drift-detectable: Regulators will notice it long before any lab does"],
    "cruxes only on pages": ["page-only-crux (pages/debates/oversight-debate.mdx)"],
    "entities already in the curated corpus (curated kept)": ["anthropic → org/anthropic"],
    "entity links unresolved": ["pages/organizations/nimbus-ai.mdx:23: E999 (lost-entry)"],
    "holders: person": ["Ada Quill → person/ada-quill (exact)", "José Núñez → person/jose-nunez (exact)",
                        "Mira Okafor → person/mira-okafor (exact)"],
    "holders: organization": ["Harbor Policy Lab → org/harbor-policy-lab (exact)",
                              "Safeguard Institute → org/safeguard-institute (exact)"],
    "holders: group tied to an organization": ["Some Nimbus AI researchers → org/nimbus-ai (org-in-group)"],
    "holders: group of its own": ["Skeptics (group)", "Some policy analysts (group)"],
    "page topics (numericId matches no entity)": ["pages/risks/silent-drift.mdx → concept/silent-drift"],
}
#: records written: 37 entities, 6 documents, 18 claims, 10 tensions, 7 questions
RECORDS = 37 + 6 + 18 + 10 + 7


def clone_layout(target: Path) -> Path:
    """The fixture in a repository clone's layout (``data/...``, ``content/docs/knowledge-base/...``)."""
    for path in sorted(FLAT.rglob("*")):
        relative = path.relative_to(FLAT)
        if path.is_dir() or relative.name == "README.md":
            continue
        if relative.parts[0] == "pages":
            dest = target / "content" / "docs" / "knowledge-base" / Path(*relative.parts[1:])
        else:
            dest = target / "data" / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    return target


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root``: relative path -> bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def manifest(root: Path) -> dict[str, Any]:
    data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    data.pop("source")  # the PATH as given on the command line
    return data


def kg_import(path: Path, *args: str, data: Path = DATA) -> tuple[Result, dict[str, Any]]:
    result = run_kg("--data", str(data), "import", "longterm-wiki", str(path), "--json", *args)
    return result, json.loads(result.out) if result.out else {}


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def records(out: Path, kind: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in load_yaml(out / "entities" / f"{kind}.yaml")}


def items(out: Path, document: str, key: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in load_yaml(out / "documents" / f"{document}.yaml").get(key, [])}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, dict[str, Any], Path]:
    """The fixture imported once, with the curated corpus as context (exit 1: broken.mdx is skipped)."""
    out = tmp_path_factory.mktemp("import") / "wiki"
    result, report = kg_import(FLAT, "-o", str(out))
    return result, report, out


# -- the import of the fixture ---------------------------------------------------------------------------------------

def test_both_layouts_give_the_same_files(imported, tmp_path):
    _, _, flat_out = imported
    result, _ = kg_import(clone_layout(tmp_path / "clone"), "-o", str(tmp_path / "out"), "--keep-going")
    assert result.code == 0, result.err
    flat, clone = tree(flat_out), tree(tmp_path / "out")
    assert flat.pop(MANIFEST) != clone.pop(MANIFEST)  # only the source path differs...
    assert manifest(flat_out) == manifest(tmp_path / "out")
    assert clone == flat  # ...and every data file is byte-identical
    assert len(flat) == 5 + 6


def test_output_validates_with_the_curated_corpus_and_alone(imported, tmp_path):
    _, _, out = imported
    report = kg.validate([DATA, out], shacl=True)
    assert [str(i) for i in report.errors] == []
    alone = tmp_path / "alone"
    import_kb("longterm-wiki", FLAT, out=alone)  # no curated corpus: anthropic and the wiki org are its own
    assert "org/anthropic" in records(alone, "organizations")
    assert "org/longterm-wiki" in records(alone, "organizations")
    assert [str(i) for i in kg.validate(alone, shacl=True).errors] == []


def test_report_counts_lists_and_changes(imported):
    _, report, out = imported
    assert report["counts"] == COUNTS
    lists = dict(report["lists"])
    assert lists.pop("written to") == [str(out)]
    assert lists == LISTS
    assert report["skipped"] == [BROKEN_MESSAGE]
    assert report["changes"] == {"added": RECORDS, "changed": 0, "removed": 0, "unchanged": 0}
    assert report["files"] == sorted(p for p in tree(out) if p != MANIFEST)


def test_crux_claims_hold_people_groups_and_organizations(imported):
    _, _, out = imported
    claims = items(out, "longterm-wiki-cruxes", "claims")
    merged = claims["claim/crux-goal-drift-detectable-1"]  # cruxes.yaml's position, and the page's (same words)
    assert merged["holders"] == ["group/some-nimbus-ai-researchers", "person/ada-quill", "person/mira-okafor"]
    assert merged["citations"] == [1, 2]  # the cruxes dataset and the page
    assert claims["claim/crux-goal-drift-detectable-2"]["holders"] == ["group/skeptics"]
    assert claims["claim/crux-goal-drift-detectable-3"]["holders"] == ["source/longterm-wiki-cruxes"]  # none named
    apart = claims["claim/crux-goal-drift-detectable-4"]  # worded differently on the page: a claim of its own
    assert (apart["statement"], apart["holders"], apart["citations"]) == (
        "Regulators will notice it long before any lab does", ["org/harbor-policy-lab"], [2])
    assert claims["claim/crux-oversight-scales-2"]["holders"] == ["org/safeguard-institute"]
    groups = records(out, "groups")
    assert groups["group/some-nimbus-ai-researchers"]["affiliations"] == ["org/nimbus-ai"]
    assert "affiliations" not in groups["group/skeptics"]
    assert sorted(items(out, "longterm-wiki-cruxes", "questions")) == [
        "question/crux-goal-drift-detectable", "question/crux-oversight-scales", "question/crux-page-only-crux"]
    tensions = items(out, "longterm-wiki-cruxes", "tensions")
    pairs = sorted((t["a"].rsplit("-", 1)[1], t["b"].rsplit("-", 1)[1]) for t in tensions.values()
                   if "goal-drift" in t["id"])
    assert pairs == [("1", "2"), ("1", "3"), ("1", "4"), ("2", "3"), ("2", "4"), ("3", "4")]


def test_expert_claims_keep_dates_at_their_precision(imported):
    _, _, out = imported
    claims = items(out, "longterm-wiki-experts", "claims")
    month = claims["claim/expert-ada-quill-goal-drift-2"]
    assert (month["period"], month.get("date")) == ("2025-12", None)
    assert (month["holders"], month["about"], month["estimate"]) == (["person/ada-quill"], ["concept/goal-drift"],
                                                                    "60%")
    assert month["citations"] == [1, 2]  # the experts dataset, and the position's own source
    year = claims["claim/expert-ada-quill-timelines-1"]
    assert (year["period"], year.get("date")) == ("2023", None)
    day = claims["claim/expert-jose-nunez-p-doom-1"]
    assert (day["date"], day.get("period")) == (__import__("datetime").date(2024, 5, 1), None)
    people = records(out, "people")
    assert people["person/lena-brandt"]["origin"] == "experts.yaml#lena-brandt"  # an expert not among the entities
    assert people["person/jose-nunez"]["affiliations"] == ["org/safeguard-institute"]


def test_sources_entities_and_edges(imported):
    _, _, out = imported
    sources = records(out, "sources")
    essays = sources["source/ada-quill-example-org-essays-a905a3"]
    assert (essays["venue"], essays["credibility"]) == (
        "org/quill-notes", {"tier": 2, "label": "Mixed quality", "basis": "inherited from venue Quill Notes"})
    paper = sources["source/journal-example-org-drift-under-pressure-050f23"]  # literature.yaml, and a crux's research
    assert {k: paper.get(k) for k in ("venue", "authors", "author_names", "credibility", "period", "kind")} == {
        "venue": "org/example-journal", "authors": ["org/nimbus-ai", "person/ada-quill"],  # its organization wrote it
        "author_names": ["Ada Quill", "Unknown Author"], "period": "2022", "kind": "paper",
        "credibility": {"tier": 5, "label": "Gold standard",
                        "basis": "inherited from venue Example Journal of AI Safety"}}
    page = sources["source/wiki-nimbus-ai"]
    assert {k: page.get(k) for k in ("kind", "quality", "venue", "numeric_id", "origin")} == {
        "kind": "wiki-page", "quality": 72, "venue": "org/longterm-wiki", "numeric_id": "E911",
        "origin": "pages/organizations/nimbus-ai.mdx"}
    people, orgs, concepts = records(out, "people"), records(out, "organizations"), records(out, "concepts")
    assert people["person/ada-quill"]["origin"] == "entities/people.yaml#ada-quill"
    assert people["person/ada-quill"]["facts"] == ["Role: Research lead"]
    assert people["person/jose-nunez"]["name"] == "José Núñez"
    assert orgs["org/nimbus-ai"]["kind"] == "lab"
    assert orgs["org/quill-notes"]["credibility"]["basis"] == "the wiki's venue rating"
    assert "org/anthropic" not in orgs  # the curated record wins
    assert concepts["concept/oversight-gap"]["aliases"] == ["supervision gap"]  # from the glossary
    assert (concepts["concept/silent-drift"]["kind"], concepts["concept/silent-drift"]["origin"]) == (
        "risk", "pages/risks/silent-drift.mdx")
    relations = load_yaml(out / "documents" / "longterm-wiki-entities.yaml")["relations"]
    assert [(r["subject"], r["relation"], r["object"], r["level"]) for r in relations] == [
        ("org/nimbus-ai", "addresses", "concept/goal-drift", "substantive"),
        ("org/safeguard-institute", "addresses", "concept/tripwire-audits", "substantive")]
    nimbus = load_yaml(out / "documents" / "wiki-nimbus-ai.yaml")
    assert [(r["relation"], r["object"], r["lines"]) for r in nimbus["relations"]] == [
        ("mentions", "person/ada-quill", "16"), ("mentions", "concept/goal-drift", "16"),
        ("mentions", "org/anthropic", "22"), ("affiliated_with", "org/nimbus-ai", "27")]
    qa = {c["id"]: c for c in nimbus["claims"]}
    assert (qa["claim/wiki-nimbus-ai-qa-1"]["lines"], qa["claim/wiki-nimbus-ai-qa-1"]["citations"]) == ("15", [1, 2, 3])
    assert nimbus["citations"] == {1: "source/wiki-nimbus-ai", 2: "source/r-nmbres0001-a9830c",
                                   3: "source/journal-example-org-nimbus-review-17a6e1",
                                   4: "source/nimbus-example-com-blog-agenda-c64960"}
    debate = load_yaml(out / "documents" / "wiki-oversight-debate.yaml")
    assert [(t["a"], t["b"]) for t in debate["tensions"]] == [
        ("claim/wiki-oversight-debate-dm-1-1", "claim/wiki-oversight-debate-dm-1-2"),
        ("claim/wiki-oversight-debate-dm-1-2", "claim/wiki-oversight-debate-dm-1-3")]


def test_a_broken_page_is_reported_and_skipped(imported, tmp_path):
    result, _, out = imported
    assert result.code == 1
    assert result.err.splitlines() == [
        BROKEN_MESSAGE, "kg: error: 1 input file or part skipped (see above); the rest was imported "
        "(--keep-going to exit 0)"]
    files = tree(out)
    assert sorted(p for p in files if p.startswith("documents/wiki-")) == [
        "documents/wiki-nimbus-ai.yaml", "documents/wiki-oversight-debate.yaml", "documents/wiki-silent-drift.yaml"]
    assert not [p for p in files if "broken" in p or b"broken" in files[p].lower() or p.endswith(".tmp")]
    kept = run_kg("--data", str(DATA), "import", "longterm-wiki", str(FLAT), "-o", str(tmp_path / "w"),
                  "--keep-going")
    assert kept.code == 0
    assert kept.err.splitlines()[0] == BROKEN_MESSAGE
    assert tree(tmp_path / "w") .keys() == files.keys()


# -- re-imports ------------------------------------------------------------------------------------------------------

def test_reimporting_the_same_snapshot_rewrites_nothing(imported, tmp_path):
    _, _, first = imported
    out = tmp_path / "wiki"
    shutil.copytree(first, out)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file() and p.name != MANIFEST}
    _, report = kg_import(FLAT, "-o", str(out))
    assert report["changes"] == {"added": 0, "changed": 0, "removed": 0, "unchanged": RECORDS}
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*")
            if p.is_file() and p.name != MANIFEST} == before
    assert manifest(out) == manifest(first)


def test_a_newer_snapshot_reports_and_applies_its_changes(imported, tmp_path):
    _, _, first = imported
    out = tmp_path / "wiki"
    shutil.copytree(first, out)
    newer = tmp_path / "newer"
    shutil.copytree(FLAT, newer)
    risks = newer / "entities" / "risks.yaml"
    risks.write_text(risks.read_text(encoding="utf-8").replace("goals wander away", "goals slowly wander away"),
                     encoding="utf-8")
    (newer / "pages" / "risks" / "silent-drift.mdx").unlink()
    (newer / "pages" / "risks" / "drift-audits.mdx").write_text(
        '---\nnumericId: E922\ntitle: "Drift Audits"\n---\n\nAbout <EntityLink id="E920">drift</EntityLink>.\n\n'
        '<KeyQuestions questions={["Who pays for audits?"]} />\n', encoding="utf-8")
    _, report = kg_import(newer, "-o", str(out), "--keep-going")
    # removed: the page's document, its source and its topic concept/silent-drift; added: the new page's
    # document, source and key question; changed: concept/goal-drift
    assert report["changes"] == {"added": 3, "changed": 1, "removed": 3, "unchanged": RECORDS - 3 - 1}
    documents = sorted(p.name for p in (out / "documents").iterdir())
    assert "wiki-silent-drift.yaml" not in documents and "wiki-drift-audits.yaml" in documents
    assert "concept/silent-drift" not in records(out, "concepts")
    assert records(out, "concepts")["concept/goal-drift"]["definition"].startswith("A trained system's goals slowly")
    assert [str(i) for i in kg.validate([DATA, out], shacl=False).errors] == []


# -- merging into a data directory -----------------------------------------------------------------------------------

def test_merge_into_a_data_directory_keeps_curated_files_and_records(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    curated = tree(data)
    result, report = kg_import(FLAT, "--keep-going", data=data)
    assert result.code == 0, result.err
    merged = tree(data)
    assert {p: merged[p] for p in curated} == curated  # every curated file byte-identical
    written = sorted(set(merged) - set(curated))
    assert written == sorted([MANIFEST, *(f"entities/{k}.longterm-wiki.yaml"
                                          for k in ("concepts", "groups", "organizations", "people", "sources")),
                              "documents/longterm-wiki-cruxes.yaml", "documents/longterm-wiki-entities.yaml",
                              "documents/longterm-wiki-experts.yaml", "documents/wiki-nimbus-ai.yaml",
                              "documents/wiki-oversight-debate.yaml", "documents/wiki-silent-drift.yaml"])
    assert report["changes"]["added"] == RECORDS
    assert "org/anthropic" not in {r["id"] for r in load_yaml(data / "entities" / "organizations.longterm-wiki.yaml")}
    graph = kg.load(data)
    assert graph.nodes["org/anthropic"].origin is None  # the curated Anthropic, which the wiki's page mentions
    assert ("source/wiki-nimbus-ai", "org/anthropic") in {
        (r["subject"], r["object"]) for r in load_yaml(data / "documents" / "wiki-nimbus-ai.yaml")["relations"]}
    check = run_kg("--data", str(data), "validate")
    assert check.code == 0, check.err
    again, report = kg_import(FLAT, "--keep-going", data=data)
    assert again.code == 0, again.err
    assert report["changes"] == {"added": 0, "changed": 0, "removed": 0, "unchanged": RECORDS}
    assert tree(data) == merged


# -- usage errors ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "message"), [
    ("unknown kb", "kg: error: unknown knowledge base 'no-such-kb' (known: longterm-wiki)"),
    ("no snapshot", "is not a longterm-wiki snapshot or clone"),
    ("missing path", "not a directory"),
    ("non-empty -o", "is not empty and holds no earlier `kg import longterm-wiki`"),
    ("nowhere to write", "say where to write the import"),
])
def test_usage_errors_exit_2_with_one_line(case, message, tmp_path):
    out = tmp_path / "out"
    empty = tmp_path / "empty"
    empty.mkdir()
    args = {"unknown kb": ["--data", str(DATA), "import", "no-such-kb", str(FLAT), "-o", str(out)],
            "no snapshot": ["--data", str(DATA), "import", "longterm-wiki", str(empty), "-o", str(out)],
            "missing path": ["--data", str(DATA), "import", "longterm-wiki", str(tmp_path / "nope"), "-o", str(out)],
            "non-empty -o": ["--data", str(DATA), "import", "longterm-wiki", str(FLAT), "-o", str(empty)],
            "nowhere to write": ["import", "longterm-wiki", str(FLAT)]}[case]
    if case == "non-empty -o":
        (empty / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run_kg(*args)
    assert result.code == 2
    assert len(result.err.splitlines()) == 1 and message in result.err, result.err
    assert not out.exists()
    if case == "non-empty -o":
        assert tree(empty) == {"notes.txt": b"mine\n"}


# -- the real snapshot -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(wiki_import: tuple[dict[str, Any], Path]) -> tuple[dict[str, Any], Path]:
    return wiki_import  # the session's one import of the snapshot (tests/conftest.py)


def test_the_real_snapshot_imports_whole(real):
    report, out = real
    counts = report["counts"]
    assert report["skipped"] == []
    assert (counts["entities"], counts["page documents"]) == (775, 572)
    links = counts["entity links resolved"], counts["entity links unresolved"]
    assert links[0] / sum(links) >= 0.98
    assert len(report["lists"]["entity links unresolved"]) == links[1]
    assert (counts["crux questions"], counts["crux positions from cruxes.yaml"],
            counts["crux positions only on pages"]) == (60, 168, 12)
    page_positions = counts["crux positions merged (page = cruxes.yaml)"] + counts[
        "crux positions kept apart (page differs from cruxes.yaml)"] + counts["crux positions only on pages"]
    cruxes = load_yaml(out / "documents" / "longterm-wiki-cruxes.yaml")
    assert len(cruxes["claims"]) == 168 + page_positions - counts["crux positions merged (page = cruxes.yaml)"]
    assert page_positions == sum(len(c["positions"]) for c in _crux_components(REAL))
    assert len(cruxes["questions"]) == 60
    assert (counts["disagreement maps"], counts["expert positions"]) == (24, 78)
    # every holder name counted in exactly one kind: the counts add up to the names given, the lists are disjoint
    kinds = ("person", "organization", "group tied to an organization", "group of its own")
    named = [h for c in cruxes["claims"] for h in c["holders"] if not h.startswith("source/")]
    assert sum(counts[f"holders: {k}"] for k in kinds) == len(named) + counts["disagreement-map claims"]
    names = [entry.split(" → ")[0] if " → " in entry else entry.rsplit(" (", 1)[0]  # "name → id (how)", "name (how)"
             for k in kinds for entry in report["lists"][f"holders: {k}"]]
    assert len(names) == len(set(names))
    assert [str(i) for i in kg.validate([DATA, out], shacl=False).errors] == []


def _crux_components(root: Path) -> list[dict[str, Any]]:
    """Every <Crux> of the real pages, read by the MDX parser on its own."""
    from kg.importers._mdx import parse_page

    found = []
    for path in sorted((root / "pages").rglob("*.mdx")):
        text = path.read_text(encoding="utf-8")
        if "<Crux" in text:
            page = parse_page(text, str(path), strict=frozenset({"Crux"}))
            found += [c.attrs for c in page.components if c.name == "Crux"]
    return found
