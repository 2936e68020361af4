"""Briefings: a header (title, version, update time), then sections What, Why it matters, Open questions,
Narrative, Timeline, Perspectives, Tensions and a numbered Sources list.

Each section is a heading line of its own. Open questions, Timeline and Tensions are lists (one item per line,
or bullets with continuation lines) ending in citation markers such as ``[1][3]``; Perspectives are a person's
name on its own line (or ``Name: stance``), their stance, and an ``Evolution:`` line; Sources are
``[n] Title — Venue (YYYY-MM-DD)``. Each tension is split at its contrast (``, while``, ``— whereas``,
``, but``, ``versus`` ...) into two claims.
"""

from __future__ import annotations

import datetime as dt
import re

from kg.ingest._text import (
    Item,
    Section,
    Span,
    Text,
    check_citations,
    clean,
    has_words,
    headings,
    leading_date,
    parse_date,
    parse_datetime,
    pop_citations,
    sentence_case,
    sentences,
    strip_bullet,
)
from kg.ingest.draft import (
    ClaimDraft,
    Draft,
    EventDraft,
    Mention,
    PerspectiveDraft,
    QuestionDraft,
    SourceEntry,
    TensionDraft,
)
from kg.model import TensionKind

__all__ = ["detect", "parse", "HEADINGS"]

HEADINGS = headings(
    what="what|summary|overview|tl;?dr",
    why="why it matters|why this matters|significance",
    questions="open questions|questions|key questions",
    narrative="narrative|background|story so far",
    timeline="timeline|chronology|key dates",
    perspectives="perspectives|people|key people|voices",
    tensions="tensions|disagreements|debates|points of tension",
    sources="sources|references|citations",
)
_LABELS = {"what": "What", "why": "Why it matters", "questions": "Open questions", "timeline": "Timeline",
           "perspectives": "Perspectives", "tensions": "Tensions", "sources": "Sources"}
_SOURCE = re.compile(r"^\[\s*(\d{1,6})\s*\]\s*(.*)$")
_URL = re.compile(r"<?(https?://[^\s<>()]+)>?")
_TRAILING_PARENS = re.compile(r"\(([^()]*)\)\s*\.?\s*$")
_TRAILING_DATE = re.compile(r"(?:\s*[,;—–-])?\s+(\d{4}-\d{1,2}-\d{1,2}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|"
                            r"\d{1,2} [A-Za-z]{3,9} \d{4})\.?\s*$")
_VERSION = re.compile(r"^(?:version|v)\s*[:.]?\s*([0-9][\w.-]*)", re.IGNORECASE)
_EVOLUTION = re.compile(r"^evolution\s*[:—–-]\s*(.*)$", re.IGNORECASE)
_NAMED_STANCE = re.compile(r"^([^:]{2,60}):\s+(\S.*)$")
_CONNECTORS = {"de", "van", "von", "der", "den", "bin", "al", "da", "di", "le", "la", "du", "dos", "del"}
_SEP = r"(?:\s*[,;:]|\s+[—–]|\s+--?|—|–)\s*"
_CONTRASTS = (
    re.compile(_SEP + r"(?:whereas|while|in contrast,?|by contrast,?|on the other hand,?)\s+", re.IGNORECASE),
    re.compile(_SEP + r"(?:but|yet|however,?|although|though|even though)\s+", re.IGNORECASE),
    re.compile(r"\s+(?:vs\.?|versus|↔|<->)\s+", re.IGNORECASE),
    re.compile(r"\s*;\s+"),
)
_BARE_CONTRAST = re.compile(r"\s+(?:but|whereas)\s+", re.IGNORECASE)
_KIND_WORDS: tuple[tuple[TensionKind, str], ...] = (
    ("self-correction", r"\b(?:(?:his|her|their|its) own|self-correct\w*|admit\w*|conced\w*|retract\w*)\b"),
    ("institutional", r"\b(?:labs?|compan(?:y|ies)|industry|reports?|regulators?|governments?|polic(?:y|ies)|"
                      r"institution\w*|organi[sz]ations?|frameworks? of)\b"),
    ("empirical", r"\b(?:evidence|data|experiments?|observ\w*|measur\w*|stud(?:y|ies)|results?|benchmarks?|"
                  r"empirical\w*)\b"),
    ("normative", r"\b(?:should|ought|must|ethic\w*|moral\w*|fair\w*)\b"),
    ("theoretical", r"\b(?:model|theor\w*|framework|argument|predict\w*|assum\w*|implies)\b"),
)


def detect(text: Text) -> float:
    """Share of the usual briefing sections present, more when Sources are numbered ``[n]`` lines."""
    _, sections = text.sections(HEADINGS, quiet=True)
    score = len(set(sections) & set(_LABELS)) / len(_LABELS)
    if "sources" in sections and any(_SOURCE.match(strip_bullet(ln.text)) for ln in sections["sources"].lines):
        score += 0.2
    return min(score, 1.0)


