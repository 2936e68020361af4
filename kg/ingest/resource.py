"""Resource cards: a knowledge base's card about one source.

A title line; a line giving the resource kind and authors (``blog Authors: A, B``, also glued as
``blogAuthors``); a Credibility section (a label such as ``Good quality.``, optionally ``Rating inherited from
publication venue: X``, then a description); Summary; Key Points (each becomes a claim the source holds); a
``Cited by N pages`` table (Page | Type | Quality); and a content preview whose links give the URL. ``Key: value``
lines (URL, Published, Venue, Authors, Stable ID) are read wherever they appear.
"""

from __future__ import annotations

import re

from kg.ingest._text import (
    Line,
    Section,
    Span,
    Text,
    clean,
    has_words,
    headings,
    parse_date,
    sentence_case,
    split_top_level,
)
from kg.ingest.draft import CitedBy, ClaimDraft, Draft, Mention, RelationDraft, SourceEntry
from kg.model import Credibility

__all__ = ["detect", "parse", "HEADINGS", "TIERS", "KINDS"]

HEADINGS = headings(
    credibility="credibility rating|credibility",
    metadata="metadata|details",
    summary="summary|abstract",
    key_points="key points|key takeaways|key claims|highlights",
    cited_by=r"cited by(?: (\d+) pages?)?",
    preview="cached content preview|content preview|cached content|preview",
)
#: credibility labels -> tier (1 unvetted ... 5 gold standard)
TIERS = {
    "gold standard": 5, "highest quality": 5, "authoritative": 5, "excellent": 5,
    "high quality": 4, "very good": 4, "very good quality": 4, "reliable": 4,
    "good quality": 3, "good": 3, "reputable": 3,
    "mixed quality": 2, "moderate quality": 2, "fair": 2, "fair quality": 2, "medium quality": 2,
    "low quality": 1, "poor": 1, "poor quality": 1, "unvetted": 1, "unreliable": 1,
}
#: the resource kinds a card names -> source kinds of the data format
KINDS = {
    "blog": "blog-post", "blog post": "blog-post", "post": "blog-post", "forum post": "blog-post",
    "paper": "paper", "preprint": "paper", "arxiv": "paper", "journal article": "paper",
    "article": "article", "news": "article", "web": "article", "webpage": "article", "website": "article",
    "report": "report", "risk report": "risk-report", "wiki": "wiki-page", "wiki page": "wiki-page",
    "tweet": "social-post", "social": "social-post", "social post": "social-post", "thread": "social-post",
    "briefing": "briefing",
}
_KIND_AUTHORS = re.compile(r"^([A-Za-z][A-Za-z -]{0,30}?)\s*Authors?\b\s*:?\s*(.*)$")
_FIELD = re.compile(r"^(url|link|published|date|venue|published in|publication|authors?|stable id|type|kind)"
                    r"\s*:\s*(\S.*)$", re.IGNORECASE)
_STABLE_ID = re.compile(r"stable id\s*:\s*([A-Za-z0-9_-]{3,100})", re.IGNORECASE)
_INHERITED = re.compile(r"^(?:rating\s+)?(inherited from (?:the )?(?:publication )?venue)\s*:?\s*(\S.*)$",
                        re.IGNORECASE)
