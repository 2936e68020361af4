"""kg.ingest: briefings, resource cards and concept pages become data bundles that validate.

The same assertions run on the seed documents and on fixtures written for these tests on other topics
(tests/fixtures/documents), so the parsers cannot be tuned to the seeds' wording.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.errors import IngestError, UsageError
from kg.ingest.linking import Index
from tests.conftest import DATA, FIXTURES, SEEDS, outputs_under_hash_seeds

OWN = FIXTURES / "documents"
REGISTRY = OWN / "registry"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


def seed(name: str) -> Any:
    return pytest.param(SEEDS / name, marks=needs_seeds, id=f"seed:{name.split('-')[0]}")


def own(name: str) -> Any:
    return pytest.param(OWN / name, id=f"own:{name.removesuffix('.txt')}")


def validate_in(folder: Path, bundle: kg.Bundle, registry: Path | None = None) -> kg.Report:
    """The report of ``kg validate`` on a data directory holding ``registry`` (if any) and the bundle."""
    if registry is not None:
        shutil.copytree(registry, folder, dirs_exist_ok=True)
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    bundle.write(folder / "documents" / f"{bundle.slug}.yaml")
    return kg.validate(folder)


# --- briefings ------------------------------------------------------------------------------------------------

BRIEFINGS = {
    "briefing-mallen-behavioral-selection.txt": {
        "title": "Alex Mallen's Behavioral Selection Model and Deployment-Time Misalignment Risk",
        "version": "2", "updated": "2026-05-21T09:34:00Z",
        "sources": [(1, "Clarifying the role of the behavioral selection model", "Alignment Forum", "2026-05-10"),
                    (2, "Risk reports need to address deployment-time spread of misalignment.",
                     "reactive:ai-deployment-misalignment-risk", "2026-05-15"),
                    (3, "Risk reports need to address deployment-time spread of misalignment", "Alignment Forum",
                     "2026-05-15")],
        "events": [("2026-05-10", [1]), ("2026-05-15", [3, 2])],
        "questions": [[3], [1], [3], [1, 3]],
        "perspectives": ["Alex Mallen"],
        "tensions": [[1], [3], [3]],
        "tension_kinds": ["self-correction", "institutional", "institutional"],
    },
    "briefing-sandbagging.txt": {
        "title": "Sandbagging in Dangerous-Capability Evaluations",
        "version": "3.1", "updated": "2025-03-14T14:05:00Z",
        "sources": [(1, "The elicitation gap", "LessWrong", "2025-01-20"),
                    (2, "Password-Locked Models as a Proxy for Sandbagging", "arXiv", "2025-02-02"),
                    (3, "Northwind evaluation protocol, second edition", "Northwind AI Blog", "2025-02-27"),
                    (4, "Measuring elicitation effort", "Meridian Institute", "2025-02-10"),
                    (5, "Auditing capability evaluations: a proposal", "Meridian Institute Blog", "2025-03-10")],
        "events": [("2025-01-20", [1]), ("2025-02-02", [2, 4]), ("2025-02-27", [3]), ("2025-03-10", [5])],
        "questions": [[2, 3], [4], [1, 5]],
        "perspectives": ["Priya Raman", "Tomás Ortega", "Lena Hoffmann"],
        "tensions": [[1, 3], [2, 1], [5, 2, 4]],
        "tension_kinds": ["institutional", "empirical", "empirical"],
    },
    "briefing-reward-overoptimization.txt": {
        "title": "Reward Model Overoptimization: Where the Debate Stands",
        "version": "1.2", "updated": "2024-11-03T00:00:00Z",
        "sources": [(1, "Scaling laws for reward model overoptimization, revisited", "Example Journal", "2024-10-02"),
                    (2, "Ensembles against overoptimization", "Poe Lab Blog", "2024-10-20"),
                    (3, "Reward models in production", "Industry Report", "2024-11-01")],
        "events": [("2024-10-02", [1]), ("2024-10-20", [2])],
        "questions": [[1], [2, 3]],
        "perspectives": ["Jane Roe", "Sam Poe"],
        "tensions": [[1, 2], [1, 2, 3]],
        "tension_kinds": ["theoretical", "empirical"],
    },
}


@pytest.mark.parametrize("path", [seed("briefing-mallen-behavioral-selection.txt"), own("briefing-sandbagging.txt"),
                                  own("briefing-reward-overoptimization.txt")])
def test_briefing_fields(path: Path, tmp_path: Path) -> None:
    expected = BRIEFINGS[path.name]
    bundle = kg.ingest_file(path)
    view = bundle.to_json()
    assert bundle.format == "briefing" and view["kind"] == "briefing"
    assert (view["title"], view["version"], view["updated"]) == (expected["title"], expected["version"],
                                                                  expected["updated"])
    assert view["summary"] and view["why_it_matters"]
    assert [(s["number"], s["title"], s["venue"], s["date"]) for s in view["sources"]] == expected["sources"]
    assert [(e["date"], e["citations"]) for e in view["events"]] == expected["events"]
    assert all(e["text"] and not re.search(r"\[\d+\]", e["text"]) for e in view["events"])
    assert [q["citations"] for q in view["questions"]] == expected["questions"]
    assert all(q["text"].endswith("?") for q in view["questions"])
    assert [p["person"] for p in view["perspectives"]] == expected["perspectives"]
    assert all(p["stance"] for p in view["perspectives"]) and any(p["evolution"] for p in view["perspectives"])
    assert [t["citations"] for t in view["tensions"]] == expected["tensions"]
    assert [t["kind"] for t in view["tensions"]] == expected["tension_kinds"]
    claims = {c["id"]: c for c in view["claims"]}
    for tension in view["tensions"]:
        a, b = claims[tension["a"]], claims[tension["b"]]
        assert a["citations"] == b["citations"] == tension["citations"]
        assert a["statement"] != b["statement"] and tension["sides"] == [a["statement"], b["statement"]]
        assert a["statement"][:-1].casefold()[:30] in tension["note"].casefold()
    assert set(expected["perspectives"]) <= set(view["entities"]["people"])
    assert validate_in(tmp_path / "data", bundle).errors == []


def test_seed_briefing_links_to_the_curated_registry() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    bundle = kg.ingest_file(SEEDS / "briefing-mallen-behavioral-selection.txt", data=DATA)
    doc = bundle.document
    assert doc.citations == {1: "source/clarifying-behavioral-selection-model",
                             2: "source/mallen-social-deployment-time-spread",
                             3: "source/risk-reports-deployment-time-spread"}
    assert doc.perspectives[0].person == "person/alex-mallen"
    holders = [c.holders for c in doc.claims]
    assert holders[3] == ["org/google-deepmind", "org/xai", "org/openai", "org/meta"]
    assert holders[4] == ["org/anthropic"] and "source/claude-mythos-risk-report" in doc.claims[4].about
    assert holders[1] == ["person/alex-mallen"]  # "his own acknowledged gaps": the other side's holder
    assert "concept/reflection-and-deliberation" in doc.claims[1].about
    assert bundle.proposed == []


# --- resource cards -------------------------------------------------------------------------------------------

RESOURCES = {
    "resource-model-organisms.txt": {
        "title": "Model Organisms of Misalignment: The Case for a New Pillar of Alignment Research",
        "kind": "blog-post", "venue": "Alignment Forum", "authors": [],
        "url": "https://www.alignmentforum.org/posts/ChDH335ckdvpxXaXX/"
               "model-organisms-of-misalignment-the-case-for-a-new-pillar-of-1",
        "stable_id": "MjY3M2RhND",
        "credibility": {"label": "Good quality", "tier": 3,
                        "basis": "inherited from publication venue: Alignment Forum"},
        "description": "An influential Alignment Forum post", "key_points": 5,
        "cited_by": [("Model Organisms of Misalignment", "Analysis", 65.0)],
    },
    "resource-password-locked.txt": {
        "title": "Password-Locked Models as a Proxy for Sandbagging",
        "kind": "paper", "venue": None, "authors": ["Tomás Ortega", "Lena Hoffmann"],
        "url": "https://arxiv.org/abs/2502.00001", "stable_id": "QXJ4aXZQTE",
        "credibility": {"label": "High quality", "tier": 4,
                        "basis": "Preprint by established researchers, with code and data released."},
        "description": "A careful empirical study", "key_points": 4,
        "cited_by": [("Sandbagging", "Concept", 72.5), ("Capability elicitation", "Analysis", 58.0)],
    },
}


@pytest.mark.parametrize("path", [seed("resource-model-organisms.txt"), own("resource-password-locked.txt")])
def test_resource_card_fields(path: Path, tmp_path: Path) -> None:
    expected = RESOURCES[path.name]
    bundle = kg.ingest_file(path)
    view = bundle.to_json()
    source = view["source"]
    assert bundle.format == "resource" and view["kind"] == "resource-card"
    for key in ("title", "kind", "venue", "authors", "url", "stable_id", "credibility"):
        assert source[key] == expected[key], key
    assert source["description"].startswith(expected["description"]) and source["summary"]
    assert len(view["key_points"]) == expected["key_points"]
    claims = {c["id"]: c for c in view["claims"]}
    for point in view["key_points"]:
        assert claims[point["id"]]["holders"] == [source["id"]] and claims[point["id"]]["citations"] == [1]
    assert [(r["page"], r["type"], r["quality"]) for r in view["cited_by"]] == expected["cited_by"]
    assert [s["number"] for s in view["sources"]] == list(range(1, len(expected["cited_by"]) + 2))
    cites = [r for r in view["relations"] if r["relation"] == "cites"]
    assert [(r["subject"], r["object"]) for r in cites] == [(c["id"], source["id"]) for c in view["cited_by"]]
    record = next(s for s in bundle.document.entities.sources if s.id == source["id"])
    assert record.status == "proposed" and record.credibility is not None
    assert record.credibility.tier == expected["credibility"]["tier"]
    assert validate_in(tmp_path / "data", bundle).errors == []


# --- concept pages --------------------------------------------------------------------------------------------

CONCEPTS = {
    "concept-misaligned-model-behaviors.txt": {
        "label": "Misaligned Model Behaviors", "definition": "Misaligned model behaviors occur when",
        "examples": [None, None, None, "Speculative"],
        "mitigations": ["Evals targeting alignment and deception detection",
                        "Observability comparing agent behavior under monitored vs. unmonitored conditions",
                        "Output guardrails", "Human review of high-stakes tool actions"],
        "related": {("Goal manipulation", "related_to"), ("Sycophancy", "broader"), ("Shortcut-taking", "broader"),
                    ("Proxy metric over-optimization", "broader"), ("Eval-reality gap", "related_to")},
    },
    "concept-sandbagging.txt": {
        "label": "Sandbagging", "definition": "Sandbagging is strategic underperformance",
        "examples": [None, "Hypothetical", None],
        "mitigations": ["Fine-tuning-based elicitation", "Held-out evaluations",
                        "Audits of elicitation effort by an independent party"],
        "related": {("Reward hacking", "related_to"), ("Selective refusal", "broader"),
                    ("Deliberate errors", "broader"), ("Effort throttling", "broader"),
                    ("Capability elicitation", "related_to")},
    },
    "concept-specification-gaming.txt": {
        "label": "Specification Gaming", "definition": "Specification gaming is a model satisfying",
        "examples": [None, "Reported"],
        "mitigations": ["Reward modeling", "Adversarial testing of environments"],
        "related": {("Goal misgeneralization", "related_to"), ("Reward tampering", "broader"),
                    ("Environment exploits", "broader"), ("Metric gaming", "broader"),
                    ("Reward hacking", "related_to")},
    },
}


@pytest.mark.parametrize("path", [seed("concept-misaligned-model-behaviors.txt"), own("concept-sandbagging.txt"),
                                  own("concept-specification-gaming.txt")])
def test_concept_page_fields(path: Path, tmp_path: Path) -> None:
    expected = CONCEPTS[path.name]
    bundle = kg.ingest_file(path)
    view = bundle.to_json()
    concept = view["concept"]
    assert bundle.format == "concept" and view["kind"] == "concept-page"
    assert concept["label"] == expected["label"] and concept["definition"].startswith(expected["definition"])
    assert view["details"] and all(d["text"] for d in view["details"])
    assert [e["tag"] for e in view["examples"]] == expected["examples"]
    example_of = {(r["subject"], r["object"]) for r in view["relations"] if r["relation"] == "example_of"}
    assert {(e["claim"], concept["id"]) for e in view["examples"]} == example_of
    assert [m["label"] for m in view["mitigations"]] == expected["mitigations"]
    mitigates = [(r["subject"], r["object"]) for r in view["relations"] if r["relation"] == "mitigates"]
    assert mitigates == [(m["id"], concept["id"]) for m in view["mitigations"]]
    proposed = {c.id: c for c in bundle.document.entities.concepts}
    assert all(proposed[m["id"]].kind == "mitigation" for m in view["mitigations"])
    assert {(r["label"], r["relation"]) for r in view["related"]} == expected["related"]
    assert validate_in(tmp_path / "data", bundle).errors == []


# --- the JSON view --------------------------------------------------------------------------------------------

ALL = [seed("briefing-mallen-behavioral-selection.txt"), seed("resource-model-organisms.txt"),
       seed("concept-misaligned-model-behaviors.txt"), own("briefing-sandbagging.txt"),
       own("briefing-reward-overoptimization.txt"), own("resource-password-locked.txt"),
       own("concept-sandbagging.txt"), own("concept-specification-gaming.txt")]
FORMAT_FIELDS = {"briefing": {}, "resource": {"source": {"title", "kind", "url", "stable_id", "credibility"},
                                              "key_points": set(), "cited_by": set()},
                 "concept": {"concept": {"label", "definition"}, "examples": set(), "mitigations": set(),
                             "related": set()}}
ITEM_FIELDS = {"sources": {"number", "title", "venue", "date"}, "events": {"date", "text", "citations"},
               "questions": {"text", "citations"}, "perspectives": {"person", "stance", "evolution"},
               "tensions": {"a", "b", "citations"}, "claims": {"id", "statement", "holders", "citations"}}


@pytest.mark.parametrize("path", ALL)
def test_json_view_has_the_documented_fields(path: Path) -> None:
    bundle = kg.ingest_file(path)
    view = json.loads(bundle.to_json_text())
    for key, fields in ITEM_FIELDS.items():
        assert isinstance(view[key], list)
        for item in view[key]:
            assert fields <= set(item), (key, item)
            assert all(isinstance(n, int) for n in item.get("citations", [])), item
    assert set(view["entities"]) >= {"people", "organizations", "concepts"}
    assert all(isinstance(name, str) for names in view["entities"].values() for name in names)
    for key, fields in FORMAT_FIELDS[bundle.format].items():
        assert key in view
        assert fields <= set(view[key] if isinstance(view[key], dict) else {}), key
    assert view["origin"] == path.name


# --- provenance -----------------------------------------------------------------------------------------------

def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


@pytest.mark.parametrize("path", ALL)
def test_every_record_says_which_lines_it_came_from(path: Path) -> None:
    bundle = kg.ingest_file(path, data=REGISTRY if path.parent == OWN else DATA)
    lines = path.read_text(encoding="utf-8").splitlines()
    doc = bundle.document
    assert doc.origin == path.name and doc.lines == f"1-{len(lines)}"

    def span(record: Any) -> str:
        assert record.lines, record
        start, _, end = record.lines.partition("-")
        first, last = int(start), int(end or start)
        assert 1 <= first <= last <= len(lines), record
        return " ".join(_words(" ".join(lines[first - 1:last])))

    for record in [*doc.claims, *doc.tensions, *doc.events, *doc.questions]:
        text = getattr(record, "statement", None) or getattr(record, "note", None) or getattr(record, "summary",
                                                                                                None) or record.text
        assert " ".join(_words(text)[:3]) in span(record), record
    for perspective in doc.perspectives:
        assert " ".join(_words(perspective.stance)[:4]) in span(perspective)
    for relation in doc.relations:
        span(relation)
    for entity in bundle.proposed:
        assert " ".join(_words(entity.caption)[:3]) in span(entity), entity


def test_provenance_reaches_the_rdf_view(tmp_path: Path) -> None:
    from rdflib import Literal

    from kg.vocab import KG, iri

    bundle = kg.ingest_file(OWN / "briefing-sandbagging.txt")
    validate_in(tmp_path / "data", bundle)
    rdf = kg.load(tmp_path / "data").rdf
    claim, person = bundle.document.claims[0], bundle.document.entities.people[0]
    assert (iri(claim.id), KG.lines, Literal(claim.lines)) in rdf
    assert (iri(person.id), KG.lines, Literal(person.lines)) in rdf
    assert (iri(bundle.id), KG.origin, Literal("briefing-sandbagging.txt")) in rdf


def test_windows_line_endings_and_a_byte_order_mark_read_the_same(tmp_path: Path) -> None:
    text = (OWN / "briefing-sandbagging.txt").read_text(encoding="utf-8")
    path = tmp_path / "briefing-sandbagging.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert kg.ingest_file(path).to_yaml() == kg.ingest_file(OWN / "briefing-sandbagging.txt").to_yaml()


# --- entity linking -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def registry() -> kg.KnowledgeGraph:
    return kg.load(REGISTRY)


def test_own_briefing_links_people_orgs_sources_and_proposes_the_rest(registry: kg.KnowledgeGraph) -> None:
    bundle = kg.ingest_file(OWN / "briefing-sandbagging.txt", data=registry)
    doc = bundle.document
    assert [p.person for p in doc.perspectives] == ["person/priya-raman", "person/tomas-ortega",
                                                    "person/lena-hoffmann"]
    assert doc.citations[1] == "source/elicitation-gap-post"  # the LessWrong post, not the same-titled talk
    assert doc.citations[4] != "source/elicitation-gap-talk"
    new = {e.id: e for e in bundle.proposed}
    assert "person/lena-hoffmann" in new and new["person/lena-hoffmann"].status == "proposed"
    assert not {"person/priya-raman", "person/tomas-ortega", "org/lesswrong", "org/meridian-institute"} & set(new)
    claims = {c.statement.split()[0]: c for c in doc.claims}
    assert claims["Northwind"].holders == ["org/northwind-ai"]
    assert claims["Ortega"].holders == ["person/tomas-ortega"]
    assert claims["Hoffmann's"].holders == ["person/lena-hoffmann"]
    assert doc.events[2].actors == ["org/northwind-ai"]
    links = {link["id"]: link["status"] for link in bundle.to_json()["links"]}
    assert links["concept/elicitation-gap"] == links["org/northwind-ai"] == "existing"
    assert links["person/lena-hoffmann"] == "proposed"
    warnings = [str(w) for w in bundle.warnings]
    assert any(":51: warning: new organization 'Northwind AI Blog' resembles org/northwind-ai" in w for w in warnings)


def test_concept_page_links_plural_and_spacing_variants(registry: kg.KnowledgeGraph) -> None:
    bundle = kg.ingest_file(OWN / "concept-sandbagging.txt", data=registry)
    related = {r["id"]: r for r in bundle.to_json()["related"]}
    assert related["concept/effort-throttling"]["status"] == "existing"  # "effort throttling" / "Effort-throttling"
    assert related["concept/password-locked-models"]["status"] == "existing"  # plural / "Password-locked model"
    assert related["concept/reward-hacking"]["status"] == "existing"
    proposed = {e.id for e in bundle.proposed}
    assert "concept/sandbagging" not in proposed and "concept/selective-refusal" in proposed
    assert bundle.document.about == ["concept/sandbagging"]


@pytest.mark.parametrize(("name", "written", "kind", "links"), [
    ("Schemers", "a schemer would", "concept", True),
    ("Deployment-time spread", "deployment time spread matters", "concept", True),
    ("Proxy metric over-optimization", "proxy metric overoptimization", "concept", True),
    ("Strategies", "one strategy", "concept", True),
    ("Alex Mallen", "Alex Mallen's post", "person", True),
    ("Mallen", "as Mallen's post says", "person", True),
    ("Meta", "Meta's report", "org", True),
    ("Meta", "a meta analysis", "org", False),
    ("BSM", "the BSM predicts", "concept", True),
    ("BSM", "the bsm predicts", "concept", False),
])
def test_index_matches_case_plural_and_spacing_variants(name: str, written: str, kind: str, links: bool) -> None:
    index = Index()
    index.add(f"{kind}/x", [name])
    assert ([i for i, _ in index.scan(written)] == [f"{kind}/x"]) is links


def test_a_name_shared_by_two_entities_links_to_neither() -> None:
    index = Index()
    index.add("concept/a", ["Oversight"])
    index.add("concept/b", ["oversight"])
    assert index.scan("weak oversight") == []


# --- idempotence and existing bundles -------------------------------------------------------------------------

_BUNDLES = """
import sys, kg
for path in sys.argv[1:]:
    bundle = kg.ingest_file(path)
    sys.stdout.write(bundle.to_yaml() + "\\n--\\n" + bundle.to_json_text() + "\\n==\\n")
