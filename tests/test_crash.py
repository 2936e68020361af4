"""``kill -9`` at random moments: every writer leaves the previous file intact or the new one complete.

Each command (``kg export`` in three formats, ``kg viz``, ``kg ingest``) writes over an output file with known
content; the process is sent SIGKILL after a random delay (seeded) spread over its measured run time, with half
of the delays aimed at its end, where the file is written. Afterwards the file holds the previous bytes or the
output of a reference run, and after the next successful run of the same command no temporary file of
:func:`kg._util.write_atomic` (``.NAME.PID.RANDOM.tmp``) is left in the folder (the next write sweeps orphans).

50 kills in under a minute by default; ``KG_FUZZ=long`` runs four times as many.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.generate import briefing_text, generate
from tests.conftest import ROOT

LONG = os.environ.get("KG_FUZZ", "").lower() == "long"
KILLS_PER_COMMAND = 40 if LONG else 10
RECOVER_EVERY = 6  # a complete run after every few kills: it must sweep the orphans and write the reference
TEMPORARY = re.compile(r"^\..+\.[0-9]+\.[A-Za-z0-9_]+\.tmp$")  # kg._util._TEMPORARY

COMMANDS = {
    "export-turtle": ("graph.ttl", ["export", "-f", "turtle", "-o", "{out}"]),
    "export-jsonld": ("graph.jsonld", ["export", "-f", "jsonld", "-o", "{out}"]),
    "export-graphml": ("graph.graphml", ["export", "-f", "graphml", "-o", "{out}"]),
    "viz": ("graph.html", ["viz", "-o", "{out}"]),
    "ingest": ("bundle.yaml", ["ingest", "{briefing}", "-o", "{out}", "--force"]),
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("crash")
    data = generate(root / "data", claims=300)
    briefing = root / "briefing.txt"
    briefing.write_text(briefing_text(timeline=200, tensions=200), encoding="utf-8")
    space = {"root": root, "data": data, "briefing": briefing, "cache": root / "cache"}
    _complete([sys.executable, "-m", "kg.cli", "--data", str(data), "export", "-f", "nt", "-o", str(root / "warm.nt")],
              _env(space))  # builds the cache every command then reads
    return space


def _argv(name: str, workspace: dict[str, Path], out: Path) -> list[str]:
    args = [a.format(out=out, briefing=workspace["briefing"]) for a in COMMANDS[name][1]]
    return [sys.executable, "-m", "kg.cli", "--data", str(workspace["data"]), *args]


def _env(workspace: dict[str, Path]) -> dict[str, str]:
    return {**os.environ, "KG_CACHE_DIR": str(workspace["cache"]), "PYTHONIOENCODING": "utf-8"}


def _complete(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return time.perf_counter() - start


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TEMPORARY.match(p.name))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_sigkill_leaves_old_or_new_file(name: str, workspace: dict[str, Path]):
    folder = workspace["root"] / name
    folder.mkdir()
    out = folder / COMMANDS[name][0]
    argv, env = _argv(name, workspace, out), _env(workspace)
    duration = _complete(argv, env)
    reference = out.read_bytes()
    assert reference and _temporaries(folder) == []

    rng = random.Random(f"crash-{name}")
    outcomes: dict[str, int] = {"old": 0, "new": 0, "finished": 0}
    orphans = 0
    for run in range(KILLS_PER_COMMAND):
        previous = f"previous content of run {run} of {name}\n".encode() * 7
        out.write_bytes(previous)
        # half the delays anywhere in the run, half in its last third (where the output is written)
        delay = duration * (rng.uniform(0.0, 1.1) if run % 2 else rng.uniform(0.65, 1.0))
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        if finished:
            assert proc.returncode == 0, err.decode(errors="replace")
        else:
            assert proc.returncode in (-signal.SIGKILL, 0), (proc.returncode, err.decode(errors="replace"))
        content = out.read_bytes()
        assert content in (previous, reference), (
            f"{name}, run {run}, killed after {delay:.3f}s: the output is neither the previous file nor the new "
            f"one ({len(content)} bytes, starts {content[:80]!r})")
        outcomes["finished" if finished else "old" if content == previous else "new"] += 1
        orphans += len(_temporaries(folder))
        if run % RECOVER_EVERY == RECOVER_EVERY - 1 or run == KILLS_PER_COMMAND - 1:
            _complete(argv, env)
            assert out.read_bytes() == reference, f"{name}: a complete run after kills wrote other bytes"
            assert _temporaries(folder) == [], f"{name}: the next successful run left temporary files"
    print(f"\n{name}: {duration:.2f}s per run; {KILLS_PER_COMMAND} kills: {outcomes}; "
          f"temporary files seen after kills: {orphans}")
    assert outcomes["old"] > 0  # some kills landed before the rename
