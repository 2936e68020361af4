"""kg.brief / ``kg brief``: whole briefings in the seed's layout, for a document or a topic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kg
from kg.errors import DataError, ExportError, UsageError
from tests.conftest import run_kg
from tests.test_tensions import MALLEN, SEED_SOURCES, assert_golden, bullets

#: the seed briefing's sections, in its order (Narrative is prose we do not regenerate)
SECTIONS = ["## What", "## Why it matters", "## Open questions", "## Timeline", "## Perspectives",
            "## Tensions", "## Sources"]


def headings(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("## ")]


def test_document_briefing_matches_the_golden_markdown(graph: kg.KnowledgeGraph) -> None:
    assert_golden("brief-mallen.md", kg.brief(graph, document=MALLEN))


def test_topic_briefing_matches_the_golden_markdown(graph: kg.KnowledgeGraph) -> None:
    assert_golden("brief-deployment-time-spread.md", kg.brief(graph, topic="deployment-time-spread"))


def test_document_briefing_has_the_seed_layout_and_numbering(graph: kg.KnowledgeGraph) -> None:
    text = kg.brief(graph, document=MALLEN)
    assert text.startswith("# Alex Mallen's Behavioral Selection Model and Deployment-Time Misalignment Risk\n")
    assert "Version 2 · Updated 2026-05-21 09:34 UTC" in text
    assert headings(text) == SECTIONS
    assert [re.findall(r"\[(\d+)\]", q) for q in bullets(text, "## Open questions")] == [
        ["3"], ["1"], ["3"], ["1", "3"]]
    timeline = bullets(text, "## Timeline")
    assert [t[2:12] for t in timeline] == ["2026-05-10", "2026-05-15"]
    assert [re.findall(r"\[(\d+)\]", t) for t in timeline] == [["1"], ["3", "2"]]
    assert [re.findall(r"\[(\d+)\]", b) for b in bullets(text)] == [["1"], ["3"], ["3"]]
    assert bullets(text, "## Sources") == SEED_SOURCES


def test_perspectives_list_each_persons_claims_in_date_order_and_their_evolution(graph: kg.KnowledgeGraph) -> None:
    text = kg.brief(graph, document=MALLEN)
    section = text.split("## Perspectives\n", 1)[1].split("\n## ", 1)[0]
    assert section.lstrip().startswith("### Alex Mallen")
    dates = [line[2:12] for line in section.splitlines() if line.startswith("- ")]
    held = [c for c in graph.documents[MALLEN].claims if "person/alex-mallen" in c.holders]
    assert len(dates) == len(held) and dates == sorted(dates)
    assert "Evolution: " in section
    assert all(re.search(r"\[\d+\]$", line) for line in section.splitlines() if line.startswith("- "))


def test_topic_briefing_covers_what_concerns_the_topic(graph: kg.KnowledgeGraph) -> None:
    text = kg.brief(graph, topic="concept/deployment-time-spread")
    assert text.startswith("# Deployment-time spread of misalignment\n")
    assert headings(text) == SECTIONS
    definition = graph.nodes["concept/deployment-time-spread"].definition
    assert definition in text
    assert len(bullets(text)) == 2 and len(bullets(text, "## Timeline")) == 1
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text.split("## Sources")[0])}
    listed = {int(n) for n in re.findall(r"^- \[(\d+)\]", text.split("## Sources")[1], re.M)}
    assert cited == listed == set(range(1, len(listed) + 1))


def test_every_bullet_carries_a_citation(graph: kg.KnowledgeGraph) -> None:
    for text in (kg.brief(graph, document=MALLEN), kg.brief(graph, topic="person/alex-mallen"),
                 kg.brief(graph, topic="concept/misaligned-model-behaviors")):
        body = text.split("## Sources")[0]
        items = [line for line in body.splitlines() if line.startswith("- ")]
        assert items and all(re.search(r"\[\d+\]", line) for line in items)


def test_html_briefing_is_escaped_and_links_markers(graph: kg.KnowledgeGraph) -> None:
    html = kg.brief(graph, document=MALLEN, format="html")
    assert html.startswith("<!doctype html>")
    assert [h for h in re.findall(r"<h2[^>]*>([^<]+)</h2>", html)] == [s[3:] for s in SECTIONS]
    assert '<a class="cite" href="#source-1">[1]</a>' in html and 'id="source-3"' in html
    assert "Alex Mallen&#39;s" in html and "<script" not in html


def test_a_template_can_replace_the_bundled_one(graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    template = tmp_path / "short.md.j2"
    template.write_text("# {{ title }}\n{% for q in questions %}\n* {{ q.text }} {{ cite(q.citations) }}\n"
                        "{% endfor %}\n{% include '_sources.md.j2' %}\n", encoding="utf-8")
    text = kg.brief(graph, document=MALLEN, template=template)
    assert text.startswith("# Alex Mallen") and text.count("\n* ") == 4 and "## Sources" in text
    assert run_kg("brief", "--document", MALLEN, "--template", str(template)).out == text


@pytest.mark.parametrize(("source", "message"), [
    ("{% for q in questions %}\n{{ q.text }\n", r"broken\.md\.j2:2: "),
    ("{{ no_such_name }}\n", r"broken\.md\.j2:1: .*no_such_name"),
    ("{{ ''.__class__.__mro__ }}\n", r"broken\.md\.j2:1: .*unsafe|broken\.md\.j2:1: .*__class__"),
])
def test_a_broken_template_is_an_error_naming_its_line(graph: kg.KnowledgeGraph, tmp_path: Path, source: str,
                                                      message: str) -> None:
    template = tmp_path / "broken.md.j2"
    template.write_text(source, encoding="utf-8")
    with pytest.raises(ExportError, match=message):
        kg.brief(graph, document=MALLEN, template=template)
    result = run_kg("brief", "--document", MALLEN, "--template", str(template))
    assert result.code == 1 and result.err.count("\n") == 1 and "Traceback" not in result.err


def test_a_missing_template_is_a_usage_error(graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read template"):
        kg.brief(graph, document=MALLEN, template=tmp_path / "absent.j2")


def test_a_perspective_with_nothing_to_cite_is_an_error_not_uncited_text(minimal: Path) -> None:
    (minimal / "entities" / "people.yaml").write_text(
        (minimal / "entities" / "people.yaml").read_text(encoding="utf-8") + "- id: person/ada-lee\n  name: Ada Lee\n",
        encoding="utf-8")
    bundle = minimal / "documents" / "briefing-reward-tampering.yaml"
    bundle.write_text(bundle.read_text(encoding="utf-8").replace(
        "perspectives:\n", "perspectives:\n  - person: person/ada-lee\n    stance: Has no cited view here.\n"),
        encoding="utf-8")
    graph = kg.load(minimal)
    with pytest.raises(DataError, match="person/ada-lee.*cites no source"):
        kg.brief(graph, document="doc/briefing-reward-tampering")
    result = run_kg("brief", "--data", str(minimal), "--document", "doc/briefing-reward-tampering")
    assert result.code == 1 and "cites no source" in result.err and result.out == ""


def test_a_briefing_needs_a_document_or_a_topic(graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(UsageError):
        kg.brief(graph)
    assert run_kg("brief").code == 2


def test_cli_matches_the_api_and_is_deterministic(graph: kg.KnowledgeGraph) -> None:
    runs = [run_kg("brief", "--topic", "deployment-time-spread", env={"PYTHONHASHSEED": s}) for s in ("3", "4")]
    assert runs[0].code == 0 and runs[0].out == runs[1].out
    assert runs[0].out == kg.brief(graph, topic="deployment-time-spread")


def test_a_template_asking_for_too_much_names_its_line(graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    """``range(10**9)`` used to crash as an internal OverflowError (issue "Hardening", item 7)."""
    template = tmp_path / "greedy.md.j2"
    template.write_text("# {{ title }}\n{% for i in range(10**9) %}{{ i }}{% endfor %}\n", encoding="utf-8")
    with pytest.raises(ExportError) as info:
        kg.brief(graph, document=MALLEN, template=template)
    assert str(info.value).startswith(f"{template}:2: ")
    result = run_kg("brief", "--document", MALLEN, "--template", str(template))
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(f"kg: error: {template}:2: ") and len(result.err.splitlines()) == 1
