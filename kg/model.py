"""Pydantic models of the records kg reads, and the registry of edge types.

Each node model names its ontology class (``rdf_class``) and each field says how it maps to RDF through
``Annotated`` metadata: :class:`Lit` for a literal property, :class:`Link` for an edge to other nodes. The
RDF builder and the ontology alignment check both read that metadata, so the mapping lives in one place.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    Strict,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from kg.vocab import ID_KINDS, is_node_id

__all__ = [
    "BAD_CHARACTER",
    "Lit",
    "Link",
    "Relation",
    "RELATIONS",
    "Level",
    "LEVELS",
    "TensionKind",
    "DocumentKind",
    "ASSERTED_BY",
    "NodeId",
    "LineSpan",
    "Record",
    "bad_character",
    "Node",
    "Entity",
    "Entities",
    "Credibility",
    "Person",
    "Organization",
    "Group",
    "Source",
    "Concept",
    "Claim",
    "Tension",
    "Event",
    "Question",
    "Perspective",
    "RelationRecord",
    "Document",
    "NODE_MODELS",
    "ENTITY_FILES",
    "model_for_id",
    "field_specs",
]


@dataclass(frozen=True)
class Lit:
    """Field metadata: the value is stored as literal(s) of ontology property ``kg:<prop>``."""

    prop: str


@dataclass(frozen=True)
class Link:
    """Field metadata: each value is a node id and an edge ``relation`` (reversed when ``inverse``)."""

    relation: str
    inverse: bool = False


@dataclass(frozen=True)
class Relation:
    """An edge type: its ontology property and which node types it may join (empty means any)."""

    name: str
    prop: str
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    symmetric: bool = False
    has_level: bool = False

    def allows(self, subject_type: str, object_type: str) -> bool:
        """True when the relation may join a node of ``subject_type`` to one of ``object_type``."""
        return (not self.domain or subject_type in self.domain) and (
            not self.range or object_type in self.range
        )


_AGENTS = ("Person", "Organization")
#: who may hold a claim: people, organizations, holder groups ("Some ML researchers") and sources
_HOLDERS = (*_AGENTS, "Group", "Source")
RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation("authored", "authored", _AGENTS, ("Source",)),
        Relation("published_in", "publishedIn", ("Source",), ("Organization",)),
        Relation("cites", "cites", ("Source", "Document", "Claim", "Tension", "Event", "Question", *_AGENTS,
                                    "Concept"), ("Source",)),
        Relation("asserts", "asserts", _HOLDERS, ("Claim",)),
        Relation("about", "about", ("Claim", "Question", "Event", "Source", "Document")),
        Relation("supports", "supports", ("Source", "Claim"), ("Claim",)),
        Relation("in_tension_with", "inTensionWith", ("Claim",), ("Claim",), symmetric=True),
        Relation("affiliated_with", "affiliatedWith", ("Person", "Group"), ("Organization",)),
        Relation("addresses", "addresses", ("Organization", "Source"), ("Concept",), has_level=True),
        Relation("amplifies", "amplifies", (*_AGENTS, "Source"), ("Source", "Claim")),
        Relation("refines", "refines", ("Source", "Claim", "Concept"), ("Source", "Claim", "Concept")),
        Relation("mitigates", "mitigates", ("Concept",), ("Concept",)),
        Relation("example_of", "exampleOf", (), ("Concept",)),
        Relation("broader", "broader", ("Concept",), ("Concept",)),
        Relation("related_to", "relatedTo", symmetric=True),
        Relation("involves", "involves", ("Event", "Tension")),
        Relation("mentions", "mentions", ("Source", "Document")),
    )
}

#: how far an organization or source addresses a concept (``addresses`` edges)
Level = Literal["none", "isolated", "substantive"]
LEVELS: tuple[Level, ...] = ("none", "isolated", "substantive")
#: what a tension is about
TensionKind = Literal["empirical", "theoretical", "institutional", "self-correction", "normative", "other"]
#: what a document bundle was made from
DocumentKind = Literal["briefing", "resource-card", "concept-page", "page", "wiki-page", "dataset"]
#: who asserted an edge or tension: a document states it, a curator added it, or a rule inferred it
ASSERTED_BY = ("source", "curator", "inferred")


def _check_id(value: str) -> str:
    if not is_node_id(value):
        kinds = ", ".join(f"{k}/" for k in ID_KINDS)
        raise ValueError(f"not a node id (expected one of {kinds} followed by a lowercase-slug)")
    return value


NodeId = Annotated[str, AfterValidator(_check_id)]
#: where an ingested record came from in its document: a 1-based line ``"12"`` or span ``"12-15"``
LineSpan = Annotated[str, BeforeValidator(lambda v: str(v) if type(v) is int else v),
                     Field(pattern=r"^[1-9][0-9]*(-[1-9][0-9]*)?$")]
Text = Annotated[str, Field(min_length=1)]
#: a date known only to its year or month (``2023``, ``2025-12``), kept at that precision
Period = Annotated[str, BeforeValidator(lambda v: str(v) if type(v) is int else v),
                   Field(pattern=r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$")]
#: a citation number: an integer, never a boolean (YAML's ``true`` is not [1])
CitationNumber = Annotated[int, Strict()]
Citations = Annotated[list[CitationNumber], Field(min_length=1)]


#: a character no record may hold: what XML 1.0 cannot carry (C0 controls but tab, newline and carriage
#: return; surrogates; U+FFFE, U+FFFF), and also DEL and the C1 controls U+0080-U+009F, which XML allows but
#: terminals obey (U+009B starts a control sequence) and which in text are only ever mis-decoded bytes
#: a character no record may hold: outside XML 1.0, or a control character a terminal would act on
BAD_CHARACTER = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def bad_character(text: str) -> str | None:
    """The first character of ``text`` that no record may hold, as ``U+001B``; None when there is none."""
    found = BAD_CHARACTER.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


class Record(BaseModel):
    """Base of every record: unknown fields are errors, values are immutable once loaded, and no string in
    it holds a character XML cannot carry or a terminal would obey (:func:`bad_character`), so every export
    is well-formed and every message safe to print."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="wrap")
    @classmethod
    def _printable_text(cls, data: Any, handler: ModelWrapValidatorHandler[Record]) -> Record:
        record = handler(data)
        errors = [InitErrorDetails(type=PydanticCustomError("bad_character", "character {char} is not allowed "
                                                            "(a control character, or one XML cannot carry)",
                                                            {"char": char}), loc=loc, input=text)
                  for loc, text, char in _bad_strings(record)]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return record


