"""What an importer produces, and how it is written as data: registries, bundles, a manifest, a report.

An importer only builds validated records (:class:`~kg.model.Node` and :class:`~kg.model.Document`); this
module turns them into the project's YAML layout, deterministically, so that re-importing the same snapshot
gives byte-identical files and importing a newer one reports what was added, changed and removed.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg._util import write_bytes
from kg._yaml import dump_yaml
from kg.errors import UsageError
from kg.model import ENTITY_FILES, Document, Node
from kg.report import Issue

__all__ = ["Imported", "ImportReport", "slugify", "write_import", "MANIFEST_SUFFIX"]

#: the manifest beside the data (not read by the loader): the files and record digests of the last import
MANIFEST_SUFFIX = ".import.json"


def slugify(text: str, limit: int = 60) -> str:
    """A lowercase id slug of ``text`` (accents dropped, other characters as hyphens), at most ``limit`` long."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:limit].strip("-") or "x"


@dataclass
class ImportReport:
    """What one import found and wrote: counts, lists a reviewer should read, and skipped input."""

    importer: str
    source: str
    counts: Counter[str] = field(default_factory=Counter)
    #: named lists for the reviewer (unresolved entity links, holder names by how they resolved, ...)
    lists: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Issue] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def note(self, key: str, item: str) -> None:
        """Add ``item`` to the list ``key`` (kept sorted and unique when reported)."""
        self.lists.setdefault(key, []).append(item)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (lists sorted and deduplicated)."""
        return {
            "importer": self.importer,
            "source": self.source,
            "counts": dict(sorted(self.counts.items())),
            "lists": {k: sorted(set(v)) for k, v in sorted(self.lists.items())},
            "skipped": [str(p) for p in self.problems],
            "changes": self.changes,
            "files": self.files,
        }


@dataclass
class Imported:
    """Records an importer built: registry entities by kind, and document bundles."""

    name: str
    entities: dict[str, list[Node]] = field(default_factory=lambda: {k: [] for k in ENTITY_FILES})
    documents: list[Document] = field(default_factory=list)


def _record_data(record: Node) -> dict[str, Any]:
    """The record as the data format writes it: its id first, default values left out."""
    data = record.model_dump(mode="python", exclude_defaults=True)
    data.pop("id", None)
    return {"id": record.id, **data}


def _files(imported: Imported, merge: bool) -> dict[str, str]:
    """Relative path -> YAML text."""
    header = f"# Imported by `kg import {imported.name}`: regenerated on each import, do not edit by hand.\n"
    files: dict[str, str] = {}
    for kind, records in imported.entities.items():
        if records:
            name = f"entities/{kind}.{imported.name}.yaml" if merge else f"entities/{kind}.yaml"
            files[name] = header + dump_yaml([_record_data(r) for r in sorted(records, key=lambda r: r.id)])
    for document in sorted(imported.documents, key=lambda d: d.id):
        files[f"documents/{document.id.split('/', 1)[1]}.yaml"] = header + dump_yaml(_record_data(document))
    return files


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def write_import(imported: Imported, out: Path, report: ImportReport, *, merge: bool) -> None:
    """Write ``imported`` under ``out`` (a new directory, or an existing one when ``merge``), atomically per file.

    Files this importer wrote last time and no longer produces are removed; files it never wrote (a curated
    corpus) are never touched. Fills ``report.changes`` with added / changed / removed record counts.
    """
    manifest_path = out / f"{imported.name}{MANIFEST_SUFFIX}"
    previous: dict[str, Any] = {}
    if manifest_path.is_file():
        try:
            previous = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
    old_files: dict[str, str] = previous.get("files", {}) if isinstance(previous, dict) else {}
    files = _files(imported, merge)
    for name in files:
        if merge and not previous and (out / name).exists():
            raise UsageError(f"{out / name} exists and was not written by `kg import {imported.name}`; "
                             "refusing to overwrite it")
    old_records = previous.get("records", {}) if isinstance(previous, dict) else {}
    new_records = _record_digests(imported)
    added = sum(1 for r in new_records if r not in old_records)
    removed = sum(1 for r in old_records if r not in new_records)
    changed = sum(1 for r, d in new_records.items() if r in old_records and old_records[r] != d)
    report.changes = {"added": added, "changed": changed, "removed": removed,
                      "unchanged": len(new_records) - added - changed}
    for sub in ("entities", "documents"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        target = out / name
        payload = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == payload:
            continue
        write_bytes(target, payload)
    for name in sorted(set(old_files) - set(files)):
        stale = out / name
        if stale.is_file():
            stale.unlink()
    manifest = {"importer": imported.name, "source": report.source,
                "files": {name: _digest(text) for name, text in files.items()}, "records": new_records}
    write_bytes(manifest_path, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    report.files = sorted(files)


def _record_digests(imported: Imported) -> dict[str, str]:
    """Record id -> digest of its content: a document's own fields apart from its items, each item apart."""
    def digest(record: Any, **kw: Any) -> str:
        return _digest(json.dumps(record.model_dump(mode="json", exclude_defaults=True, **kw), sort_keys=True))

    digests = {r.id: digest(r) for records in imported.entities.values() for r in records}
    items = ("claims", "tensions", "events", "questions")
    for document in imported.documents:
        digests[document.id] = digest(document, exclude=set(items))
        for key in items:
            for item in getattr(document, key):
                digests[item.id] = digest(item)
    return digests
