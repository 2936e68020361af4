"""Growth of each reader from a 1x to a 10x input: a reader that is linear takes about 10 times as long.

Readers: ``kg validate`` on generated data directories, ``kg ingest`` on a generated briefing with N timeline
entries or N tension bullets (two claims each), ``kg.load_rdf`` on N-Triples exported from a generated corpus.
Each measurement is a fresh process timing only the call (interpreter start and imports excluded), the median of
``--runs``. Prints the growth ratio per reader; the target is at most 12x (``--limit``). No assertions: the exit
code is 1 when a reader grows beyond the limit.

    python -m bench.bench_readers [--scale 1] [--runs 3] [--limit 12]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.generate import briefing_text, generate

__all__ = ["measure", "run"]

ROOT = Path(__file__).resolve().parent.parent

_CLI = ("import sys, time, contextlib, io\n"
        "import kg.cli\n"
        "start = time.perf_counter()\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    code = kg.cli.main(sys.argv[1:])\n"
        "print(time.perf_counter() - start, code)\n")
_LOAD_RDF = ("import sys, time\n"
             "import kg\n"
             "start = time.perf_counter()\n"
             "kg.load_rdf(sys.argv[1])\n"
             "print(time.perf_counter() - start, 0)\n")


def measure(code: str, *args: str, runs: int = 3) -> float:
    """Median seconds the child reports for ``python -c code *args`` over ``runs`` fresh processes."""
    times = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                              timeout=1800)
        seconds, status = proc.stdout.split()[-2:] if proc.returncode == 0 and proc.stdout else ("nan", "?")
        if proc.returncode != 0 or status != "0":
            raise RuntimeError(f"{args}: exit {proc.returncode}/{status}: {proc.stderr[-500:]}")
        times.append(float(seconds))
    return statistics.median(times)


def run(scale: int = 1, runs: int = 3) -> dict[str, tuple[float, float]]:
    """Seconds at 1x and 10x for every reader."""
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-readers-") as tmp:
        root = Path(tmp)
        base = 300 * scale
        data = {k: generate(root / f"data{k}", claims=base * k) for k in (1, 10)}
        results["validate"] = tuple(  # type: ignore[assignment]
            measure(_CLI, "--no-cache", "--data", str(data[k]), "validate", runs=runs) for k in (1, 10))
        for reader, kind in (("ingest timeline", "timeline"), ("ingest claims", "tensions")):
            times = []
            for k in (1, 10):
                doc = root / f"{kind}{k}.txt"
                doc.write_text(briefing_text(**{kind: 200 * scale * k}), encoding="utf-8")
                times.append(measure(_CLI, "--no-cache", "--data", str(data[1]), "ingest", str(doc), "-o",
                                     str(root / f"out-{kind}{k}.yaml"), "--force", runs=runs))
            results[reader] = (times[0], times[1])
        times = []
        for k in (1, 10):
            nt = root / f"graph{k}.nt"
            measure(_CLI, "--no-cache", "--data", str(data[k]), "export", "-f", "nt", "-o", str(nt), runs=1)
            times.append(measure(_LOAD_RDF, str(nt), runs=runs))
        results["load_rdf nt"] = (times[0], times[1])
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply both input sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=12.0, help="largest acceptable growth (default 12)")
    args = parser.parse_args()
    results = run(args.scale, args.runs)
    print(f"{'reader':<18}{'1x s':>9}{'10x s':>9}{'growth':>9}")
    worst = 0.0
    for reader, (one, ten) in results.items():
        growth = ten / one if one else float("inf")
        worst = max(worst, growth)
        flag = "" if growth <= args.limit else f"  > {args.limit:g}x"
        print(f"{reader:<18}{one:>9.3f}{ten:>9.3f}{growth:>8.1f}x{flag}")
    return 0 if worst <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
