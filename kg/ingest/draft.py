"""The one internal representation of an ingested document.

A parser fills a :class:`Draft` with what it read and where (line spans); entity linking then sets the ids:
the entities it names (:class:`Mention`, resolved to registry ids or proposed as new entities) and the ids of
its claims, tensions, events and questions. Both outputs, the YAML data bundle and the JSON view, are derived
from the linked draft by :mod:`kg.ingest.bundle`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from kg.ingest._text import Span, defined_terms
from kg.model import DocumentKind, Level, TensionKind

__all__ = [
    "EntityKind",
    "Mention",
    "ClaimDraft",
    "TensionDraft",
    "EventDraft",
    "QuestionDraft",
    "PerspectiveDraft",
    "RelationDraft",
    "SourceEntry",
    "CitedBy",
    "Example",
    "Draft",
]

EntityKind = Literal["person", "org", "source", "concept"]


@dataclass(eq=False)
class Mention:
    """An entity the document names. ``fields`` hold what a proposed record would say (its kind, definition,
    url, ...); ``id`` is set by linking, and ``proposed`` when no known entity matched."""

    kind: EntityKind
    name: str
    span: Span
    fields: dict[str, Any] = field(default_factory=dict)
    venue: Mention | None = None
    authors: list[Mention] = field(default_factory=list)
    #: for sources: only registry sources of these kinds may match (a wiki page is not the post it cites)
    only_kinds: tuple[str, ...] = ()
    id: str = ""
    proposed: bool = False


@dataclass(eq=False)
class ClaimDraft:
    """A statement the document makes. Without explicit ``holders`` linking picks the people or
    organizations it names as its subject, else those of ``partner`` when it says "his"/"their", else the
    sources it cites."""

    text: str
    span: Span
    citations: list[int]
    holders: list[Mention] = field(default_factory=list)
    about: list[Mention] = field(default_factory=list)
    partner: ClaimDraft | None = None
    date: dt.date | None = None
    id: str = ""
    holder_ids: list[str] = field(default_factory=list)
    about_ids: list[str] = field(default_factory=list)


@dataclass(eq=False)
class TensionDraft:
    a: ClaimDraft
    b: ClaimDraft
    kind: TensionKind
    note: str
    citations: list[int]
    span: Span
    id: str = ""


@dataclass(eq=False)
class EventDraft:
    date: dt.date
    text: str
    citations: list[int]
    span: Span
    id: str = ""
    actor_ids: list[str] = field(default_factory=list)
    about_ids: list[str] = field(default_factory=list)


@dataclass(eq=False)
class QuestionDraft:
    text: str
    citations: list[int]
    span: Span
    id: str = ""
    about_ids: list[str] = field(default_factory=list)


@dataclass(eq=False)
class PerspectiveDraft:
    person: Mention
    stance: str
    evolution: str | None
    citations: list[int]
    span: Span


@dataclass(eq=False)
class RelationDraft:
    """An edge the document states; ``subject`` may be an entity or one of the document's claims."""

    subject: Mention | ClaimDraft
    relation: str
    object: Mention
    citations: list[int]
    span: Span
    note: str | None = None
    level: Level | None = None


@dataclass(eq=False)
class SourceEntry:
    """One numbered source of the document, as written."""

    number: int
    source: Mention
    title: str
    venue: str | None
    date: dt.date | None
    url: str | None
    span: Span


@dataclass(eq=False)
class CitedBy:
    """A row of a resource card's cited-by table."""

    page: str
    type: str | None
    quality: float | None
    source: Mention
    span: Span


@dataclass(eq=False)
class Example:
    """An example a concept page gives; kept as a claim that is an ``example_of`` the concept."""

    text: str
    tag: str | None
    claim: ClaimDraft


@dataclass(eq=False)
class Draft:
    """Everything extracted from one document, with line spans; ids are filled in by linking."""

    format: str
    kind: DocumentKind
    title: str
    span: Span
    origin: str | None = None
    version: str | None = None
    updated: dt.datetime | None = None
    summary: str | None = None
    why_it_matters: str | None = None
    sources: list[SourceEntry] = field(default_factory=list)
    claims: list[ClaimDraft] = field(default_factory=list)
    tensions: list[TensionDraft] = field(default_factory=list)
    events: list[EventDraft] = field(default_factory=list)
    questions: list[QuestionDraft] = field(default_factory=list)
    perspectives: list[PerspectiveDraft] = field(default_factory=list)
    relations: list[RelationDraft] = field(default_factory=list)
    #: entities the document is about (besides those its title names)
    about: list[Mention] = field(default_factory=list)
    #: every entity the document names explicitly, in reading order (linking resolves these first)
    mentions: list[Mention] = field(default_factory=list)
    # resource cards
    source: Mention | None = None
    description: str | None = None
    key_points: list[ClaimDraft] = field(default_factory=list)
    cited_by: list[CitedBy] = field(default_factory=list)
    # concept pages
    concept: Mention | None = None
    details: list[tuple[str, Span]] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    #: texts whose named concepts the document is about (``related_to`` the page's concept, or what the
    #: card's source is ``about``)
    named: list[tuple[str, Span]] = field(default_factory=list)
    id: str = ""

    def mention(self, entity: EntityKind, name: str, span: Span, /, **fields: Any) -> Mention:
        """A new mention of an ``entity`` kind, remembered for linking; ``fields`` for a proposed record."""
        mention = Mention(entity, name, span, {k: v for k, v in fields.items() if v not in (None, [], "")})
        self.mentions.append(mention)
        return mention

    def define_terms(self, text: str, span: Span) -> None:
        """Mention as concepts the terms ``text`` introduces in quotes (``"X" — a framework ...``)."""
        for term in defined_terms(text):
            last = term.split()[-1].casefold()
            kind = "framework" if last in ("model", "framework", "theory", "taxonomy", "hypothesis") else "other"
            self.mention("concept", term[0].upper() + term[1:], span, kind=kind)

    def source_of(self, number: int) -> Mention | None:
        """The source cited as ``[number]``."""
        return next((s.source for s in self.sources if s.number == number), None)
