"""The docstring examples of kg/ run as doctests with the tests (``python -m pytest``, ``make test``).

Each example sees ``kg``, ``load`` (:func:`kg.load`) and ``graph``, the curated corpus of data/ loaded once,
and runs in a fresh temporary directory laid out as the repository is: ``data`` (the corpus, linked), an
empty ``out`` to write to, and ``briefing.txt`` (a briefing from tests/fixtures/documents) to ingest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kg

ROOT = Path(__file__).resolve().parent


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
