"""Shared fixtures: the bundled corpus, a small valid fixture corpus to break, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"

#: a YAML alias bomb: 9 levels of 9 aliases, about 387 million values once expanded
BILLION_LAUGHS_TEXT = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_kg(*args: str, cwd: Path | None = None, input: str | None = None, timeout: float = 120,
           env: dict[str, str] | None = None) -> Result:
    """Run the real ``kg`` command in a subprocess (so exit codes and stray tracebacks are what users see);
    ``env`` adds to the environment."""
    proc = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, input=input, timeout=timeout,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})
    return Result(proc.returncode, proc.stdout, proc.stderr)


#: two hash seeds under which str/bytes hashing (set and dict-of-set order) differs
HASH_SEEDS = ("0", "12345")


def outputs_under_hash_seeds(code: str, *args: str, timeout: float = 300) -> list[bytes]:
    """Run ``python -c code *args`` once per seed in ``HASH_SEEDS`` and return each run's stdout bytes.

    A determinism test inside one process shares one hash seed with itself, so it cannot see output that
    depends on set order; comparing two processes with different seeds can."""
    outputs = []
    for seed in HASH_SEEDS:
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=timeout,
                              cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"})
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
        outputs.append(proc.stdout)
    return outputs


@pytest.fixture(scope="session")
def graph() -> kg.KnowledgeGraph:
    """The bundled corpus, loaded once."""
    return kg.load(DATA)


@pytest.fixture()
def minimal(tmp_path: Path) -> Path:
    """A private copy of the small valid fixture corpus, free to break."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


WIKI = SHARED / "corpora" / "longterm-wiki"


@pytest.fixture(scope="session")
def wiki_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path]:
    """The shared longterm-wiki snapshot imported once per test session, linked to the curated corpus:
    the import report (as JSON data) and the directory written."""
    if not WIKI.is_dir():
        pytest.skip(f"the longterm-wiki snapshot is not at {WIKI} (tests on the real import need ../shared/)")
    from kg.importers import import_kb

    out = tmp_path_factory.mktemp("wiki") / "wiki-data"
    report = import_kb("longterm-wiki", WIKI, out=out, data=[DATA])
    return report.to_json(), out


@pytest.fixture(scope="session")
def wiki_data(wiki_import: tuple[dict[str, object], Path]) -> Path:
    """The directory of the imported snapshot (see ``wiki_import``)."""
    return wiki_import[1]
