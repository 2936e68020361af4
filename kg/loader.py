"""YAML files under one or more data directories → validated records, with the file and line of every record.

Layout: ``entities/<kind>.yaml`` or ``entities/<kind>.<suffix>.yaml`` for each kind of
:data:`~kg.model.ENTITY_FILES` (lists of records; ``people.longterm-wiki.yaml`` is read with
``people.yaml``) and ``documents/<slug>.yaml`` (one document bundle each, id ``doc/<slug>``). Problems are
collected into a :class:`~kg.report.Report`; records that fail validation are left out, the rest are kept so
later checks do not cascade.

The result is a :class:`Corpus`: the records, plus the loader's own state (where each record was read,
as a :class:`~kg.report.Locations`, and which ids failed to load). :func:`kg.load` builds a
:class:`~kg.graph.KnowledgeGraph` from its records and keeps only its locations, for error messages.

Several directories are read in order into one :class:`Corpus`. A registry entity (any kind of
``ENTITY_FILES``, also one a bundle introduces under ``entities:``) that an earlier directory already
defines is dropped with an ``override`` warning: the first directory wins. Any other id defined twice
(within one directory, or a document or document item in two) is a ``duplicate-id`` error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kg._progress import track
from kg._util import display_path, excerpt
from kg._yaml import MAX_BYTES, YamlDoc, YamlProblem, parse_yaml
from kg.edges import document_nodes
from kg.errors import UsageError
from kg.model import (
    ENTITY_FILES,
    Claim,
    Document,
    Event,
    Node,
    Perspective,
    Question,
    RelationRecord,
    Tension,
)
from kg.report import Location, Locations, Report
from kg.vocab import ID_KINDS

__all__ = ["Corpus", "DataDirs", "data_dirs", "data_files", "read_corpus", "DOCUMENT_LISTS", "YAML_SUFFIXES"]

#: one data directory, or several read in order into one graph (the first wins where they overlap)
DataDirs = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]

YAML_SUFFIXES = (".yaml", ".yml")
#: an ``id:`` line of a file that failed to parse; ``[ \t-]`` never crosses a newline, so the scan is linear
_ID_LINE = re.compile(r"^[ \t-]*id:[ \t]*['\"]?([a-z]+/[A-Za-z0-9-]+)", re.MULTILINE)
#: the list fields of a document bundle and the model of their items
DOCUMENT_LISTS: dict[str, type[BaseModel]] = {
    "claims": Claim,
    "tensions": Tension,
    "events": Event,
    "questions": Question,
    "perspectives": Perspective,
    "relations": RelationRecord,
}


@dataclass
class Corpus:
    """Every record read from one or more data directories, and where each came from."""

    roots: tuple[Path, ...]
    nodes: dict[str, Node] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    #: node id -> id of the document bundle that defines it (absent for registry entities)
    owner: dict[str, str] = field(default_factory=dict)
    #: ids seen in files whose records failed validation (so references to them do not cascade)
    broken_ids: set[str] = field(default_factory=set)
    #: id kinds (``person``, ...) whose registry file could not be read at all
    broken_kinds: set[str] = field(default_factory=set)
    #: record key -> (file, path in it), and file -> its parsed YAML: what :attr:`locations` looks up
    places: dict[str, tuple[str, tuple[Any, ...]]] = field(default_factory=dict)
    files: dict[str, YamlDoc] = field(default_factory=dict)
    #: node id -> index in ``roots`` of the directory that defines it
    _level: dict[str, int] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """The first data directory (the one whose records win)."""
        return self.roots[0]

    @property
    def locations(self) -> Locations:
        """Where each record was read (file and line), for validation and error messages."""
        return Locations(self.places, self.files)

    def locate(self, key: str, *path: Any) -> Location | None:
        """Location of record ``key`` (a node id, or ``doc/x#relations/3`` for the 4th valid relation)."""
        return self.locations.locate(key, *path)

    def place(self, key: str, file: str, path: tuple[Any, ...]) -> None:
        """Remember where record ``key`` is (used by loaders)."""
        self.places.setdefault(key, (file, path))

    def is_broken(self, node_id: str) -> bool:
        """True when ``node_id`` may be defined by a record that failed to load (so do not report it missing)."""
        kind = node_id.split("/", 1)[0]
        return node_id in self.broken_ids or ID_KINDS.get(kind) in self.broken_kinds



def data_dirs(data: DataDirs) -> tuple[Path, ...]:
    """``data`` as a tuple of directories: one path, or a sequence of them in order (repeats dropped)."""
    given = [data] if isinstance(data, str | os.PathLike) else list(data)
    if not given:
        raise UsageError("no data directory given")
    roots: dict[Path, Path] = {}
    for item in given:
        if not isinstance(item, str | os.PathLike):
            raise UsageError(f"a data directory must be a path, not {type(item).__name__}")
        path = Path(item)
        roots.setdefault(path.resolve(), path)
    return tuple(roots.values())


def read_corpus(data: DataDirs, report: Report) -> Corpus:
    """Read every data file below the directory or directories ``data``, adding each problem to ``report``."""
    roots = data_dirs(data)
    missing = [str(root) for root in roots if not root.is_dir()]
    if missing:
        plural = "directories" if len(missing) > 1 else "directory"
        raise UsageError(f"data {plural} not found: {', '.join(missing)}")
    corpus = Corpus(roots=roots)
    for level, root in enumerate(roots):
        before = len(corpus.nodes), len(report.issues)
        files = data_files(root)
        for path in track(files, len(files), f"reading {display_path(root)}"):
            if path.parent.name == "entities":
                _read_registry(corpus, path, report, level)
            else:
                _read_document(corpus, path, report, level)
        if (len(corpus.nodes), len(report.issues)) == before:
            report.add("empty", f"no data files found under {root}/entities or {root}/documents",
                       Location(str(root)))
    return corpus


def data_files(root: Path) -> list[Path]:
    """The data files of one data directory, in the order they are read: the registries, then the documents."""
    return [path for folder in (root / "entities", root / "documents") if folder.is_dir()
            for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)]


