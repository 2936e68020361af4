"""`make bench`: every kg command on a generated corpus, in fresh processes, as ratios to a raw pyoxigraph load.

Sizes: S ≈ 10k triples (150 claims), M ≈ 100k (1,400), L ≈ 1M (14,000); ``--claims N`` runs any other count
(the generator writes whole documents of 50 claims: 140 would give 100 claims, 7.5k triples).
The corpus is generated once per run into ``out/bench-data/SIZE``, with its N-Quads exported once by kg. Every
measurement is a fresh process (``python -m kg.cli ...`` or ``python -c ...``), timed from spawn to exit, its
own peak RSS read with ``os.wait4``; each figure is the median of ``--runs`` runs, taken in rounds (each
round runs every measurement once) so that a busy spell of a shared machine falls on all of them alike.

Every kg command runs with an empty build cache (a fresh ``KG_CACHE_DIR``) except the warm query, which reuses
one cache directory after an unmeasured warm-up call. The baseline of every row is the pyoxigraph load: a
fresh interpreter that imports pyoxigraph and bulk-loads the N-Quads into an in-memory store (interpreter
start and import included, as they are in every kg figure). rdflib parsing the same N-Quads and the C YAML
loader reading every data file are measured beside it for reference.

Results replace that size's entries in ``out/bench.json``, so S, M and L sit side by side; once M and L are
both there, the M→L growth of each measurement is printed too (target ≤11x for 10x the data). Targets are
reported, not asserted: the exit status is non-zero only when a command fails.

    python -m bench.run --size S [--runs 3] [--only query-cold,stats] [--out out/bench.json]
    python -m bench.run --growth             # only print the M→L growth from out/bench.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.generate import generate

__all__ = ["SIZES", "SPECS", "Spec", "growth", "main", "measure_once", "merge", "run"]

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"S": 150, "M": 1400, "L": 14000}
GROWTH_TARGET = 11.0
Row = dict[str, Any]


@dataclass(frozen=True)
class Spec:
    """One measurement: ``args`` follow the interpreter, with ``{data}``, ``{nq}`` and ``{scratch}`` filled in;
    ``target`` is a ratio to the baseline (``unit`` "x") or wall seconds (``unit`` "s")."""

    key: str
    name: str
    args: tuple[str, ...]
    target: float | None = None
    unit: str = "x"
    warm: bool = False


_KG = ("-m", "kg.cli", "--data", "{data}")
_QUERY = (*_KG, "query", "--name", "tensions")
_OXIGRAPH = ("import sys; from pyoxigraph import RdfFormat, Store\n"
             "Store().bulk_load(path=sys.argv[1], format=RdfFormat.N_QUADS)")
_RDFLIB = "import sys, rdflib; rdflib.Dataset().parse(sys.argv[1], format='nquads')"
_YAML = ("import sys, yaml, pathlib\n"
         "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
         "    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)")

BASELINE = Spec("pyoxigraph-load", "pyoxigraph bulk_load (baseline)", ("-c", _OXIGRAPH, "{nq}"))
SPECS = (
    Spec("query-cold", "kg query --name tensions (cold)", _QUERY, 4.0),
    Spec("query-warm", "kg query --name tensions (warm)", _QUERY, 1.0, "s", warm=True),
    Spec("validate", "kg validate", (*_KG, "validate"), 10.0),
    Spec("validate-no-shacl", "kg validate --no-shacl", (*_KG, "validate", "--no-shacl"), 2.0),
    Spec("export-nq", "kg export --format nq", (*_KG, "export", "--format", "nq", "-o", "{scratch}/out.nq"), 3.0),
    Spec("export-turtle", "kg export --format turtle",
         (*_KG, "export", "--format", "turtle", "-o", "{scratch}/out.ttl"), 4.0),
    Spec("stats", "kg stats", (*_KG, "stats"), 2.0),
    Spec("viz", "kg viz", (*_KG, "viz", "-o", "{scratch}/out.html")),
    Spec("rdflib-parse", "rdflib Dataset.parse (nquads)", ("-c", _RDFLIB, "{nq}")),
    Spec("yaml-load", "yaml CSafeLoader, every data file", ("-c", _YAML, "{data}")),
)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure_once(args: list[str], cache: Path, log: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``python ARGS`` in a fresh process with ``KG_CACHE_DIR=cache``;
    raises ``SystemExit`` with the end of its stderr when it fails (a failure would time its error, not its work)."""
    env = {**os.environ, "KG_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    argv = [sys.executable, *args]
    with log.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-10:]
        raise SystemExit(f"bench: {' '.join(argv)} exited {code}:\n" + "\n".join(tail))
    return seconds, usage.ru_maxrss / 1024  # Linux: kilobytes


