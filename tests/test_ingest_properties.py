"""Property tests: random and mutated documents give either an IngestError or a bundle that validates."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.errors import IngestError
from tests.conftest import FIXTURES, SEEDS

OWN = FIXTURES / "documents"
REGISTRY = OWN / "registry"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted([*OWN.glob("*.txt"), *SEEDS.glob("*.txt")])]
FORMATS = ["auto", "briefing", "resource", "concept"]
HEADINGS = ["What", "Why it matters", "Open questions", "Narrative", "Timeline", "Perspectives", "Tensions",
            "Sources", "## Sources", "Credibility Rating", "Metadata", "Summary", "Key Points", "Cited by 2 pages",
            "Cached Content Preview", "Details", "Examples", "Mitigations", "Related", "Version 2"]
FRAGMENTS = ["[1]", "[2][3]", "[1, 9]", "[0]", "[999999]", "- ", "* ", "• ", "- •", "1. ", "2026-05-10: ",
             "2026-02-30 — ", "May 3, 2025 - ", "| Page | Type | Quality |", "|---|---|---|", "| A | B | 7 |",
             "| x | nan |", '"term" — a thing', "'quoted': ", "Alex Mallen", "Priya Raman", "Evolution: ",
             "Mallen argues X, while Y", ", but ", "; ", " versus ", "(Speculative) ", "(see x)", "Unlike y, ",
             "Rating inherited from publication venue: X", "Good quality. ", "Stable ID: abc", "URL: https://a.b",
             "[t](https://x.y/z#a)", "paperAuthors: A, B", "— Venue (2025-01-01)", "that ", "\t", "\x00", "\u200b",
             "é", "Northwind AI", "Sandbagging", "?"]
line = st.one_of(st.sampled_from(HEADINGS),
                 st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=6).map("".join))
documents = st.lists(line, max_size=40).map("\n".join)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A real document with lines deleted, repeated, swapped, inserted, garbled or renumbered."""
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "repeat", "swap", "insert", "garble", "renumber", "cut"]))
        if operation == "delete":
            del lines[at]
        elif operation == "repeat":
            lines.insert(at, lines[at])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == "insert":
            lines.insert(at, draw(line))
        elif operation == "garble":
            text = lines[at]
            cut = draw(st.integers(0, len(text)))
            lines[at] = text[:cut] + draw(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))) + text[cut:]
        elif operation == "renumber":
            lines[at] = lines[at].replace("[1]", f"[{draw(st.integers(0, 12))}]").replace("[3]", "[2, 7]")
        else:
            lines = lines[:at]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def registry() -> kg.KnowledgeGraph:
    return kg.load(REGISTRY)


def check(text: str, fmt: str, graph: kg.KnowledgeGraph | None) -> None:
    """Only an IngestError (one line) or a bundle that loads with the data it was linked against."""
    try:
        bundle = kg.ingest_text(text, name="doc.txt", format=fmt, data=graph)
    except IngestError as err:
        assert "\n" not in str(err) and str(err).startswith("doc.txt")
        return
    json.loads(bundle.to_json_text())
    assert all(str(w).startswith("doc.txt:") for w in bundle.warnings)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        if graph is not None:
            shutil.copytree(REGISTRY, data)
        (data / "documents").mkdir(parents=True, exist_ok=True)
        bundle.write(data / "documents" / f"{bundle.slug}.yaml")
        report = kg.validate(data, shacl=False)
        assert report.errors == [], [str(i) for i in report.errors]
        assert kg.load(data).documents[bundle.id] == bundle.document


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents, fmt=st.sampled_from(FORMATS), linked=st.booleans())
def test_random_documents(registry: kg.KnowledgeGraph, text: str, fmt: str, linked: bool) -> None:
    check(text, fmt, registry if linked else None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated(), fmt=st.sampled_from(FORMATS), linked=st.booleans())
def test_mutated_documents(registry: kg.KnowledgeGraph, text: str, fmt: str, linked: bool) -> None:
    check(text, fmt, registry if linked else None)


@pytest.mark.parametrize("text", [
    "Title\nSources\n" + "(" * 50_000,
    "Title\nTensions\n- " + "a, " * 30_000 + "[1]\nSources\n- [1] x — y",
    "Title\nDetails\n" + '"' * 40_000 + "\nExamples\nMitigations\n",
    "Title\nOpen questions\n" + "[1" * 20_000 + "\nSources\n" + "- [1] " + "— " * 20_000,
    "Title\nKey Points\n" + "|" * 50_000 + "\nCited by 3 pages\n" + "| a |" * 10_000,
])
@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_long_lines_end_quickly_in_an_error_or_a_bundle(text: str, fmt: str) -> None:
    check(text, fmt, None)
