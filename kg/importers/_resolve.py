"""Resolve free-text holder and author names to the graph's people and organizations.

Source texts name actors loosely: "Eliezer Yudkowsky (MIRI)", "Bostrom", "Some OpenAI researchers", "Skeptics".
A wrong merge silently attributes a claim to the wrong actor, which is worse than a missed link, so every rule here
is conservative: ambiguity, collisions and weak evidence all end in an unresolved ``group`` rather than a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

__all__ = ["Candidate", "Resolution", "NameIndex", "normalize"]

Kind = Literal["person", "org"]
ResolvedKind = Literal["person", "org", "org-group", "group"]


@dataclass(frozen=True)
class Candidate:
    """A person or organization a name may resolve to."""

    id: str
    kind: Kind
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to, and ``how`` (for the import report, so a reviewer can audit each link)."""

    name: str
    kind: ResolvedKind
    id: str | None
    org: str | None = None
    how: str = ""
    score: float | None = None


# Separators split words; they never belong to a word. Hyphens, dots and apostrophes stay inside words so that
# "Meta-learning" is one word and can never be mistaken for "Meta".
_TOKEN_RE = re.compile(r"[^\s/&,;+|()\[\]{}]+|[/&,;+|()\[\]{}]")
_CONJUNCTION_SEPS = frozenset("/&,;+|")
_CONJUNCTION_WORDS = frozenset({"and", "or", "vs", "versus", "plus", "nor"})
# Words that put a group *outside* the organization it names ("Critics of OpenAI", "Former MIRI staff").
_BLOCKERS = frozenset({
    "critics", "critic", "skeptics", "skeptic", "sceptics", "sceptic", "opponents", "opponent", "former", "ex",
    "non", "outside", "against", "rivals", "rival", "competitors", "competitor", "unlike", "except", "besides",
    "without", "not", "anti", "alumni", "than", "like", "beyond", "detractors", "observers",
})
_QUANTIFIERS = frozenset({"some", "many", "most", "several", "few", "certain", "various", "all", "other", "others",
                          "parts", "part", "much", "majority", "minority"})
_GROUP_WORDS = frozenset({
    "researchers", "researcher", "team", "teams", "staff", "leadership", "leaders", "leader", "employees",
    "members", "member", "scientists", "people", "engineers", "folks", "group", "groups", "authors", "founders",
    "cofounders", "executives", "board", "management", "insiders", "fellows", "scholars", "affiliates",
    "contributors", "workers", "analysts", "economists", "experts", "policy", "org",
    "individuals", "voices", "colleagues", "personnel", "lab", "division", "department", "unit",
}) | _QUANTIFIERS
# "at" is missing on purpose: "people at Meta" names Meta's people.
_FUNCTION_WORDS = frozenset({"of", "to", "for", "in", "on", "with", "by", "from", "about", "during", "the",
                             "a", "an", "as", "into", "over", "under", "is", "are", "was"})
_HONORIFICS = frozenset({"dr", "prof", "professor", "sir", "dame", "mr", "mrs", "ms", "mx", "lord"})
_DEGREES = frozenset({"phd", "md", "mba", "dphil", "jd", "esq", "msc", "bsc"})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "la", "le", "du", "da", "di", "del", "della", "ter", "ten"})
_LEGAL_SUFFIXES = frozenset({"inc", "corporation", "corp", "ltd", "llc", "co", "gmbh", "plc"})
# Trailing words whose removal leaves an org's everyday short name ("Redwood Research" -> "Redwood").
_GENERIC_TAILS = frozenset({"ai", "research", "labs", "lab"})
_ORGISH_WORDS = frozenset({"institute", "center", "centre", "foundation", "university", "council", "coalition",
                           "campaign", "corporation", "inc", "lab", "labs", "group", "project", "forum", "fund",
                           "house", "society", "association", "agency", "committee", "commission", "initiative",
                           "office", "department", "ministry", "company", "network", "alliance", "college"})
