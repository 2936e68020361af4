"""`make bench` (bench/run.py) end to end on a tiny corpus: the report's shape, not its numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import GROWTH_TARGET, growth, measure_once, merge

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"name", "size", "seconds", "peak_mb", "baseline", "baseline_seconds", "ratio", "target", "ok", "runs"}


def test_a_tiny_run_writes_one_row_per_measurement_and_merges_with_other_sizes(tmp_path):
    out = tmp_path / "bench.json"
    out.write_text(json.dumps(merge({}, "S", {"triples": 1}, [{"name": "kg stats", "size": "S", "seconds": 1.0}])))
    argv = [sys.executable, "-m", "bench.run", "--claims", "20", "--runs", "1", "--only", "query-warm,stats,yaml-load",
            "--out", str(out), "--work", str(tmp_path / "work")]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr  # every command exited 0, or the harness would have failed
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["sizes"]) == {"S", "20 claims"} and report["sizes"]["20 claims"]["triples"] > 0
    rows = [m for m in report["measurements"] if m["size"] == "20 claims"]
    assert [m["key"] for m in rows] == ["pyoxigraph-load", "query-warm", "stats", "yaml-load"]
    for row in rows:
        assert KEYS <= set(row) and row["runs"] == 1 and row["seconds"] > 0 and row["peak_mb"] > 0
    baseline, warm, stats, _ = rows
    assert baseline["ratio"] is None and stats["baseline"] == baseline["name"]
    # seconds are stored rounded to the millisecond: a baseline of a few hundredths moves the ratio by percents
    slack = 0.0005 / baseline["seconds"] + 0.0005 / stats["seconds"] + 0.01
    assert stats["ratio"] == pytest.approx(stats["seconds"] / baseline["seconds"], rel=slack)
    assert (warm["target"], warm["target_unit"], stats["target"], stats["target_unit"]) == (1.0, "s", 2.0, "x")
    assert isinstance(stats["ok"], bool) and rows[-1]["ok"] is None
    assert "kg stats" in done.stdout and "run 1/1 kg stats" in done.stderr  # the table, and progress on stderr


def test_a_failing_command_stops_the_harness_with_its_error(tmp_path):
    with pytest.raises(SystemExit, match="exited 3"):
        measure_once(["-c", "import sys; sys.exit(3)"], tmp_path / "cache", tmp_path / "stderr")


def test_growth_from_m_to_l_once_both_sizes_are_recorded():
    rows = [{"name": n, "size": s, "seconds": t} for n, s, t in
            (("kg stats", "M", 2.0), ("kg viz", "M", 1.0), ("kg stats", "L", 30.0), ("kg viz", "L", 5.0))]
    assert merge({}, "M", {}, rows[:2])["growth"] == []
    assert growth(rows) == [
        {"name": "kg stats", "from": "M", "to": "L", "ratio": 15.0, "target": GROWTH_TARGET, "ok": False},
        {"name": "kg viz", "from": "M", "to": "L", "ratio": 5.0, "target": GROWTH_TARGET, "ok": True}]
    replaced = merge({"sizes": {"M": {}}, "measurements": rows}, "M", {"claims": 1}, [])
    assert replaced["sizes"] == {"M": {"claims": 1}} and {m["size"] for m in replaced["measurements"]} == {"L"}


def test_the_serve_load_benchmark_runs_briefly_and_reports_both_servers(tmp_path):
    out = tmp_path / "bench-serve.json"
    argv = [sys.executable, "-m", "bench.bench_serve", "--seconds", "2", "--corpus", "bundled", "--out", str(out),
            "--work", str(tmp_path / "work")]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(out.read_text(encoding="utf-8"))
    for server in ("kg", "oxigraph"):
        assert row[server]["named_requests"] > 0 and row[server]["named_errors"] == 0
    assert row["kg"]["pathological_statuses"] in ([], [503])  # cut by the timeout, never an error of another kind