def parse(text: Text) -> Draft:
    """The draft of a briefing."""
    header, sections = text.head(HEADINGS, "briefing")
    draft = Draft("briefing", "briefing", _title(text.title(header[0], "briefing")), (1, text.last_line))
    for line in header[1:]:
        version = _VERSION.match(line.text.strip())
        if version and draft.version is None:
            draft.version = version.group(1)
        if draft.updated is None and (when := parse_datetime(line.text)) is not None:
            draft.updated = when
    text.expect(sections, _LABELS)
    _sources(text, sections.get("sources"), draft)
    defined = [s.number for s in draft.sources]
    for name in ("what", "why", "narrative"):
        for paragraph in sections[name].paragraphs() if name in sections else []:
            draft.define_terms(paragraph.text, paragraph.span)
    for name in ("what", "why"):
        if name in sections:
            prose = " ".join(p.text for p in sections[name].paragraphs())
            check_citations(pop_citations(prose)[1], defined, text, sections[name].heading.number, _LABELS[name])
            setattr(draft, "summary" if name == "what" else "why_it_matters", prose or None)
    for item in _items(sections.get("questions")):
        body, numbers = _cited(text, item, defined, "question")
        if body is not None and numbers:
            draft.questions.append(QuestionDraft(sentence_case(body), numbers, item.span))
    for item in _items(sections.get("timeline")):
        _event(text, item, defined, draft)
    _perspectives(text, sections.get("perspectives"), defined, draft)
    for item in _items(sections.get("tensions")):
        _tension(text, item, defined, draft)
    return draft


def _title(line: str) -> str:
    """The title without a trailing ``· history``-like tag of at most three words."""
    title = line
    parts = re.split(r"\s+[·|]\s+", title)
    if len(parts) > 1 and len(parts[-1].split()) <= 3:
        title = " · ".join(parts[:-1])
    return title


def _items(section: Section | None) -> list[Item]:
    return section.items() if section else []


def _cited(text: Text, item: Item, defined: list[int], what: str) -> tuple[str | None, list[int]]:
    """An item's text without citation markers and its known citation numbers; None when unusable."""
    body, numbers = pop_citations(item.text)
    if not has_words(body):
        text.warn(item.span[0], f"{what} has no text ('{item.text[:40]}'); left out")
        return None, []
    numbers = check_citations(numbers, defined, text, item.span[0], what.capitalize())
    if not numbers:
        text.warn(item.span[0], f"{what} cites no source (end it with a citation such as [1]); left out")
    return body, numbers


def _sources(text: Text, section: Section | None, draft: Draft) -> None:
    for item in section.items(starts=_SOURCE) if section else []:
        match = _SOURCE.match(item.text)
        if not match:
            text.warn(item.span[0], f"source entry does not start with its number such as [1] "
                      f"('{item.text[:40]}'); ignored")
            continue
        number, rest = int(match.group(1)), match.group(2)
        if number < 1 or any(s.number == number for s in draft.sources):
            text.warn(item.span[0], f"source number [{number}] is {'used twice' if number else 'not 1 or more'}; "
                      "this entry is ignored")
            continue
        url_match = _URL.search(rest)
        url = url_match.group(1).rstrip(".,;") if url_match else None
        if url_match:
            rest = clean(rest[:url_match.start()] + rest[url_match.end():])
        date = None
        parens = _TRAILING_PARENS.search(rest)
        if parens and (date := parse_date(parens.group(1))) is not None:
            rest = rest[:parens.start()].strip()
        elif (trailing := _TRAILING_DATE.search(rest)) and (date := parse_date(trailing.group(1))) is not None:
            rest = rest[:trailing.start()].strip()
        title, venue = _title_and_venue(rest)
        if not has_words(title):
            text.warn(item.span[0], f"source [{number}] has no title; ignored")
            continue
        venue_mention = draft.mention("org", venue, item.span, kind=_org_kind(venue)) if venue else None
        source = draft.mention("source", title, item.span, kind=_source_kind(title, venue or "", url or ""),
                               published=date, url=url)
        source.venue = venue_mention
        draft.sources.append(SourceEntry(number, source, title, venue, date, url, item.span))
    if section is not None and not draft.sources:
        text.warn(section.heading.number, "the Sources section lists no source such as '[1] Title — Venue (date)'")


def _title_and_venue(text: str) -> tuple[str, str | None]:
    for separator in (r"\s+[—–]\s+", r"\s+-{1,2}\s+", r"\s+\|\s+"):
        parts = re.split(separator, text)
        if len(parts) > 1 and has_words(parts[-1]):
            return clean(" — ".join(parts[:-1])).strip(" ,"), clean(parts[-1]).strip(" .,")
    return clean(text).strip(" ,"), None


def _source_kind(title: str, venue: str, url: str) -> str:
    where = f"{venue} {url}".casefold()
    if re.search(r"arxiv|journal|proceedings|conference|neurips|icml|iclr|acl\b|openreview", where):
        return "paper"
    if ":" in venue or re.search(r"twitter|x\.com|bluesky|bsky|mastodon|threads|social", where):
        return "social-post"
    if "wiki" in where:
        return "wiki-page"
    if re.search(r"forum|lesswrong|blog|substack|medium", where):
        return "blog-post"
    if re.search(r"\brisk reports?\b", title.casefold()):
        return "risk-report"
    return "article"