def _bad_strings(record: Record) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(field path, string, its first bad character) for each string field of ``record`` or item of one that
    holds a bad character; nested records are checked by their own validation."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    for name, value in record.__dict__.items():  # a plain loop: this runs for every record loaded
        if type(value) is str:
            if BAD_CHARACTER.search(value):
                found.append(((name,), value, str(bad_character(value))))
        elif type(value) is list or type(value) is dict:
            for key, item in value.items() if type(value) is dict else enumerate(value):
                if type(item) is str and BAD_CHARACTER.search(item):
                    found.append(((name, key), item, str(bad_character(item))))
    return found


class Node(Record):
    """A typed node of the graph, identified by an id like ``person/alex-mallen``."""

    rdf_class: ClassVar[str] = ""
    label_field: ClassVar[str] = ""
    id: NodeId
    lines: Annotated[LineSpan | None, Lit("lines")] = None

    @property
    def caption(self) -> str:
        """The human-readable name shown for this node (its name, label, title or statement)."""
        return str(getattr(self, self.label_field))

    @model_validator(mode="after")
    def _id_kind_matches(self) -> Node:
        kind = self.id.split("/", 1)[0]
        if ID_KINDS.get(kind) != self.rdf_class:
            raise ValueError(f"id '{self.id}' is not a {self.rdf_class} id")
        return self


