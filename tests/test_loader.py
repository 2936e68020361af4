"""Reading data directories: registries, bundles, entities introduced by a bundle."""

from __future__ import annotations

from rdflib import Literal

import kg
from kg.ontology import check_shacl
from kg.vocab import KG, graph_iri, iri

DOC = "documents/briefing-reward-tampering.yaml"


def test_bundle_may_introduce_proposed_entities(minimal):
    path = minimal / DOC
    path.write_text(path.read_text().replace("citations:\n  1: source/roe-post\n", """entities:
  people:
    - {id: person/new-author, name: New Author, status: proposed}
  sources:
    - {id: source/new-paper, title: A new paper, kind: paper, authors: [person/new-author], status: proposed}
citations:
  1: source/roe-post
  3: source/new-paper
""", 1).replace("    citations: [1]\n  - id: claim/tampering-far-off",
                "    citations: [1, 3]\n  - id: claim/tampering-far-off"))
    graph = kg.load(minimal)
    assert graph.nodes["person/new-author"].status == "proposed"
    assert graph.nodes["source/roe-post"].status == "curated"
    assert graph.document_of("source/new-paper").id == "doc/briefing-reward-tampering"
    named = graph.rdf.graph(graph_iri("doc/briefing-reward-tampering"))
    assert (iri("source/new-paper"), KG.status, Literal("proposed")) in named
    assert (iri("person/new-author"), KG.authored, iri("source/new-paper")) in named
    assert check_shacl(graph) == []
    assert graph.nx.nodes["person/new-author"]["status"] == "proposed"


def test_bad_introduced_entity_is_located(minimal):
    path = minimal / DOC
    path.write_text("entities:\n  people:\n    - {id: person/x}\n  widgets: []\n" + path.read_text())
    messages = [str(i) for i in kg.validate(minimal, shacl=False).errors]
    assert messages == [f"{path}:3: Person name: required field is missing",
                        f"{path}:4: entities.widgets: expected a list under one of people, organizations, sources, "
                        "concepts, groups"]


def test_empty_data_dir_is_reported(tmp_path):
    report = kg.validate(tmp_path, shacl=False)
    assert [i.code for i in report.errors] == ["empty"]


def test_booleans_are_not_citation_numbers(minimal):
    """YAML's ``true`` used to be read as citation [1], as a number and as a key (issue "Hardening", item 9)."""
    path = minimal / DOC
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  1: source/roe-post", "  true: source/roe-post")
                    .replace("    citations: [1]\n", "    citations: [true]\n", 1), encoding="utf-8")
    messages = [str(i) for i in kg.validate(minimal, shacl=False).errors]
    assert sorted(messages) == sorted([
        f"{minimal / DOC}:5: Document citations.1.[key]: Input should be a valid integer (got 'True')",
        f"{minimal / DOC}:14: Claim citations.0: Input should be a valid integer (got 'True')",
    ])


def test_a_broader_cycle_is_a_warning(minimal):
    """Allowed (topics still include each narrower concept once) but almost always a mistake: one warning per
    cycle, at its first concept (issue "Hardening", item 9)."""
    path = minimal / "entities" / "concepts.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  kind: failure-mode\n", "  kind: failure-mode\n  broader: [concept/sandboxing]\n", 1)
    text = text.replace("  kind: mitigation\n", "  kind: mitigation\n  broader: [concept/reward-tampering]\n", 1)
    path.write_text(text, encoding="utf-8")
    report = kg.validate(minimal, shacl=False)
    assert report.ok
    assert [str(i) for i in report.issues if i.code == "broader-cycle"] == [
        f"{path}:4: warning: broader concepts form a cycle: concept/reward-tampering → concept/sandboxing → "
        "concept/reward-tampering"]
    assert kg.load(minimal).resolve("Sandboxing") == "concept/sandboxing"
    assert kg.tensions(kg.load(minimal), topic="reward-tampering")  # a topic with a cycle still generates