def _parse(corpus: Corpus, path: Path, report: Report) -> YamlDoc | None:
    name = display_path(path)
    try:
        if path.stat().st_size > MAX_BYTES:  # refused before it is read: a huge file must not fill the memory
            report.add("yaml", f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", Location(name, 1))
            return None
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        report.add("encoding", f"not UTF-8 text ({err.reason})", Location(name))
        return None
    except OSError as err:
        report.add("unreadable", f"cannot read file: {err.strerror}", Location(name))
        return None
    try:
        doc = parse_yaml(text)
    except YamlProblem as problem:
        report.add("yaml", problem.message, Location(name, problem.line))
        # keep the ids the file seems to define, so references to them are not reported as dangling too
        if len(text) <= MAX_BYTES:
            corpus.broken_ids.update(_ID_LINE.findall(text))
        return None
    corpus.files[name] = doc
    return doc


def _registry_kind(path: Path) -> str:
    """The ``ENTITY_FILES`` key a registry file name stands for: ``people`` for ``people.yaml`` and
    ``people.longterm-wiki.yaml`` (empty when the name has an empty suffix part)."""
    kind, dot, suffix = path.stem.partition(".")
    return "" if dot and not suffix.strip() else kind


def _read_registry(corpus: Corpus, path: Path, report: Report, level: int) -> None:
    name = display_path(path)
    model = ENTITY_FILES.get(_registry_kind(path))
    if model is None:
        known = ", ".join(f"{k}.yaml" for k in ENTITY_FILES)
        report.add("unknown-file", f"unknown entity registry '{path.name}' (expected one of {known}, "
                   "or KIND.SUFFIX.yaml such as people.extra.yaml)", Location(name))
        return
    doc = _parse(corpus, path, report)
    if doc is None:
        corpus.broken_kinds.add(model.rdf_class)
        return
    if doc.data is None:
        return
    if not isinstance(doc.data, list):
        report.add("shape", f"{path.name} must be a list of {model.rdf_class} records", Location(name))
        return
    for index, item in enumerate(doc.data):
        record = _validate(model, item, name, doc, (index,), report)
        if isinstance(record, Node):
            _register(corpus, record, name, (index,), report, owner=None, level=level)
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            corpus.broken_ids.add(item["id"])


def _read_document(corpus: Corpus, path: Path, report: Report, level: int) -> None:
    name = display_path(path)
    doc = _parse(corpus, path, report)
    if doc is None:
        return
    data = doc.data
    if not isinstance(data, dict):
        report.add("shape", "a document bundle must be a mapping (id, title, kind, citations, claims, ...)",
                   Location(name))
        return
    expected = f"doc/{path.stem}"
    data.setdefault("id", expected)
    if data["id"] != expected:
        report.add("doc-id", f"document id '{excerpt(data['id'])}' does not match its file name "
                   f"(expected '{expected}')", Location(name, doc.line(("id",))))
        return
    items: dict[str, list[Any]] = {}
    paths: dict[int, tuple[Any, ...]] = {}  # id(record) -> its path in the YAML file
    for key, model in DOCUMENT_LISTS.items():
        raw = data.get(key, [])
        if not isinstance(raw, list):
            report.add("shape", f"'{key}' must be a list", Location(name, doc.line((key,))))
            raw = []
        items[key] = []
        for record, where in _read_items(corpus, model, raw, name, doc, (key,), report):
            items[key].append(record)
            paths[id(record)] = where
            if not isinstance(record, Node):
                corpus.place(f"{expected}#{key}/{len(items[key]) - 1}", name, where)
    entities = data.get("entities") or {}
    items_entities: dict[str, list[Any]] = {}
    if not isinstance(entities, dict):
        report.add("shape", "'entities' must be a mapping of people, organizations, sources, concepts",
                   Location(name, doc.line(("entities",))))
        entities = {}
    for key, raw in entities.items():
        entity_model = ENTITY_FILES.get(key)
        if entity_model is None or not isinstance(raw, list):
            report.add("shape", f"entities.{excerpt(key)}: expected a list under one of "
                       f"{', '.join(ENTITY_FILES)}", Location(name, doc.line(("entities", key))))
            continue
        found = _read_items(corpus, entity_model, raw, name, doc, ("entities", key), report)
        items_entities[key] = [record for record, _ in found]
        paths.update((id(record), where) for record, where in found)
    header = {k: v for k, v in data.items() if k not in DOCUMENT_LISTS}
    header["entities"] = items_entities
    document = _validate(Document, {**header, **items}, name, doc, (), report)
    if not isinstance(document, Document):
        corpus.broken_ids.add(expected)
        corpus.broken_ids.update(getattr(r, "id", "") for rs in (*items.values(), *items_entities.values())
                                 for r in rs)
        return
    introduced = document_nodes(document)
    if not _register(corpus, document, name, (), report, owner=None, level=level):
        # a second bundle of the same id (from another directory): its records are not read either
        corpus.broken_ids.update(node.id for node in introduced)
        return
    corpus.documents[document.id] = document
    for node in introduced:
        _register(corpus, node, name, paths[id(node)], report, owner=document.id, level=level)


def _read_items(corpus: Corpus, model: type[BaseModel], raw: list[Any], file: str, doc: YamlDoc,
                prefix: tuple[Any, ...], report: Report) -> list[tuple[BaseModel, tuple[Any, ...]]]:
    """The valid records of one list in a bundle, each with its path; the ids of invalid ones are kept as
    broken, so references to them are not reported as dangling too."""
    found = []
    for index, item in enumerate(raw):
        record = _validate(model, item, file, doc, (*prefix, index), report)
        if record is None:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                corpus.broken_ids.add(item["id"])
            continue
        found.append((record, (*prefix, index)))
    return found


def _register(corpus: Corpus, node: Node, file: str, path: tuple[Any, ...], report: Report,
              owner: str | None, level: int) -> bool:
    """Add ``node`` to the corpus; False (and an issue reported) when its id is taken already."""
    first = corpus.nodes.get(node.id)
    if first is not None:
        here = Location(file, corpus.files[file].line((*path, "id")))
        if corpus._level[node.id] < level and _is_registry_entity(node) and _is_registry_entity(first):
            report.add("override", f"id '{node.id}' is also defined in {corpus.locate(node.id)}; that definition "
                       "wins", here, severity="warning")
        else:
            report.add("duplicate-id", f"duplicate id '{node.id}' (first defined at {corpus.locate(node.id)})",
                       here)
        return False
    corpus.nodes[node.id] = node
    corpus._level[node.id] = level
    corpus.place(node.id, file, path)
    if owner:
        corpus.owner[node.id] = owner
    return True


def _is_registry_entity(node: Node) -> bool:
    return isinstance(node, tuple(ENTITY_FILES.values()))


def _validate(model: type[BaseModel], item: Any, file: str, doc: YamlDoc, path: tuple[Any, ...],
              report: Report) -> BaseModel | None:
    what = getattr(model, "rdf_class", "") or "Relation"
    if not isinstance(item, dict):
        report.add("shape", f"expected a {what} mapping, got {type(item).__name__} "
                   f"'{excerpt(item)}'", Location(file, doc.line(path)))
        return None
    try:
        return model.model_validate(item)
    except ValidationError as err:
        for error in err.errors():
            loc = tuple(error["loc"])
            field_path = " ".join([what, ".".join(str(p) for p in loc)]).strip()
            got = error.get("input")
            quoted = "" if error["type"] in ("missing", "extra_forbidden") or isinstance(got, dict | list) \
                else f" (got '{excerpt(got)}')"
            message = _message(error)
            report.add("invalid", f"{field_path}: {message}{quoted}", Location(file, doc.line((*path, *loc))))
        return None


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "not a valid date (use YYYY-MM-DD)" if kind.startswith("date_") else "not a valid date-time"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")

