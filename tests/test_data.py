"""The curated corpus covers the facts of the three seed documents, in our own words."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import SEEDS

BRIEFING = "doc/briefing-mallen-behavioral-selection"


def test_minimum_counts(graph):
    nodes = graph.stats()["nodes"]
    minimum = {"Person": 1, "Organization": 6, "Concept": 20, "Claim": 25, "Tension": 3, "Source": 6, "Event": 2,
               "Question": 4}
    assert all(nodes[k] >= v for k, v in minimum.items()), nodes
    assert nodes["Tension"] == 3 and nodes["Event"] == 2 and nodes["Question"] == 4


def test_briefing_sources(graph):
    doc = graph.documents[BRIEFING]
    rows = []
    for number, source_id in sorted(doc.citations.items()):
        source = graph.nodes[source_id]
        rows.append((number, source.title, graph.nodes[source.venue].name, source.published))
    assert rows == [
        (1, "Clarifying the role of the behavioral selection model", "Alignment Forum", date(2026, 5, 10)),
        (2, "Risk reports need to address deployment-time spread of misalignment.",
         "reactive:ai-deployment-misalignment-risk", date(2026, 5, 15)),
        (3, "Risk reports need to address deployment-time spread of misalignment", "Alignment Forum",
         date(2026, 5, 15)),
    ]
    assert doc.version == "2" and doc.updated.isoformat() == "2026-05-21T09:34:00+00:00"


def test_briefing_tensions_events_questions(graph):
    doc = graph.documents[BRIEFING]
    assert [t.citations for t in doc.tensions] == [[1], [3], [3]]
    assert [t.kind for t in doc.tensions] == ["self-correction", "institutional", "institutional"]
    for tension in doc.tensions:
        assert graph.nodes[tension.a].rdf_class == graph.nodes[tension.b].rdf_class == "Claim"
    assert [(e.date.isoformat(), e.citations) for e in doc.events] == [("2026-05-10", [1]), ("2026-05-15", [3, 2])]
    assert [q.citations for q in doc.questions] == [[3], [1], [3], [1, 3]]
    assert [p.person for p in doc.perspectives] == ["person/alex-mallen"]


def test_briefing_claims_have_holder_date_and_citations(graph):
    doc = graph.documents[BRIEFING]
    assert len(doc.claims) >= 12
    for claim in doc.claims:
        assert claim.holders and claim.citations
    dated = [c for c in doc.claims if c.date]
    assert len(dated) >= 12


def test_briefing_concepts_and_mechanisms(graph):
    for concept in ("behavioral-selection-model", "fitness-seekers", "schemers", "kludges", "deployment-time-spread",
                    "rare-inputs", "shared-codebases", "inter-instance-communication", "rogue-internal-deployments",
                    "steering-vectors", "reflection-and-deliberation", "cultural-evolution"):
        assert f"concept/{concept}" in graph.nodes
    mechanisms = {e.subject for e in graph.iter_edges("related_to") if e.object == "concept/deployment-time-spread"}
    assert {"concept/rare-inputs", "concept/shared-codebases", "concept/inter-instance-communication",
            "concept/rogue-internal-deployments", "concept/steering-vectors"} <= mechanisms
    mythos = graph.nodes["source/claude-mythos-risk-report"]
    assert mythos.kind == "risk-report" and mythos.venue == "org/anthropic"


def test_lab_coverage_of_deployment_time_spread(graph):
    coverage = {(e.subject, e.level, tuple(graph.nodes[e.claim].holders))
                for e in graph.iter_edges("addresses") if e.subject.startswith("org/")}
    mallen = ("person/alex-mallen",)
    assert coverage == {("org/google-deepmind", "none", mallen), ("org/xai", "none", mallen),
                        ("org/openai", "none", mallen), ("org/meta", "none", mallen),
                        ("org/anthropic", "isolated", mallen)}


def test_resource_card(graph):
    source = graph.nodes["source/model-organisms-of-misalignment"]
    assert source.kind == "blog-post" and source.venue == "org/alignment-forum"
    assert source.credibility.tier == 3 and "Alignment Forum" in source.credibility.basis
    assert source.stable_id == "MjY3M2RhND" and source.url.startswith("https://www.alignmentforum.org/posts/")
    assert source.summary
    doc = graph.documents["doc/resource-model-organisms"]
    assert len(doc.claims) >= 5
    about = {e.object for e in graph.iter_edges("about") if e.subject == source.id}
    assert {"concept/deceptive-alignment", "concept/reward-hacking"} <= about
    related = {e.object for e in graph.iter_edges("related_to") if e.subject == source.id}
    assert related == {"source/sleeper-agents"}
    citing = {e.subject for e in graph.iter_edges("cites") if e.object == source.id and e.subject.startswith("source/")}
    assert citing == {"source/wiki-model-organisms-of-misalignment"}


def test_concept_page(graph):
    target = "concept/misaligned-model-behaviors"
    narrower = {e.subject for e in graph.iter_edges("broader") if e.object == target}
    assert narrower == {"concept/sycophancy", "concept/shortcut-taking", "concept/proxy-metric-over-optimization",
                        "concept/strategic-deception"}
    deliberate = {e.subject for e in graph.iter_edges("related_to") if e.object == "concept/strategic-deception"}
    assert {"concept/trojanized-models", "concept/data-poisoning"} <= deliberate
    mitigations = {e.subject for e in graph.iter_edges("mitigates") if e.object == target}
    assert len(mitigations) == 4
    neighbours = {e.subject for e in graph.iter_edges("related_to", "example_of") if e.object == target}
    assert {"concept/goal-manipulation", "concept/eval-reality-gap"} <= neighbours
    assert len(graph.nodes[target].examples) == 4


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present on this machine")
def test_statements_are_in_our_own_words(graph):
    """No claim, note, question or summary repeats eight consecutive words of a seed document."""
    seed_text = " ".join(_words(" ".join(p.read_text() for p in SEEDS.glob("*.txt"))))
    texts = []
    for node in graph.nodes.values():
        for field in ("statement", "note", "text", "summary", "definition", "why_it_matters", "stance", "evolution"):
            if isinstance(getattr(node, field, None), str):
                texts.append((node.id, getattr(node, field)))
    for doc in graph.documents.values():
        for perspective in doc.perspectives:
            texts += [(doc.id, perspective.stance), (doc.id, perspective.evolution or "")]
    copied = []
    for node_id, text in texts:
        words = _words(text)
        for i in range(len(words) - 7):
            run = " ".join(words[i:i + 8])
            if f" {run} " in f" {seed_text} ":
                copied.append((node_id, run))
                break
    assert not copied, copied