def run(size: str, claims: int, runs: int, specs: tuple[Spec, ...], work: Path) -> tuple[dict[str, Any], list[Row]]:
    """Generate the corpus into ``work`` and measure the baseline and ``specs``; the size's facts and one row
    per measurement (the baseline first)."""
    started = time.perf_counter()
    shutil.rmtree(work, ignore_errors=True)
    _say(f"bench {size}: generating {claims} claims into {work / 'data'}")
    data = generate(work / "data", claims)
    scratch = work / "scratch"
    scratch.mkdir()
    nq = work / "graph.nq"
    fill = {"data": str(data), "nq": str(nq), "scratch": str(scratch)}

    def args(spec: Spec) -> list[str]:
        return [a.format(**fill) for a in spec.args]

    _say(f"bench {size}: exporting the N-Quads for the baselines")
    measure_once(["-m", "kg.cli", "--data", str(data), "export", "--format", "nq", "-o", str(nq)],
                 scratch / "cache-export", scratch / "stderr")
    with nq.open("rb") as handle:
        triples = sum(1 for line in handle if line.strip())
    warm = scratch / "cache-warm"
    if any(s.warm for s in specs):
        _say(f"bench {size}: warm-up call for the warm measurements")
        measure_once(args(next(s for s in specs if s.warm)), warm, scratch / "stderr")
    samples: dict[str, list[tuple[float, float]]] = {}
    for k in range(1, runs + 1):
        for spec in (BASELINE, *specs):
            cache = warm if spec.warm else Path(tempfile.mkdtemp(prefix="cache-", dir=scratch))
            seconds, peak = measure_once(args(spec), cache, scratch / "stderr")
            if not spec.warm:
                shutil.rmtree(cache)
            samples.setdefault(spec.key, []).append((seconds, peak))
            _say(f"bench {size}: run {k}/{runs} {spec.name}: {seconds:.2f} s, {peak:.0f} MB")
    base = statistics.median(s for s, _ in samples[BASELINE.key])
    rows = [_row(spec, size, samples[spec.key], base) for spec in (BASELINE, *specs)]
    facts = {"claims": claims, "triples": triples, "cpus": os.cpu_count(), "loadavg": os.getloadavg()[0],
             "python": sys.version.split()[0], "date": datetime.now(UTC).isoformat(timespec="seconds"),
             "wall_seconds": round(time.perf_counter() - started, 1),
             "baseline": "a fresh python process importing pyoxigraph and bulk-loading the N-Quads into an "
                         "in-memory Store (interpreter start and import included, as in every kg figure)"}
    return facts, rows


def _row(spec: Spec, size: str, samples: list[tuple[float, float]], base: float) -> Row:
    seconds = statistics.median(s for s, _ in samples)
    is_base = spec is BASELINE
    ratio = None if is_base else seconds / base
    value = seconds if spec.unit == "s" else ratio
    return {"key": spec.key, "name": spec.name, "size": size, "seconds": round(seconds, 3),
            "peak_mb": round(statistics.median(p for _, p in samples)),
            "baseline": None if is_base else BASELINE.name, "baseline_seconds": None if is_base else round(base, 3),
            "ratio": None if ratio is None else round(ratio, 2), "target": spec.target,
            "target_unit": None if spec.target is None else spec.unit,
            "ok": None if spec.target is None or value is None else value <= spec.target, "runs": len(samples)}


