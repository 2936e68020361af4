"""Entity linking: names in a document → ids of the entities a data directory already holds, or new ones.

Names and aliases are compared after normalisation, so case, plural and spacing variants meet
(``Schemers``/``schemer``, ``deployment-time spread``/``deployment time spread``, ``over-optimization``/
``overoptimization``, ``Mallen's``/``Mallen``). People, organizations and sources are proper names: their first
letter must match in case (``Meta`` the lab is not ``meta``); acronyms (``BSM``, ``AF``) must match exactly.
Entities nobody has recorded yet become new records marked ``status: proposed``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from kg.graph import KnowledgeGraph
from kg.ingest._text import Text, slugify, span_text
from kg.ingest.draft import ClaimDraft, Draft, Mention, RelationDraft
from kg.model import Concept, Organization, Person, Source

__all__ = ["Index", "link", "proposed_record", "fresh_id", "AGENTS"]

_TOKEN = re.compile(r"[^\W_]+")
_KIND_ORDER = ("person", "org", "concept", "source")
#: entity kinds that can hold a claim or act in an event
AGENTS = ("person", "org")
_MAX_TOKENS = 12
_KIND_NAMES = {"person": "person", "org": "organization", "source": "source", "concept": "concept"}
_REPORTING = re.compile(
    r"\b(?:argue[sd]?|arguing|says|said|contends?|maintains|insists|writes|wrote|believes|thinks|warns|"
    r"acknowledges|concedes|asserts|concludes|proposes|predicts|expects|counters|responds|replies|disputes|"
    r"rejects|doubts|denies|urges|calls for|stresses|emphasi[sz]es)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|they|their|them)\b", re.IGNORECASE)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(normalised token, start, end) of each word; a possessive ``'s`` is dropped."""
    result = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("s", "S") and match.start() > 0 and text[match.start() - 1] in "'’":
            continue
        result.append((_singular(token.casefold()), match.start(), match.end()))
    return result


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 2 <= len(letters) <= 6 and " " not in name.strip() and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class _Entry:
    id: str
    kind: str
    name: str

    def fits(self, written: str, loose: bool) -> bool:
        """Whether ``written`` (the matched words as they appear) may name this entry."""
        if _is_acronym(self.name):
            return written == self.name
        if loose or self.kind == "concept":
            return True
        return written[:1] == self.name.strip()[:1]


