"""The longterm-wiki knowledge base → records: entities, wiki pages, cruxes, experts, literature, venues.

Reads either a snapshot's flat layout (``entities/*.yaml``, ``pages/**/*.mdx``, ``cruxes.yaml``, ...) or a
clone of the repository (``data/entities/*.yaml``, ``content/docs/knowledge-base/**/*.mdx``, ``data/*.yaml``).
Every record says where it came from (``origin`` for entities, ``lines`` and the bundle's ``origin`` for
document items). Names of holders and authors resolve through :mod:`kg.importers._resolve`; entities the
curated corpus already has (same id, or same name) are linked to, never redefined.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz

from kg.errors import UsageError
from kg.importers._mdx import Component, MdxError, Page, Ref, parse_page
from kg.importers._records import Imported, ImportReport, slugify
from kg.importers._resolve import Candidate, NameIndex, Resolution, normalize
from kg.model import (
    Claim,
    Concept,
    Credibility,
    Document,
    Entity,
    Group,
    Node,
    Organization,
    Person,
    Question,
    RelationRecord,
    Source,
    Tension,
)
from kg.report import Issue, Location

__all__ = ["NAME", "Layout", "find_layout", "read", "POSITION_MATCH", "TENSION_RULE"]

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


def _display(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("../..") else relative


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


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
    import hashlib

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


@dataclass
class _Page:
    """One page being turned into a document bundle."""

    slug: str
    display: str
    page: Page
    entity: str
    source: str
    citations: dict[int, str] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    tensions: list[Tension] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)

    def cite(self, source_id: str) -> int:
        for number, known in self.citations.items():
            if known == source_id:
                return number
        number = len(self.citations) + 1
        self.citations[number] = source_id
        return number


class _Reader:
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
            self.problem(f"invalid YAML: {getattr(err, 'problem', err)}", _display(path),
                         mark.line + 1 if mark else None)
        except (OSError, UnicodeDecodeError) as err:
            self.problem(f"cannot read file: {err}", _display(path))
        return None

    def _same_as_known(self, kind: str, name: str) -> str | None:
        """The curated entity of this kind with exactly this name or alias (normalized), if one."""
        head = re.sub(r"\s*\([^()]*\)\s*$", "", name)  # "Meta AI (FAIR)" is Meta AI
        for wanted in dict.fromkeys((normalize(name), normalize(head))):
            for node in self.known.values():
                if node.rdf_class != kind:
                    continue
                names = [node.caption, *getattr(node, "aliases", [])]
                if wanted and any(normalize(n) == wanted for n in names):
                    return node.id
        return None

    # -- entities -----------------------------------------------------------------------------------------------
    def read_entities(self) -> None:
        entries: list[tuple[dict[str, Any], str]] = []
        for path in self.layout.entity_files:
            data = self._yaml(path)
            if data is None:
                continue
            if not isinstance(data, list):
                self.problem("an entity file must be a list of entities", _display(path))
                continue
            for entry in data:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    entries.append((entry, f"{self.where(path)}#{entry['id']}"))
        for entry, _origin in entries:  # ids first, so related entries resolve in any order
            wiki_type = entry.get("type")
            kind = "person" if wiki_type == "person" else "org" if wiki_type == "organization" else "concept"
            our = f"{kind}/{slugify(entry['id'])}"
            cls = {"person": "Person", "org": "Organization", "concept": "Concept"}[kind]
            if our not in self.known:
                our = self._same_as_known(cls, _text(entry.get("title"))) or our
            self.ids[entry["id"]] = our
            if entry.get("numericId"):
                self.numeric[str(entry["numericId"])] = our
        for entry, origin in entries:
            self._entity(entry, origin)
        self.report.counts["entities"] = len(entries)
        self._addresses(entries)

    def _addresses(self, entries: list[tuple[dict[str, Any], str]]) -> None:
        """Organizations the wiki says address or research a risk or response become ``addresses`` edges."""
        relations: list[RelationRecord] = []
        seen: set[tuple[str, str]] = set()
        for entry, _origin in entries:
            subject = self.ids[entry["id"]]
            for related in entry.get("relatedEntries") or []:
                if not isinstance(related, dict) or related.get("relationship") not in _ADDRESSES:
                    continue
                target = self.ids.get(related.get("id", ""))
                if target is None:
                    continue
                org, concept = (subject, target) if subject.startswith("org/") else (target, subject)
                if not (org.startswith("org/") and concept.startswith("concept/")) or (org, concept) in seen:
                    continue
                seen.add((org, concept))
                relations.append(RelationRecord(subject=org, relation="addresses", object=concept,
                                                level="substantive", citations=[1],
                                                note=f"the wiki relates them as '{related['relationship']}'"))
        if relations:
            dataset = self.sources.own("source/longterm-wiki-entities", title="Longterm Wiki entities",
                                       kind="dataset", venue=WIKI_ORG, origin=NAME)
            self.documents.append(Document(id="doc/longterm-wiki-entities", title="Longterm Wiki entity relations",
                                           kind="dataset", origin=NAME, citations={1: dataset},
                                           relations=relations))
            self.report.counts["addresses edges (organization addresses or researches a concept)"] = len(relations)

    def _entity(self, entry: dict[str, Any], origin: str) -> None:
        our = self.ids[entry["id"]]
        wiki_type = entry.get("type")
        self.report.counts[f"entities: {wiki_type}"] += 1
        if our in self.known:
            self.report.counts["entities already in the curated corpus"] += 1
            self.report.note("entities already in the curated corpus (curated kept)", f"{entry['id']} → {our}")
            return
        facts = [f"{_text(f.get('label'))}: {_scalar_text(f.get('value'))}"
                 for f in entry.get("customFields") or [] if isinstance(f, dict) and f.get("label")]
        facts += [f"{key}: {_scalar_text(value)}" for key, value in entry.items()
                  if key not in _HANDLED and value not in (None, "", [], {})]
        related = sorted({self.ids[r["id"]] for r in entry.get("relatedEntries") or []
                          if isinstance(r, dict) and r.get("id") in self.ids and self.ids[r["id"]] != our})
        sources = [self.sources.url(s["url"], _text(s.get("title")), origin) for s in entry.get("sources") or []
                   if isinstance(s, dict) and isinstance(s.get("url"), str) and s["url"].startswith("http")]
        common = {"id": our, "origin": origin, "numeric_id": _text(entry.get("numericId")) or None,
                  "stable_id": _text(entry.get("stableId")) or None, "facts": facts, "related": related,
                  "sources": sorted(set(sources))}
        title = _text(entry.get("title")) or entry["id"]
        description = _text(entry.get("description")) or None
        if our.startswith("person/"):
            self.people[our] = {**common, "name": title, "description": description,
                                "url": _text(entry.get("website")) or None}
        elif our.startswith("org/"):
            self.orgs[our] = {**common, "name": title, "description": description,
                              "kind": _ORG_KINDS.get(entry.get("orgType") or "generic", "other"),
                              "url": _text(entry.get("website")) or None}
        else:
            kind = wiki_type if wiki_type in _CONCEPT_KINDS else "other"
            self.concepts[our] = {**common, "label": title, "definition": description, "kind": kind}

    def read_organizations(self) -> None:
        path = self.layout.files.get("organizations")
        data = self._yaml(path) if path else None
        for entry in data or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            origin = f"{self.where(path)}#{entry['id']}"  # type: ignore[arg-type]
            our = self.ids.get(entry["id"]) or f"org/{slugify(entry['id'])}"
            facts = [f"{key}: {_scalar_text(value)}" for key, value in entry.items()
                     if key not in {"id", "name", "type", "website", "description", "keyPeople"} and value]
            if our in self.orgs:
                record = self.orgs[our]
                record["facts"] = [*record["facts"], *(f for f in facts if f not in record["facts"])]
            elif our not in self.known:
                self.ids[entry["id"]] = our
                self.orgs[our] = {"id": our, "origin": origin, "name": _text(entry.get("name")) or entry["id"],
                                  "kind": _ORG_KINDS.get(entry.get("type"), "other"),
                                  "description": _text(entry.get("description")) or None,
                                  "url": _text(entry.get("website")) or None, "facts": facts}
            for person in entry.get("keyPeople") or []:
                person_id = self.ids.get(person)
                if person_id in self.people and our not in self.people[person_id].setdefault("affiliations", []):
                    self.people[person_id]["affiliations"].append(our)
            self.report.counts["organizations.yaml entries"] += 1

    def read_glossary(self) -> None:
        path = self.layout.files.get("glossary")
        data = self._yaml(path) if path else None
        entries = [e for e in data or [] if isinstance(e, dict) and isinstance(e.get("id"), str)]
        for entry in entries:
            self.ids.setdefault(entry["id"], f"concept/{slugify(entry['id'])}")
        for entry in entries:
            our = self.ids[entry["id"]]
            aliases = [_text(a) for a in entry.get("aliases") or []]
            related = sorted({self.ids[r] for r in entry.get("related") or [] if r in self.ids} - {our})
            if our in self.concepts:
                record = self.concepts[our]
                record["aliases"] = sorted(set(record.get("aliases", [])) | set(aliases))
                record.setdefault("definition", None)
                record["definition"] = record["definition"] or _text(entry.get("definition"))
            elif our not in self.known and our.startswith("concept/"):
                self.concepts[our] = {"id": our, "origin": f"{self.where(path)}#{entry['id']}",  # type: ignore[arg-type]
                                      "label": _text(entry.get("term")) or entry["id"], "kind": "term",
                                      "aliases": aliases, "definition": _text(entry.get("definition")) or None,
                                      "related": related}
            self.report.counts["glossary terms"] += 1

    def read_publications(self) -> None:
        path = self.layout.files.get("publications")
        data = self._yaml(path) if path else None
        for entry in data or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            name = _text(entry.get("name")) or entry["id"]
            tier = entry.get("credibility")
            if not isinstance(tier, int) or not 1 <= tier <= 5:
                self.problem(f"venue '{entry['id']}' has no credibility tier 1-5", _display(path))  # type: ignore[arg-type]
                continue
            our = f"org/{slugify(entry['id'])}"
            same = self._same_as_known("Organization", name) or self._wiki_org(our, name)
            if same is not None:  # the venue is an organization the wiki or the curated corpus already has
                our = same
                if our in self.orgs:
                    self.orgs[our].setdefault("credibility", Credibility(tier=tier, label=_TIER_LABELS[tier],
                                                                         basis="the wiki's venue rating"))
                self.report.note("venues that are known organizations", f"{entry['id']} → {our}")
            elif self.exists(our):
                our = f"org/venue-{slugify(entry['id'])}"
            if not self.exists(our):
                facts = [f"type: {_text(entry.get('type'))}"] if entry.get("type") else []
                if "peer_reviewed" in entry:
                    facts.append(f"peer reviewed: {'yes' if entry['peer_reviewed'] else 'no'}")
                self.orgs[our] = {"id": our, "origin": f"{self.where(path)}#{entry['id']}",  # type: ignore[arg-type]
                                  "name": name, "kind": "venue",
                                  "description": _text(entry.get("description")) or None, "facts": facts,
                                  "credibility": Credibility(tier=tier, label=_TIER_LABELS[tier],
                                                             basis="the wiki's venue rating")}
            domains = tuple(str(d) for d in entry.get("domains") or [])
            self.sources.venues.append(_Venue(our, name, tier, domains))
            self.report.counts["venues"] += 1

    def _wiki_org(self, our: str, name: str) -> str | None:
        """The wiki organization a venue is: the same id, or the same name (or its bracketed short name)."""
        if our in self.orgs:
            return our
        wanted = normalize(name)
        for org_id, record in sorted(self.orgs.items()):
            title = str(record["name"])
            short = re.findall(r"\(([^()]+)\)\s*$", title)
            if wanted in (normalize(title), *(normalize(s) for s in short)):
                return org_id
        return None

    # -- names --------------------------------------------------------------------------------------------------
    def build_index(self) -> None:
        candidates = []
        for node in self.known.values():
            if node.rdf_class in ("Person", "Organization"):
                kind = "person" if node.rdf_class == "Person" else "org"
                candidates.append(Candidate(node.id, kind, node.caption, tuple(getattr(node, "aliases", []))))
        for records, kind in ((self.people, "person"), (self.orgs, "org")):
            for record in records.values():
                name = record["name"]
                candidates.append(Candidate(record["id"], kind, name, tuple(record.get("aliases", []))))  # type: ignore[arg-type]
        self.index = NameIndex(candidates)

    def holder(self, name: str, context: str) -> str:
        """The node id that holds a view for ``name``: a person, an organization, or a holder group."""
        assert self.index is not None
        resolution = self.index.resolve(name)
        self._count_holder(resolution, context)
        if resolution.kind in ("person", "org") and resolution.id:
            if resolution.org and resolution.id in self.people:
                affiliations = self.people[resolution.id].setdefault("affiliations", [])
                if resolution.org not in affiliations and resolution.org.startswith("org/"):
                    affiliations.append(resolution.org)
            return resolution.id
        return self.group(name, resolution.org if resolution.kind == "org-group" else None, context)

    def _count_holder(self, resolution: Resolution, context: str) -> None:
        label = {"person": "person", "org": "organization", "org-group": "group tied to an organization",
                 "group": "group of its own"}[resolution.kind]
        self.report.counts[f"holders: {label}"] += 1
        target = resolution.id or resolution.org or ""
        self.report.note(f"holders: {label}", f"{resolution.name} → {target} ({resolution.how})".replace(" → ()", "")
                         if target else f"{resolution.name} ({resolution.how or 'no match'})")

    def group(self, name: str, org: str | None, origin: str) -> str:
        group_id = f"group/{slugify(name)}"
        record = self.groups.setdefault(group_id, {"id": group_id, "name": _text(name), "origin": origin,
                                                   "affiliations": []})
        if org and org not in record["affiliations"]:
            record["affiliations"].append(org)
        return group_id

    # -- pages --------------------------------------------------------------------------------------------------
    def read_pages(self) -> None:
        root = self.layout.pages
        if root is None:
            return
        paths = sorted(root.rglob("*.mdx"))
        stems = Counter(path.stem for path in paths)
        iterator: Iterable[Path] = self.progress(paths, len(paths)) if self.progress else paths
        for path in iterator:
            display = _display(path)
            try:
                page = parse_page(path.read_text(encoding="utf-8"), display, strict=_DATA_COMPONENTS)
            except MdxError as err:
                self.problem(err.message, display, err.line)
                self.report.counts["pages skipped"] += 1
                continue
            except (OSError, UnicodeDecodeError) as err:
                self.problem(f"cannot read page: {err}", display)
                self.report.counts["pages skipped"] += 1
                continue
            for warning in page.warnings:
                self.report.note("page warnings", f"{display}:{warning}")
            relative = path.relative_to(root)
            folder = relative.parts[0] if len(relative.parts) > 1 else ""
            stem = path.stem if path.stem != "index" else (folder or "index")
            slug = slugify(stem if stems.get(path.stem, 0) == 1 and path.stem != "index"
                           else "-".join((*relative.parts[:-1], path.stem)))
            try:
                self._page(page, slug, self.where(path), folder)
            except (ValidationError, ValueError) as err:
                self.problem(f"cannot import page: {_first_error(err)}", display)
                self.report.counts["pages skipped"] += 1

    def _page(self, page: Page, slug: str, display: str, folder: str) -> None:
        fm = page.front_matter
        title = _text(fm.get("title")) or slug
        entity = self.numeric.get(_text(fm.get("numericId")))
        if entity is None:
            entity = self._topic(title, slug, folder, display, fm)
        source = f"source/wiki-{slug}"
        updated, _ = _date(fm.get("lastEdited"))
        quality = fm.get("quality") if isinstance(fm.get("quality"), int) and 0 <= fm["quality"] <= 100 else None
        if not self.exists(source):
            self.sources.own(source, title=title, kind="wiki-page", venue=WIKI_ORG, published=updated,
                             quality=quality, summary=_text(fm.get("description")) or None, origin=display,
                             numeric_id=_text(fm.get("numericId")) or None)
        state = _Page(slug, display, page, entity, source)
        state.cite(source)
        for ref in page.refs:  # every citation of the page, Quick Assessment cells included (counted once here)
            self.report.counts["resource citations" if ref.kind == "resource" else "link citations"] += 1
            state.cite(self._ref(ref, display))
        self._mentions(state)
        self._quick_assessment(state)
        for component in page.components:
            handler = {"Crux": self._crux_component, "DisagreementMap": self._disagreement,
                       "KeyQuestions": self._key_questions, "KeyPeople": self._key_people}.get(component.name)
            if handler is not None:
                handler(state, component)
        self.documents.append(Document(
            id=f"doc/wiki-{slug}", title=title, kind="wiki-page", origin=display,
            updated=dt.datetime.combine(updated, dt.time(), dt.UTC) if updated else None,
            summary=_text(fm.get("llmSummary") or fm.get("description")) or None, about=[entity],
            citations=state.citations, claims=state.claims, questions=state.questions, tensions=state.tensions,
            relations=state.relations,
        ))
        self.report.counts["page documents"] += 1

    def _topic(self, title: str, slug: str, folder: str, display: str, fm: dict[str, Any]) -> str:
        """The entity of a page whose numericId matches none: a topic of its own, typed from its folder."""
        kind, sub = _FOLDER_KINDS.get(folder, ("concept", "other"))
        our = f"{kind}/{slug}"
        cls = {"person": "Person", "org": "Organization", "concept": "Concept"}[kind]
        same = self._same_as_known(cls, title)
        if same:
            return same
        if our in self.known or our in self.people or our in self.orgs or our in self.concepts:
            return our
        common = {"id": our, "origin": display, "numeric_id": _text(fm.get("numericId")) or None}
        description = _text(fm.get("description")) or None
        if kind == "person":
            self.people[our] = {**common, "name": title, "description": description}
        elif kind == "org":
            self.orgs[our] = {**common, "name": title, "kind": sub, "description": description}
        else:
            self.concepts[our] = {**common, "label": title, "kind": sub, "definition": description}
        if fm.get("numericId"):
            self.numeric.setdefault(_text(fm["numericId"]), our)
        self.report.counts["page topics (numericId matches no entity)"] += 1
        self.report.note("page topics (numericId matches no entity)", f"{display} → {our}")
        return our

    def _ref(self, ref: Ref, display: str) -> str:
        origin = f"{display}:{ref.line}"
        if ref.kind == "resource":
            return self.sources.resource(ref.key, ref.text, origin)
        return self.sources.url(ref.key, ref.text, origin)

    def _mentions(self, state: _Page) -> None:
        seen: set[str] = set()
        for mention in state.page.mentions:
            target = self.numeric.get(mention.numeric_id)
            if target is None:
                self.report.counts["entity links unresolved"] += 1
                self.report.note("entity links unresolved", f"{state.display}:{mention.line}: {mention.numeric_id} "
                                 f"({mention.name or mention.text})")
                continue
            self.report.counts["entity links resolved"] += 1
            if target in seen or target == state.source:
                continue
            seen.add(target)
            state.relations.append(RelationRecord(subject=state.source, relation="mentions", object=target,
                                                  citations=[1], lines=str(mention.line)))

    def _quick_assessment(self, state: _Page) -> None:
        sections = state.page.sections_titled("Quick Assessment")
        if not sections:
            return
        self.report.counts["pages with a Quick Assessment"] += 1
        table = next((s.tables[0] for s in sections if s.tables), None)
        if table is None:
            self.report.note("Quick Assessment headings without a table", state.display)
            return
        header = [_text(h) or f"column {i + 1}" for i, h in enumerate(table.header)]
        if [h.lower() for h in header] == ["dimension", "assessment", "evidence"]:
            self.report.counts["Quick Assessment tables: Dimension | Assessment | Evidence"] += 1
        else:
            self.report.counts["Quick Assessment tables: other columns"] += 1
            self.report.note("Quick Assessment tables: other columns", f"{state.display}: {' | '.join(header)}")
        for index, row in enumerate(table.rows, 1):
            cells = [_text(c) for c in row.cells]
            if not any(cells[1:]) or not cells[0]:
                continue
            pairs = "; ".join(f"{h}: {c}" for h, c in zip(header[1:], cells[1:], strict=False) if c)
            numbers = sorted({1, *(state.cite(self._ref(r, state.display)) for refs in row.refs for r in refs)})
            about = [state.entity, *sorted({self.numeric[m.numeric_id] for ms in row.mentions for m in ms
                                            if m.numeric_id in self.numeric} - {state.entity})]
            state.claims.append(Claim(
                id=f"claim/wiki-{state.slug}-qa-{index}", statement=f"{cells[0]} — {pairs}", holders=[state.source],
                about=about, citations=numbers, lines=str(row.line)))
            self.report.counts["Quick Assessment claims"] += 1

    def _crux_component(self, state: _Page, component: Component) -> None:
        crux_id = _text(component.attrs.get("id"))
        if not crux_id:
            self.problem("a <Crux> without an id is left out", state.display, component.line)
            return
        self.crux_components.setdefault(crux_id, []).append((component, state))
        self.report.counts["crux components"] += 1

    def _disagreement(self, state: _Page, component: Component) -> None:
        positions = component.attrs.get("positions")
        if not isinstance(positions, list) or not positions:
            self.problem("a <DisagreementMap> without positions is left out", state.display, component.line)
            return
        number = sum(1 for q in state.questions if "-dm-" in q.id) + 1
        topic = _text(component.attrs.get("title") or component.attrs.get("topic")) or f"Disagreement on {state.slug}"
        question = Question(id=f"question/wiki-{state.slug}-dm-{number}", text=topic, about=[state.entity],
                            citations=[1], lines=str(component.line))
        state.questions.append(question)
        claims: list[tuple[Claim, float | None]] = []
        for index, position in enumerate(p for p in positions if isinstance(p, dict)):
            actor = _text(position.get("actor") or position.get("name")) or f"Position {index + 1}"
            view = _text(position.get("position") or position.get("stance") or position.get("view"))
            reasoning = _text(position.get("reasoning")) or None
            statement = f"{actor}: {view}" if view else actor
            if reasoning:
                statement += f" — {reasoning}"
            claim = Claim(
                id=f"claim/wiki-{state.slug}-dm-{number}-{index + 1}", statement=statement,
                holders=[self.holder(actor, state.display)], about=[state.entity],
                estimate=_text(position.get("estimate")) or None,
                confidence=_text(position.get("confidence")) or None, citations=[1], lines=str(component.line))
            claims.append((claim, _lean(position)))
        state.claims.extend(c for c, _ in claims)
        for (a, lean_a), (b, lean_b) in combinations(claims, 2):
            if lean_a is not None and lean_b is not None and _opposed(lean_a, lean_b):
                state.tensions.append(Tension(
                    id=f"tension/wiki-{state.slug}-dm-{number}-{a.id.rsplit('-', 1)[1]}-{b.id.rsplit('-', 1)[1]}",
                    a=a.id, b=b.id, kind="theoretical", note=f"Opposed positions on {topic}", citations=[1],
                    lines=str(component.line)))
                self.report.counts["disagreement-map tensions"] += 1
        self.report.counts["disagreement maps"] += 1
        self.report.counts["disagreement-map claims"] += len(claims)

    def _key_questions(self, state: _Page, component: Component) -> None:
        questions = component.attrs.get("questions")
        if not isinstance(questions, list):
            self.problem("a <KeyQuestions> without a questions list is left out", state.display, component.line)
            return
        start = sum(1 for q in state.questions if "-kq-" in q.id)
        for index, text in enumerate((q for q in questions if _text(q)), start + 1):
            state.questions.append(Question(id=f"question/wiki-{state.slug}-kq-{index}", text=_text(text),
                                            about=[state.entity], citations=[1], lines=str(component.line)))
            self.report.counts["key questions"] += 1
        self.report.counts["key-question lists"] += 1

    def _key_people(self, state: _Page, component: Component) -> None:
        people = component.attrs.get("people")
        if not isinstance(people, list):
            return
        self.report.counts["key-people lists"] += 1
        if not state.entity.startswith("org/"):
            self.report.note("key people on pages that are not about an organization", state.display)
            return
        assert self.index is not None
        for person in people:
            name = _text(person.get("name")) if isinstance(person, dict) else _text(person)
            if not name:
                continue
            resolution = self.index.resolve(name)
            if resolution.kind == "person" and resolution.id:
                state.relations.append(RelationRecord(subject=resolution.id, relation="affiliated_with",
                                                      object=state.entity, citations=[1], lines=str(component.line)))
            elif resolution.how == "unknown-name":  # looks like a personal name nobody in the graph has
                person_id = f"person/{slugify(name)}"
                record = self.people.setdefault(person_id, {"id": person_id, "name": name,
                                                            "origin": f"{state.display}:{component.line}"})
                if state.entity not in record.setdefault("affiliations", []):
                    record["affiliations"].append(state.entity)
                self.report.counts["key people added as people"] += 1
            else:
                self.group(name, state.entity, f"{state.display}:{component.line}")
            self.report.counts["key people"] += 1

    # -- cruxes -------------------------------------------------------------------------------------------------
    def read_cruxes(self) -> None:
        path = self.layout.files.get("cruxes")
        listed = self._yaml(path) if path else None
        entries = {e["id"]: e for e in listed or [] if isinstance(e, dict) and isinstance(e.get("id"), str)}
        if not entries and not self.crux_components:
            return
        display = self.where(path) if path else "cruxes.yaml"
        dataset = self.sources.own("source/longterm-wiki-cruxes", title="Longterm Wiki cruxes", kind="dataset",
                                   venue=WIKI_ORG, origin=display)
        citations: dict[int, str] = {1: dataset}

        def cite(source_id: str) -> int:
            for number, known in citations.items():
                if known == source_id:
                    return number
            citations[len(citations) + 1] = source_id
            return len(citations)

        claims: list[Claim] = []
        questions: list[Question] = []
        tensions: list[Tension] = []
        for crux_id in sorted(set(entries) | set(self.crux_components)):
            entry = entries.get(crux_id)
            shown = self.crux_components.get(crux_id, [])
            slug = slugify(crux_id)
            attrs = entry or shown[0][0].attrs
            pages = sorted({cite(state.source) for _, state in shown})
            research = [cite(self.sources.url(r["url"], _text(r.get("title")), f"{display}#{crux_id}"))
                        for r in (entry or {}).get("relevantResearch") or []
                        if isinstance(r, dict) and isinstance(r.get("url"), str) and r["url"].startswith("http")]
            base = sorted({*([1] if entry else []), *pages, *research})
            about = [t for t in (self.ids.get(crux_id),) if t and self.exists(t)]
            question = Question(id=f"question/crux-{slug}", text=_text(attrs.get("question")) or crux_id,
                                about=about, citations=base)
            questions.append(question)
            self.report.counts["crux questions"] += 1
            if entry is None:
                self.report.note("cruxes only on pages", f"{crux_id} ({shown[0][1].display})")
            positions = self._crux_positions(crux_id, entry, shown, display, cite)
            crux_claims = []
            for index, (position, numbers, origin) in enumerate(positions, 1):
                holders = [self.holder(h, origin) for h in position.get("holders") or [] if _text(h)]
                if not holders:
                    holders = [citations[numbers[0]]]
                claim = Claim(id=f"claim/crux-{slug}-{index}", statement=_text(position.get("view")) or "(no view)",
                              holders=sorted(set(holders)), about=[*about], citations=sorted(set(numbers)),
                              estimate=_text(position.get("probability")) or None,
                              implications=_text(position.get("implications")) or None)
                crux_claims.append(claim)
            claims.extend(crux_claims)
            for a, b in combinations(crux_claims, 2):
                tensions.append(Tension(
                    id=f"tension/crux-{slug}-{a.id.rsplit('-', 1)[1]}-{b.id.rsplit('-', 1)[1]}", a=a.id, b=b.id,
                    kind="theoretical", note=f"Rival answers to the crux: {question.text}",
                    citations=sorted(set(a.citations) | set(b.citations))))
            self.report.counts["crux tensions"] += len(crux_claims) * (len(crux_claims) - 1) // 2
        self.documents.append(Document(id="doc/longterm-wiki-cruxes", title="Longterm Wiki cruxes", kind="dataset",
                                       origin=display, citations=citations, claims=claims, questions=questions,
                                       tensions=tensions))

    def _crux_positions(self, crux_id: str, entry: dict[str, Any] | None, shown: list[tuple[Component, _Page]],
                        display: str, cite: Callable[[str], int]
                        ) -> list[tuple[dict[str, Any], list[int], str]]:
        """Positions of one crux: the YAML's, merged with a page's where their views match (see POSITION_MATCH)."""
        merged: list[tuple[dict[str, Any], list[int], str]] = []
        for position in (entry or {}).get("positions") or []:
            if isinstance(position, dict):
                merged.append((dict(position), [1], f"{display}#{crux_id}"))
                self.report.counts["crux positions from cruxes.yaml"] += 1
        for component, state in shown:
            number = cite(state.source)
            used: set[int] = set()
            for position in component.attrs.get("positions") or []:
                if not isinstance(position, dict):
                    continue
                if entry is None:
                    merged.append((dict(position), [number], f"{state.display}:{component.line}"))
                    self.report.counts["crux positions only on pages"] += 1
                    continue
                view = normalize(_text(position.get("view")))
                scores = [(fuzz.token_set_ratio(view, normalize(_text(p.get("view")))), i)
                          for i, (p, _, _) in enumerate(merged) if i not in used]
                best = max(scores, default=(0.0, -1))
                if best[0] >= POSITION_MATCH:
                    target, numbers, origin = merged[best[1]]
                    used.add(best[1])
                    if number not in numbers:
                        numbers.append(number)
                    holders = list(target.get("holders") or [])
                    for holder in position.get("holders") or []:
                        if holder not in holders:
                            holders.append(holder)
                    target["holders"] = holders
                    self.report.counts["crux positions merged (page = cruxes.yaml)"] += 1
                else:
                    merged.append((dict(position), [number], f"{state.display}:{component.line}"))
                    self.report.counts["crux positions kept apart (page differs from cruxes.yaml)"] += 1
                    self.report.note("crux positions kept apart", f"{crux_id}: {_text(position.get('view'))}")
        return merged

    # -- experts, literature ------------------------------------------------------------------------------------
    def read_experts(self) -> None:
        path = self.layout.files.get("experts")
        data = self._yaml(path) if path else None
        if not data:
            return
        display = self.where(path)  # type: ignore[arg-type]
        assert self.index is not None
        dataset = self.sources.own("source/longterm-wiki-experts", title="Longterm Wiki expert positions",
                                   kind="dataset", venue=WIKI_ORG, origin=display)
        citations: dict[int, str] = {1: dataset}
        claims: list[Claim] = []
        for expert in data:
            if not isinstance(expert, dict) or not isinstance(expert.get("id"), str):
                continue
            name = _text(expert.get("name")) or expert["id"]
            person = self.ids.get(expert["id"])
            if person is None or not person.startswith("person/"):
                found = self.index.resolve(name)
                person = found.id if found.kind == "person" and found.id else f"person/{slugify(expert['id'])}"
            if not self.exists(person):
                self.people[person] = {"id": person, "name": name, "origin": f"{display}#{expert['id']}",
                                       "description": _text(expert.get("role")) or None,
                                       "url": _text(expert.get("website")) or None}
                self.report.counts["experts added as people"] += 1
            org = self.ids.get(_text(expert.get("affiliation")))
            if org and person in self.people and org.startswith("org/"):
                affiliations = self.people[person].setdefault("affiliations", [])
                if org not in affiliations:
                    affiliations.append(org)
            for index, position in enumerate(p for p in expert.get("positions") or [] if isinstance(p, dict)):
                topic = _text(position.get("topic")) or "general"
                concept = self._topic_concept(topic, display)
                numbers = [1]
                if _text(position.get("source")):
                    text = _text(position["source"])
                    number = len(citations) + 1
                    source_id = self.sources.own(f"source/expert-{slugify(text, 50)}", title=text, kind="article",
                                                 origin=f"{display}#{expert['id']}")
                    existing = [n for n, s in citations.items() if s == source_id]
                    if existing:
                        number = existing[0]
                    else:
                        citations[number] = source_id
                    numbers.append(number)
                date, period = _date(position.get("date"))
                view = _text(position.get("view")) or "(no view)"
                claims.append(Claim(
                    id=f"claim/expert-{slugify(expert['id'])}-{slugify(topic, 30)}-{index + 1}",
                    statement=f"{name} on {self._label(concept)}: {view}", holders=[person], about=[concept],
                    date=date, period=period, estimate=_text(position.get("estimate")) or None,
                    confidence=_text(position.get("confidence")) or None, citations=numbers))
                self.report.counts["expert positions"] += 1
                if position.get("date") and not date and not period:
                    self.report.note("expert positions with an unreadable date", f"{name}: {position['date']}")
            self.report.counts["experts"] += 1
        self.documents.append(Document(id="doc/longterm-wiki-experts", title="Longterm Wiki expert positions",
                                       kind="dataset", origin=display, citations=citations, claims=claims))

    def _label(self, concept: str) -> str:
        if concept in self.concepts:
            return str(self.concepts[concept]["label"])
        node = self.known.get(concept)
        return node.caption if node else concept

    def _topic_concept(self, topic: str, origin: str) -> str:
        for candidate in (self.ids.get(topic), f"concept/{slugify(topic)}"):
            if candidate and candidate.startswith("concept/") and self.exists(candidate):
                return candidate
        our = f"concept/{slugify(topic)}"
        label = topic.replace("-", " ").strip().capitalize()
        self.concepts[our] = {"id": our, "label": label, "kind": "concept", "origin": origin}
        self.report.counts["expert topics added as concepts"] += 1
        return our

    def read_literature(self) -> None:
        path = self.layout.files.get("literature")
        data = self._yaml(path) if path else None
        if not isinstance(data, dict):
            return
        display = self.where(path)  # type: ignore[arg-type]
        assert self.index is not None
        for category in data.get("categories") or []:
            for paper in (category or {}).get("papers") or []:
                if not isinstance(paper, dict) or not _text(paper.get("title")):
                    continue
                title = _text(paper["title"])
                origin = f"{display}#{(category or {}).get('id', '')}/{slugify(title, 40)}"
                names = [_text(a) for a in paper.get("authors") or [] if _text(a)]
                authors = []
                for name in names:
                    found = self.index.resolve_person_or_org(name)
                    if found.kind == "person" and found.id:
                        authors.append(found.id)
                        self.report.counts["literature authors resolved"] += 1
                    else:
                        self.report.counts["literature authors kept as names"] += 1
                if _text(paper.get("organization")):  # the authors' organization, not where it was published
                    found = self.index.resolve(_text(paper["organization"]))
                    if found.kind == "org" and found.id:
                        authors.append(found.id)
                fields: dict[str, Any] = {
                    "kind": _SOURCE_KINDS.get(_text(paper.get("type")).lower(), "article"),
                    "authors": sorted(set(authors)), "author_names": names,
                    "summary": _text(paper.get("summary")) or None}
                year = paper.get("year")
                if isinstance(year, int) and 1000 <= year <= 9999:
                    fields["period"] = str(year)
                link = _text(paper.get("link"))
                if link.startswith("http"):
                    self.sources.url(link, title, origin, **fields)
                else:
                    self.sources.own(f"source/lit-{slugify(title, 50)}", title=title, origin=origin, **fields)
                self.report.counts["literature"] += 1

    # -- results ------------------------------------------------------------------------------------------------
    def build(self) -> Imported:
        imported = Imported(NAME)
        if not self.exists(WIKI_ORG):
            self.orgs[WIKI_ORG] = {"id": WIKI_ORG, "name": "Longterm Wiki", "kind": "wiki",
                                   "origin": NAME}
        for records, model, key in ((self.people, Person, "people"), (self.orgs, Organization, "organizations"),
                                    (self.concepts, Concept, "concepts"), (self.groups, Group, "groups")):
            for node_id in sorted(records):
                data = {k: v for k, v in records[node_id].items() if v not in (None, [], "")}
                for name in ("affiliations", "related", "sources", "aliases"):
                    if name in data:
                        data[name] = sorted(set(data[name]) - {node_id})
                imported.entities[key].append(model.model_validate(data))
        imported.entities["sources"] = self.sources.build(self.report)
        imported.documents = self.documents
        counts = self.report.counts
        for key, records in imported.entities.items():
            counts[f"written: {key}"] = len(records)
        counts["written: documents"] = len(imported.documents)
        for key in _ITEM_LISTS:
            counts[f"written: {key}"] = sum(len(getattr(d, key)) for d in imported.documents)
        return imported


def _lean(position: dict[str, Any]) -> float | None:
    """Where a disagreement-map position leans: -1 against, +1 for (from its stance), or its estimate in %."""
    stance = _text(position.get("stance")).lower()
    if stance:
        if re.search(r"oppos|skeptic|sceptic|pessimis|closed|against|never", stance):
            return -1.0
        if re.search(r"support|optimis|open|favou?r", stance):
            return 1.0
    numbers = [float(n) for n in re.findall(r"(\d+(?:\.\d+)?)\s*%?", _text(position.get("estimate")))
               if "%" in _text(position.get("estimate"))]
    numbers = [n for n in numbers if 0 <= n <= 100]
    if numbers:
        return 100.0 + (min(numbers) + max(numbers)) / 2  # kept apart from stances: 100..200
    return None


def _opposed(a: float, b: float) -> bool:
    """The stated rule (TENSION_RULE): opposite stances, or estimate midpoints ≥ 50 points apart."""
    if a <= 1 and b <= 1:
        return a * b < 0
    if a >= 100 and b >= 100:
        return abs(a - b) >= 50
    return False


def _first_error(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(err)


def read(path: str | os.PathLike[str], known: dict[str, Node] | None = None,
              progress: Callable[[Iterable[Path], int], Iterator[Path]] | None = None
              ) -> tuple[Imported, ImportReport]:
    """Read a longterm-wiki snapshot or clone into records, linking to ``known`` (the curated corpus's nodes)."""
    layout = find_layout(path)
    report = ImportReport(NAME, str(path))
    reader = _Reader(layout, dict(known or {}), report, progress)
    reader.read_entities()
    reader.read_organizations()
    reader.read_glossary()
    reader.read_publications()
    reader.build_index()
    reader.read_literature()
    reader.read_pages()
    reader.read_cruxes()
    reader.read_experts()
    imported = reader.build()
    entities = [n for records in imported.entities.values() for n in records if isinstance(n, Entity)]
    report.counts["written: entities"] = len(entities)
    return imported, report