_ET_AL_RE = re.compile(r"\s*,?\s*\bet\.?\s+al\.?\s*$", re.IGNORECASE)
_BRACKET_NOTE_RE = re.compile(r"\s*\[[^\[\]]*\]")
# Everyday short forms of given names; only used when the surname matches exactly too.
_NICKNAMES: dict[str, str] = {
    "will": "william", "bill": "william", "liam": "william", "nick": "nicholas", "dan": "daniel", "danny": "daniel",
    "sam": "samuel", "ben": "benjamin", "chris": "christopher", "mike": "michael", "jim": "james", "jamie": "james",
    "tom": "thomas", "rob": "robert", "bob": "robert", "bobby": "robert", "joe": "joseph", "steve": "steven",
    "matt": "matthew", "andy": "andrew", "drew": "andrew", "tony": "anthony", "dave": "david", "ed": "edward",
    "ted": "edward", "greg": "gregory", "jeff": "jeffrey", "jon": "jonathan", "josh": "joshua", "ken": "kenneth",
    "kate": "katherine", "katie": "katherine", "liz": "elizabeth", "beth": "elizabeth", "jen": "jennifer",
    "jenny": "jennifer", "pete": "peter", "phil": "philip", "rick": "richard", "dick": "richard",
    "rich": "richard", "tim": "timothy", "zach": "zachary", "zac": "zachary", "geoff": "geoffrey",
    "toby": "tobias", "vicky": "victoria", "alex": "alexander",
}


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _word_case(word: str) -> str:
    """A word's letters and digits with their case kept, accents and punctuation dropped, possessive removed."""
    plain = _strip_accents(word)
    plain = re.sub(r"['’]s$", "", plain) if len(plain) > 3 else plain
    return "".join(ch for ch in plain if ch.isalnum())


def normalize(name: str) -> str:
    """Casefolded, accent-free words joined by single spaces, so spelling noise never blocks an exact match.

    Separators and punctuation between words become spaces; punctuation inside a word ("Bankman-Fried", "J.")
    is dropped, so "Stuart J. Russell" -> "stuart j russell" and "Jürgen" -> "jurgen".
    """
    words = (_word_case(t).casefold() for t in _TOKEN_RE.findall(name) if t not in "/&,;+|()[]{}")
    return " ".join(w for w in words if w)


@dataclass(frozen=True)
class _Tok:
    text: str  # as written
    key: str  # casefolded word key, "" for a separator
    case: str  # word with case kept (for case-sensitive short names), or the separator itself

    @property
    def is_word(self) -> bool:
        return bool(self.key)


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for raw in _TOKEN_RE.findall(text):
        if len(raw) == 1 and raw in "/&,;+|()[]{}":
            out.append(_Tok(raw, "", raw))
            continue
        case = _word_case(raw)
        if case:
            out.append(_Tok(raw, case.casefold(), case))
    return out


def _words(toks: Iterable[_Tok]) -> list[_Tok]:
    return [t for t in toks if t.is_word]


def _distinctive(case_text: str) -> bool:
    """True for names whose spelling cannot be an ordinary word, so case may be ignored ("OpenAI", "xAI")."""
    return any(re.search(r"[a-z][A-Z]", w) for w in case_text.split())


def _is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9][A-Z0-9&.\-]*[A-Z0-9]", text.strip())) and sum(
        ch.isupper() for ch in text) >= 2


def _title_case_word(case_text: str) -> bool:
    """One ordinary capitalised word ("Meta", "Epoch", "Anthropic"): may be plain English in a Title-Case phrase."""
    return (" " not in case_text and not _distinctive(case_text) and not case_text.isupper()
            and case_text[:1].isupper())


@dataclass(frozen=True)
class _Form:
    id: str
    kind: Kind
    words: tuple[str, ...]  # casefolded word keys
    case: str  # words with case kept, space-joined
    tier: int  # 0: the candidate's own names; 1: derived short names, used only when tier 0 finds nothing
    in_phrases: bool  # may be found inside a longer phrase
    how: str

    @property
    def compact(self) -> str:
        return "".join(self.words)

    @property
    def case_compact(self) -> str:
        return self.case.replace(" ", "")


