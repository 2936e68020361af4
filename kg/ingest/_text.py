"""Line-oriented reading of plain-text documents: sections, list items, citation markers, dates and slugs.

Every piece handed to a parser keeps its 1-based line numbers, so each extracted record can say where it came
from and each warning can point at its line. Nothing here knows about any particular document format.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg._yaml import MAX_BYTES  # a document over what a data file may hold: refused up front
from kg.errors import IngestError
from kg.report import Issue, Location

__all__ = [
    "Span",
    "Line",
    "Item",
    "Section",
    "Text",
    "MAX_BYTES",
    "read_text",
    "clean",
    "has_words",
    "pop_citations",
    "strip_bullet",
    "sentences",
    "split_top_level",
    "parse_date",
    "parse_datetime",
    "leading_date",
    "slugify",
    "sentence_case",
    "span_text",
    "headings",
    "check_citations",
    "defined_terms",
]


#: a 1-based, inclusive line span
Span = tuple[int, int]

_BULLET = re.compile(r"^\s*(?:[-*+–—]\s+|[•▪◦·●‣⁃]\s*|\d{1,3}[.)]\s+)")
_CITATION = re.compile(r"\[\s*(\d{1,6}(?:\s*[,;]\s*\d{1,6})*)\s*\]")
_CITATIONS_RUN = re.compile(r"\s*(?:\[\s*\d{1,6}(?:\s*[,;]\s*\d{1,6})*\s*\]\s*)+")
_WORD = re.compile(r"[^\W_]+")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_MONTH_DAY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_TIME = re.compile(r"[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?", re.IGNORECASE)
_ABBREVIATIONS = {"e.g", "i.e", "vs", "etc", "cf", "dr", "mr", "mrs", "ms", "st", "al", "fig", "no", "approx"}
_DEFINED = re.compile(
    r"(?<![\w'’])[\"“'‘]([A-Za-z][\w'’ -]{2,60}?),?[\"”'’](?!\w)\s*(?:[—–:]|--|,?\s+(?:a|an|the|i\.e\.)\s)")
_STOPWORDS = {"a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "as", "by", "at", "is", "are",
              "be", "s", "that", "this", "it", "its", "from", "into", "than"}


@dataclass(frozen=True)
class Line:
    """One line of the document, without its line break or trailing spaces."""

    number: int
    text: str


@dataclass(frozen=True)
class Item:
    """A list item or paragraph: its text (continuation lines joined) and the lines it spans."""

    text: str
    span: Span


@dataclass
class Section:
    """The lines under one heading (the heading line itself excluded)."""

    name: str
    heading: Line
    lines: list[Line] = field(default_factory=list)
    match: re.Match[str] | None = None

    @property
    def span(self) -> Span:
        last = self.lines[-1].number if self.lines else self.heading.number
        return (self.heading.number, last)

    def paragraphs(self) -> list[Item]:
        """Runs of non-blank lines, each joined into one text."""
        return list(_paragraphs(self.lines))

    def items(self, starts: re.Pattern[str] | None = None) -> list[Item]:
        """List items: a bullet line (or one matching ``starts``) begins an item and other lines continue it;
        without any bullet, every non-blank line is an item. Bullets are stripped."""
        def begins(text: str) -> bool:
            return bool(_BULLET.match(text) or (starts and starts.match(text.strip())))

        bulleted = any(begins(line.text) for line in self.lines)
        items: list[tuple[list[str], int, int]] = []
        for line in self.lines:
            if not line.text.strip():
                if not bulleted and items:
                    items.append(([], 0, 0))  # a blank line ends an unbulleted item
                continue
            if not bulleted or begins(line.text) or not items or not items[-1][0]:
                items.append(([strip_bullet(line.text)], line.number, line.number))
            else:
                parts, start, _ = items[-1]
                items[-1] = ([*parts, line.text.strip()], start, line.number)
        return [Item(clean(" ".join(parts)), (start, end)) for parts, start, end in items if parts]


class Text:
    """A document as numbered lines, plus the warnings raised while reading it."""

    def __init__(self, text: str, name: str = "<text>") -> None:
        self.name = name
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.lines = [Line(i, raw.rstrip()) for i, raw in enumerate(text.split("\n"), start=1)]
        while self.lines and not self.lines[-1].text.strip():
            self.lines.pop()
        self.warnings: list[Issue] = []

    @property
    def last_line(self) -> int:
        return self.lines[-1].number if self.lines else 1

    def warn(self, line: int, message: str) -> None:
        """Record a warning at ``line`` (reported with the file name)."""
        self.warnings.append(Issue("ingest", message, Location(self.name, line), severity="warning"))

    def head(self, headings: dict[str, re.Pattern[str]], what: str) -> tuple[list[Line], dict[str, Section]]:
        """The non-blank lines before the first heading (the first one is the title) and the sections;
        IngestError when there is no title line."""
        preamble, sections = self.sections(headings)
        header = [line for line in preamble if line.text.strip()]
        if not header:
            first = min((s.heading.number for s in sections.values()), default=1)
            raise self.error(first, f"the {what} has no title line before its first section")
        return header, sections

    def expect(self, sections: dict[str, Section], labels: dict[str, str]) -> None:
        """Warn about each expected section (name -> heading) the document lacks."""
        for name, label in labels.items():
            if name not in sections:
                self.warn(1, f"no '{label}' section (a line '{label}' on its own starts it)")

    def title(self, line: Line, what: str) -> str:
        """The cleaned title on ``line`` (``#`` marks and bullets dropped); IngestError when it has no words."""
        title = clean(strip_bullet(line.text.strip().lstrip("#").strip().strip("*_")))
        if not has_words(title):
            raise self.error(line.number, f"the {what}'s title line has no words")
        return title

    def error(self, line: int, message: str) -> IngestError:
        """An IngestError naming the file and line."""
        return IngestError(f"{self.name}:{line}: {message}")

    def sections(self, headings: dict[str, re.Pattern[str]], *, quiet: bool = False,
                 ) -> tuple[list[Line], dict[str, Section]]:
        """Split at heading lines: lines that, once trimmed of ``#`` marks, colons and case, match one of
        ``headings`` (name -> pattern) in full. Returns the lines before the first heading and the sections;
        a repeated heading is merged into the first with a warning."""
        preamble: list[Line] = []
        found: dict[str, Section] = {}
        current: Section | None = None
        for line in self.lines:
            name, match = _heading(line.text, headings)
            if name is None:
                (current.lines if current else preamble).append(line)
                continue
            if name in found:
                if not quiet:
                    self.warn(line.number, f"second '{line.text.strip()}' section (first at line "
                              f"{found[name].heading.number}); merged into it")
                current = found[name]
                continue
            current = found[name] = Section(name, line, match=match)
        return preamble, found


def _heading(text: str, headings: dict[str, re.Pattern[str]]) -> tuple[str | None, re.Match[str] | None]:
    key = " ".join(text.strip().lstrip("#").strip().strip("*_").strip().rstrip(":").split()).casefold()
    if not key or len(key) > 60:
        return None, None
    for name, pattern in headings.items():
        match = pattern.fullmatch(key)
        if match:
            return name, match
    return None, None


def _paragraphs(lines: Iterable[Line]) -> Iterator[Item]:
    parts: list[str] = []
    start = end = 0
    for line in [*lines, Line(0, "")]:
        if line.text.strip():
            if not parts:
                start = line.number
            parts.append(line.text.strip())
            end = line.number
        elif parts:
            yield Item(clean(" ".join(parts)), (start, end))
            parts = []


def read_text(data: bytes, name: str) -> str:
    """Decode a document's bytes, refusing what is not a text document with a one-line IngestError."""
    if len(data) > MAX_BYTES:
        raise IngestError(f"{name}: file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    if b"\x00" in data:
        raise IngestError(f"{name}: binary file (contains NUL bytes), not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise IngestError(f"{name}:{line}: not UTF-8 text ({err.reason})") from None


def clean(text: str) -> str:
    """Text on one line: whitespace collapsed, control characters dropped."""
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())


def has_words(text: str) -> bool:
    """True when ``text`` holds at least one letter or digit (so it is worth a record)."""
    return any(c.isalnum() for c in text)


def pop_citations(text: str) -> tuple[str, list[int]]:
    """Remove every ``[n]``/``[n, m]`` marker from ``text``; return the rest and the numbers in order of
    first appearance."""
    numbers: list[int] = []
    for match in _CITATION.finditer(text):
        for part in re.split(r"\s*[,;]\s*", match.group(1)):
            number = int(part)
            if number not in numbers:
                numbers.append(number)
    rest = _CITATIONS_RUN.sub(" ", text)
    rest = re.sub(r"\s+([.,;:!?])", r"\1", rest)
    return clean(rest), numbers


def strip_bullet(text: str) -> str:
    """``text`` without its list markers (``-``, ``*``, ``•``, ``1.``, also stacked like ``- •``)."""
    for _ in range(4):
        match = _BULLET.match(text)
        if not match:
            break
        text = text[match.end():]
    return text.strip()


def sentences(text: str) -> list[str]:
    """Split prose into sentences, not inside parentheses or quotes and not after abbreviations."""
    result: list[str] = []
    start = depth = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char in ".!?" and depth == 0:
            nxt = index + 1
            while nxt < len(text) and text[nxt] in "\"'”’)":
                nxt += 1
            if nxt >= len(text) or not text[nxt].isspace():
                continue
            rest = text[nxt:].lstrip()
            word = re.search(r"([\w.]+)$", text[start:index])
            if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“(["):
                continue
            if char == "." and word and (word.group(1).casefold() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
            result.append(text[start:nxt].strip())
            start = nxt
    tail = text[start:].strip()
    if tail:
        result.append(tail)
    return [s for s in result if has_words(s)]


def split_top_level(text: str, separators: str = ",;") -> list[str]:
    """Split at separators that are not inside parentheses, brackets or quotes."""
    parts: list[str] = []
    depth, start, quoted = 0, 0, False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char in separators and depth == 0 and not quoted:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _date(year: str, month: str | int, day: str) -> dt.date | None:
    if isinstance(month, str) and not month.isdigit():
        month = _MONTHS.get(month[:3].casefold(), 0)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def leading_date(text: str) -> tuple[dt.date | None, str, bool]:
    """A date at the start of ``text``: (date or None, the rest, whether something date-like was there)."""
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_MONTH_DAY, (2, 0, 1)), (_DAY_MONTH, (2, 1, 0))):
        match = pattern.match(text)
        if match:
            groups = match.groups()
            return _date(*(groups[i] for i in order)), text[match.end():], True
    return None, text, False


def parse_date(text: str) -> dt.date | None:
    """The date ``text`` consists of (``2026-05-10``, ``May 10, 2026``, ``10 May 2026``), else None."""
    value, rest, _ = leading_date(text.strip())
    return value if value and not rest.strip(" .") else None


def parse_datetime(text: str) -> dt.datetime | None:
    """The first date, with its time and zone if given (UTC assumed), found in ``text``."""
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_MONTH_DAY, (2, 0, 1)), (_DAY_MONTH, (2, 1, 0))):
        match = pattern.search(text)
        if not match:
            continue
        day = _date(*(match.groups()[i] for i in order))
        if day is None:
            return None
        hour = minute = second = 0
        zone = dt.UTC
        time = _TIME.match(text, match.end())
        if time:
            hour, minute, second = int(time.group(1)), int(time.group(2)), int(time.group(3) or 0)
            offset = (time.group(4) or "").upper()
            if offset[:1] in "+-" and offset:
                digits = offset[1:].replace(":", "")
                delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                zone = dt.timezone(delta if offset[0] == "+" else -delta)
        try:
            return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
        except ValueError:
            return None
    return None


def slugify(text: str, *, max_words: int = 6, max_length: int = 60, drop_stopwords: bool = True) -> str:
    """A lowercase-hyphenated slug of the first significant words of ``text`` (never empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"['’]s\b", "", ascii_text)
    words = [w.casefold() for w in _WORD.findall(ascii_text)]
    kept = [w for w in words if w not in _STOPWORDS] if drop_stopwords else words
    words = (kept or words)[:max_words]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    return slug or "x-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def sentence_case(text: str) -> str:
    """``text`` with its first letter upper-cased and a final full stop (a claim reads as a sentence)."""
    text = clean(text).strip(" ,;:—–-")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?\"'”’)" else text + "."


def span_text(span: Span) -> str:
    """A span as the data format writes it: ``"12"`` or ``"12-15"``."""
    return str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"


def headings(**names: str) -> dict[str, re.Pattern[str]]:
    """Heading patterns by section name; each value lists the accepted headings, separated by ``|`` (regular
    expressions, matched in full against the lower-cased heading line)."""
    return {name: re.compile(f"(?:{pattern})") for name, pattern in names.items()}


def check_citations(numbers: list[int], defined: Iterable[int], text: Text, line: int, what: str) -> list[int]:
    """The numbers of ``numbers`` the document defines; a warning for each one it does not."""
    known = set(defined)
    for number in numbers:
        if number not in known:
            listed = ", ".join(f"[{n}]" for n in sorted(known)) or "none"
            text.warn(line, f"{what} cites [{number}], which is not in the source list (defined: {listed}); "
                      "dropped")
    return [n for n in numbers if n in known]


def defined_terms(text: str) -> list[str]:
    """Terms the text introduces in quotes followed by an explanation: ``"X" — a framework ...``,
    ``'X': systems that ...``, ``the "X," a framework ...`` (at most six words each)."""
    terms = [clean(m.group(1)) for m in _DEFINED.finditer(text)]
    return list(dict.fromkeys(t for t in terms if has_words(t) and len(t.split()) <= 6))
