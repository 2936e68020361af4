"""Progress: drawn on stderr when it is a terminal, never into pipes (KG_PROGRESS=off silences a terminal too)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from .conftest import DATA, ROOT, run_kg


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """What ``kg`` writes to stderr when stderr is a pseudo-terminal (stdout stays a pipe)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", *args], stdout=subprocess.PIPE, stderr=follower,
                            cwd=ROOT, env={**os.environ, **env})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_and_never_in_a_pipe(tmp_path: Path) -> None:
    env = {"KG_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "100"}
    shown = _on_a_terminal("--data", str(DATA), "query", "--name", "tensions", env=env)
    assert "reading" in shown and "quads into the store" in shown
    quiet = _on_a_terminal("--data", str(DATA), "query", "--name", "tensions",
                           env={**env, "KG_CACHE_DIR": str(tmp_path / "other"), "KG_PROGRESS": "off"})
    assert "reading" not in quiet and "quads" not in quiet
    piped = run_kg("--data", str(DATA), "query", "--name", "tensions", env={"KG_CACHE_DIR": str(tmp_path / "x")})
    assert piped.code == 0 and piped.err == ""