class Index:
    """Normalised names and aliases of entities, with the facts used to tell same-titled sources apart."""

    def __init__(self) -> None:
        self._keys: dict[str, list[_Entry]] = {}
        self.names: dict[str, str] = {}
        self.facts: dict[str, dict[str, Any]] = {}

    @classmethod
    def of(cls, graph: KnowledgeGraph | None, exclude: str | None = None) -> Index:
        """The index of every person, organization, source and concept in ``graph``, leaving out the
        entities that document ``exclude`` introduced (it is being ingested again)."""
        index = cls()
        if graph is None:
            return index
        for node in graph.iter_nodes("Person", "Organization", "Source", "Concept"):
            if exclude is not None and graph.owner.get(node.id) == exclude:
                continue
            names = [node.caption, *getattr(node, "aliases", [])]
            facts = {}
            if isinstance(node, Source):
                facts = {"venue": node.venue, "published": node.published, "url": node.url,
                         "stable_id": node.stable_id, "kind": node.kind}
            index.add(node.id, names, facts)
        return index

    def add(self, node_id: str, names: Iterable[str], facts: dict[str, Any] | None = None) -> None:
        """Make ``node_id`` findable under each of ``names``."""
        kind = node_id.split("/", 1)[0]
        for position, name in enumerate(names):
            if position == 0:
                self.names.setdefault(node_id, name)
            key = "".join(t for t, _, _ in _tokens(name))
            if not key:
                continue
            entries = self._keys.setdefault(key, [])
            if not any(e.id == node_id for e in entries):
                entries.append(_Entry(node_id, kind, name))
        self.facts[node_id] = dict(facts or {})

    def similar(self, kind: str, name: str, skip: set[str]) -> str | None:
        """The id of an entity of ``kind`` (not in ``skip``) whose name is close to ``name``, if any."""
        wanted = " ".join(t for t, _, _ in _tokens(name))
        names = {" ".join(t for t, _, _ in _tokens(n)): i for i, n in self.names.items()
                 if i.startswith(kind + "/") and i not in skip}
        # reverse order: of equally close names the last wins, as difflib.get_close_matches chose before
        close = process.extractOne(wanted, sorted(names, reverse=True), scorer=fuzz.ratio, score_cutoff=80)
        return names[close[0]] if close else None

    def lookup(self, kind: str, name: str) -> list[str]:
        """Ids of ``kind`` whose name or an alias is ``name`` (up to case, plural and spacing)."""
        key = "".join(t for t, _, _ in _tokens(name))
        return [e.id for e in self._keys.get(key, []) if e.kind == kind and e.fits(name.strip(), loose=True)]

    def scan(self, text: str, kinds: tuple[str, ...] = _KIND_ORDER) -> list[tuple[str, int]]:
        """Entities named in ``text`` (longest names first, each once) with the offset of their first mention.
        A name shared by several entities of the same kind is ambiguous and links to none."""
        tokens = _tokens(text)
        found: dict[str, int] = {}
        i = 0
        while i < len(tokens):
            step = 1
            for n in range(min(_MAX_TOKENS, len(tokens) - i), 0, -1):
                entries = self._keys.get("".join(t for t, _, _ in tokens[i:i + n]))
                if not entries:
                    continue
                written = text[tokens[i][1]:tokens[i + n - 1][2]]
                fitting = [e for e in entries if e.fits(written, loose=False)]
                if not fitting:
                    continue
                step = n
                best = min(_KIND_ORDER.index(e.kind) for e in fitting)
                ids = {e.id for e in fitting if _KIND_ORDER.index(e.kind) == best}
                if len(ids) == 1 and _kind(next(iter(ids))) in kinds:
                    found.setdefault(ids.pop(), tokens[i][1])
                break
            i += step
        return sorted(found.items(), key=lambda item: item[1])


def _norm_url(url: str | None) -> str:
    return (url or "").split("#", 1)[0].rstrip("/").removeprefix("https://").removeprefix("http://").casefold()


