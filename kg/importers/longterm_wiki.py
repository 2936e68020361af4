"""The longterm-wiki knowledge base → records: entities, wiki pages, cruxes, experts, literature, venues.

Reads either a snapshot's flat layout (``entities/*.yaml``, ``pages/**/*.mdx``, ``cruxes.yaml``, ...) or a
clone of the repository (``data/entities/*.yaml``, ``content/docs/knowledge-base/**/*.mdx``, ``data/*.yaml``).
Every record says where it came from (``origin`` for entities, ``lines`` and the bundle's ``origin`` for
document items). Names of holders and authors resolve through :mod:`kg.importers._resolve`; entities the
curated corpus already has (same id, or same name) are linked to, never redefined.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg._util import display_path
from kg.importers._records import Imported, ImportReport, slugify
from kg.importers._resolve import normalize
from kg.importers._wiki_base import (  # noqa: F401 - NAME and the rules are re-exported
    _ADDRESSES,
    _CONCEPT_KINDS,
    _HANDLED,
    _ITEM_LISTS,
    _ORG_KINDS,
    _TIER_LABELS,
    NAME,
    POSITION_MATCH,
    TENSION_RULE,
    WIKI_ORG,
    Layout,
    _scalar_text,
    _text,
    _Venue,
    find_layout,
)
from kg.importers._wiki_datasets import _Datasets
from kg.importers._wiki_pages import _Pages
from kg.model import (
    Concept,
    Credibility,
    Document,
    Entity,
    Group,
    Node,
    Organization,
    Person,
    RelationRecord,
)
from kg.vocab import ID_KINDS

__all__ = ["NAME", "Layout", "find_layout", "read", "POSITION_MATCH", "TENSION_RULE"]


class _Reader(_Pages, _Datasets):
    """One import run: entities and the stages of the pages and datasets, then the records built."""

    # -- entities -----------------------------------------------------------------------------------------------
    def read_entities(self) -> None:
        entries: list[tuple[dict[str, Any], str]] = []
        for path in self.layout.entity_files:
            data = self._yaml(path)
            if data is None:
                continue
            if not isinstance(data, list):
                self.problem("an entity file must be a list of entities", display_path(path))
                continue
            for entry in data:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    entries.append((entry, f"{self.where(path)}#{entry['id']}"))
        for entry, _origin in entries:  # ids first, so related entries resolve in any order
            wiki_type = entry.get("type")
            kind = "person" if wiki_type == "person" else "org" if wiki_type == "organization" else "concept"
            our = f"{kind}/{slugify(entry['id'])}"
            cls = ID_KINDS[kind]
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
                                  "kind": _ORG_KINDS.get(str(entry.get("type")), "other"),
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
                self.problem(f"venue '{entry['id']}' has no credibility tier 1-5", display_path(path))  # type: ignore[arg-type]
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
        imported.entities["sources"] = list(self.sources.build(self.report))
        imported.documents = self.documents
        counts = self.report.counts
        for key, built in imported.entities.items():
            counts[f"written: {key}"] = len(built)
        counts["written: documents"] = len(imported.documents)
        for key in _ITEM_LISTS:
            counts[f"written: {key}"] = sum(len(getattr(d, key)) for d in imported.documents)
        return imported


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
