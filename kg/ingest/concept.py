"""Concept pages: a knowledge base's page about one concept.

The first line is the concept's label and the paragraph(s) after it its definition; then sections Details
(prose: each sentence becomes a claim the page holds), Examples (each an ``example_of`` the concept; a leading
tag such as ``(Speculative)`` becomes the edge's note), Mitigations (each a mitigation concept that
``mitigates`` it) and optionally Related. Concepts the prose names become related concepts: glossed
enumerations after a colon (``...failures are prosaic: sycophancy (...), shortcut-taking (...)``) as failure
modes (``broader`` than the page's concept), ``(see X)`` and ``unlike X,`` as ``related_to``, and every concept
the data directory already knows.
"""

from __future__ import annotations

import re

from kg.ingest._text import (
    Span,
    Text,
    clean,
    has_words,
    headings,
    sentence_case,
    sentences,
    split_top_level,
)
from kg.ingest.draft import ClaimDraft, Draft, Example, Mention, RelationDraft, SourceEntry

__all__ = ["detect", "parse", "HEADINGS"]

HEADINGS = headings(
    details="details|description|explanation|in detail",
    examples="examples?|for example",
    mitigations="mitigations?|defen[cs]es|countermeasures|safeguards",
    related="related(?: concepts| pages)?|see also|failure modes",
)
_TAG = re.compile(r"^\(([^()]{1,30})\)\s*")
_GLOSSED = re.compile(r"^(?:(?:and|or)\s+)?([A-Za-z][\w'’-]*(?:\s+[\w'’-]+){0,4})\s*\(([^()]+)\)$")
_CUES = re.compile(
    r"\(see (?:also )?([^()]{2,60})\)|\b(?:unlike|in contrast to|as opposed to|compared with|compared to|"
    r"distinct from)\s+([A-Za-z][\w'’-]*(?:\s+[\w'’-]+){0,4}?)(?=\s*(?:[,.;)]|\s+which\b|\s+that\b))",
    re.IGNORECASE)


def detect(text: Text) -> float:
    """Share of the page's sections present (details, examples, mitigations)."""
    _, sections = text.sections(HEADINGS, quiet=True)
    return len(set(sections) & {"details", "examples", "mitigations"}) / 3


def parse(text: Text) -> Draft:
    """The draft of a concept page."""
    header, sections = text.head(HEADINGS, "concept page")
    title_line = header[0]
    label = text.title(title_line, "concept page")
    lines = [line for line in header if line.number > title_line.number]
    definition = clean(" ".join(line.text for line in lines))
    draft = Draft("concept", "concept-page", label, (1, text.last_line))
    text.expect(sections, {"details": "Details", "examples": "Examples", "mitigations": "Mitigations"})
    if not has_words(definition):
        text.warn(title_line.number, "no definition: the paragraph after the concept's name is empty")
    span = (title_line.number, title_line.number)
    concept = draft.mention("concept", label, span, kind="risk" if "mitigations" in sections else "other",
                            definition=definition or None)
    page = draft.mention("source", label, span, kind="wiki-page")
    page.only_kinds = ("wiki-page",)
    draft.concept, draft.summary = concept, definition or None
    draft.about.append(concept)
    draft.sources.append(SourceEntry(1, page, label, None, None, None, span))
    if lines and definition:
        draft.named.append((definition, (lines[0].number, lines[-1].number)))
    for paragraph in sections["details"].paragraphs() if "details" in sections else []:
        draft.details.append((paragraph.text, paragraph.span))
        draft.named.append((paragraph.text, paragraph.span))
        for sentence in sentences(paragraph.text):
            draft.claims.append(ClaimDraft(sentence_case(sentence), paragraph.span, [1], holders=[page],
                                           about=[concept]))
            _named(draft, sentence, paragraph.span, concept)
    for item in sections["examples"].items() if "examples" in sections else []:
        tag_match = _TAG.match(item.text)
        body = item.text[tag_match.end():] if tag_match else item.text
        if not has_words(body):
            text.warn(item.span[0], f"example has no text ('{item.text[:40]}'); left out")
            continue
        claim = ClaimDraft(sentence_case(body), item.span, [1], holders=[page], about=[concept])
        tag = clean(tag_match.group(1)) if tag_match else None
        draft.claims.append(claim)
        draft.examples.append(Example(clean(body), tag, claim))
        draft.relations.append(RelationDraft(claim, "example_of", concept, [1], item.span,
                                             note=tag.lower() if tag else None))
    for name, relation, kind in (("mitigations", "mitigates", "mitigation"), ("related", "related_to", "other")):
        for item in sections[name].items() if name in sections else []:
            entry = clean(item.text).rstrip(".;")
            if not has_words(entry):
                text.warn(item.span[0], f"{name} entry has no text ('{item.text[:40]}'); left out")
                continue
            head = re.split(r"\s+(?:that|which|who|whose)\s+", entry, maxsplit=1)[0]
            if head != entry and len(head.split()) <= 5:  # "Output guardrails that flag ...": named by its head
                named = _concept(draft, head, item.span, kind, definition=sentence_case(entry))
            else:
                named = _concept(draft, entry, item.span, kind)
            _relate(draft, named, relation, concept, item.span)
    return draft


def _concept(draft: Draft, name: str, span: Span, kind: str, definition: str | None = None) -> Mention:
    label = name[0].upper() + name[1:] if name[:1].islower() and not any(c.isupper() for c in name) else name
    return draft.mention("concept", label, span, kind=kind, definition=definition)


def _relate(draft: Draft, subject: Mention, relation: str, concept: Mention, span: Span) -> None:
    draft.relations.append(RelationDraft(subject, relation, concept, [1], span))


def _named(draft: Draft, sentence: str, span: Span, concept: Mention) -> None:
    """Concepts a sentence introduces: a glossed enumeration after a colon, ``(see X)``, ``unlike X,``."""
    if ":" in sentence:
        tail = re.sub(r"\)\s*,?\s+(?:and|or)\s+", "), ", sentence.split(":", 1)[1].strip().rstrip("."))
        parts = split_top_level(tail, ",;")
        glossed = [m for part in parts if (m := _GLOSSED.match(part))]
        if len(glossed) >= 2 and len(glossed) == len(parts):
            kind = "failure-mode" if re.search(r"\bfail", sentence, re.IGNORECASE) else "other"
            relation = "broader" if kind == "failure-mode" else "related_to"
            for match in glossed:
                _relate(draft, _concept(draft, clean(match.group(1)), span, kind), relation, concept, span)
    for match in _CUES.finditer(sentence):
        name = clean(match.group(1) or match.group(2) or "")
        if has_words(name) and len(name.split()) <= 6:
            _relate(draft, _concept(draft, name, span, "other"), "related_to", concept, span)