def _org_kind(name: str) -> str:
    lowered = name.casefold()
    if ":" in name or "feed" in lowered:
        return "feed"
    return "wiki" if "wiki" in lowered else "venue"


def _source_date(draft: Draft, numbers: list[int]) -> dt.date | None:
    dates = {s.date for s in draft.sources if s.number in numbers}
    return dates.pop() if len(dates) == 1 else None


def _event(text: Text, item: Item, defined: list[int], draft: Draft) -> None:
    date, rest, datelike = leading_date(item.text)
    if date is None:
        problem = "has an impossible date" if datelike else "does not start with a date such as 2026-05-10"
        text.warn(item.span[0], f"timeline entry {problem}; left out")
        return
    body, numbers = _cited(text, Item(rest.lstrip(" :–—-|,"), item.span), defined, "timeline entry")
    if body is not None and numbers:
        draft.events.append(EventDraft(date, sentence_case(body), numbers, item.span))


def _looks_like_name(text: str) -> bool:
    words = re.sub(r"\s*\([^()]*\)\s*$", "", text).split()
    if not 1 <= len(words) <= 6 or text.rstrip()[-1:] in ".!?;,":
        return False
    return all(w[:1].isupper() or w.casefold() in _CONNECTORS for w in words) and words[0][:1].isupper()


def _perspectives(text: Text, section: Section | None, defined: list[int], draft: Draft) -> None:
    blocks: list[tuple[str, Span, list[str], list[str]]] = []  # name, span, stance parts, evolution parts
    for line in section.lines if section else []:
        body = strip_bullet(line.text.strip())
        if not body:
            continue
        evolution, named = _EVOLUTION.match(body), _NAMED_STANCE.match(body)
        if evolution:
            if not blocks:
                text.warn(line.number, "'Evolution:' line before any person's name; ignored")
            else:
                blocks[-1][3].append(evolution.group(1))
        elif named and _looks_like_name(named.group(1)):
            blocks.append((named.group(1), (line.number, line.number), [named.group(2)], []))
        elif _looks_like_name(body) and (not blocks or blocks[-1][2] or blocks[-1][3]):
            blocks.append((body, (line.number, line.number), [], []))
        elif not blocks:
            text.warn(line.number, "perspective text before any person's name; ignored")
        else:
            (blocks[-1][3] if blocks[-1][3] else blocks[-1][2]).append(body)
        if blocks:
            name, span, stance_parts, evolution_parts = blocks[-1]
            blocks[-1] = (name, (span[0], line.number), stance_parts, evolution_parts)
    for name, span, stance_parts, evolution_parts in blocks:
        stance, numbers = pop_citations(" ".join(stance_parts))
        evolution_text, more = pop_citations(" ".join(evolution_parts))
        if not has_words(stance):
            text.warn(span[0], f"perspective of '{name[:40]}' has no stance; left out")
            continue
        numbers = check_citations(list(dict.fromkeys(numbers + more)), defined, text, span[0], "Perspective")
        person_name = clean(re.sub(r"\s*\([^()]*\)\s*$", "", name))
        person = _person(draft, person_name, (span[0], span[0]))
        draft.perspectives.append(PerspectiveDraft(person, stance, evolution_text or None, numbers, span))
        draft.about.append(person)


def _person(draft: Draft, name: str, span: Span) -> Mention:
    words = name.split()
    aliases = [words[-1]] if len(words) > 1 and len(words[-1]) > 2 else []
    return draft.mention("person", name, span, aliases=aliases)


def _tension(text: Text, item: Item, defined: list[int], draft: Draft) -> None:
    body, numbers = _cited(text, item, defined, "tension")
    if body is None or not numbers:
        return
    sides = _sides(body)
    if sides is None:
        text.warn(item.span[0], "tension has no two sides (no 'X, while Y', 'X, but Y', 'X versus Y' or two "
                  "sentences); left out")
        return
    date = _source_date(draft, numbers)
    a = ClaimDraft(sentence_case(sides[0]), item.span, numbers, date=date)
    b = ClaimDraft(sentence_case(sides[1]), item.span, numbers, partner=a, date=date)
    draft.claims += [a, b]
    draft.tensions.append(TensionDraft(a, b, _tension_kind(body), sentence_case(body), numbers, item.span))


def _sides(text: str) -> tuple[str, str] | None:
    """The two sides of a tension: split at its strongest top-level contrast, else into sentences."""
    for pattern in _CONTRASTS:
        for match in pattern.finditer(text):
            before, after = text[:match.start()], text[match.end():]
            if before.count("(") == before.count(")") and has_words(before) and has_words(after):
                return before, after
    parts = sentences(text)
    if len(parts) > 1:
        return parts[0], " ".join(parts[1:])
    bare = _BARE_CONTRAST.search(text)
    if bare and has_words(text[:bare.start()]) and has_words(text[bare.end():]):
        return text[:bare.start()], text[bare.end():]
    return None


def _tension_kind(text: str) -> TensionKind:
    for kind, words in _KIND_WORDS:
        if re.search(words, text, re.IGNORECASE):
            return kind
    return "other"
