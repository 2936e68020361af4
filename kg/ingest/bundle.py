"""The result of ingesting a document: a data bundle (YAML, the data format of ``data/documents``) and its
JSON view, both derived from the one linked :class:`~kg.ingest.draft.Draft`.

Every record carries ``lines``, the span of the ingested document it was read from; the document carries
``origin``, that document's file name. Entities the data directory did not hold are written under
``entities:`` with ``status: proposed``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg._util import write_atomic
from kg._yaml import YamlProblem, dump_yaml, parse_yaml
from kg.errors import IngestError
from kg.ingest._text import Span, span_text
from kg.ingest.draft import ClaimDraft, Draft, Mention
from kg.ingest.linking import proposed_record
from kg.model import (
    Claim,
    Document,
    Entities,
    Event,
    Perspective,
    Question,
    RelationRecord,
    Tension,
)
from kg.report import Issue

__all__ = ["Bundle", "build_document"]

_ORDER = ("id", "kind", "title", "version", "updated", "origin", "lines", "about", "summary", "why_it_matters",
          "citations", "claims", "tensions", "events", "questions", "perspectives", "relations", "entities")
_ENTITY_GROUPS = {"person": "people", "org": "organizations", "source": "sources", "concept": "concepts"}


def _ref(item: Mention | ClaimDraft) -> str:
    return item.id


def build_document(draft: Draft) -> Document:
    """The document bundle of a linked draft (a validated :class:`~kg.model.Document`)."""
    relations: dict[tuple[str, str, str], RelationRecord] = {}
    for rel in draft.relations:
        key = (_ref(rel.subject), rel.relation, _ref(rel.object))
        if key[0] != key[2] and key not in relations:
            relations[key] = RelationRecord(subject=key[0], relation=rel.relation, object=key[2], level=rel.level,
                                            note=rel.note, citations=rel.citations, lines=span_text(rel.span))
    proposed: dict[str, Any] = {}
    for mention in _all_mentions(draft):
        if mention.proposed and mention.id not in proposed:
            proposed[mention.id] = proposed_record(mention)
    groups = {name: [r for r in proposed.values() if r.id.startswith(kind + "/")]
              for kind, name in _ENTITY_GROUPS.items()}
    return Document(
        id=draft.id, kind=draft.kind, title=draft.title, version=draft.version, updated=draft.updated,
        origin=draft.origin, lines=span_text(draft.span), summary=draft.summary,
        why_it_matters=draft.why_it_matters, about=list(dict.fromkeys(m.id for m in draft.about)),
        citations={s.number: s.source.id for s in draft.sources},
        claims=[Claim(id=c.id, statement=c.text, holders=c.holder_ids, about=c.about_ids, date=c.date,
                      citations=c.citations, lines=span_text(c.span)) for c in draft.claims],
        tensions=[Tension(id=t.id, a=t.a.id, b=t.b.id, kind=t.kind, note=t.note, citations=t.citations,
                          lines=span_text(t.span)) for t in draft.tensions],
        events=[Event(id=e.id, date=e.date, summary=e.text, actors=e.actor_ids, about=e.about_ids,
                      citations=e.citations, lines=span_text(e.span)) for e in draft.events],
        questions=[Question(id=q.id, text=q.text, about=q.about_ids, citations=q.citations, lines=span_text(q.span))
                   for q in draft.questions],
        perspectives=_perspectives(draft),
        relations=list(relations.values()),
        entities=Entities(**groups),
    )


def _perspectives(draft: Draft) -> list[Perspective]:
    """One perspective per person: a person named twice gets the two merged."""
    merged: dict[str, dict[str, Any]] = {}
    for p in draft.perspectives:
        if not p.person.id.startswith("person/"):
            continue
        entry = merged.setdefault(p.person.id, {"stance": [], "evolution": [], "citations": [], "span": p.span})
        entry["stance"].append(p.stance)
        entry["evolution"] += [p.evolution] if p.evolution else []
        entry["citations"] += [n for n in p.citations if n not in entry["citations"]]
        entry["span"] = (min(entry["span"][0], p.span[0]), max(entry["span"][1], p.span[1]))
    return [Perspective(person=person, stance=" ".join(e["stance"]), evolution=" ".join(e["evolution"]) or None,
                        citations=e["citations"], lines=span_text(e["span"])) for person, e in merged.items()]


def _all_mentions(draft: Draft) -> list[Mention]:
    """Every mention of the draft, venues and authors included, in reading order."""
    result: list[Mention] = []
    for mention in draft.mentions:
        result += [*([mention.venue] if mention.venue else []), *mention.authors, mention]
    return result


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    """``lines`` last in every record, so each reads from its id to where it came from."""
    result = {k: _ordered_value(v) for k, v in record.items() if k != "lines"}
    if "lines" in record:
        result["lines"] = record["lines"]
    return result


def _ordered_value(value: Any) -> Any:
    if isinstance(value, dict):
        return _ordered(value)
    if isinstance(value, list):
        return [_ordered_value(v) for v in value]
    return value


def _lines(span: str | Span | None) -> list[int] | None:
    if span is None:
        return None
    if isinstance(span, tuple):
        return [span[0], span[1]]
    start, _, end = span.partition("-")
    return [int(start), int(end or start)]


@dataclass
class Bundle:
    """A document turned into a data bundle, ready for a person to review.

    ``document`` is the bundle as records; :meth:`to_yaml` writes it in the data format and :meth:`to_json`
    gives the JSON view. ``existing`` names the bundle a data directory already holds for the same document
    (and ``existing_file`` its file), so nothing is ingested twice; ``name`` is the ingested document as
    messages name it.
    """

    draft: Draft
    names: dict[str, str]
    warnings: list[Issue] = field(default_factory=list)
    existing: str | None = None
    existing_file: Path | None = None
    name: str = "<text>"
    document: Document = field(init=False)

    def __post_init__(self) -> None:
        self.document = build_document(self.draft)

    @property
    def id(self) -> str:
        """The document's id, ``doc/<slug>``."""
        return self.document.id

    @property
    def slug(self) -> str:
        """The bundle's file name without ``.yaml`` (it must be, for the id to match)."""
        return self.id.split("/", 1)[1]

    @property
    def format(self) -> str:
        """The document format it was read as (``briefing``, ``resource``, ``concept``)."""
        return self.draft.format

    @property
    def proposed(self) -> list[Any]:
        """The new entities this bundle proposes (``status: proposed``)."""
        entities = self.document.entities
        return [*entities.people, *entities.organizations, *entities.sources, *entities.concepts]

    def to_yaml(self) -> str:
        """The bundle in the data format, with a header saying where it came from.

        Raises :class:`~kg.errors.IngestError` when the data format's reader would refuse the text (over the
        size or value caps of :mod:`kg._yaml`): no bundle is written that ``kg validate`` rejects.
        """
        data = self.document.model_dump(mode="python", exclude_defaults=True)
        data["id"] = self.document.id
        body = {key: _ordered_value(data[key]) for key in _ORDER if key in data}
        origin = self.document.origin or "a text"
        header = (f"# Ingested by `kg ingest` from {origin} (format: {self.format}).\n"
                  "# Review before committing: statements are the document's own words, and entities marked\n"
                  "# `status: proposed` are new. `lines` give where each record is in the ingested document.\n")
        text = header + dump_yaml(body)
        try:
            parse_yaml(text)  # the very reader `kg validate` uses, so the two cannot disagree on what fits
        except YamlProblem as problem:
            raise IngestError(f"{self.name}: its bundle would not load ({problem.message}); nothing written: split "
                              "the document into smaller ones") from None
        return text

    def write(self, path: str | Path) -> None:
        """Write :meth:`to_yaml` to ``path`` atomically."""
        payload = self.to_yaml().encode("utf-8")
        write_atomic(path, lambda handle: handle.write(payload))

    def to_json(self) -> dict[str, Any]:
        """The JSON view: the document's fields, its records (each with ``lines``), the entities it names,
        and the fields particular to its format."""
        doc, draft = self.document, self.draft
        result: dict[str, Any] = {
            "id": doc.id, "kind": doc.kind, "format": self.format, "title": doc.title, "version": doc.version,
            "updated": doc.updated.isoformat().replace("+00:00", "Z") if doc.updated else None,
            "origin": doc.origin, "lines": _lines(doc.lines), "summary": doc.summary,
            "why_it_matters": doc.why_it_matters, "about": doc.about,
            "sources": [{"number": s.number, "title": s.title, "venue": s.venue,
                         "date": s.date.isoformat() if s.date else None, "url": s.url, "id": s.source.id,
                         "status": _status(s.source), "lines": _lines(s.span)} for s in draft.sources],
            "claims": [self._record(c) for c in doc.claims],
            "tensions": [{**self._record(t), "sides": [t_.a.text, t_.b.text]}
                         for t, t_ in zip(doc.tensions, draft.tensions, strict=True)],
            "events": [{**self._record(e, rename={"summary": "text"})} for e in doc.events],
            "questions": [self._record(q) for q in doc.questions],
            "perspectives": [{"person": self.names.get(p.person, p.person), "person_id": p.person,
                              "stance": p.stance, "evolution": p.evolution, "citations": p.citations,
                              "lines": _lines(p.lines)} for p in doc.perspectives],
            "relations": [self._record(r) for r in doc.relations],
            **self._entities(),
            "proposed": [e.id for e in self.proposed],
            "existing": self.existing,
            "warnings": [str(w) for w in self.warnings],
        }
        result.update(self._resource_fields())
        result.update(self._concept_fields())
        return result

    def to_json_text(self) -> str:
        """:meth:`to_json` as indented JSON text."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    @staticmethod
    def _record(record: Any, rename: dict[str, str] | None = None) -> dict[str, Any]:
        data = record.model_dump(mode="json", exclude_none=True)
        data = {(rename or {}).get(k, k): v for k, v in _ordered(data).items()}
        if "lines" in data:
            data["lines"] = _lines(data["lines"])
        return data

    def _entities(self) -> dict[str, Any]:
        """``entities``: names of the people, organizations, concepts and sources the bundle refers to, in
        order; ``links``: each of them with its id and whether it is existing or proposed."""
        doc = self.document
        ids: list[str] = [*doc.about, *doc.citations.values()]
        for claim in doc.claims:
            ids += [*claim.holders, *claim.about]
        for event in doc.events:
            ids += [*event.actors, *event.about]
        for question in doc.questions:
            ids += question.about
        ids += [p.person for p in doc.perspectives]
        ids += [x for r in doc.relations for x in (r.subject, r.object)]
        for entity in self.proposed:
            ids += [entity.id, *(getattr(entity, "authors", None) or []),
                    *([entity.venue] if getattr(entity, "venue", None) else [])]
        groups: dict[str, list[Any]] = {name: [] for name in _ENTITY_GROUPS.values()}
        links: list[dict[str, str]] = []
        proposed = {e.id for e in self.proposed}
        for node_id in dict.fromkeys(ids):
            kind = node_id.split("/", 1)[0]
            if kind not in _ENTITY_GROUPS:
                continue
            name = self.names.get(node_id, node_id)
            groups[_ENTITY_GROUPS[kind]].append(name)
            links.append({"id": node_id, "name": name, "status": "proposed" if node_id in proposed else "existing"})
        return {"entities": groups, "links": links}

    def _resource_fields(self) -> dict[str, Any]:
        draft = self.draft
        if draft.source is None:
            return {}
        source = draft.source
        credibility = source.fields.get("credibility")
        return {
            "source": {"id": source.id, "status": _status(source), "title": source.name,
                       "kind": source.fields.get("kind"), "url": source.fields.get("url"),
                       "stable_id": source.fields.get("stable_id"),
                       "venue": source.venue.name if source.venue else None,
                       "venue_id": source.venue.id if source.venue else None,
                       "authors": [a.name for a in source.authors],
                       "published": str(source.fields["published"]) if "published" in source.fields else None,
                       "credibility": credibility.model_dump() if credibility else None,
                       "description": draft.description, "summary": source.fields.get("summary"),
                       "lines": _lines(source.span)},
            "key_points": [{"id": c.id, "text": c.text, "lines": _lines(c.span)} for c in draft.key_points],
            "cited_by": [{"page": c.page, "type": c.type, "quality": c.quality, "id": c.source.id,
                          "status": _status(c.source), "lines": _lines(c.span)} for c in draft.cited_by],
        }

    def _concept_fields(self) -> dict[str, Any]:
        draft = self.draft
        if draft.concept is None:
            return {}
        concept = draft.concept
        mitigations: list[dict[str, Any]] = []
        related: list[dict[str, Any]] = []
        for rel in draft.relations:
            if rel.object is not concept or not isinstance(rel.subject, Mention) or rel.subject is concept:
                continue
            entry = {"label": self.names.get(rel.subject.id, rel.subject.name), "id": rel.subject.id,
                     "status": _status(rel.subject), "lines": _lines(rel.span)}
            if rel.relation == "mitigates":
                mitigations.append(entry)
            elif all(r["id"] != entry["id"] for r in related):
                related.append({**entry, "relation": rel.relation})
        return {
            "concept": {"id": concept.id, "status": _status(concept), "label": concept.name,
                        "definition": concept.fields.get("definition"), "kind": concept.fields.get("kind"),
                        "lines": _lines(concept.span)},
            "details": [{"text": text, "lines": _lines(span)} for text, span in draft.details],
            "examples": [{"text": e.text, "tag": e.tag, "claim": e.claim.id, "lines": _lines(e.claim.span)}
                         for e in draft.examples],
            "mitigations": mitigations,
            "related": related,
        }


def _status(mention: Mention) -> str:
    return "proposed" if mention.proposed else "existing"