class Credibility(Record):
    """How far a source (or a venue) can be trusted; flattened onto its owner in RDF."""

    tier: Annotated[int | None, Field(ge=1, le=5), Lit("credibilityTier")] = None
    label: Annotated[str | None, Lit("credibilityLabel")] = None
    basis: Annotated[str | None, Lit("credibilityBasis")] = None


class Entity(Node):
    """A registry node (person, organization, source, concept); ``proposed`` ones await a curator's review."""

    status: Annotated[Literal["curated", "proposed"], Lit("status")] = "curated"
    #: where an imported entity came from: ``file#entry`` or ``file:line`` in the imported knowledge base
    origin: Annotated[str | None, Lit("origin")] = None
    #: identifiers the entity has in the knowledge base it was imported from (``E253``, ``cMKB5i2WZQ``)
    numeric_id: Annotated[str | None, Lit("numericId")] = None
    stable_id: Annotated[str | None, Lit("stableId")] = None
    #: other facts the source knowledge base records, as ``Label: value`` text
    facts: Annotated[list[str], Lit("fact")] = []


class Person(Entity):
    rdf_class: ClassVar[str] = "Person"
    label_field: ClassVar[str] = "name"
    name: Annotated[Text, Lit("name")]
    aliases: Annotated[list[str], Lit("alias")] = []
    description: Annotated[str | None, Lit("description")] = None
    url: Annotated[str | None, Lit("url")] = None
    affiliations: Annotated[list[NodeId], Link("affiliated_with")] = []
    related: Annotated[list[NodeId], Link("related_to")] = []
    #: sources an imported knowledge base lists for the entity
    sources: Annotated[list[NodeId], Link("cites")] = []


class Organization(Entity):
    rdf_class: ClassVar[str] = "Organization"
    label_field: ClassVar[str] = "name"
    name: Annotated[Text, Lit("name")]
    aliases: Annotated[list[str], Lit("alias")] = []
    kind: Annotated[
        Literal["lab", "research-org", "venue", "feed", "company", "government", "wiki", "funder", "academic",
                "other"],
        Lit("kind"),
    ]
    description: Annotated[str | None, Lit("description")] = None
    url: Annotated[str | None, Lit("url")] = None
    credibility: Credibility | None = None
    related: Annotated[list[NodeId], Link("related_to")] = []
    sources: Annotated[list[NodeId], Link("cites")] = []


class Source(Entity):
    rdf_class: ClassVar[str] = "Source"
    label_field: ClassVar[str] = "title"
    title: Annotated[Text, Lit("title")]
    aliases: Annotated[list[str], Lit("alias")] = []
    kind: Annotated[
        Literal[
            "article", "paper", "blog-post", "social-post", "risk-report", "briefing", "wiki-page", "report",
            "book", "dataset",
        ],
        Lit("kind"),
    ]
    url: Annotated[str | None, Lit("url")] = None
    venue: Annotated[NodeId | None, Link("published_in")] = None
    published: Annotated[dt.date | None, Lit("published")] = None
    period: Annotated[Period | None, Lit("period")] = None
    authors: Annotated[list[NodeId], Link("authored", inverse=True)] = []
    #: the authors as the source names them, when not all are people of the graph
    author_names: Annotated[list[str], Lit("authorName")] = []
    credibility: Credibility | None = None
    #: a wiki page's own 0-100 quality rating (not a credibility tier)
    quality: Annotated[int | None, Field(ge=0, le=100), Lit("quality")] = None
    summary: Annotated[str | None, Lit("summary")] = None
    notes: Annotated[list[str], Lit("note")] = []


