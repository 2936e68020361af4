"""Benchmark every export format on a synthetic corpus, as ratios against rdflib's own Turtle writer.

The baseline (rdflib serializing the same merged graph as Turtle, no sorting, no description) is measured in
the same run, so the ratios compare machines fairly. Results go to ``bench/results/export.json``.

    python -m bench.bench_export --claims 2000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import kg
from bench.generate import generate
from kg.dataset import union_graph
from kg.export import formats

__all__ = ["run"]

#: the slowest a format may be relative to the baseline before the benchmark fails
LIMIT = 4.0


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def run(claims: int = 2000) -> dict[str, object]:
    """Export a synthetic corpus of ``claims`` claims in every format; sizes, seconds and ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        graph = kg.load(generate(Path(tmp) / "data", claims))
        graph.rdf, graph.nx  # noqa: B018 (build both views outside the timings)
        baseline, _ = _timed(lambda: union_graph(graph, described=False).serialize(format="turtle",
                                                                                    encoding="utf-8"))
        results: dict[str, object] = {"claims": claims, "triples": len(graph.rdf), "baseline_seconds": baseline}
        for name in formats():
            seconds, payload = _timed(lambda name=name: kg.export_graph(graph, name))
            results[name] = {"bytes": len(payload), "seconds": round(seconds, 3),
                             "ratio": round(seconds / baseline, 2)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=2000)
    args = parser.parse_args()
    results = run(args.claims)
    out = Path(__file__).resolve().parent / "results" / "export.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    slow = [name for name in formats() if results[name]["ratio"] > LIMIT]
    if slow:
        raise SystemExit(f"slower than {LIMIT}x rdflib's Turtle writer: {', '.join(slow)}")


if __name__ == "__main__":
    main()