def growth(measurements: list[Row], small: str = "M", large: str = "L") -> list[Row]:
    """Seconds at ``large`` over seconds at ``small`` for each measurement present at both sizes."""
    before = {m["name"]: m["seconds"] for m in measurements if m["size"] == small}
    return [{"name": m["name"], "from": small, "to": large, "ratio": round(m["seconds"] / before[m["name"]], 2),
             "target": GROWTH_TARGET, "ok": m["seconds"] / before[m["name"]] <= GROWTH_TARGET}
            for m in measurements if m["size"] == large and m["name"] in before]


def merge(report: dict[str, Any], size: str, facts: dict[str, Any], rows: list[Row]) -> dict[str, Any]:
    """``report`` (the contents of bench.json, or ``{}``) with the entries of ``size`` replaced."""
    sizes = {**report.get("sizes", {}), size: facts}
    measurements = [m for m in report.get("measurements", []) if m["size"] != size] + rows
    return {"sizes": sizes, "measurements": measurements, "growth": growth(measurements)}


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def _cell(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:g}{unit}"


def _ok(ok: bool | None) -> str:
    return "-" if ok is None else "yes" if ok else "MISSED"


def table(rows: list[Row]) -> str:
    """The measurements as a plain-text table."""
    lines = [f"{'measurement':<36} {'seconds':>8} {'peak MB':>8} {'ratio':>7} {'target':>7}  ok"]
    for r in rows:
        target = _cell(r["target"], r.get("target_unit") or "")
        lines.append(f"{r['name']:<36} {r['seconds']:>8.2f} {r['peak_mb']:>8} {_cell(r['ratio'], 'x'):>7} "
                     f"{target:>7}  {_ok(r['ok'])}")
    return "\n".join(lines)


def growth_table(rows: list[Row]) -> str:
    """The M→L growth as a plain-text table."""
    lines = [f"{'measurement (M -> L)':<36} {'growth':>8} {'target':>7}  ok"]
    lines += [f"{r['name']:<36} {_cell(r['ratio'], 'x'):>8} {_cell(r['target'], 'x'):>7}  {_ok(r['ok'])}"
              for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="M", help="S ≈ 10k, M ≈ 100k, L ≈ 1M triples (default M)")
    parser.add_argument("--claims", type=int, help="any other corpus size (the size is then called 'N claims')")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per measurement (median; default 3)")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(s.key for s in SPECS)} "
                                       "(the baseline always runs)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench.json", help="JSON report to merge into")
    parser.add_argument("--work", type=Path, help="corpus and scratch directory (default out/bench-data/SIZE)")
    parser.add_argument("--growth", action="store_true", help="only print the M→L growth recorded in --out")
    args = parser.parse_args(argv)
    report = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    if args.growth:
        if not report.get("growth"):
            raise SystemExit(f"bench: {args.out} does not hold both M and L (run make bench SIZE=M and SIZE=L)")
        print(growth_table(report["growth"]))
        return
    keys = args.only.split(",") if args.only else [s.key for s in SPECS]
    unknown = set(keys) - {s.key for s in SPECS}
    if unknown:
        parser.error(f"unknown measurement {', '.join(sorted(unknown))}; known: {', '.join(s.key for s in SPECS)}")
    size = args.size if args.claims is None else f"{args.claims} claims"
    claims = SIZES[args.size] if args.claims is None else args.claims
    work = args.work or ROOT / "out" / "bench-data" / size.replace(" ", "-")
    facts, rows = run(size, claims, args.runs, tuple(s for s in SPECS if s.key in keys), work)
    report = merge(report, size, facts, rows)
    _write_atomic(args.out, json.dumps(report, indent=1) + "\n")
    print(f"size {size}: {claims} claims, {facts['triples']:,} triples; {facts['cpus']} CPUs, load average "
          f"{facts['loadavg']:.1f}; median of {args.runs} run(s); harness {facts['wall_seconds']} s")
    print(table(rows))
    print(f"ratio: seconds over the baseline, {facts['baseline']}.\n"
          "kg commands run with an empty build cache (a fresh KG_CACHE_DIR) except the warm query.")
    if report["growth"]:
        print()
        print(growth_table(report["growth"]))
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
