"""Generate a synthetic, valid data directory of any size, for benchmarks.

The shape follows the bundled corpus: registries of people, organizations, sources and concepts, and
document bundles of 50 claims each with tensions, events, questions and relations. Output is deterministic
for a given size and seed. About 71 RDF triples are produced per claim, so ``--claims 14000`` gives roughly
a million triples.

    python -m bench.generate /tmp/big --claims 14000
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

__all__ = ["generate", "briefing_text", "TRIPLES_PER_CLAIM", "dump", "fresh_data_dir", "write_agents"]

TRIPLES_PER_CLAIM = 71
CLAIMS_PER_DOC = 50
LEVELS = ("none", "isolated", "substantive")


def dump(path: Path, data: object) -> None:
    """Write ``data`` as YAML, in insertion order."""
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def fresh_data_dir(out: str | Path) -> Path:
    """An empty data directory (``entities/``, ``documents/``) at ``out``, replacing what was there."""
    root = Path(out)
    if root.exists():
        shutil.rmtree(root)
    (root / "entities").mkdir(parents=True)
    (root / "documents").mkdir()
    return root


def write_agents(root: Path, rng: random.Random, people: list[str], labs: list[str], venues: list[str]) -> None:
    """The people (each affiliated with a random lab) and organizations (labs, and venues with a credibility
    tier) registries of a synthetic data directory."""
    dump(root / "entities" / "people.yaml",
         [{"id": p, "name": f"Person {i}", "affiliations": [rng.choice(labs)]} for i, p in enumerate(people)])
    dump(root / "entities" / "organizations.yaml",
         [{"id": o, "name": f"Lab {i}", "kind": "lab"} for i, o in enumerate(labs)]
         + [{"id": v, "name": f"Venue {i}", "kind": "venue", "credibility": {"tier": 1 + i % 5}}
            for i, v in enumerate(venues)])


def generate(out: str | Path, claims: int = 1000, seed: int = 0) -> Path:
    """Write a data directory with about ``claims`` claims under ``out`` (replacing it) and return its path."""
    rng = random.Random(seed)
    root = fresh_data_dir(out)
    docs = max(1, claims // CLAIMS_PER_DOC)
    people = [f"person/p{i}" for i in range(max(5, claims // 20))]
    labs = [f"org/lab{i}" for i in range(max(3, claims // 500))]
    venues = [f"org/venue{i}" for i in range(5)]
    concepts = [f"concept/c{i}" for i in range(max(10, claims // 10))]
    sources = [f"source/s{i}" for i in range(max(10, claims // 10))]

    write_agents(root, rng, people, labs, venues)
    dump(root / "entities" / "sources.yaml", [
        {"id": s, "title": f"Source {i}", "kind": "paper", "venue": rng.choice(venues),
         "published": f"20{20 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}", "authors": [rng.choice(people)],
         "credibility": {"tier": 1 + i % 5, "label": "synthetic"}}
        for i, s in enumerate(sources)])
    dump(root / "entities" / "concepts.yaml", [
        {"id": c, "label": f"Concept {i}", "kind": "risk" if i % 3 else "mitigation",
         "definition": f"Synthetic concept number {i}.",
         **({"broader": [concepts[(i - 1) // 2]]} if i else {})}
        for i, c in enumerate(concepts)])

    for d in range(docs):
        cited = rng.sample(sources, 5)
        claim_ids = [f"claim/d{d}-c{k}" for k in range(CLAIMS_PER_DOC)]
        bundle = {
            "kind": "briefing",
            "title": f"Synthetic briefing {d}",
            "summary": f"Synthetic briefing number {d} [1].",
            "citations": {n + 1: s for n, s in enumerate(cited)},
            "claims": [{
                "id": cid, "statement": f"Synthetic claim {k} of briefing {d}.",
                "holders": rng.sample(people, 1 + k % 2), "about": rng.sample(concepts, 2),
                "date": f"2025-{1 + k % 12:02d}-{1 + k % 28:02d}", "polarity": ("pro", "con", "neutral")[k % 3],
                "citations": sorted(rng.sample(range(1, 6), 1 + k % 2)),
            } for k, cid in enumerate(claim_ids)],
            "tensions": [{
                "id": f"tension/d{d}-t{t}", "a": claim_ids[2 * t], "b": claim_ids[2 * t + 1],
                "kind": "empirical", "note": f"Synthetic tension {t}.", "citations": [1 + t % 5],
            } for t in range(5)],
            "events": [{"id": f"event/d{d}-e{e}", "date": f"2025-0{1 + e}-01", "summary": f"Event {e}.",
                        "actors": [rng.choice(people)], "citations": [1]} for e in range(2)],
            "questions": [{"id": f"question/d{d}-q{q}", "text": f"Question {q}?", "about": [rng.choice(concepts)],
                           "citations": [2]} for q in range(2)],
            "relations": [
                {"subject": rng.choice(labs), "relation": "addresses", "level": LEVELS[r % 3],
                 "object": concept, "claim": claim_ids[r], "citations": [3]}
                for r, concept in enumerate(rng.sample(concepts, 4))
            ] + [
                {"subject": claim_ids[10 + r], "relation": "supports", "object": claim_ids[20 + r], "citations": [4]}
                for r in range(4)
            ],
        }
        dump(root / "documents" / f"d{d}.yaml", bundle)
    return root


def briefing_text(timeline: int = 0, tensions: int = 0) -> str:
    """A plain-text briefing for ``kg ingest`` with ``timeline`` timeline entries and ``tensions`` tension
    bullets (each states two claims), citing two sources: an input of any size for the ingest reader."""
    lines = ["# Synthetic briefing | history", "Version 1.0", "Last updated March 14, 2025 14:05 UTC · 3 items", "",
             "## What", "Priya Raman and Tomás Ortega disagree over elicitation [1][2].", ""]
    if tensions:
        lines.append("## Tensions")
        lines += [f"* Raman argues that evaluations understate capability number {i} by a wide margin, whereas "
                  f"Ortega reports that protocol {i} recovers nearly all hidden performance. [1][2]"
                  for i in range(tensions)]
        lines.append("")
    if timeline:
        lines.append("## Timeline")
        lines += [f"* 2025-01-{1 + i % 28:02d} — Raman posts analysis number {i} of the elicitation gap. [1]"
                  for i in range(timeline)]
        lines.append("")
    lines += ["## Sources", "- [1] The elicitation gap — LessWrong (2025-01-20)",
              "- [2] Password-Locked Models — arXiv (February 2, 2025) <https://arxiv.org/abs/2502.00001>", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="directory to (re)create")
    parser.add_argument("--claims", type=int, default=1000, help="number of claims (about 71 triples each)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(generate(args.out, args.claims, args.seed))


if __name__ == "__main__":
    main()