class Concept(Entity):
    rdf_class: ClassVar[str] = "Concept"
    label_field: ClassVar[str] = "label"
    label: Annotated[Text, Lit("prefLabel")]
    aliases: Annotated[list[str], Lit("alias")] = []
    kind: Annotated[
        Literal[
            "motivation-archetype",
            "risk-pathway",
            "failure-mode",
            "mitigation",
            "framework",
            "spread-mechanism",
            "driver",
            "research-agenda",
            "risk",
            "concept",
            "response",
            "policy",
            "approach",
            "safety-agenda",
            "project",
            "capability",
            "research-area",
            "ai-model",
            "benchmark",
            "analysis",
            "argument",
            "crux",
            "historical",
            "term",
            "other",
        ],
        Lit("kind"),
    ]
    definition: Annotated[str | None, Lit("definition")] = None
    broader: Annotated[list[NodeId], Link("broader")] = []
    related: Annotated[list[NodeId], Link("related_to")] = []
    examples: Annotated[list[str], Lit("example")] = []
    sources: Annotated[list[NodeId], Link("cites")] = []


class Group(Entity):
    """Holders that are no one in particular ("Some ML researchers"), tied to an organization when named."""

    rdf_class: ClassVar[str] = "Group"
    label_field: ClassVar[str] = "name"
    name: Annotated[Text, Lit("name")]
    aliases: Annotated[list[str], Lit("alias")] = []
    description: Annotated[str | None, Lit("description")] = None
    affiliations: Annotated[list[NodeId], Link("affiliated_with")] = []


class Claim(Node):
    """A statement someone holds, in our own words, with the document's citation numbers."""

    rdf_class: ClassVar[str] = "Claim"
    label_field: ClassVar[str] = "statement"
    statement: Annotated[Text, Lit("statement")]
    holders: Annotated[list[NodeId], Field(min_length=1), Link("asserts", inverse=True)]
    about: Annotated[list[NodeId], Link("about")] = []
    date: Annotated[dt.date | None, Lit("date")] = None
    period: Annotated[Period | None, Lit("period")] = None
    status: Annotated[Literal["asserted", "retracted", "superseded"], Lit("status")] = "asserted"
    polarity: Annotated[Literal["pro", "con", "neutral"] | None, Lit("polarity")] = None
    #: a holder's own figure for the claim ("30-50%", "2027-2030") and how sure they are ("medium")
    estimate: Annotated[str | None, Lit("estimate")] = None
    confidence: Annotated[str | None, Lit("confidence")] = None
    implications: Annotated[str | None, Lit("implications")] = None
    citations: Citations

    @property
    def when(self) -> str | None:
        """The claim's date at its own precision (``2025-03-01``, ``2025-03`` or ``2025``)."""
        return self.date.isoformat() if self.date else self.period


class Tension(Node):
    """Two claims that pull against each other, and why."""

    rdf_class: ClassVar[str] = "Tension"
    label_field: ClassVar[str] = "note"
    a: NodeId
    b: NodeId
    kind: Annotated[TensionKind, Lit("kind")]
    note: Annotated[Text, Lit("note")]
    asserted_by: Annotated[Literal["source", "curator", "inferred"], Lit("assertedBy")] = "source"
    rule: Annotated[str | None, Lit("rule")] = None
    reason: Annotated[str | None, Lit("reason")] = None
    citations: Citations

    @model_validator(mode="after")
    def _two_sides(self) -> Tension:
        if self.a == self.b:
            raise ValueError(f"tension '{self.id}' has the same claim '{self.a}' on both sides")
        if self.asserted_by == "inferred" and not (self.rule and self.reason):
            raise ValueError("an inferred tension needs a rule and a reason")
        return self


class Event(Node):
    rdf_class: ClassVar[str] = "Event"
    label_field: ClassVar[str] = "summary"
    date: Annotated[dt.date, Lit("date")]
    summary: Annotated[Text, Lit("summary")]
    actors: Annotated[list[NodeId], Link("involves")] = []
    about: Annotated[list[NodeId], Link("about")] = []
    citations: Citations


