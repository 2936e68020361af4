"""The docstring examples of kg/ run as doctests with the tests (``python -m pytest``, ``make test``).

Each example sees ``kg``, ``load`` (:func:`kg.load`) and ``graph``, the curated corpus of data/ loaded once,
and runs in a fresh temporary directory laid out as the repository is: ``data`` (the corpus, linked), an
empty ``out`` to write to, and ``briefing.txt`` (a briefing from tests/fixtures/documents) to ingest.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.cache import ENV as CACHE_ENV

ROOT = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    """Every load in the tests, and every ``kg`` they run, uses one build cache of the session's own (never the
    user's): a test that wants another, or none, sets KG_CACHE_DIR itself."""
    if CACHE_ENV not in os.environ:
        folder = tempfile.mkdtemp(prefix="kg-test-cache-")
        os.environ[CACHE_ENV] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session")
def _doctest_graph() -> kg.KnowledgeGraph:
    return kg.load(ROOT / "data")


@pytest.fixture(autouse=True)
def _doctest_namespace(request: pytest.FixtureRequest, doctest_namespace: dict[str, Any]) -> None:
    if not isinstance(request.node, pytest.DoctestItem):
        return
    tmp_path: Path = request.getfixturevalue("tmp_path")
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    (tmp_path / "out").mkdir()
    # the document the ingest example reads (a briefing written for the tests)
    (tmp_path / "briefing.txt").write_bytes((ROOT / "tests/fixtures/documents/briefing-sandbagging.txt").read_bytes())
    request.getfixturevalue("monkeypatch").chdir(tmp_path)
    doctest_namespace.update(kg=kg, load=kg.load, graph=request.getfixturevalue("_doctest_graph"))
