"""The build cache: a graph built once per content of its data files, reused by every later command.

An entry is a directory named by the digest of the data files (their names, as messages show them, and bytes,
in reading order) and of the code (kg's own source and ontology, the Python, pydantic and pyoxigraph
versions). It holds ``graph.pickle``, the checked records with their warnings and record locations, and,
once a command has needed it, ``store/``, the Oxigraph store of the graph's quads on disk, opened read-only
by later commands. An unchanged tree is never read again; any change to a data file (or to kg) is another
digest, so another entry.

Each part is written under a temporary name and renamed into place when complete, under a lock per entry, so
a killed build leaves no half entry and two processes building the same tree build it once. A part that fails
its check (the pickle carries its own hash; a store that does not open) is removed and rebuilt. Only the
newest :data:`KEEP` entries are kept.

Where it lives: ``--cache DIR``, else ``$KG_CACHE_DIR``, else the user's cache folder (``~/.cache/kg`` on
Linux); ``--no-cache`` or ``KG_CACHE_DIR=off`` turns it off. ``kg cache`` shows it; ``kg cache --clear``
empties it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from filelock import FileLock, Timeout

from kg._util import display_path, package_version, paused_gc, write_atomic
from kg._yaml import MAX_BYTES, YamlDoc, parse_yaml
from kg.errors import UsageError
from kg.graph import KnowledgeGraph
from kg.loader import DataDirs, data_dirs, data_files
from kg.report import Locations
from kg.store import STORE_VIEW, build_store

__all__ = ["ENV", "KEEP", "CacheSetting", "cache_dir", "cached", "digest", "entries", "clear", "Entry", "store_path"]

#: the environment variable naming the cache directory (``off`` turns the cache off)
ENV = "KG_CACHE_DIR"
#: how many entries (built trees) the cache keeps, newest first
KEEP = 8
#: ``None``: the default (``$KG_CACHE_DIR`` or the user's cache folder); ``False``: no cache; else a directory
CacheSetting = str | os.PathLike[str] | bool | None

_OFF = {"off", "no", "none", "false", "0"}
_FORMAT = 1  # bump when the layout of an entry changes
_GRAPH, _STORE, _INFO, _LOCK = "graph.pickle", "store", "entry.json", ".lock"
_ENTRY_VIEW = "cache-entry"  # the graph's view naming the entry it came from
_LOCK_TIMEOUT = 3600.0  # a build of a million triples takes under a minute; a stuck lock is a bug to report


def cache_dir(setting: CacheSetting = None) -> Path | None:
    """The cache directory a setting names (None when the cache is off)."""
    if setting is False:
        return None
    if setting is None or setting is True:
        value = os.environ.get(ENV)
        if value is None:
            import platformdirs

            return Path(platformdirs.user_cache_dir("kg", appauthor=False))
        if value.strip().lower() in _OFF or not value.strip():
            return None
        return Path(value).expanduser()
    return Path(setting).expanduser()


_code: str | None = None


def _code_version() -> str:
    """What the build depends on besides the data: kg's source and ontology, and the libraries that shape it."""
    global _code
    if _code is None:
        package = Path(__file__).resolve().parent
        digest = hashlib.blake2b(digest_size=16)
        for part in (sys.version, ox.__version__, _pydantic_version(), str(_FORMAT)):  # and kg's files, below
            digest.update(part.encode() + b"\0")
        for path in sorted(package.rglob("*")):
            if path.suffix in (".py", ".ttl", ".jsonld") and path.is_file():
                digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        _code = digest.hexdigest()
    return _code


def _pydantic_version() -> str:
    import pydantic

    return str(pydantic.VERSION)


def digest(data: DataDirs) -> str:
    """The key of the data directories' entry: their files' names and bytes, and the code version."""
    key = hashlib.blake2b(_code_version().encode(), digest_size=20)
    for root in data_dirs(data):
        key.update(b"\1" + display_path(root).encode())
        for path in data_files(root):
            # a file over the reader's cap is refused unread, so its size and time stand for its content here
            status = path.stat()
            content = path.read_bytes() if status.st_size <= MAX_BYTES else repr(status).encode()
            key.update(b"\2" + display_path(path).encode() + b"\0" + len(content).to_bytes(8, "little"))
            key.update(content)
    return key.hexdigest()


