"""Every command on the curated corpus plus the imported longterm-wiki: real, cited answers.

These tests need the shared snapshot (``../shared/corpora/longterm-wiki``) and skip with a message without it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kg
from tests.conftest import DATA, FIXTURES, run_kg


@pytest.fixture(scope="module")
def combined(wiki_data: Path) -> kg.KnowledgeGraph:
    return kg.load([DATA, wiki_data])


def test_curated_entities_win_and_wiki_ones_join(combined: kg.KnowledgeGraph):
    anthropic = combined.nodes["org/anthropic"]
    assert anthropic.origin is None  # the curated record, not the wiki's
    assert combined.nodes["org/redwood-research"].origin == "entities/organizations.yaml#redwood-research"
    assert combined.resolve("Meta AI") == "org/meta"  # the wiki's "Meta AI (FAIR)" is the curated Meta
    assert not [n for n in combined.iter_nodes("Organization") if n.caption == "Meta AI (FAIR)"]


def test_coverage_matrix_has_labs_and_the_risks_they_address(combined: kg.KnowledgeGraph):
    rows = kg.query_graph(combined, name="coverage-matrix").records()
    levels = {(r["lab"], r["concept"]): r["level"] for r in rows}
    assert levels[("Anthropic", "Deceptive alignment")] == "substantive"
    assert levels[("Anthropic", "Deployment-time spread of misalignment")] == "isolated"  # curated, unchanged
    labs = {lab for lab, _ in levels}
    assert {"Anthropic", "OpenAI", "Google DeepMind", "xAI"} <= labs


def test_claims_by_a_person_of_the_field(combined: kg.KnowledgeGraph):
    rows = kg.query_graph(combined, name="claims-by", params={"holder": "Paul Christiano"}).records()
    assert len(rows) >= 15
    assert all(row["sources"] for row in rows)  # every claim cites something
    dated = [row["date"] for row in rows if row["date"] is not None]
    assert dated == sorted(dated, key=str) and "2023" in {str(d) for d in dated}  # years kept as years
    assert any("crux" in row["claim"] for row in rows) and any("expert" in row["claim"] for row in rows)


def test_lab_coverage_and_tensions_queries(combined: kg.KnowledgeGraph):
    labs = kg.query_graph(combined, name="lab-coverage", params={"concept": "deceptive-alignment"}).records()
    assert {"Anthropic"} <= {r["lab"] for r in labs}
    tensions = kg.query_graph(combined, name="tensions").records()
    assert len(tensions) > 200


def test_tensions_on_a_topic_cite_the_cruxes(combined: kg.KnowledgeGraph):
    text = kg.tensions(combined, topic="deceptive-alignment")
    bullets = [line for line in text.splitlines() if line.startswith("- **")]
    assert len(bullets) >= 3
    assert all(re.search(r"\[\d+\]", line) for line in bullets)
    assert "Eliezer Yudkowsky" in text and "Paul Christiano" in text
    assert "- [1] Longterm Wiki cruxes — Longterm Wiki" in text


def test_brief_on_a_wiki_topic(combined: kg.KnowledgeGraph):
    text = kg.brief(combined, topic="reward-hacking")
    for heading in ("## What", "## Open questions", "## Perspectives", "## Tensions", "## Sources"):
        assert heading in text
    sources = text.split("## Sources", 1)[1]
    assert "Reward Hacking — Longterm Wiki (2026-01-30)" in sources
    numbers = {int(n) for n in re.findall(r"^- \[(\d+)\]", sources, re.M)}
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text.split("## Sources", 1)[0])}
    assert cited == numbers  # every source listed is cited, every marker has its source


def test_viz_focus_on_a_wiki_topic(combined: kg.KnowledgeGraph, tmp_path: Path):
    html = kg.visualize_graph(combined, tmp_path / "rh.html", focus="reward-hacking", depth=1)
    assert "concept/reward-hacking" in html and "source/wiki-reward-hacking" in html
    assert (tmp_path / "rh.html").is_file()


def test_ingest_links_what_only_the_wiki_knows(wiki_data: Path):
    document = FIXTURES / "documents" / "briefing-control-evaluations.txt"
    alone = {link["id"]: link["status"] for link in kg.ingest_file(document, data=DATA).to_json()["links"]}
    both = {link["id"]: link["status"] for link in kg.ingest_file(document, data=[DATA, wiki_data]).to_json()["links"]}
    for org in ("org/redwood-research", "org/apollo-research", "org/metr"):
        assert both.get(org) == "existing", org
        assert alone.get(org) != "existing", org
    assert both.get("person/buck-shlegeris") == "existing"
    assert both.get("concept/interpretability") == "existing"


def test_cli_on_the_combined_graph(wiki_data: Path, tmp_path: Path):
    result = run_kg("--data", str(DATA), "--data", str(wiki_data), "query", "--name", "claims-by", "--param",
                    "holder=Paul Christiano", "--format", "csv", timeout=300)
    assert result.code == 0, result.err
    assert result.out.count("\n") >= 16
    out = tmp_path / "rh.md"
    result = run_kg("--data", str(DATA), "--data", str(wiki_data), "brief", "--topic", "reward-hacking", "-o", str(out),
                    timeout=300)
    assert result.code == 0, result.err
    assert out.read_text(encoding="utf-8").startswith("# Reward hacking")