def _case_ok(form: _Form, case_compact: str, *, phrase: bool) -> bool:
    """Short or common-word names must be written as the entity writes them ("Meta" yes, "meta-learning" no)."""
    if case_compact == form.case_compact or _distinctive(form.case):
        return True
    if phrase or form.tier > 0:
        return False
    if len(form.words) > 1:
        return True  # a whole multi-word input: "stuart russell" is Stuart Russell
    return case_compact.isupper() and len(case_compact) > 1  # "ANTHROPIC" in a shouted heading


class _Ambiguous(Exception):
    """Raised inside the resolver when more than one entity fits, so the caller answers ``group``."""

    def __init__(self, how: str) -> None:
        super().__init__(how)
        self.how = how


class NameIndex:
    """Looks up names among a fixed set of candidates; build once per import, then call :meth:`resolve`."""

    def __init__(self, candidates: Iterable[Candidate], *, fuzzy_cutoff: float = 92.0,
                 fuzzy_margin: float = 3.0) -> None:
        self.fuzzy_cutoff = fuzzy_cutoff
        self.fuzzy_margin = fuzzy_margin
        self._exact: dict[str, list[_Form]] = {}
        self._compact: dict[str, list[_Form]] = {}
        self._surnames: dict[str, list[_Form]] = {}
        self._given: dict[str, set[str]] = {}
        self._fuzzy: dict[str, list[_Form]] = {}
        self._max_span = 1
        seen: set[tuple[str, str, int, bool]] = set()
        for cand in sorted(candidates, key=lambda c: (c.id, c.kind, c.name, c.aliases)):
            for form in self._forms(cand):
                if not form.words:
                    continue
                sig = (form.id, form.case, form.tier, form.in_phrases)
                if sig in seen:
                    continue
                seen.add(sig)
                self._add(form)

    # -- building -------------------------------------------------------------------------------------------------

    @staticmethod
    def _form(cand: Candidate, text: str, tier: int, in_phrases: bool, how: str) -> _Form:
        words = _words(_tokens(text))
        return _Form(cand.id, cand.kind, tuple(w.key for w in words), " ".join(w.case for w in words), tier,
                     in_phrases, how)

    def _forms(self, cand: Candidate) -> list[_Form]:
        """The candidate's names plus conservative derived forms (title parentheses, middle initials, short names)."""
        forms = [self._form(cand, cand.name, 0, True, "exact")]
        forms += [self._form(cand, a, 0, True, "alias") for a in cand.aliases]
        for text in (cand.name, *cand.aliases):
            base = text
            m = re.fullmatch(r"\s*(.+?)\s*\(([^()]+)\)\s*", text)
            if m:
                head, inner = m.group(1), m.group(2)
                if _is_acronym(inner) or _is_acronym(head):
                    # "Machine Intelligence Research Institute (MIRI)", "CSER (Centre for ...)": both are names
                    forms += [self._form(cand, head, 0, True, "alias"), self._form(cand, inner, 0, True, "acronym")]
                else:
                    # "Kalshi (Prediction Market)", "Peter Thiel (Funder)": the head is a name, but a weak one
                    forms.append(self._form(cand, head, 0 if cand.kind == "person" else 1, False, "title-head"))
                base = head
            words = base.split()
            if cand.kind == "person":
                clean = _clean_person_words(words)
                if clean != words:
                    forms.append(self._form(cand, " ".join(clean), 0, True, "initials"))
            elif len(words) > 1:
                if _word_case(words[-1]).casefold() in _LEGAL_SUFFIXES:
                    forms.append(self._form(cand, " ".join(words[:-1]).rstrip(","), 0, True, "alias"))
                elif _word_case(words[-1]).casefold() in _GENERIC_TAILS:
                    forms.append(self._form(cand, " ".join(words[:-1]), 1, True, "short-name"))
        return forms

    def _add(self, form: _Form) -> None:
        self._exact.setdefault(" ".join(form.words), []).append(form)
        self._compact.setdefault(form.compact, []).append(form)
        self._max_span = max(self._max_span, len(form.words))
        if form.tier == 0 and len(form.words) > 1:
            self._fuzzy.setdefault(" ".join(form.words), []).append(form)
        if form.kind == "person" and form.tier == 0 and len(form.words) > 1:
            case_words = form.case.split()
            words = list(form.words)
            while len(words) > 2 and words[-1] in _NAME_SUFFIXES:
                words.pop()
                case_words.pop()
            start = len(words) - 1
            while start > 1 and words[start - 1] in _PARTICLES:
                start -= 1
            for i in range(start, len(words)):  # "van Merwijk" and "Merwijk"
                sur = _Form(form.id, "person", tuple(words[i:]), " ".join(case_words[i:]), 0, False, "surname")
                self._surnames.setdefault(sur.compact, []).append(sur)
            self._given.setdefault(words[0], set()).add(form.id)

    # -- public ---------------------------------------------------------------------------------------------------

    def resolve(self, name: str) -> Resolution:
        """Resolve one holder name; never raises for any string."""
        text = _ET_AL_RE.sub("", _BRACKET_NOTE_RE.sub("", name)).strip()
        toks = _tokens(text)
        if not _words(toks):
            return Resolution(name, "group", None, how="empty")
        try:
            return self._resolve(name, text, toks)
        except _Ambiguous as amb:
            return Resolution(name, "group", None, how=amb.how)

    def resolve_person_or_org(self, name: str) -> Resolution:
        """Resolve an author-list entry; the same rules as :meth:`resolve` ("et al." is dropped by both)."""
        return self.resolve(name)

    # -- rules ----------------------------------------------------------------------------------------------------

    def _resolve(self, name: str, text: str, toks: list[_Tok]) -> Resolution:
        hit = self._entity(toks)
        if hit is not None:
            return self._res(name, hit[0], hit[1], score=hit[2])
        paren = self._paren(name, toks)
        if paren is not None:
            return paren
        comma = self._comma(name, toks)
        if comma is not None:
            return comma
        return self._group(name, toks)

    def _res(self, name: str, form: _Form, how: str, *, org: str | None = None,
             score: float | None = None) -> Resolution:
        return Resolution(name, form.kind, form.id, org=org, how=how, score=score)

    def _lookup(self, toks: list[_Tok], *, kinds: frozenset[str] = frozenset({"person", "org"}),
                phrase: bool = False) -> tuple[_Form, str] | None:
        """Whole-string match (rule 1): normalized words, then the same letters without spaces ("Open AI")."""
        words = _words(toks)
        key = " ".join(w.key for w in words)
        compact = "".join(w.key for w in words)
        case_compact = "".join(w.case for w in words)
        for tier in (0, 1):
            hits: dict[str, tuple[_Form, str]] = {}
            for form in self._exact.get(key, []):
                if form.tier == tier and form.kind in kinds and _case_ok(form, case_compact, phrase=phrase):
                    hits.setdefault(form.id, (form, form.how))
            if not hits:
                for form in self._compact.get(compact, []):
                    if form.tier == tier and form.kind in kinds and _case_ok(form, case_compact, phrase=phrase):
                        hits.setdefault(form.id, (form, "spacing"))
            if len(hits) > 1:
                raise _Ambiguous("ambiguous")
            if hits:
                return next(iter(hits.values()))
        return None

    def _entity(self, toks: list[_Tok], kinds: frozenset[str] = frozenset({"person", "org"})
                ) -> tuple[_Form, str, float | None] | None:
        """Rules 1, 3 and 4 on a whole string; raises :class:`_Ambiguous` when two entities fit."""
        words = _words(toks)
        if len(words) > 1:  # a title written with its punctuation: "Center for AI Safety (CAIS)"
            hit = self._lookup(toks, kinds=kinds)
            if hit is not None:
                return hit[0], hit[1], None
        if any(not t.is_word for t in toks) or not words:
            return None
        if len(words) == 1:
            return self._single(words[0], kinds)
        if "person" in kinds and words[0].key in _PARTICLES:  # "van Merwijk"
            sur = {f.id: f for f in self._surnames.get("".join(w.key for w in words), [])}
            if len(sur) > 1:
                raise _Ambiguous("ambiguous-surname")
            if sur:
                return next(iter(sur.values())), "surname", None
        if "person" in kinds:
            clean = _clean_person_toks(words)
            if clean != words:
                if len(clean) == 1:  # "Dr. Bostrom"
                    single = self._single(clean[0], frozenset({"person"}))
                    if single is not None:
                        return single
                else:
                    hit = self._lookup(clean, kinds=frozenset({"person"}))
                    if hit is not None:
                        return hit[0], "initials", None
            nick = self._nickname(clean)
            if nick is not None:
                return nick, "nickname", None
        return self._fuzzy_match(words, kinds)

    def _single(self, word: _Tok, kinds: frozenset[str]) -> tuple[_Form, str, float | None] | None:
        """Rule 3: one word is an exact one-word name/acronym, or the surname of exactly one person."""
        hits: dict[str, tuple[_Form, str]] = {}
        for tier in (0, 1):
            for form in self._exact.get(word.key, []) + self._compact.get(word.key, []):
                if form.tier == tier and form.kind in kinds and _case_ok(form, word.case, phrase=False):
                    hits.setdefault(form.id, (form, "acronym" if _is_acronym(form.case) else form.how))
            if hits:
                break
        if "person" in kinds:
            for sur in self._surnames.get(word.key, []):
                if _case_ok(sur, word.case, phrase=False):
                    hits.setdefault(sur.id, (sur, "surname"))
        if len(hits) > 1:
            raise _Ambiguous("ambiguous-surname" if all(f.how == "surname" for f, _ in hits.values())
                             else "ambiguous")
        if not hits:
            return None
        form, how = next(iter(hits.values()))
        if how == "surname" and self._given.get(word.key, set()) - {form.id}:
            raise _Ambiguous("ambiguous-surname")  # also someone's given name
        return form, how, None

    def _nickname(self, words: list[_Tok]) -> _Form | None:
        """"Will MacAskill" == "William MacAskill": a listed short form of the given name and the same surname."""
        if len(words) != 2:
            return None
        given, sur = words[0].key, words[1].key
        wanted = {_NICKNAMES.get(given, given)}
        hits: dict[str, _Form] = {}
        for key, forms in self._fuzzy.items():
            parts = key.split()
            if (len(parts) == 2 and parts[1] == sur and parts[0] != given
                    and _NICKNAMES.get(parts[0], parts[0]) in wanted):
                for form in forms:
                    if form.kind == "person":
                        hits.setdefault(form.id, form)
        if len(hits) > 1:
            raise _Ambiguous("ambiguous")
        return next(iter(hits.values()), None)

    def _fuzzy_match(self, words: list[_Tok], kinds: frozenset[str]) -> tuple[_Form, str, float] | None:
        """Rule 4: a spelling variant of a multi-word name; only one word may differ, by one edit, in a long word."""
        if len(words) < 2:
            return None
        keys = [w.key for w in words]
        query = " ".join(keys)
        choices = sorted(k for k, forms in self._fuzzy.items()
                         if len(k.split()) == len(keys) and any(f.kind in kinds for f in forms))
        best: dict[str, tuple[float, _Form]] = {}
        for choice, score, _ in process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=self.fuzzy_cutoff,
                                                limit=None):
            parts = choice.split()
            diffs = [(a, b) for a, b in zip(keys, parts, strict=True) if a != b]
            if len(diffs) != 1:
                continue
            a, b = diffs[0]
            if min(len(a), len(b)) < 5 or a[0] != b[0] or OSA.distance(a, b) > 1:
                continue
            for form in self._fuzzy[choice]:
                if form.kind in kinds and score > best.get(form.id, (-1.0, form))[0]:
                    best[form.id] = (score, form)
        if not best:
            return None
        ranked = sorted(best.values(), key=lambda sf: (-sf[0], sf[1].id))
        if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < self.fuzzy_margin:
            raise _Ambiguous("ambiguous-fuzzy")
        return ranked[0][1], "fuzzy", round(ranked[0][0], 1)

    def _org_of(self, toks: list[_Tok]) -> str | None:
        """The org a qualifier names ("MIRI", "Google DeepMind"), or None; ambiguity counts as None."""
        try:
            hit = self._entity(toks, frozenset({"org"}))
        except _Ambiguous:
            return None
        return hit[0].id if hit else None

    def _paren(self, name: str, toks: list[_Tok]) -> Resolution | None:
        """Rule 2 and 5: "Name (Org)" -> person with affiliation; "Org (team or 'some')" -> org-group."""
        if not toks or toks[-1].text != ")" or "(" not in [t.text for t in toks]:
            return None
        open_at = max(i for i, t in enumerate(toks) if t.text == "(")
        head, inner = toks[:open_at], toks[open_at + 1:-1]
        if not _words(head) or not _words(inner) or any(t.text in "()" for t in inner):
            return None
        try:
            hit = self._entity(head)
        except _Ambiguous:
            hit = None
        if hit is None:
            if _name_like(_words(head)) and not self._scan(head):
                return Resolution(name, "group", None, how="unknown-name")
            return None
        form, how, score = hit
        if form.kind == "person":
            org = self._org_of(inner)
            return self._res(name, form, how + ("+affiliation" if org else ""), org=org, score=score)
        inner_keys = {w.key for w in _words(inner)}
        if inner_keys <= _GROUP_WORDS:
            return Resolution(name, "org-group", None, org=form.id, how="org-in-group")
        try:
            inner_hit = self._entity(inner)
        except _Ambiguous:
            inner_hit = None
        if inner_hit is not None:  # "MIRI (Machine Intelligence ...)", "SSI (Sutskever)", "DeepMind (Google)"
            return self._res(name, form, how + "+qualifier", score=score)
        return Resolution(name, "org-group", None, org=form.id, how="org-subunit")

    def _comma(self, name: str, toks: list[_Tok]) -> Resolution | None:
        """Rule 2 with a comma: "Name, Org", "Name, Ph.D.", or an author written "Surname, Given"."""
        commas = [i for i, t in enumerate(toks) if t.text == ","]
        if len(commas) != 1 or any(not t.is_word for i, t in enumerate(toks) if i != commas[0]):
            return None
        head, tail = toks[:commas[0]], toks[commas[0] + 1:]
        if not head or not tail:
            return None
        try:
            if {w.key for w in tail} <= _DEGREES | _NAME_SUFFIXES:
                hit = self._entity(head, frozenset({"person"}))
                return self._res(name, hit[0], hit[1], score=hit[2]) if hit else (
                    Resolution(name, "group", None, how="unknown-name") if _name_like(head) else None)
            hit = self._entity(head)
            if hit is not None and hit[0].kind == "person":
                org = self._org_of(tail)
                if org is not None:
                    return self._res(name, hit[0], hit[1] + "+affiliation", org=org, score=hit[2])
            inverted = self._lookup(tail + head, kinds=frozenset({"person"}))
            if inverted is not None:
                return self._res(name, inverted[0], "inverted")
        except _Ambiguous:
            return None
        return None

    def _scan(self, toks: list[_Tok]) -> list[tuple[int, int, _Form]]:
        """Org names occurring as whole-word runs inside a phrase, longest first, without overlaps."""
        found: list[tuple[int, int, _Form]] = []
        n = len(toks)
        for i in range(n):
            if not toks[i].is_word:
                continue
            for j in range(i, n):
                if not toks[j].is_word:
                    continue
                span = _words(toks[i:j + 1])
                if len(span) > self._max_span + 1:
                    break
                compact = "".join(w.key for w in span)
                case_compact = "".join(w.case for w in span)
                for form in self._compact.get(compact, []):
                    if form.kind == "org" and form.in_phrases and _case_ok(form, case_compact, phrase=True):
                        found.append((i, j, form))
        found.sort(key=lambda m: (-len(_words(toks[m[0]:m[1] + 1])), m[2].tier, m[0], m[2].id))
        chosen: list[tuple[int, int, _Form]] = []
        for m in found:
            if all(m[1] < c[0] or m[0] > c[1] for c in chosen):
                chosen.append(m)
            elif any(c[0] == m[0] and c[1] == m[1] and c[2].id != m[2].id and c[2].tier == m[2].tier
                     for c in chosen):
                raise _Ambiguous("ambiguous")  # the same words name two orgs
        return sorted(chosen, key=lambda m: m[0])

    def _group(self, name: str, toks: list[_Tok]) -> Resolution:
        """Rules 5 and 6: a phrase built around exactly one org is that org's group; anything else is a group."""
        words = _words(toks)
        matches = self._scan(toks)
        inside = {k for i, j, _ in matches for k in range(i, j + 1)}
        rest = [t for k, t in enumerate(toks) if k not in inside]
        rest_words = {t.key for t in rest if t.is_word}
        multiple = bool(rest_words & _CONJUNCTION_WORDS) or any(t.text in _CONJUNCTION_SEPS for t in rest)
        orgs = sorted({m[2].id for m in matches})
        if len(orgs) > 1 or (orgs and multiple):
            return Resolution(name, "group", None, how="multiple")
        if orgs and rest_words & _GROUP_WORDS and not rest_words & _BLOCKERS:
            # a group word is required: "AI Impacts Survey 2023" is about the org, not a group inside it.
            # A capitalised common word ("Epoch", "Apollo") is weak evidence, so no preposition may tie it to
            # something else ("The Epoch of training researchers").
            if not (_title_case_word(matches[0][2].case) and rest_words & _FUNCTION_WORDS):
                return Resolution(name, "org-group", None, org=orgs[0], how="org-in-group")
        if multiple:
            return Resolution(name, "group", None, how="multiple")
        if orgs:
            return Resolution(name, "group", None, how="mentions-org")  # "OpenAI Superalignment", "Critics of MIRI"
        if len(words) == 1 and words[0].key in self._given:
            return Resolution(name, "group", None, how="given-name-only")
        if all(t.is_word for t in toks) and _name_like(words):
            return Resolution(name, "group", None, how="unknown-name")
        if len(words) > 1 and words[-1].key in _ORGISH_WORDS and all(w.case[:1].isupper() or w.key in
                                                                   _FUNCTION_WORDS for w in words):
            return Resolution(name, "group", None, how="unknown-org")
        return Resolution(name, "group", None, how="group")


