"""The build cache: an unchanged tree is never rebuilt, any change is; corrupt or half-written entries are
rebuilt; concurrent builders do not corrupt it; the cached graph answers exactly as a fresh one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg import cache
from kg.build import _load
from kg.graph import KnowledgeGraph
from kg.query import query
from kg.store import STORE_VIEW, store

from .conftest import DATA, ROOT, run_kg


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A copy of the bundled corpus to change."""
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


class Builds:
    """The loader, counting the builds the cache asks for."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, data: object) -> KnowledgeGraph:
        self.count += 1
        return _load(data)  # type: ignore[arg-type]


def _rows(graph: KnowledgeGraph) -> list[tuple[object, ...]]:
    return query(graph, name="tensions").rows


def test_an_unchanged_tree_is_built_once_and_answers_as_a_fresh_graph(tree: Path, tmp_path: Path) -> None:
    builds, where = Builds(), tmp_path / "cache"
    first = cache.cached(tree, where, builds)
    second = cache.cached(tree, where, builds)
    assert builds.count == 1
    fresh = kg.load(tree, cache=False)
    assert second == fresh and second.warnings == fresh.warnings
    assert _rows(second) == _rows(fresh) == _rows(first)
    assert second.locations.locate("claim:x") is None
    claim = next(iter(fresh.iter_nodes("Claim"))).id
    assert second.locations.locate(claim) == fresh.locations.locate(claim)


@pytest.mark.parametrize("change", ["edit", "add", "remove", "rename"])
def test_a_changed_added_removed_or_renamed_file_is_rebuilt(tree: Path, tmp_path: Path, change: str) -> None:
    builds, where = Builds(), tmp_path / "cache"
    before = cache.cached(tree, where, builds)
    people = tree / "entities" / "people.yaml"
    if change == "edit":
        people.write_text(people.read_text(encoding="utf-8").replace("name: Alex Mallen", "name: Alex  Mallen"),
                          encoding="utf-8")
    elif change == "add":
        (tree / "entities" / "people.extra.yaml").write_text("- id: person/jane-roe\n  name: Jane Roe\n",
                                                              encoding="utf-8")
    elif change == "remove":
        next((tree / "documents").glob("*.yaml")).unlink()
    else:
        people.rename(tree / "entities" / "people.yml")
    after = cache.cached(tree, where, builds)
    assert builds.count == 2
    assert after == kg.load(tree, cache=False)
    if change in ("add", "remove"):
        assert after != before


def test_another_code_version_is_another_entry(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builds, where = Builds(), tmp_path / "cache"
    cache.cached(tree, where, builds)
    monkeypatch.setattr(cache, "_code", "another version")
    cache.cached(tree, where, builds)
    assert builds.count == 2 and len(cache.entries(where)) == 2


def _entry(where: Path) -> Path:
    (entry,) = [e.path for e in cache.entries(where)]
    return entry


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "missing"])
def test_a_corrupt_graph_pickle_is_rebuilt(tree: Path, tmp_path: Path, damage: str) -> None:
    builds, where = Builds(), tmp_path / "cache"
    expected = cache.cached(tree, where, builds)
    pickled = _entry(where) / "graph.pickle"
    data = pickled.read_bytes()
    if damage == "truncated":
        pickled.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        pickled.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    elif damage == "empty":
        pickled.write_bytes(b"")
    else:
        pickled.unlink()
    assert cache.cached(tree, where, builds) == expected
    assert builds.count == 2
    assert cache.cached(tree, where, builds) == expected and builds.count == 2


@pytest.mark.parametrize("damage", ["garbage", "emptied", "half-written"])
def test_a_corrupt_or_half_written_store_is_rebuilt(tree: Path, tmp_path: Path, damage: str) -> None:
    where = tmp_path / "cache"
    graph = cache.cached(tree, where, _load)
    expected = _rows(graph)
    folder = _entry(where) / "store"
    assert folder.is_dir()
    del graph
    if damage == "garbage":
        for path in folder.iterdir():
            if path.is_file():
                path.write_bytes(b"\0not a database\0" * 10)
    elif damage == "emptied":
        shutil.rmtree(folder)
        folder.mkdir()
    else:  # a builder killed mid-way leaves its temporary folder, never a store
        shutil.rmtree(folder)
        (_entry(where) / ".store.999999.tmp").mkdir()
        (_entry(where) / ".store.999999.tmp" / "CURRENT").write_text("half")
    assert _rows(cache.cached(tree, where, _load)) == expected
    assert folder.is_dir()


def test_a_tree_that_does_not_build_leaves_nothing(tree: Path, tmp_path: Path) -> None:
    (tree / "entities" / "people.yaml").write_text("- id: person/x\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(kg.DataError):
        kg.load(tree, cache=tmp_path / "cache")
    assert cache.entries(tmp_path / "cache") == []


def test_the_store_view_comes_from_the_entry_on_disk(tree: Path, tmp_path: Path) -> None:
    where = tmp_path / "cache"
    graph = kg.load(tree, cache=where)
    assert len(store(graph)) == len(store(kg.load(tree, cache=False)))
    assert (_entry(where) / "store").is_dir()
    assert graph.view(STORE_VIEW, lambda g: None) is store(graph)


def test_only_the_newest_entries_are_kept(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where = tmp_path / "cache"
    monkeypatch.setattr(cache, "KEEP", 2)
    for version in ("a", "b", "c"):
        monkeypatch.setattr(cache, "_code", version)
        cache.cached(tree, where, _load)
    assert len(cache.entries(where)) == 2


def test_two_processes_building_at_once_build_one_good_entry(tree: Path, tmp_path: Path) -> None:
    where = tmp_path / "cache"
    env = {"KG_CACHE_DIR": str(where), "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "kg.cli", "--data", str(tree), "query", "--name", "tensions", "-f", "csv"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                              env={**_base_env(), **env}) for _ in range(3)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert len(cache.entries(where)) == 1
    assert not [p for p in _entry(where).iterdir() if p.name.endswith(".tmp")]
    again = run_kg("--data", str(tree), "query", "--name", "tensions", "-f", "csv", env=env)
    assert again.code == 0 and again.out == outputs[0][0].decode().replace("\r\n", "\n")  # text mode


def _base_env() -> dict[str, str]:
    return dict(os.environ)


def test_cli_cache_flags_and_the_cache_command(tree: Path, tmp_path: Path) -> None:
    where = tmp_path / "cache"
    assert run_kg("--data", str(tree), "--no-cache", "stats", env={"KG_CACHE_DIR": str(where)}).code == 0
    assert not where.exists()
    assert run_kg("--data", str(tree), "stats", env={"KG_CACHE_DIR": "off"}).code == 0
    assert run_kg("--data", str(tree), "--cache", str(where), "stats").code == 0
    listed = run_kg("cache", "--cache", str(where), "-f", "json")
    info = json.loads(listed.out)
    assert info["directory"] == str(where) and len(info["entries"]) == 1
    assert info["entries"][0]["nodes"] == kg.load(tree, cache=False).number_of_nodes()
    assert "1 entry" in run_kg("cache", "--cache", str(where)).out
    cleared = run_kg("cache", "--clear", "--cache", str(where))
    assert cleared.code == 0 and "removed 1 entry" in cleared.out
    assert cache.entries(where) == []
    assert run_kg("cache", env={"KG_CACHE_DIR": "off"}).out == "the build cache is off\n"


def test_the_default_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    assert cache.cache_dir() == tmp_path and cache.cache_dir(False) is None and cache.cache_dir("x") == Path("x")
    monkeypatch.setenv("KG_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    monkeypatch.delenv("KG_CACHE_DIR")
    assert cache.cache_dir() is not None and cache.cache_dir().name == "kg"  # type: ignore[union-attr]


def test_a_query_is_parsed_once_and_its_checks_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.query import _parse

    graph = kg.load(DATA, cache=tmp_path)
    text = "SELECT ?claim WHERE { ?claim a kg:Claim } ORDER BY ?claim"
    first = query(graph, text, cache=tmp_path)
    (memo,) = (tmp_path / "queries").iterdir()
    assert json.loads(memo.read_text())["text"] == text
    _parse._facts.cache_clear()

    def refuse(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(_parse, "_parse", refuse)
    assert query(graph, text, cache=tmp_path).rows == first.rows
    _parse._facts.cache_clear()
    memo.write_text("{not json")  # a damaged memo is parsed again
    with pytest.raises(AssertionError, match="parsed again"):
        query(graph, text, cache=tmp_path)
    monkeypatch.undo()
    _parse._facts.cache_clear()
    assert query(graph, text, cache=tmp_path).rows == first.rows
    # refusals are never remembered: the same text is refused every time
    for _ in range(2):
        with pytest.raises(kg.QueryError, match="SERVICE"):
            query(graph, "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", cache=tmp_path)


def test_a_one_off_export_loads_the_store_in_memory_and_reuses_one_on_disk(tree: Path, tmp_path: Path) -> None:
    where = tmp_path / "cache"
    once = kg.load(tree, cache=where, persist_store=False)
    assert len(store(once)) > 0 and not (_entry(where) / "store").exists()  # loaded in memory, nothing written
    queried = kg.load(tree, cache=where)
    assert len(store(queried)) == len(store(once)) and (_entry(where) / "store").is_dir()
    again = kg.load(tree, cache=where, persist_store=False)
    assert len(store(again)) == len(store(once))
    quad = next(iter(store(once)))
    store(once).add(quad)  # a store of its own, in memory
    with pytest.raises(RuntimeError, match="read-write"):
        store(again).add(quad)  # the store on disk, opened read-only, now that a query wrote it