class Question(Node):
    rdf_class: ClassVar[str] = "Question"
    label_field: ClassVar[str] = "text"
    text: Annotated[Text, Lit("text")]
    about: Annotated[list[NodeId], Link("about")] = []
    citations: Citations


class Perspective(Record):
    """A person's position within one document and how it evolved."""

    rdf_class: ClassVar[str] = "Perspective"
    person: NodeId
    stance: Annotated[Text, Lit("stance")]
    evolution: Annotated[str | None, Lit("evolution")] = None
    citations: list[CitationNumber] = []
    lines: Annotated[LineSpan | None, Lit("lines")] = None


class RelationRecord(Record):
    """An edge a document states between two nodes, with its citation numbers."""

    subject: NodeId
    relation: str
    object: NodeId
    level: Level | None = None
    note: str | None = None
    claim: NodeId | None = None
    asserted_by: Literal["source", "curator", "inferred"] = "source"
    citations: Citations
    lines: LineSpan | None = None  # kept in the bundle only: the edge's statement node carries the document

    @model_validator(mode="after")
    def _known_relation(self) -> RelationRecord:
        spec = RELATIONS.get(self.relation)
        if spec is None:
            raise ValueError(f"unknown relation '{self.relation}' (known: {', '.join(sorted(RELATIONS))})")
        if spec.has_level != (self.level is not None):
            need = "needs a level" if spec.has_level else "takes no level"
            raise ValueError(f"relation '{self.relation}' {need}")
        return self


class Entities(Record):
    """Entities a document bundle introduces itself (for example proposed by ``kg ingest``)."""

    people: list[Person] = []
    organizations: list[Organization] = []
    sources: list[Source] = []
    concepts: list[Concept] = []
    groups: list[Group] = []


class Document(Node):
    """A briefing or page with its own numbered source list, as one bundle in ``data/documents``."""

    rdf_class: ClassVar[str] = "Document"
    label_field: ClassVar[str] = "title"
    title: Annotated[Text, Lit("title")]
    kind: Annotated[DocumentKind, Lit("kind")]
    version: Annotated[str | None, Lit("version")] = None
    updated: Annotated[dt.datetime | None, Lit("updated")] = None
    origin: Annotated[str | None, Lit("origin")] = None
    summary: Annotated[str | None, Lit("summary")] = None
    why_it_matters: Annotated[str | None, Lit("whyItMatters")] = None
    about: Annotated[list[NodeId], Link("about")] = []
    citations: dict[CitationNumber, NodeId] = {}
    claims: list[Claim] = []
    tensions: list[Tension] = []
    events: list[Event] = []
    questions: list[Question] = []
    perspectives: list[Perspective] = []
    relations: list[RelationRecord] = []
    entities: Entities = Entities()

    @model_validator(mode="before")
    @classmethod
    def _version_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("version"), int | float):
            data = {**data, "version": str(data["version"])}
        return data


NODE_MODELS: dict[str, type[Node]] = {
    m.rdf_class: m
    for m in (Person, Organization, Group, Source, Concept, Claim, Tension, Event, Question, Document)
}

#: registry file stem under data/entities -> the model of its records
ENTITY_FILES: dict[str, type[Node]] = {
    "people": Person,
    "organizations": Organization,
    "sources": Source,
    "concepts": Concept,
    "groups": Group,
}


def model_for_id(node_id: str) -> type[Node]:
    """The node model whose ids start like ``node_id``."""
    return NODE_MODELS[ID_KINDS[node_id.split("/", 1)[0]]]


@functools.cache  # asked for every record read: a model's fields never change
def field_specs(model: type[Record]) -> Mapping[str, Lit | Link]:
    """Field name -> its RDF mapping (fields without one are structural and handled by kg.rdf)."""
    specs: dict[str, Lit | Link] = {}
    for name, info in model.model_fields.items():
        for meta in info.metadata:
            if isinstance(meta, Lit | Link):
                specs[name] = meta
    return specs