class _Linker:
    def __init__(self, draft: Draft, index: Index, taken: set[str], text: Text) -> None:
        self.draft, self.index, self.taken, self.text = draft, index, taken, text
        self.proposed: set[str] = set()
        self.counters: dict[str, int] = {}  # see fresh_id

    def mint(self, kind: str, slug: str, fallback: str | None = None) -> str:
        """A fresh id ``kind/slug`` (or ``kind/slug-fallback``, ``kind/slug-2``, ... when taken)."""
        node_id = fresh_id(f"{kind}/{slug}", self.taken, fallback if fallback != slug else None,
                           self.counters)
        self.taken.add(node_id)
        return node_id

    def resolve(self, mention: Mention) -> None:
        if mention.id:
            return
        if mention.venue is not None:
            self.resolve(mention.venue)
        for author in mention.authors:
            self.resolve(author)
        found = self._match_source(mention) if mention.kind == "source" else self._match(mention)
        if found:
            mention.id = found
            return
        words = 6 if mention.kind == "source" else 8
        slug = slugify(mention.name, max_words=words, drop_stopwords=mention.kind == "source")
        venue = slugify(mention.venue.name, max_words=3) if mention.venue else None
        mention.id, mention.proposed = self.mint(mention.kind, slug, venue), True
        close = self.index.similar(mention.kind, mention.name, self.proposed)
        if close:
            self.text.warn(mention.span[0], f"new {_KIND_NAMES[mention.kind]} '{mention.name[:50]}' resembles "
                           f"{close} ('{self.index.names[close][:50]}'); use that id if they are the same")
        self.proposed.add(mention.id)
        names = [mention.name, *mention.fields.get("aliases", [])]
        facts = {"venue": mention.venue.id if mention.venue else None, "published": mention.fields.get("published"),
                 "url": mention.fields.get("url"), "stable_id": mention.fields.get("stable_id"),
                 "kind": mention.fields.get("kind")}
        self.index.add(mention.id, names, facts)

    def _match(self, mention: Mention) -> str | None:
        ids = self.index.lookup(mention.kind, mention.name)
        if len(ids) > 1:
            self.text.warn(mention.span[0], f"'{mention.name}' matches {', '.join(ids)}; linked to {ids[0]}")
        return ids[0] if ids else None

    def _match_source(self, mention: Mention) -> str | None:
        url, stable = _norm_url(mention.fields.get("url")), mention.fields.get("stable_id")
        for node_id, facts in self.index.facts.items():
            if node_id.startswith("source/") and ((url and _norm_url(facts.get("url")) == url)
                                                   or (stable and facts.get("stable_id") == stable)):
                return node_id
        venue, published = (mention.venue.id if mention.venue else None), mention.fields.get("published")
        ids = []
        for node_id in self.index.lookup("source", mention.name):
            facts = self.index.facts.get(node_id, {})
            if mention.only_kinds and facts.get("kind") not in mention.only_kinds:
                continue
            if venue and facts.get("venue") and facts["venue"] != venue:
                continue
            if published and facts.get("published") and facts["published"] != published:
                continue
            ids.append(node_id)
        if len(ids) > 1:
            exact = [i for i in ids if self.index.names.get(i, "").casefold() == mention.name.casefold()]
            if len(exact) != 1:
                self.text.warn(mention.span[0], f"source '{mention.name[:60]}' could be any of {', '.join(ids)}; "
                               "proposed as a new source instead")
                return None
            ids = exact
        return ids[0] if ids else None

    def claim(self, claim: ClaimDraft) -> None:
        hits = self.index.scan(claim.text)
        if claim.holders:
            holders = [m.id for m in claim.holders]
        else:
            verb = _REPORTING.search(claim.text)
            holders = [i for i, pos in hits if _kind(i) in AGENTS and (verb is None or pos < verb.start())]
            if not holders and claim.partner is not None and _PRONOUN.search(claim.text):
                holders = [h for h in claim.partner.holder_ids if _kind(h) in AGENTS]
            if not holders:
                holders = self.cited(claim.citations)
        claim.holder_ids = _unique(holders)
        claim.about_ids = _unique([m.id for m in claim.about] + [i for i, _ in hits if i not in claim.holder_ids])

    def cited(self, numbers: list[int]) -> list[str]:
        return _unique([m.id for n in numbers if (m := self.draft.source_of(n)) is not None])


def fresh_id(base: str, taken: set[str], fallback: str | None = None, counters: dict[str, int] | None = None) -> str:
    """``base`` if it is not taken, else ``base-fallback``, else the first free ``base-2``, ``base-3``, ...

    ``counters`` remembers, for each base, the number its search got to, so that minting many ids of one base
    (20,000 timeline entries of one day) stays linear; ``taken`` must only grow between calls that share it.
    """
    if base not in taken:
        return base
    if fallback and f"{base}-{fallback}" not in taken:
        return f"{base}-{fallback}"
    n = counters.get(base, 2) if counters is not None else 2
    while f"{base}-{n}" in taken:
        n += 1
    if counters is not None:
        counters[base] = n
    return f"{base}-{n}"


def _kind(node_id: str) -> str:
    return node_id.split("/", 1)[0]


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i))


