"""Import of a longterm-wiki snapshot and commands on the combined graph, as ratios against plain YAML parsing.

Each measurement is a fresh process (median wall time and peak RSS of ``--runs`` runs). Baselines, measured in
the same run: ``yaml.safe_load`` of the snapshot's YAML files (for the import) and of every data file of the
combined corpus (for validate and query). Results go to ``bench/results/import.json`` and a printed table.

    python -m bench.bench_import [--wiki ../shared/corpora/longterm-wiki] [--runs 3]
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
from pathlib import Path

__all__ = ["run", "measure"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WIKI = ROOT.parent / "shared" / "corpora" / "longterm-wiki"
_LOAD_YAML = ("import sys, yaml\n"
              "for path in sys.argv[1:]:\n"
              "    with open(path, encoding='utf-8') as handle: yaml.safe_load(handle)\n")


def measure(argv: list[str], runs: int, before: object = None) -> tuple[float, float]:
    """Median wall seconds and median peak RSS (MB) of ``argv`` run ``runs`` times in fresh processes."""
    seconds, peaks = [], []
    for _ in range(runs):
        if callable(before):
            before()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:  # a failing command would time its error, not its work
            raise SystemExit(f"{' '.join(argv)} failed with exit code {os.waitstatus_to_exitcode(status)}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(seconds), statistics.median(peaks)


def _yaml_files(*folders: Path) -> list[str]:
    return sorted(str(p) for folder in folders for p in folder.rglob("*.yaml"))


def run(wiki: Path, runs: int = 3) -> list[dict[str, object]]:
    """Every measurement with its baseline and ratio."""
    kg = [sys.executable, "-m", "kg.cli"]
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "wiki-data"
        base_import = measure([sys.executable, "-c", _LOAD_YAML, *_yaml_files(wiki)], runs)
        imported = measure([*kg, "--data", "data", "import", "longterm-wiki", str(wiki), "-o", str(out)], runs,
                           before=lambda: shutil.rmtree(out, ignore_errors=True))
        results.append(_row("kg import longterm-wiki", imported, "yaml.safe_load of the snapshot's YAML",
                            base_import))
        base_data = measure([sys.executable, "-c", _LOAD_YAML, *_yaml_files(ROOT / "data", out)], runs)
        combined = [*kg, "--data", "data", "--data", str(out)]
        for name, args in (("kg validate", ["validate"]), ("kg validate --no-shacl", ["validate", "--no-shacl"]),
                           ("kg query --name tensions", ["query", "--name", "tensions"]),
                           ("kg stats", ["stats"])):
            results.append(_row(f"{name} (curated + wiki)", measure([*combined, *args], runs),
                                "yaml.safe_load of the same data files", base_data))
    return results


def _row(name: str, figures: tuple[float, float], baseline: str, base: tuple[float, float]) -> dict[str, object]:
    return {"name": name, "seconds": round(figures[0], 2), "peak_mb": round(figures[1]), "baseline": baseline,
            "baseline_seconds": round(base[0], 2), "baseline_peak_mb": round(base[1]),
            "ratio": round(figures[0] / base[0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wiki", type=Path, default=DEFAULT_WIKI, help="the snapshot or clone to import")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()
    if not args.wiki.is_dir():
        raise SystemExit(f"no longterm-wiki snapshot at {args.wiki} (give --wiki PATH)")
    results = run(args.wiki, args.runs)
    target = ROOT / "bench" / "results" / "import.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"{'measurement':<42} {'seconds':>8} {'peak MB':>8}   {'baseline s':>10} {'ratio':>6}")
    for row in results:
        print(f"{row['name']:<42} {row['seconds']:>8} {row['peak_mb']:>8}   {row['baseline_seconds']:>10} "
              f"{row['ratio']:>6}")


if __name__ == "__main__":
    main()
