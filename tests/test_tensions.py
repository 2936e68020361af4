"""kg.tensions / ``kg tensions``: the Tensions section of a document, a topic or the whole graph.

Markdown meant for people is compared against golden files in tests/golden (regenerate them with
``KG_UPDATE_GOLDEN=1 pytest tests/test_tensions.py tests/test_briefing.py`` and read the diff); everything
else is checked by its content.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import kg
from kg.errors import UsageError
from tests.conftest import run_kg

GOLDEN = Path(__file__).resolve().parent / "golden"
MALLEN = "doc/briefing-mallen-behavioral-selection"

#: the seed briefing's Sources list, number by number (title, venue, date)
SEED_SOURCES = [
    "- [1] Clarifying the role of the behavioral selection model — Alignment Forum (2026-05-10)",
    "- [2] Risk reports need to address deployment-time spread of misalignment. — "
    "reactive:ai-deployment-misalignment-risk (2026-05-15)",
    "- [3] Risk reports need to address deployment-time spread of misalignment — Alignment Forum (2026-05-15)",
]


def assert_golden(name: str, text: str) -> None:
    """``text`` equals tests/golden/``name`` (rewritten instead when KG_UPDATE_GOLDEN is set)."""
    path = GOLDEN / name
    if os.environ.get("KG_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"golden file {path} is missing: run with KG_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def bullets(markdown: str, heading: str = "## Tensions") -> list[str]:
    """The ``- `` bullets of the section under ``heading`` (up to the next heading)."""
    section = markdown.split(heading + "\n", 1)[1]
    section = re.split(r"\n#{2,3} ", section, maxsplit=1)[0]
    return [line for line in section.splitlines() if line.startswith("- ")]


# --- the Mallen briefing --------------------------------------------------------------------------------------

def test_document_tensions_match_the_golden_markdown(graph: kg.KnowledgeGraph) -> None:
    assert_golden("tensions-mallen.md", kg.tensions(graph, document=MALLEN))


def test_document_tensions_are_the_briefings_three_with_its_citation_numbers(graph: kg.KnowledgeGraph) -> None:
    text = kg.tensions(graph, document=MALLEN)
    items = bullets(text)
    assert len(items) == 3
    assert [re.findall(r"\[(\d+)\]", b) for b in items] == [["1"], ["3"], ["3"]]
    assert [b.split(".**")[0] for b in items] == ["- **Self-correction", "- **Institutional", "- **Institutional"]
    assert bullets(text, "## Sources") == SEED_SOURCES


def test_every_bullet_states_both_claims_and_the_nature_of_the_conflict(graph: kg.KnowledgeGraph) -> None:
    text = kg.tensions(graph, document=MALLEN)
    for tension, bullet in zip(graph.documents[MALLEN].tensions, bullets(text), strict=True):
        for claim_id in (tension.a, tension.b):
            assert graph.nodes[claim_id].statement in bullet
        assert tension.note in bullet and "*Versus " in bullet


def test_the_document_can_be_named_by_its_title(graph: kg.KnowledgeGraph) -> None:
    title = graph.documents[MALLEN].title
    assert kg.tensions(graph, document=title) == kg.tensions(graph, document=MALLEN)


def test_json_gives_the_same_content_as_data(graph: kg.KnowledgeGraph) -> None:
    data = json.loads(kg.tensions(graph, document=MALLEN, format="json"))
    assert data["scope"] == {"document": MALLEN, "topic": None}
    assert [t["citations"] for t in data["tensions"]] == [[1], [3], [3]]
    first = data["tensions"][0]
    assert first["id"] == "tension/bsm-predictive-value-vs-omitted-drivers"
    assert first["kind"] == "self-correction" and first["asserted_by"] == "source"
    assert [c["id"] for c in first["claims"]] == [first["a"], first["b"]]
    assert first["claims"][0]["holders"] == [{"id": "person/alex-mallen", "name": "Alex Mallen"}]
    assert first["claims"][0]["statement"] == graph.nodes[first["a"]].statement
    assert [(s["number"], s["venue"], s["published"]) for s in data["sources"]] == [
        (1, "Alignment Forum", "2026-05-10"), (2, "reactive:ai-deployment-misalignment-risk", "2026-05-15"),
        (3, "Alignment Forum", "2026-05-15")]
    assert "suggested" not in data


def test_html_links_each_marker_to_its_source(graph: kg.KnowledgeGraph) -> None:
    html = kg.tensions(graph, document=MALLEN, format="html")
    assert html.count('<a class="cite" href="#source-3">[3]</a>') == 2
    assert '<li id="source-3"' in html and "Content-Security-Policy" in html
    assert "Alex Mallen&#39;s Behavioral Selection Model" in html


# --- topics and the whole graph -------------------------------------------------------------------------------

@pytest.mark.parametrize(("topic", "expected"), [
    ("person/alex-mallen", ["tension/bsm-predictive-value-vs-omitted-drivers",
                            "tension/spread-priority-vs-lab-priorities", "tension/mythos-isolated-acknowledgment"]),
    ("org/anthropic", ["tension/mythos-isolated-acknowledgment"]),
    ("Meta", ["tension/spread-priority-vs-lab-priorities"]),
    ("deployment-time-spread", ["tension/spread-priority-vs-lab-priorities",
                                "tension/mythos-isolated-acknowledgment"]),
    ("source/clarifying-behavioral-selection-model", ["tension/bsm-predictive-value-vs-omitted-drivers"]),
    ("concept/reward-hacking", []),
])
def test_topic_selects_tensions_whose_claims_are_about_held_by_or_cite_it(
        graph: kg.KnowledgeGraph, topic: str, expected: list[str]) -> None:
    data = json.loads(kg.tensions(graph, topic=topic, format="json"))
    assert [t["id"] for t in data["tensions"]] == expected


def test_topic_numbers_sources_by_first_citation(graph: kg.KnowledgeGraph) -> None:
    text = kg.tensions(graph, topic="deployment-time-spread")
    assert [re.findall(r"\[(\d+)\]", b) for b in bullets(text)] == [["1"], ["1"]]
    assert bullets(text, "## Sources") == [SEED_SOURCES[2].replace("[3]", "[1]")]


def test_a_topic_without_tensions_says_so(graph: kg.KnowledgeGraph) -> None:
    text = kg.tensions(graph, topic="concept/reward-hacking")
    assert "No curated tensions concern Reward hacking." in text and "## Sources" not in text


def test_all_lists_every_curated_tension_once(graph: kg.KnowledgeGraph) -> None:
    data = json.loads(kg.tensions(graph, format="json"))
    assert sorted(t["id"] for t in data["tensions"]) == sorted(n.id for n in graph.iter_nodes("Tension"))
    cited = {n for t in data["tensions"] for n in t["citations"]}
    assert cited == {s["number"] for s in data["sources"]}


# --- suggested tensions ---------------------------------------------------------------------------------------

def test_suggestions_are_shown_only_when_asked_and_in_their_own_subsection(graph: kg.KnowledgeGraph) -> None:
    plain = kg.tensions(graph)
    assert "Suggested" not in plain
    text = kg.tensions(graph, suggested=True)
    curated, suggested = text.split("### Suggested tensions", 1)
    assert len(bullets(curated)) == 3 and "Suggested by" not in curated
    suggested_bullets = [b for b in suggested.split("## Sources")[0].splitlines() if b.startswith("- ")]
    assert suggested_bullets and all(b.startswith("- **Suggested by ") for b in suggested_bullets)
    assert all(re.search(r"\[\d+\]", b) for b in suggested_bullets)


def test_suggestions_include_a_cross_document_tension_with_its_rule_and_reason(graph: kg.KnowledgeGraph) -> None:
    data = json.loads(kg.tensions(graph, suggested=True, format="json"))
    cross = [s for s in data["suggested"] if len({c["document"] for c in s["claims"]}) == 2]
    assert cross, "no suggested tension joins claims of two documents"
    for item in data["suggested"]:
        assert item["asserted_by"] == "inferred" and item["rule"] in ("opposite-stance", "addresses-conflict")
        assert item["reason"] and "\n" not in item["reason"]
        assert item["id"].startswith("tension/inferred-")
    concept_page = "doc/concept-misaligned-model-behaviors"
    deception = [s for s in cross if concept_page in {c["document"] for c in s["claims"]}
                 and "schemer" in " ".join(c["statement"] for c in s["claims"]).lower()]
    assert deception, "the concept page's view of strategic deception is not set against the schemer claims"


def test_suggestions_never_repeat_a_curated_pair(graph: kg.KnowledgeGraph) -> None:
    curated = {frozenset((t.a, t.b)) for t in graph.iter_nodes("Tension")}
    found = kg.suggest_tensions(graph)
    assert found and not [s for s in found if frozenset((s.a, s.b)) in curated]
    assert len({frozenset((s.a, s.b)) for s in found}) == len(found)


def test_document_numbering_continues_after_its_own_sources_for_suggestions(graph: kg.KnowledgeGraph) -> None:
    data = json.loads(kg.tensions(graph, document=MALLEN, suggested=True, format="json"))
    numbers = [s["number"] for s in data["sources"]]
    assert numbers[:3] == [1, 2, 3] and numbers == sorted(numbers)
    assert [t["citations"] for t in data["tensions"]] == [[1], [3], [3]]


# --- determinism, escaping, errors ----------------------------------------------------------------------------

def test_output_is_deterministic_across_processes() -> None:
    runs = [run_kg("tensions", "--all", "--suggested", env={"PYTHONHASHSEED": seed}) for seed in ("1", "2")]
    assert runs[0].code == 0, runs[0].err
    assert runs[0].out == runs[1].out


HOSTILE = "<img src=x onerror=alert(1)> *bold* [link](javascript:alert(1)) # heading & &amp; `code`"


def _hostile(minimal: Path) -> Path:
    bundle = minimal / "documents" / "briefing-reward-tampering.yaml"
    text = bundle.read_text(encoding="utf-8")
    text = text.replace("Reward tampering needs capabilities no deployed agent has yet.", json.dumps(HOSTILE))
    text = text.replace("They disagree on when tampering becomes a practical risk.",
                        json.dumps("\n# Injected\n<script>alert(2)</script>"))
    bundle.write_text(text, encoding="utf-8")
    return minimal


def test_hostile_text_prints_literally_in_markdown(minimal: Path) -> None:
    text = kg.tensions(kg.load(_hostile(minimal)), document="doc/briefing-reward-tampering")
    assert not re.search(r"(?<!\\)<", text) and "\n# Injected" not in text
    assert r"\<img src=x onerror=alert(1)\> \*bold\* \[link\](javascript:alert(1))" in text
    assert r"\&amp;" in text and r"\`code\`" in text


def test_hostile_text_is_escaped_in_html(minimal: Path) -> None:
    html = kg.tensions(kg.load(_hostile(minimal)), document="doc/briefing-reward-tampering", format="html")
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_unknown_document_topic_and_format_are_usage_errors(graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.KgError, match="doc/nope"):
        kg.tensions(graph, document="doc/nope")
    with pytest.raises(UsageError, match="known: md, json, html"):
        kg.tensions(graph, format="pdf")
    with pytest.raises(UsageError, match="not both"):
        kg.tensions(graph, document=MALLEN, topic="person/alex-mallen")


def test_cli_prints_the_section_and_writes_files_atomically(tmp_path: Path, graph: kg.KnowledgeGraph) -> None:
    result = run_kg("tensions", "--document", MALLEN)
    assert result.code == 0 and result.err == ""
    assert result.out == kg.tensions(graph, document=MALLEN)
    target = tmp_path / "tensions.md"
    target.write_text("previous", encoding="utf-8")
    bad = run_kg("tensions", "--document", "doc/no-such-briefing", "-o", str(target))
    assert (bad.code, bad.out, bad.err) == (2, "", "kg: error: no Document 'doc/no-such-briefing' in the graph\n")
    assert target.read_text(encoding="utf-8") == "previous"
    assert run_kg("tensions", "--all", "--format", "json", "-o", str(target)).code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["tensions"]


def test_cli_requires_exactly_one_scope() -> None:
    result = run_kg("tensions")
    assert result.code == 2 and "one of the arguments" in result.err
    assert run_kg("tensions", "--all", "--topic", "person/alex-mallen").code == 2


@pytest.mark.parametrize(("url", "link"), [
    ("https://example.org/a", "https://example.org/a"),
    ("javascript:alert(1)", None),
    ("https:///nohost", None),
    ("https://exa mple.org", None),
    (None, None),
])
def test_a_sources_list_links_only_web_addresses_with_a_host(url: str | None, link: str | None) -> None:
    from kg.generate._cite import SourceEntry

    assert SourceEntry(1, "source/x", "X", None, None, url).link == link