_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((https?://[^)\s]{1,2000})\)")
_CELL_RULE = re.compile(r"^:?-{2,}:?$")


def detect(text: Text) -> float:
    """Share of the card's sections present (credibility, summary, key points, cited by, preview)."""
    _, sections = text.sections(HEADINGS, quiet=True)
    found = set(sections) - {"metadata"}
    return min(1.0, len(found) / 5 + (0.2 if "credibility" in found and "key_points" in found else 0))


def parse(text: Text) -> Draft:
    """The draft of a resource card."""
    header, sections = text.head(HEADINGS, "resource card")
    title_line = header[0]
    title = text.title(title_line, "resource card")
    draft = Draft("resource", "resource-card", title, (1, text.last_line))
    fields: dict[str, tuple[str, int]] = {}
    kind_word: tuple[str, int] | None = None
    authors: list[tuple[str, int]] = []
    blurb: list[Line] = []
    for line in header[1:]:
        if _field(line, fields):
            continue
        match = _KIND_AUTHORS.match(line.text.strip())
        if match:
            kind_word = (match.group(1).strip(), line.number) if match.group(1).strip() else kind_word
            authors += [(name, line.number) for name in _names(match.group(2))]
        elif line.text.strip().casefold() in KINDS:
            kind_word = (line.text.strip(), line.number)
        else:
            blurb.append(line)
    text.expect(sections, {"credibility": "Credibility", "summary": "Summary", "key_points": "Key Points",
                           "cited_by": "Cited by"})
    credibility, description = _credibility(text, sections.get("credibility"), fields)
    described_at = sections["credibility"].span if description else (1, 1)
    if not description and blurb:
        description, described_at = clean(" ".join(b.text for b in blurb)), (blurb[0].number, blurb[-1].number)
    for name in ("metadata", "summary", "key_points"):
        for line in sections[name].lines if name in sections else []:
            _field(line, fields)
    listed = fields.pop("authors", None) or fields.pop("author", None)
    authors += [(name, listed[1]) for name in _names(listed[0])] if listed else []
    venue_field = fields.get("venue") or fields.get("published in") or fields.get("publication")
    venue = venue_field[0] if venue_field else None
    summary = " ".join(p.text for p in sections["summary"].paragraphs()) if "summary" in sections else ""
    kind = _kind(text, kind_word, fields)
    url = fields.get("url", fields.get("link", ("", 0)))[0] or _preview_url(sections.get("preview"), title)
    stable = _STABLE_ID.search("\n".join(line.text for line in text.lines))
    published = parse_date(fields["published"][0]) if "published" in fields else None
    span = (title_line.number, title_line.number)
    venue_mention = (draft.mention("org", venue_field[0], (venue_field[1],) * 2, kind="venue")
                     if venue_field else None)
    source = draft.mention("source", title, span, kind=kind, url=url, published=published,
                           stable_id=stable.group(1) if stable else None, credibility=credibility,
                           summary=summary or None)
    source.venue = venue_mention
    source.authors = [draft.mention("person", name, (line, line)) for name, line in authors]
    draft.source, draft.description, draft.summary = source, description, description or summary or None
    draft.about.append(source)
    draft.sources.append(SourceEntry(1, source, title, venue, published, url, span))
    draft.named += [(p.text, p.span) for p in sections["summary"].paragraphs()] if "summary" in sections else []
    for item in sections["key_points"].items() if "key_points" in sections else []:
        if not has_words(item.text):
            text.warn(item.span[0], f"key point has no text ('{item.text[:40]}'); left out")
            continue
        claim = ClaimDraft(sentence_case(item.text), item.span, [1], holders=[source])
        draft.claims.append(claim)
        draft.key_points.append(claim)
        draft.named.append((item.text, item.span))
    for prose, where in [*([(description, described_at)] if description else []), *draft.named]:
        draft.define_terms(prose, where)
    _cited_by(text, sections.get("cited_by"), draft, source)
    return draft


def _field(line: Line, fields: dict[str, tuple[str, int]]) -> bool:
    match = _FIELD.match(line.text.strip())
    if match:
        fields.setdefault(match.group(1).casefold(), (clean(match.group(2)), line.number))
    return bool(match)


def _names(text: str) -> list[str]:
    parts = split_top_level(re.sub(r"\s+(?:and|&)\s+", ",", text), ",;")
    return [clean(p) for p in parts if has_words(p) and len(p.split()) <= 6]


def _kind(text: Text, kind_word: tuple[str, int] | None, fields: dict[str, tuple[str, int]]) -> str:
    word = kind_word or fields.get("type") or fields.get("kind")
    if word is None:
        text.warn(1, "no resource kind (such as a 'blog' or 'paper' line); recorded as an article")
        return "article"
    kind = KINDS.get(word[0].casefold())
    if kind is None:
        text.warn(word[1], f"unknown resource kind '{word[0][:30]}' (known: {', '.join(sorted(KINDS))}); "
                  "recorded as an article")
    return kind or "article"


def _credibility(text: Text, section: Section | None, fields: dict[str, tuple[str, int]],
                 ) -> tuple[Credibility | None, str | None]:
    """The credibility rating and the card's description paragraph(s); a venue the rating is inherited from
    goes into ``fields``."""
    if section is None:
        return None, None
    label = basis = None
    rest: list[str] = []
    for line in section.lines:
        body = line.text.strip()
        if not body or _field(line, fields):
            continue
        inherited = _INHERITED.match(body)
        if inherited:
            venue = clean(inherited.group(2)).rstrip(".")
            basis = f"{inherited.group(1).lower()}: {venue}"  # the inherited venue wins over an explanation
            fields.setdefault("venue", (venue, line.number))
        elif label is None:
            head, _, explanation = body.partition(".")
            label = clean(head) if len(head.split()) <= 6 else None
            if label is None:
                rest.append(body)
            elif explanation.strip():
                basis = basis or clean(explanation)
        else:
            rest.append(body)
    tier = TIERS.get(label.casefold()) if label else None
    if label and tier is None:
        text.warn(section.heading.number, f"credibility label '{label[:30]}' has no known tier "
                  f"(known: {', '.join(sorted(TIERS))})")
    if label is None and basis is None:
        text.warn(section.heading.number, "the Credibility section gives no rating such as 'Good quality.'")
        return None, clean(" ".join(rest)) or None
    return Credibility(tier=tier, label=label, basis=basis), clean(" ".join(rest)) or None


def _preview_url(section: Section | None, title: str) -> str | None:
    if section is None:
        return None
    links = [m for line in section.lines for m in _LINK.finditer(line.text)]
    wanted = clean(title).casefold()
    chosen = next((m for m in links if clean(m.group(1)).casefold() == wanted), links[0] if links else None)
    return chosen.group(2).split("#", 1)[0] if chosen else None


def _cited_by(text: Text, section: Section | None, draft: Draft, source: Mention) -> None:
    if section is None:
        return
    header: list[str] | None = None
    rows: list[tuple[list[str], Span]] = []
    for line in section.lines:
        body = line.text.strip()
        if not body:
            continue
        if not body.startswith("|"):
            text.warn(line.number, "cited-by line is not a table row ('| page | type | quality |'); ignored")
            continue
        cells = [clean(c) for c in body.strip("|").split("|")]
        if all(_CELL_RULE.match(c) for c in cells):
            continue
        if header is None:
            header = [c.casefold() for c in cells]
        elif len(cells) != len(header):
            text.warn(line.number, f"cited-by row has {len(cells)} cells but the header has {len(header)}; ignored")
        else:
            rows.append((cells, (line.number, line.number)))
    columns = {name: _column(header or [], options) for name, options in
               (("page", ("page", "title", "name")), ("type", ("type", "kind")),
                ("quality", ("quality", "score", "rating")))}
    if rows and columns["page"] is None:
        text.warn(section.heading.number, "the cited-by table has no Page column; ignored")
        return
    count = section.match.group(1) if section.match else None
    if count is not None and int(count) != len(rows):
        text.warn(section.heading.number, f"the heading says {count} citing pages but the table lists {len(rows)}")
    for cells, span in rows:
        page = cells[columns["page"]]  # type: ignore[index]
        kind = cells[columns["type"]] if columns["type"] is not None else None
        quality = _quality(text, cells[columns["quality"]], span[0]) if columns["quality"] is not None else None
        if not has_words(page):
            text.warn(span[0], "cited-by row has no page name; ignored")
            continue
        note = f"{kind or 'wiki'} page" + (f"; quality {quality:g}" if quality is not None else "")
        mention = draft.mention("source", page, span, kind="wiki-page", notes=[note])
        mention.only_kinds = ("wiki-page",)
        number = len(draft.sources) + 1
        draft.sources.append(SourceEntry(number, mention, page, None, None, None, span))
        draft.cited_by.append(CitedBy(page, kind or None, quality, mention, span))
        draft.relations.append(RelationDraft(mention, "cites", source, [number], span, note=f"cited by the {note}"))


def _column(header: list[str], options: tuple[str, ...]) -> int | None:
    return next((i for i, name in enumerate(header) if name in options), None)


def _quality(text: Text, cell: str, line: int) -> float | None:
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        text.warn(line, f"quality '{cell[:20]}' is not a number; left empty")
        return None
    if value != value or value in (float("inf"), float("-inf")):
        text.warn(line, f"quality '{cell[:20]}' is not a finite number; left empty")
        return None
    return value