"""


def test_same_documents_give_byte_identical_output_under_two_hash_seeds() -> None:
    """Two processes with different PYTHONHASHSEED: output must not depend on set or dict-of-set order."""
    paths = [param.values[0] for param in ALL if param.values[0].is_file()]
    first, second = outputs_under_hash_seeds(_BUNDLES, *map(str, paths))
    assert first == second
    bundles = [kg.ingest_file(path) for path in paths]
    assert first.decode("utf-8") == "".join(b.to_yaml() + "\n--\n" + b.to_json_text() + "\n==\n" for b in bundles)


def test_bundle_linked_to_the_curated_corpus_is_byte_identical_under_two_hash_seeds() -> None:
    code = ("import sys, kg; b = kg.ingest_file(sys.argv[1], data=sys.argv[2]); "
            "sys.stdout.write(b.to_yaml() + b.to_json_text())")
    first, second = outputs_under_hash_seeds(code, str(OWN / "briefing-sandbagging.txt"), str(DATA))
    assert first == second and b"existing" in first


@pytest.mark.parametrize("path", ALL)
def test_ingesting_into_a_directory_that_holds_it_reports_the_existing_bundle(path: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = kg.ingest_file(path, data=data)
    assert first.existing is None and first.proposed
    validate_in(data, first)
    again = kg.ingest_file(path, data=data)
    assert again.existing == first.id and again.existing_file is not None
    assert again.existing_file.resolve() == (data / "documents" / f"{first.slug}.yaml").resolve()
    assert again.to_yaml() == first.to_yaml()  # its own proposed entities are proposed again, not duplicated


def test_curated_corpus_already_holds_the_seed_documents() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    for name, doc_id in (("briefing-mallen-behavioral-selection.txt", "doc/briefing-mallen-behavioral-selection"),
                         ("resource-model-organisms.txt", "doc/resource-model-organisms"),
                         ("concept-misaligned-model-behaviors.txt", "doc/concept-misaligned-model-behaviors")):
        bundle = kg.ingest_file(SEEDS / name, data=DATA)
        assert bundle.existing == doc_id == bundle.id


def test_a_document_slug_taken_by_another_document_gets_a_fresh_id(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = kg.ingest_file(OWN / "concept-sandbagging.txt", data=data)
    validate_in(data, first)
    other = OWN.joinpath("concept-sandbagging.txt").read_text(encoding="utf-8").replace("# Sandbagging",
                                                                                      "# The Sandbagging", 1)
    second = kg.ingest_text(other, data=data, name="other.txt")
    assert second.existing is None and second.id == f"{first.id}-2"


# --- bad and odd input ----------------------------------------------------------------------------------------

def briefing_text() -> str:
    return (OWN / "briefing-sandbagging.txt").read_text(encoding="utf-8")


def warnings_of(text: str, **kw: Any) -> list[str]:
    return [str(w) for w in kg.ingest_text(text, name="doc.txt", **kw).warnings]


def test_unrecognised_format_is_an_error() -> None:
    with pytest.raises(IngestError, match=r"doc\.txt: cannot tell what kind of document this is .*--format"):
        kg.ingest_text("Just a paragraph of prose.\nAnd another line.\n", name="doc.txt")


@pytest.mark.parametrize("text", ["", "   \n\n\t\n"])
def test_empty_document_is_an_error(text: str) -> None:
    with pytest.raises(IngestError, match=r"doc\.txt: the document is empty"):
        kg.ingest_text(text, name="doc.txt", format="briefing")


def test_unknown_format_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown document format 'memo'"):
        kg.ingest_text("x", format="memo")


def test_missing_section_is_a_warning_and_nothing_is_invented() -> None:
    text = briefing_text().split("## Tensions")[0] + "## Sources" + briefing_text().split("## Sources")[1]
    bundle = kg.ingest_text(text, name="doc.txt")
    assert bundle.document.tensions == []
    assert "doc.txt:1: warning: no 'Tensions' section (a line 'Tensions' on its own starts it)" in \
        [str(w) for w in bundle.warnings]


def test_citation_without_a_source_is_a_warning_with_its_line() -> None:
    text = briefing_text().replace("captures what a determined developer could extract. [5][2][4]",
                                   "captures what a determined developer could extract. [5][9]")
    bundle = kg.ingest_text(text, name="doc.txt")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("* Hoffmann's audit"))
    assert f"doc.txt:{line}: warning: Tension cites [9], which is not in the source list (defined: [1], [2], " \
           "[3], [4], [5]); dropped" in [str(w) for w in bundle.warnings]
    assert bundle.document.tensions[2].citations == [5]


def test_item_citing_only_unknown_sources_is_left_out() -> None:
    text = briefing_text().replace("on their own initiative? [4]", "on their own initiative? [7]")
    warnings = warnings_of(text)
    assert any("question cites no source" in w for w in warnings)
    assert len(kg.ingest_text(text).document.questions) == 2


def test_garbled_bullets_and_dates_are_warnings() -> None:
    text = briefing_text().replace("## Open questions\n", "## Open questions\n- • -\n* [1][2]\n") \
        .replace("* 2025-02-27:", "* 2025-02-31:").replace("* 10 March 2025 -", "* sometime -")
    warnings = warnings_of(text)
    lines = text.splitlines()
    at = {name: next(i for i, ln in enumerate(lines, 1) if ln.startswith(prefix)) for name, prefix in
          (("empty", "- • -"), ("bare", "* [1][2]"), ("impossible", "* 2025-02-31"), ("undated", "* sometime"))}
    assert any(w.startswith(f"doc.txt:{at['empty']}: warning: question has no text") for w in warnings)
    assert any(w.startswith(f"doc.txt:{at['bare']}: warning: question has no text") for w in warnings)
    assert f"doc.txt:{at['impossible']}: warning: timeline entry has an impossible date; left out" in warnings
    assert f"doc.txt:{at['undated']}: warning: timeline entry does not start with a date such as 2026-05-10; " \
           "left out" in warnings


def test_tension_without_two_sides_is_a_warning() -> None:
    text = briefing_text().replace("* Raman argues evaluations understate capabilities by a wide margin, whereas "
                                   "Northwind AI reports that its\n  protocol recovers nearly all of the hidden "
                                   "performance. [1][3]", "* Everyone is confused [1][3]")
    warnings = warnings_of(text)
    assert any("warning: tension has no two sides" in w for w in warnings)


def test_source_lines_without_numbers_and_duplicate_numbers_are_warnings() -> None:
    text = briefing_text() + "- An unnumbered source — Nowhere (2025-01-01)\n- [2] Duplicate — Somewhere\n"
    warnings = warnings_of(text)
    assert any("source entry does not start with its number" in w for w in warnings)
    assert any("source number [2] is used twice" in w for w in warnings)


def test_document_without_a_title_is_an_error_with_its_line() -> None:
    with pytest.raises(IngestError, match=r"doc\.txt:1: the briefing has no title line before its first section"):
        kg.ingest_text("## Sources\n- [1] A — B (2025-01-01)\n", name="doc.txt", format="briefing")


@pytest.mark.parametrize(("payload", "message"), [
    (b"\x00\x01binary", "binary file"),
    (b"Title\nline two \xff\xfe\n", r":2: not UTF-8 text"),
])
def test_files_that_are_not_text_are_refused(tmp_path: Path, payload: bytes, message: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(payload)
    with pytest.raises(IngestError, match=message):
        kg.ingest_file(path)


def test_missing_file_and_directory_are_errors(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot read"):
        kg.ingest_file(tmp_path / "nope.txt")
    with pytest.raises(IngestError, match="is a directory"):
        kg.ingest_file(tmp_path)


def test_auto_detection_picks_each_format() -> None:
    for path, fmt in ((OWN / "briefing-sandbagging.txt", "briefing"), (OWN / "resource-password-locked.txt",
                                                                        "resource"),
                      (OWN / "concept-sandbagging.txt", "concept")):
        assert kg.ingest_file(path).format == fmt
        assert kg.ingest_file(path, format=fmt).to_yaml() == kg.ingest_file(path).to_yaml()


def test_registered_parsers_follow_the_protocol() -> None:
    from kg.ingest import registry
    from kg.ingest._text import Text

    examples = {"briefing": OWN / "briefing-sandbagging.txt", "resource": OWN / "resource-password-locked.txt",
                "concept": OWN / "concept-sandbagging.txt"}
    assert registry.formats() == ["briefing", "resource", "concept"]
    for name in registry.formats():
        parser = registry.get(name)
        scores = {fmt: parser.detect(Text(path.read_text(encoding="utf-8"), path.name))
                  for fmt, path in examples.items()}
        assert scores[name] == 1.0, (name, scores)  # its own format, recognised for sure
        assert all(0 <= score < registry.MIN_SCORE for fmt, score in scores.items() if fmt != name), (name, scores)
        draft = parser.parse(Text(examples[name].read_text(encoding="utf-8"), examples[name].name))
        assert draft.format == name and draft.title
    assert registry.canonical("resource-card") == "resource" and registry.canonical("concept-page") == "concept"


# --- the cross-check with kg.tensions (issue 5) ----------------------------------------------------------------

@needs_seeds
def test_tensions_of_an_ingested_briefing_keep_the_documents_numbering(tmp_path: Path) -> None:
    from kg import tensions  # provided by issue 5; this test fails until it lands

    data = tmp_path / "fresh"
    bundle = kg.ingest_file(SEEDS / "briefing-mallen-behavioral-selection.txt", data=data)
    validate_in(data, bundle)
    graph = kg.load(data)
    text = " ".join(tensions(graph, document=bundle.id).split())
    sides = [" ".join(c.statement.split())[:60] for c in bundle.document.claims[::2]]
    positions = [text.find(side) for side in sides]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    ends = [*positions[1:], len(text)]
    for start, end, numbers in zip(positions, ends, ([1], [3], [3]), strict=True):
        assert all(f"[{n}]" in text[start:end] for n in numbers)
    for number, title in ((1, "Clarifying the role of the behavioral selection model"),
                          (3, "Risk reports need to address deployment-time spread of misalignment")):
        assert re.search(rf"\[{number}\][^\[]*{re.escape(title)}", text), (number, title)
