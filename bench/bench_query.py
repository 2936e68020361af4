"""Benchmark the SPARQL engines: load time and the named-query suite, rdflib against Oxigraph, in one run.

Both engines are measured on the same machine in the same run, on the bundled corpus and on a generated
corpus of about a million triples (``bench.generate``), and the report gives ratios (rdflib time / Oxigraph
time), which stay meaningful on a noisy shared machine where absolute times do not. Queries on the large
corpus run in a worker with a per-query cap (``--cap``), for both engines, so their times include starting
the worker (a fork, tens of milliseconds); a capped query counts as the cap, so its ratio is a lower bound.

    python -m bench.bench_query                      # bundled corpus + ~1M triples
    python -m bench.bench_query --claims 0           # bundled corpus only (seconds)
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kg
from bench.generate import TRIPLES_PER_CLAIM, generate
from kg.errors import QueryError
from kg.query import load_engine, named_queries
from kg.query._engines import OxigraphEngine, RdflibEngine
from kg.query._parse import prepare
from kg.query._worker import run_with_timeout
from kg.vocab import iri

__all__ = ["bench_corpus", "main"]

ROOT = Path(__file__).resolve().parent.parent
ENGINES: dict[str, Callable[[bytes], Any]] = {
    "rdflib": RdflibEngine.from_nquads, "oxigraph": OxigraphEngine.from_nquads,
}


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def sample_params(graph: kg.KnowledgeGraph) -> dict[str, dict[str, str]]:
    """Parameters that give every named query something to do on ``graph``."""
    addressed = next(e for e in graph.iter_edges("addresses") if e.subject.startswith("org/"))
    holder = next(e.subject for e in graph.iter_edges("asserts") if e.subject.startswith("person/"))
    claim = next(e.object for e in graph.iter_edges("supports"))
    cites = [e for e in graph.iter_edges("cites") if e.subject.startswith("source/")]
    source = cites[0].subject if cites else next(n.id for n in graph.iter_nodes("Source"))
    mitigated = next((e.object for e in graph.iter_edges("mitigates")), None)
    narrow = mitigated or next((e.subject for e in graph.iter_edges("broader")), addressed.object)
    actor = next((e.object for e in graph.iter_edges("involves") if e.subject.startswith("event/")), holder)
    return {"lab-coverage": {"concept": addressed.object}, "claims-by": {"holder": holder},
            "concept-neighborhood": {"concept": addressed.object}, "claim-evidence": {"claim": claim},
            "mitigations": {"concept": narrow}, "citation-chain": {"source": source},
            "timeline": {"topic": actor}, "open-questions": {"concept": addressed.object}}


def bench_corpus(data: Path, repeat: int, cap: float | None) -> dict[str, Any]:
    """Load times and named-query times of both engines on one data directory."""
    report: dict[str, Any] = {"data": str(data)}
    start = time.perf_counter()
    graph = kg.load(data)
    report["kg_load_s"] = time.perf_counter() - start
    start = time.perf_counter()
    dataset = graph.rdf
    report["rdf_build_s"] = time.perf_counter() - start
    report["quads"] = len(dataset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        nquads = dataset.serialize(format="nquads", encoding="utf-8")
    params = sample_params(graph)
    report["params"] = params
    report["engines"] = {}
    for name, from_nquads in ENGINES.items():
        load_s, engine = _best(lambda f=from_nquads: f(nquads), repeat if cap is None else 1)
        del engine
        gc.collect()
        # the suite runs on the engine kg itself uses: rdflib over graph.rdf, Oxigraph loaded from it
        engine = load_engine(graph, name)
        times: dict[str, float] = {}
        rows: dict[str, int] = {}
        capped: list[str] = []
        for query_name, named in named_queries().items():
            prepared = prepare(named.text, where=query_name)
            bindings = {key: iri(graph.resolve(value, *named.param(key).types))
                        for key, value in params.get(query_name, {}).items() if named.param(key)}
            if cap is None:
                seconds, result = _best(lambda e=engine, p=prepared, b=bindings: e.run(p, b), repeat)
            else:
                start = time.perf_counter()
                try:
                    result = run_with_timeout(lambda e=engine: e, prepared, bindings, cap)
                except QueryError:
                    result, capped = None, [*capped, query_name]
                seconds = time.perf_counter() - start
            times[query_name] = seconds
            rows[query_name] = -1 if result is None else len(result)
            if cap is not None:
                print(f"    {name:8} {query_name:22} {seconds:9.3f} s  {rows[query_name]:>7} rows"
                      f"{'  (capped)' if result is None else ''}", flush=True)
        report["engines"][name] = {"load_s": load_s, "suite_s": sum(times.values()), "queries_s": times,
                                   "rows": rows, "capped": capped}
        print(f"  {name:8} load {load_s:8.3f} s   suite {sum(times.values()):9.3f} s"
              f"{'   capped: ' + ', '.join(capped) if capped else ''}", flush=True)
    engines = report["engines"]
    rdflib_s, oxigraph_s = engines["rdflib"]["queries_s"], engines["oxigraph"]["queries_s"]
    report["ratios"] = {"load": engines["rdflib"]["load_s"] / engines["oxigraph"]["load_s"],
                        "suite": engines["rdflib"]["suite_s"] / engines["oxigraph"]["suite_s"],
                        "queries": {q: rdflib_s[q] / max(oxigraph_s[q], 1e-9) for q in rdflib_s}}
    finished = [q for q in rdflib_s if q not in engines["rdflib"]["capped"] + engines["oxigraph"]["capped"]]
    report["same_row_counts"] = all(engines["rdflib"]["rows"][q] == engines["oxigraph"]["rows"][q] for q in finished)
    return report


def _summary(report: dict[str, Any]) -> str:
    ratios = report["ratios"]
    capped = sorted({*report["engines"]["rdflib"]["capped"], *report["engines"]["oxigraph"]["capped"]})
    bound = f" (at least: {', '.join(capped)} stopped at the cap)" if capped else ""
    lines = [f"{report['label']}: {report['quads']:,} quads; rdflib/Oxigraph time ratio: load {ratios['load']:.1f}x, "
             f"named-query suite {ratios['suite']:.1f}x{bound}; row counts agree: {report['same_row_counts']}"]
    for query_name, ratio in ratios["queries"].items():
        ox_s = report["engines"]["oxigraph"]["queries_s"][query_name]
        rd_s = report["engines"]["rdflib"]["queries_s"][query_name]
        lines.append(f"    {query_name:22} rdflib {rd_s:9.4f} s   oxigraph {ox_s:9.4f} s   {ratio:8.1f}x")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=14000,
                        help=f"claims in the generated corpus (about {TRIPLES_PER_CLAIM} triples each; 0: skip it)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement on the bundled corpus (best)")
    parser.add_argument("--cap", type=float, default=120, help="seconds allowed per query on the large corpus")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "query.json"), help="JSON report")
    args = parser.parse_args()
    reports = []
    print("bundled corpus", flush=True)
    bundled = bench_corpus(ROOT / "data", args.repeat, None)
    bundled["label"] = "bundled corpus"
    reports.append(bundled)
    if args.claims:
        with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
            print(f"generated corpus ({args.claims} claims)", flush=True)
            big = bench_corpus(generate(Path(tmp) / "data", args.claims), 1, args.cap)
            big["label"] = f"generated corpus ({args.claims} claims)"
            reports.append(big)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(reports, indent=2, default=str), encoding="utf-8")
    print()
    print("\n".join(_summary(r) for r in reports))
    print(f"\nreport: {out}")


if __name__ == "__main__":
    main()