def link(draft: Draft, index: Index, taken: set[str], text: Text) -> None:
    """Resolve every mention of ``draft`` to an id (proposing new entities), mint the ids of its claims,
    tensions, events and questions (none in ``taken``), and link each to the entities it names."""
    linker = _Linker(draft, index, taken, text)
    for mention in draft.mentions:
        linker.resolve(mention)
    _merge_repeated_sources(draft, text)
    for claim in draft.claims:
        claim.id = linker.mint("claim", slugify(claim.text))
    for claim in draft.claims:
        linker.claim(claim)
    for tension in draft.tensions:
        tension.id = linker.mint("tension", slugify(tension.note))
    for event in draft.events:
        event.id = linker.mint("event", f"{event.date.isoformat()}-{slugify(event.text, max_words=4)}")
        hits = [i for i, _ in index.scan(event.text)]
        event.actor_ids = [i for i in hits if _kind(i) in AGENTS]
        event.about_ids = [i for i in hits if _kind(i) not in AGENTS]
    for question in draft.questions:
        question.id = linker.mint("question", slugify(question.text))
        question.about_ids = [i for i, _ in index.scan(question.text)]
    for mention in [m for node_id, _ in index.scan(draft.title) if (m := _known(index, node_id, draft.span))]:
        draft.about.append(mention)
    _relate_named_concepts(draft, index)


def _merge_repeated_sources(draft: Draft, text: Text) -> None:
    """A source listed under two numbers is kept under the first; citations of the second count as the first
    (a document cites each source once)."""
    first: dict[str, int] = {}
    renumber: dict[int, int] = {}
    for entry in list(draft.sources):
        if entry.source.id in first:
            renumber[entry.number] = first[entry.source.id]
            draft.sources.remove(entry)
            text.warn(entry.span[0], f"source [{entry.number}] is the same as [{first[entry.source.id]}] "
                      f"({entry.source.id}); its citations count as [{first[entry.source.id]}]")
        else:
            first[entry.source.id] = entry.number
    if not renumber:
        return
    items: list[Any] = [*draft.claims, *draft.tensions, *draft.events, *draft.questions, *draft.perspectives,
                        *draft.relations]
    for item in items:
        item.citations = list(dict.fromkeys(renumber.get(n, n) for n in item.citations))


def _known(index: Index, node_id: str, span: tuple[int, int]) -> Mention:
    kind = node_id.split("/", 1)[0]
    return Mention(kind, index.names.get(node_id, node_id), span, id=node_id)  # type: ignore[arg-type]


def _relate_named_concepts(draft: Draft, index: Index) -> None:
    """Concepts named in ``draft.named`` become ``related_to`` a concept page's concept, or what a resource
    card's source is ``about``."""
    anchor = draft.concept or draft.source
    if anchor is None:
        return
    ends = [(r.subject, r.object) for r in draft.relations]
    seen = {anchor.id} | {s.id for s, o in ends if o is anchor} | {o.id for s, o in ends if s is anchor}
    for text, span in draft.named:
        for node_id, _ in index.scan(text, kinds=("concept",)):
            if node_id in seen:
                continue
            seen.add(node_id)
            named = _known(index, node_id, span)
            relation = RelationDraft(named, "related_to", anchor, [1], span) if draft.concept else \
                RelationDraft(anchor, "about", named, [1], span)
            draft.relations.append(relation)


def proposed_record(mention: Mention) -> Person | Organization | Source | Concept:
    """The record of an entity ingestion proposes (``status: proposed``), from what the document says."""
    base: dict[str, Any] = {"id": mention.id, "status": "proposed", "lines": span_text(mention.span)}
    fields = dict(mention.fields)
    if mention.kind == "person":
        return Person(**base, name=mention.name, aliases=fields.get("aliases", []))
    if mention.kind == "org":
        return Organization(**base, name=mention.name, kind=fields.get("kind", "other"))
    if mention.kind == "concept":
        return Concept(**base, label=mention.name, kind=fields.get("kind", "other"),
                       definition=fields.get("definition"))
    return Source(**base, title=mention.name, kind=fields.get("kind", "article"), url=fields.get("url"),
                  venue=mention.venue.id if mention.venue else None, published=fields.get("published"),
                  authors=[a.id for a in mention.authors], credibility=fields.get("credibility"),
                  stable_id=fields.get("stable_id"), summary=fields.get("summary"), notes=fields.get("notes", []))