class _FileLines(Mapping[str, YamlDoc]):
    """The lines of a cached graph's data files, parsed again only when an error message needs one."""

    def __init__(self, names: list[str]) -> None:
        self._names = names
        self._docs: dict[str, YamlDoc] = {}

    def __getitem__(self, name: str) -> YamlDoc:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._docs:
            self._docs[name] = parse_yaml(Path(name).read_text(encoding="utf-8"))
        return self._docs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _write_graph(path: Path, graph: KnowledgeGraph) -> None:
    """The records in two pickles, so a command that needs only the store skips the big one: a head (warnings,
    where records were read) and the records; a hash of both first, so a damaged file is rebuilt."""
    head = pickle.dumps((graph.warnings, graph.data_dirs, dict(graph.locations.places),
                         sorted(graph.locations.files)), protocol=pickle.HIGHEST_PROTOCOL)
    body = pickle.dumps((dict(graph.nodes), dict(graph.documents), dict(graph.owner), graph.edges),
                        protocol=pickle.HIGHEST_PROTOCOL)
    check = hashlib.blake2b(head + body, digest_size=32).digest()
    write_atomic(path, lambda out: (out.write(check + len(head).to_bytes(8, "little")), out.write(head),
                                    out.write(body)))


def _read_graph(path: Path) -> KnowledgeGraph | None:
    """The graph pickled at ``path``, its records unpickled on first use; None when the file is missing or
    fails its hash (then it is rebuilt)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    check, size = data[:32], int.from_bytes(data[32:40], "little")
    if len(data) < 40 + size or hashlib.blake2b(memoryview(data)[40:], digest_size=32).digest() != check:
        return None
    try:
        warnings, roots, places, files = pickle.loads(memoryview(data)[40:40 + size])
    except Exception:  # a pickle of another code version cannot get here (the digest differs): treat as corrupt
        return None

    def records() -> KnowledgeGraph:
        with paused_gc():  # unpickling took 9 times longer with collections; the CLI then freezes what it made
            nodes, documents, owner, edges = pickle.loads(memoryview(data)[40 + size:])
        return KnowledgeGraph(nodes, documents, owner, edges)

    return KnowledgeGraph.deferred(records, warnings, roots, Locations(places, _FileLines(files)))


def _open_store(path: Path) -> ox.Store | None:
    if not path.is_dir():
        return None
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError):  # RocksDB reports corruption as a RuntimeError
        return None


@contextlib.contextmanager
def _locked(entry: Path) -> Iterator[None]:
    entry.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(entry / _LOCK), timeout=_LOCK_TIMEOUT):
            yield
    except Timeout:
        raise UsageError(f"the build cache entry {entry} stayed locked for {_LOCK_TIMEOUT:g} s "
                         f"(remove {entry / _LOCK} if no kg is running)") from None


def _disk_store(entry: Path, graph: KnowledgeGraph) -> ox.Store:
    """The entry's store on disk, built there first (under the entry's lock) when it is missing or broken."""
    target = entry / _STORE
    store = _open_store(target)
    if store is not None:
        return store
    with _locked(entry):
        store = _open_store(target)  # another process may have built it while we waited
        if store is None:
            temporary = entry / f".{_STORE}.{os.getpid()}.tmp"
            shutil.rmtree(temporary, ignore_errors=True)
            build_store(graph, str(temporary))  # dropped at once: the store is closed before the rename
            shutil.rmtree(target, ignore_errors=True)  # a store that did not open is rebuilt
            os.rename(temporary, target)
            store = _open_store(target)
    if store is None:
        raise UsageError(f"cannot open the store the build cache just wrote in {target}")
    return store


def _store_builder(entry: Path, persist: bool) -> Callable[[KnowledgeGraph], ox.Store]:
    def build(graph: KnowledgeGraph) -> ox.Store:
        if persist:
            return _disk_store(entry, graph)
        return _open_store(entry / _STORE) or build_store(graph)

    return build


def cached(data: DataDirs, directory: str | os.PathLike[str], build: Callable[[DataDirs], KnowledgeGraph],
           persist_store: bool = True) -> KnowledgeGraph:
    """The graph of ``data`` from the cache in ``directory``, built with ``build`` (and kept) when missing.

    A graph that does not build (``build`` raises DataError) leaves nothing in the cache. The graph's store view
    is opened from the entry, or built into it the first time a command needs it; without ``persist_store``,
    a store the entry lacks is loaded in memory instead (writing one to disk takes three times as long as
    loading it, which only repeated queries pay back: an export does not).
    """
    Path(directory).mkdir(mode=0o700, parents=True, exist_ok=True)  # pickles: only their owner may write them
    entry = Path(directory) / digest(data)
    graph = _read_graph(entry / _GRAPH)
    if graph is None:
        with _locked(entry):
            graph = _read_graph(entry / _GRAPH)
            if graph is None:
                graph = build(data)
                _write_graph(entry / _GRAPH, graph)
                _write_info(entry, graph)
        _evict(Path(directory))
    else:
        with contextlib.suppress(OSError):
            os.utime(entry)  # most recently used: evicted last
    graph.provide(STORE_VIEW, _store_builder(entry, persist_store))
    graph.provide(_ENTRY_VIEW, lambda _: entry)
    return graph


def store_path(graph: KnowledgeGraph) -> Path | None:
    """The directory of the graph's store in the build cache, built there first when missing, for processes
    that open it read-only themselves (``kg serve``'s query workers); None when the graph is not from the cache."""
    entry: Path | None = graph.view(_ENTRY_VIEW, lambda _: None)
    if entry is None:
        return None
    _disk_store(entry, graph)
    return entry / _STORE


def _write_info(entry: Path, graph: KnowledgeGraph) -> None:
    info = {"format": _FORMAT, "kg": package_version(), "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "data": [str(d) for d in graph.data_dirs], "nodes": len(graph.nodes), "edges": len(graph.edges)}
    write_atomic(entry / _INFO, lambda out: out.write((json.dumps(info, indent=2) + "\n").encode()))


@dataclass(frozen=True)
class Entry:
    """One built tree in the cache."""

    path: Path
    data: list[str]
    nodes: int
    edges: int
    created: str
    has_store: bool
    size: int

    def __str__(self) -> str:
        store = ", store built" if self.has_store else ""
        return (f"{self.path.name[:12]}  {self.created}  {', '.join(self.data)}: {self.nodes} nodes, "
                f"{self.edges} edges{store}, {self.size / 1e6:.1f} MB")


def entries(directory: str | os.PathLike[str]) -> list[Entry]:
    """The cache's entries, most recently used first (directories without a readable entry.json are skipped)."""
    found = []
    for path in _entry_dirs(Path(directory)):
        try:
            info = json.loads((path / _INFO).read_text(encoding="utf-8"))
            size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            found.append(Entry(path, list(info["data"]), int(info["nodes"]), int(info["edges"]),
                               str(info["created"]), (path / _STORE).is_dir(), size))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def _entry_dirs(directory: Path) -> list[Path]:
    """Entry directories, most recently used first."""
    try:
        paths = [p for p in directory.iterdir() if p.is_dir() and len(p.name) == 40 and not p.name.startswith(".")]
    except OSError:
        return []
    return sorted(paths, key=lambda p: p.stat().st_mtime, reverse=True)


def _evict(directory: Path) -> None:
    for path in _entry_dirs(directory)[KEEP:]:
        shutil.rmtree(path, ignore_errors=True)


def clear(directory: str | os.PathLike[str]) -> int:
    """Remove every entry of the cache in ``directory``; the number removed."""
    paths = _entry_dirs(Path(directory))
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
    return len(paths)
