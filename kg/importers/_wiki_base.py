"""Shared state and helpers of the longterm-wiki importer: layout, constants, sources by URL, name resolution.

:class:`_State` holds what every stage of one import run shares (the records built so far, the id maps, the
report); the stages live in ``_wiki_pages`` (pages), ``_wiki_datasets`` (cruxes, experts, literature) and
``longterm_wiki`` (entities, and the run itself).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError

from kg._util import display_path
from kg.errors import UsageError
from kg.importers._mdx import Component, Page
from kg.importers._records import ImportReport, slugify
from kg.importers._resolve import Candidate, NameIndex, Resolution, normalize
from kg.model import (
    BAD_CHARACTER,
    Claim,
    Credibility,
    Document,
    Node,
    Question,
    RelationRecord,
    Source,
    Tension,
)
from kg.report import Issue, Location

__all__ = [
    "Citations",
    "Layout",
    "NAME",
    "POSITION_MATCH",
    "TENSION_RULE",
    "WIKI_ORG",
    "_ADDRESSES",
    "_CONCEPT_KINDS",
    "_DATA_COMPONENTS",
    "_FOLDER_KINDS",
    "_HANDLED",
    "_ITEM_LISTS",
    "_ORG_KINDS",
    "_Page",
    "_SOURCE_KINDS",
    "_State",
    "_TIER_LABELS",
    "_Venue",
    "_date",
    "_scalar_text",
    "_text",
    "find_layout",
    "first_error",
]

NAME = "longterm-wiki"
WIKI_ORG = "org/longterm-wiki"
#: a page's crux position and a cruxes.yaml position are one claim when their views score at least this
#: (rapidfuzz token_set_ratio of the normalized texts; the best match, each YAML position used once)
POSITION_MATCH = 85.0
#: when two positions of a disagreement map are in tension (the README states the same rule)
TENSION_RULE = ("opposite stances (support/optimist/open vs oppose/skeptic/pessimist/closed), or estimates whose "
                "midpoints are at least 50 percentage points apart")

_CONCEPT_KINDS = {"risk", "concept", "approach", "policy", "safety-agenda", "project", "capability",
                  "research-area", "ai-model", "benchmark", "analysis", "argument", "crux", "historical"}
_ORG_KINDS = {"frontier-lab": "lab", "safety-org": "research-org", "academic": "academic", "funder": "funder",
              "government": "government", "startup": "company", "generic": "other"}
#: page folder -> (id kind, concept or org kind) for pages whose numericId matches no entity
_FOLDER_KINDS = {"risks": ("concept", "risk"), "responses": ("concept", "response"),
                 "organizations": ("org", "other"), "people": ("person", ""),
                 "capabilities": ("concept", "capability"), "models": ("concept", "analysis"),
                 "cruxes": ("concept", "crux"), "debates": ("concept", "argument"),
                 "history": ("concept", "historical"), "future-projections": ("concept", "analysis"),
                 "forecasting": ("concept", "analysis"), "metrics": ("concept", "analysis"),
                 "intelligence-paradigms": ("concept", "concept"), "worldviews": ("concept", "argument"),
                 "incidents": ("concept", "historical")}
_SOURCE_KINDS = {"book": "book", "paper": "paper", "conference paper": "paper", "journal article": "paper",
                 "technical report": "report", "report": "report", "blog post": "blog-post", "essay": "article",
                 "article": "article"}
_TIER_LABELS = {5: "Gold standard", 4: "High quality", 3: "Good quality", 2: "Mixed quality", 1: "Low quality"}
_HANDLED = {"id", "stableId", "numericId", "type", "title", "description", "relatedEntries", "sources",
            "customFields", "website", "orgType", "aliases"}
_ITEM_LISTS = ("claims", "tensions", "events", "questions")
#: relatedEntries relationships that mean an organization works on the concept (an ``addresses`` edge)
_ADDRESSES = {"addresses", "research"}
#: components whose attributes become records: a broken literal there skips the page (elsewhere, a warning)
_DATA_COMPONENTS = frozenset({"Crux", "DisagreementMap", "KeyQuestions", "KeyPeople"})


@dataclass(frozen=True)
class Layout:
    """Where a snapshot or clone keeps each part (None when a part is absent)."""

    root: Path
    entity_files: tuple[Path, ...]
    pages: Path | None
    files: dict[str, Path | None]


def find_layout(path: str | os.PathLike[str]) -> Layout:
    """Find the knowledge base's files under ``path``: a snapshot's flat layout or a repository clone."""
    root = Path(path)
    if not root.is_dir():
        raise UsageError(f"not a directory: {root}")
    entities = next((d for d in (root / "entities", root / "data" / "entities") if d.is_dir()), None)
    pages = next((d for d in (root / "pages", root / "content" / "docs" / "knowledge-base") if d.is_dir()), None)
    if entities is None and pages is None:
        raise UsageError(f"{root} is not a longterm-wiki snapshot or clone (no entities/ or data/entities/, "
                         "no pages/ or content/docs/knowledge-base/)")
    files = {}
    for name in ("cruxes", "experts", "literature", "publications", "organizations", "glossary"):
        files[name] = next((p for p in (root / f"{name}.yaml", root / "data" / f"{name}.yaml") if p.is_file()), None)
    entity_files = tuple(sorted(entities.glob("*.yaml"))) if entities else ()
    return Layout(root, entity_files, pages, files)


def _text(value: Any) -> str:
    """A value as one line of text, without the characters no record may hold (the wiki is not ours to fix)."""
    return " ".join(BAD_CHARACTER.sub(" ", str(value)).split()) if value is not None else ""


def _scalar_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_scalar_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return _text(value)


def _date(value: Any) -> tuple[dt.date | None, str | None]:
    """A date at its own precision: (full date, None) or (None, "YYYY" / "YYYY-MM")."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = _text(value)
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return dt.date(*map(int, match.groups())), None
        except ValueError:
            pass
    match = re.search(r"\b(\d{4})(?:-(0[1-9]|1[0-2]))?\b", text)
    if match:
        return None, match.group(0)
    return None, None


