"""Importers of other knowledge bases: one module each, found by name, writing data in the project's format.

An importer module (``kg/importers/<name>.py``, or any module another package declares under the
``kg.importers`` entry-point group) defines ``NAME`` and ``read(path, known, progress) -> (Imported,
ImportReport)``; it only builds records. :func:`import_kb` links them to the curated corpus, writes them
(into a new directory, or merged into an existing one where the curated records win) and returns the report.

>>> sorted(importers())
['longterm-wiki']
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from kg._progress import enabled, track
from kg.errors import UsageError
from kg.importers._records import MANIFEST_SUFFIX, Imported, ImportReport, write_import
from kg.loader import DataDirs, data_dirs, read_corpus
from kg.model import Node
from kg.registry import Registry
from kg.report import Report

__all__ = ["IMPORTERS", "importers", "get_importer", "import_kb", "rich_progress", "Imported", "ImportReport"]

Progress = Callable[[Iterable[Path], int], Iterator[Path]]


def _discover(registry: Registry[ModuleType]) -> None:
    """Every public module of this package that names its knowledge base (``NAME``) is an importer."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            name = getattr(module, "NAME", None)
            if isinstance(name, str):
                registry.register(name, module)


def _importer(name: str, loaded: object) -> ModuleType:
    if not callable(getattr(loaded, "read", None)):
        raise UsageError(f"importer '{name}' has no read(path, known, progress): {loaded!r}")
    return loaded  # type: ignore[return-value]


#: importers by knowledge base: this package's modules, then the ``kg.importers`` entry points
IMPORTERS: Registry[ModuleType] = Registry("knowledge base", "kg.importers", adapt=_importer, discover=_discover)


def importers() -> list[str]:
    """Names of the knowledge bases an importer reads, from this package's modules and the entry points."""
    return sorted(IMPORTERS.names())


def get_importer(name: str) -> ModuleType:
    """The importer module called ``name``; a UsageError listing the known ones otherwise."""
    return IMPORTERS.get(name)


def _known(dirs: tuple[Path, ...], skip: set[Path]) -> dict[str, Node]:
    """The curated nodes of ``dirs`` (files in ``skip``, an earlier import's own, are left out)."""
    existing = tuple(d for d in dirs if d.is_dir())
    if not existing:
        return {}
    corpus = read_corpus(existing, Report())
    known = {}
    for node_id, node in corpus.nodes.items():
        location = corpus.locate(node_id)
        if location is not None and Path(location.file).resolve() in skip:
            continue
        known[node_id] = node
    return known


def _own_files(out: Path, name: str) -> set[Path]:
    manifest = out / f"{name}{MANIFEST_SUFFIX}"
    try:
        files = json.loads(manifest.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return set()
    return {(out / f).resolve() for f in files}


def import_kb(name: str, path: str | os.PathLike[str], *, out: str | os.PathLike[str] | None = None,
              data: DataDirs | None = None, progress: Progress | None = None) -> ImportReport:
    """Import knowledge base ``name`` from ``path``; return the report (its ``problems`` list skipped input).

    With ``out``, write a directory of its own, linking to the entities of ``data`` (the curated corpus, when
    given); without it, merge into the first ``data`` directory, leaving its curated files as they are.
    """
    module = get_importer(name)
    dirs = data_dirs(data) if data is not None else ()
    if out is None:
        if not dirs:
            raise UsageError("say where to write the import: -o DIR, or --data DIR to merge into")
        target, merge = dirs[0], True
        if not target.is_dir():
            raise UsageError(f"data directory not found: {target}")
    else:
        target, merge = Path(out), False
        if target.exists() and not target.is_dir():
            raise UsageError(f"{target} exists and is not a directory")
        if target.is_dir() and any(target.iterdir()) and not (target / f"{name}{MANIFEST_SUFFIX}").is_file():
            raise UsageError(f"{target} is not empty and holds no earlier `kg import {name}`; choose a new "
                             "directory, or --data DIR to merge into a data directory")
    skip = _own_files(target, name)
    known = _known(dirs, skip)
    imported: Imported
    report: ImportReport
    imported, report = module.read(path, known, progress)
    target.mkdir(parents=True, exist_ok=True)
    write_import(imported, target, report, merge=merge)
    report.lists.setdefault("written to", []).append(str(target))
    return report


def rich_progress(description: str) -> Progress | None:
    """A progress bar on stderr when it is a terminal (see :mod:`kg._progress`), else None."""
    if not enabled():
        return None

    def bar(items: Iterable[Any], total: int) -> Iterator[Any]:
        return track(items, total, description)

    return bar