def _clean_person_words(words: list[str]) -> list[str]:
    """Drop honorifics, degrees and middle initials: "Dr. Stuart J. Russell, Ph.D." -> "Stuart Russell"."""
    keys = [_word_case(w).casefold() for w in words]
    keep = [w for w, k in zip(words, keys, strict=True) if k and k not in _HONORIFICS and k not in _DEGREES]
    if len(keep) > 2:
        keep = [keep[0], *(w for w in keep[1:-1] if len(_word_case(w)) > 1), keep[-1]]
    return keep


def _clean_person_toks(words: list[_Tok]) -> list[_Tok]:
    """Token version of :func:`_clean_person_words`."""
    keep = [w for w in words if w.key not in _HONORIFICS and w.key not in _DEGREES]
    if len(keep) > 2:
        keep = [keep[0], *(w for w in keep[1:-1] if len(w.case) > 1), keep[-1]]
    return keep


def _name_like(words: list[_Tok]) -> bool:
    """Looks like an unknown person's name ("Hany Farid"), so the report can say so; never used to merge."""
    if not 2 <= len(words) <= 4:
        return False
    for w in words:
        if w.key in _PARTICLES or len(w.case) == 1:
            continue
        if (not w.case[:1].isupper() or w.case.isupper() or any(ch.isdigit() for ch in w.case)
                or w.key in _GROUP_WORDS | _BLOCKERS | _ORGISH_WORDS | _FUNCTION_WORDS | _CONJUNCTION_WORDS):
            return False
    return not re.search(r"(ists|ians|ites|ers|ors)$", words[-1].key)