def _url_key(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def _hash(text: str, n: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


@dataclass
class _Venue:
    id: str
    name: str
    tier: int
    domains: tuple[str, ...]


@dataclass
class _Sources:
    """Sources by URL and by resource id, so the same link on many pages is one node."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    venues: list[_Venue] = field(default_factory=list)

    def url(self, url: str, title: str, origin: str, **fields: Any) -> str:
        key = _url_key(url)
        found = self.by_key.get(key)
        if found is not None:
            for name, value in fields.items():  # richer records (literature) fill what a bare link lacked
                self.records[found].setdefault(name, value)
            return found
        parts = urlsplit(key)
        source_id = f"source/{slugify(parts.netloc.removeprefix('www.') + parts.path, 48)}-{_hash(key)}"
        self.by_key[key] = source_id
        self.records[source_id] = {"id": source_id, "title": title or url, "kind": fields.pop("kind", "article"),
                                   "url": url.strip(), "origin": origin, **fields}
        return source_id

    def resource(self, rid: str, text: str, origin: str) -> str:
        key = f"resource:{rid}"
        found = self.by_key.get(key)
        if found is not None:
            return found
        source_id = f"source/r-{slugify(rid, 24)}-{_hash(rid)}"
        self.by_key[key] = source_id
        self.records[source_id] = {"id": source_id, "title": text or rid, "kind": "article", "stable_id": rid,
                                   "origin": origin}
        return source_id

    def own(self, source_id: str, **fields: Any) -> str:
        self.records.setdefault(source_id, {"id": source_id, **fields})
        return source_id

    def build(self, report: ImportReport) -> list[Source]:
        built = []
        for source_id in sorted(self.records):
            data = dict(self.records[source_id])
            venue = self._venue(data.get("url"))
            if venue is not None and "credibility" not in data:
                data["credibility"] = Credibility(tier=venue.tier, label=_TIER_LABELS.get(venue.tier),
                                                  basis=f"inherited from venue {venue.name}")
                data.setdefault("venue", venue.id)
                report.counts["sources with venue credibility"] += 1
            built.append(Source.model_validate(data))
        return built

    def _venue(self, url: str | None) -> _Venue | None:
        if not url:
            return None
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.")
        place = host + parts.path.rstrip("/")
        best: tuple[int, _Venue] | None = None
        for venue in self.venues:
            for domain in venue.domains:
                domain = domain.lower().removeprefix("www.").rstrip("/")
                if place == domain or place.startswith(domain + "/") or host.endswith("." + domain) or host == domain:
                    if best is None or len(domain) > best[0]:
                        best = (len(domain), venue)
        return best[1] if best else None


class Citations(dict[int, str]):
    """A document's numbered sources (number -> source id): a source gets its number when first cited."""

    def __init__(self, *first: str) -> None:
        super().__init__()
        self._numbers: dict[str, int] = {}
        for source_id in first:
            self.cite(source_id)

    def cite(self, source_id: str) -> int:
        """The number of ``source_id``, given the next one on its first citation."""
        number = self._numbers.get(source_id)
        if number is None:
            number = self._numbers[source_id] = len(self) + 1
            self[number] = source_id
        return number


@dataclass
class _Page:
    """One page being turned into a document bundle."""

    slug: str
    display: str
    page: Page
    entity: str
    source: str
    citations: Citations = field(default_factory=Citations)
    claims: list[Claim] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    tensions: list[Tension] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)

    def cite(self, source_id: str) -> int:
        return self.citations.cite(source_id)


class _State:
    """One import run: the state shared by its stages, and the report they fill."""

    def __init__(self, layout: Layout, known: dict[str, Node], report: ImportReport,
                 progress: Callable[[Iterable[Path], int], Iterator[Path]] | None) -> None:
        self.layout = layout
        self.known = known
        self.report = report
        self.progress = progress
        self.people: dict[str, dict[str, Any]] = {}
        self.orgs: dict[str, dict[str, Any]] = {}
        self.concepts: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.sources = _Sources()
        self.ids: dict[str, str] = {}  # wiki id -> our id
        self.numeric: dict[str, str] = {}  # numericId -> our id
        self.documents: list[Document] = []
        self.index: NameIndex | None = None
        self.crux_components: dict[str, list[tuple[Component, _Page]]] = {}
        self._known_names: dict[tuple[str, str], str] | None = None

    # -- helpers ------------------------------------------------------------------------------------------------
    def problem(self, message: str, file: str, line: int | None = None) -> None:
        self.report.problems.append(Issue("import", message, Location(file, line or 1)))

    def where(self, path: Path) -> str:
        """A file's place in the snapshot's flat layout (``pages/risks/x.mdx``, ``cruxes.yaml``), so records
        say where they came from the same way whichever layout or working directory they were read from."""
        pages = self.layout.pages
        if pages is not None and path.is_relative_to(pages):
            return f"pages/{path.relative_to(pages).as_posix()}"
        if path in self.layout.entity_files:
            return f"entities/{path.name}"
        return path.name

    def exists(self, node_id: str) -> bool:
        return (node_id in self.known or node_id in self.people or node_id in self.orgs
                or node_id in self.concepts or node_id in self.groups or node_id in self.sources.records)

    def _yaml(self, path: Path) -> Any:
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            self.problem(f"invalid YAML: {getattr(err, 'problem', err)}", display_path(path),
                         mark.line + 1 if mark else None)
        except (OSError, UnicodeDecodeError) as err:
            self.problem(f"cannot read file: {err}", display_path(path))
        return None

    def _same_as_known(self, kind: str, name: str) -> str | None:
        """The curated entity of this kind with exactly this name or alias (normalized), if one."""
        if self._known_names is None:  # built once: (class, normalized name or alias) -> the first node so named
            self._known_names = {}
            for node in self.known.values():
                for known in (node.caption, *getattr(node, "aliases", [])):
                    self._known_names.setdefault((node.rdf_class, normalize(known)), node.id)
        head = re.sub(r"\s*\([^()]*\)\s*$", "", name)  # "Meta AI (FAIR)" is Meta AI
        for wanted in (normalize(name), normalize(head)):
            if wanted and (kind, wanted) in self._known_names:
                return self._known_names[(kind, wanted)]
        return None

    # -- names --------------------------------------------------------------------------------------------------
    def build_index(self) -> None:
        candidates = []
        for node in self.known.values():
            if node.rdf_class in ("Person", "Organization"):
                kind: Literal["person", "org"] = "person" if node.rdf_class == "Person" else "org"
                candidates.append(Candidate(node.id, kind, node.caption, tuple(getattr(node, "aliases", []))))
        tables: tuple[tuple[dict[str, dict[str, Any]], Literal["person", "org"]], ...] = (
            (self.people, "person"), (self.orgs, "org"))
        for records, kind in tables:
            for record in records.values():
                name = record["name"]
                candidates.append(Candidate(record["id"], kind, name, tuple(record.get("aliases", []))))
        self.index = NameIndex(candidates)

    def holder(self, name: str, context: str) -> str:
        """The node id that holds a view for ``name``: a person, an organization, or a holder group."""
        assert self.index is not None
        resolution = self.index.resolve(name)
        self._count_holder(resolution)
        if resolution.kind in ("person", "org") and resolution.id:
            if resolution.org and resolution.id in self.people:
                affiliations = self.people[resolution.id].setdefault("affiliations", [])
                if resolution.org not in affiliations and resolution.org.startswith("org/"):
                    affiliations.append(resolution.org)
            return resolution.id
        return self.group(name, resolution.org if resolution.kind == "org-group" else None, context)

    def _count_holder(self, resolution: Resolution) -> None:
        label = {"person": "person", "org": "organization", "org-group": "group tied to an organization",
                 "group": "group of its own"}[resolution.kind]
        self.report.counts[f"holders: {label}"] += 1
        target = resolution.id or resolution.org
        self.report.note(f"holders: {label}", f"{resolution.name} → {target} ({resolution.how})" if target
                         else f"{resolution.name} ({resolution.how or 'no match'})")

    def group(self, name: str, org: str | None, origin: str) -> str:
        group_id = f"group/{slugify(name)}"
        record = self.groups.setdefault(group_id, {"id": group_id, "name": _text(name), "origin": origin,
                                                   "affiliations": []})
        if org and org not in record["affiliations"]:
            record["affiliations"].append(org)
        return group_id


def first_error(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(err)


