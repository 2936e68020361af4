"""The longterm-wiki importer's page stage: each MDX page → a document bundle and a Source.

Entity links become ``mentions``, citations the page's numbered sources, Quick Assessment rows claims, and the
components (``<Crux>``, ``<DisagreementMap>``, ``<KeyQuestions>``, ``<KeyPeople>``) questions, claims, tensions
and affiliations. Cruxes are only collected here: ``_wiki_datasets`` merges them with ``cruxes.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kg._util import display_path
from kg.importers._mdx import Component, MdxError, Page, Ref, parse_page
from kg.importers._records import slugify
from kg.importers._wiki_base import (
    _DATA_COMPONENTS,
    _FOLDER_KINDS,
    WIKI_ORG,
    _date,
    _Page,
    _State,
    _text,
    first_error,
)
from kg.model import (
    Claim,
    Document,
    Question,
    RelationRecord,
    Tension,
)
from kg.vocab import ID_KINDS

__all__ = ["_Pages"]

class _Pages(_State):
    """Pages → documents (see the module docstring)."""

    def read_pages(self) -> None:
        root = self.layout.pages
        if root is None:
            return
        paths = sorted(root.rglob("*.mdx"))
        stems = Counter(path.stem for path in paths)
        iterator: Iterable[Path] = self.progress(paths, len(paths)) if self.progress else paths
        for path in iterator:
            display = display_path(path)
            try:
                page = parse_page(path.read_text(encoding="utf-8"), display, strict=_DATA_COMPONENTS)
            except MdxError as err:
                self.problem(err.message, display, err.line)
                self.report.counts["pages skipped"] += 1
                continue
            except (OSError, UnicodeDecodeError) as err:
                self.problem(f"cannot read page: {err}", display)
                self.report.counts["pages skipped"] += 1
                continue
            for warning in page.warnings:
                self.report.note("page warnings", f"{display}:{warning}")
            relative = path.relative_to(root)
            folder = relative.parts[0] if len(relative.parts) > 1 else ""
            unique = stems[path.stem] == 1 and path.stem != "index"  # else the folders tell pages apart
            slug = slugify(path.stem if unique else "-".join((*relative.parts[:-1], path.stem)))
            try:
                self._page(page, slug, self.where(path), folder)
            except (ValidationError, ValueError) as err:
                self.problem(f"cannot import page: {first_error(err)}", display)
                self.report.counts["pages skipped"] += 1

    def _page(self, page: Page, slug: str, display: str, folder: str) -> None:
        fm = page.front_matter
        title = _text(fm.get("title")) or slug
        entity = self.numeric.get(_text(fm.get("numericId")))
        if entity is None:
            entity = self._topic(title, slug, folder, display, fm)
        source = f"source/wiki-{slug}"
        updated, _ = _date(fm.get("lastEdited"))
        quality = fm.get("quality") if isinstance(fm.get("quality"), int) and 0 <= fm["quality"] <= 100 else None
        if not self.exists(source):
            self.sources.own(source, title=title, kind="wiki-page", venue=WIKI_ORG, published=updated,
                             quality=quality, summary=_text(fm.get("description")) or None, origin=display,
                             numeric_id=_text(fm.get("numericId")) or None)
        state = _Page(slug, display, page, entity, source)
        state.cite(source)
        for ref in page.refs:  # every citation of the page, Quick Assessment cells included (counted once here)
            self.report.counts["resource citations" if ref.kind == "resource" else "link citations"] += 1
            state.cite(self._ref(ref, display))
        self._mentions(state)
        self._quick_assessment(state)
        handlers = {"Crux": self._crux_component, "DisagreementMap": self._disagreement,
                    "KeyQuestions": self._key_questions, "KeyPeople": self._key_people}
        for component in page.components:
            handler = handlers.get(component.name)
            if handler is not None:
                handler(state, component)
        self.documents.append(Document(
            id=f"doc/wiki-{slug}", title=title, kind="wiki-page", origin=display,
            updated=dt.datetime.combine(updated, dt.time(), dt.UTC) if updated else None,
            summary=_text(fm.get("llmSummary") or fm.get("description")) or None, about=[entity],
            citations=state.citations, claims=state.claims, questions=state.questions, tensions=state.tensions,
            relations=state.relations,
        ))
        self.report.counts["page documents"] += 1

    def _topic(self, title: str, slug: str, folder: str, display: str, fm: dict[str, Any]) -> str:
        """The entity of a page whose numericId matches none: a topic of its own, typed from its folder."""
        kind, sub = _FOLDER_KINDS.get(folder, ("concept", "other"))
        our = f"{kind}/{slug}"
        cls = ID_KINDS[kind]
        same = self._same_as_known(cls, title)
        if same:
            return same
        if self.exists(our):
            return our
        common = {"id": our, "origin": display, "numeric_id": _text(fm.get("numericId")) or None}
        description = _text(fm.get("description")) or None
        if kind == "person":
            self.people[our] = {**common, "name": title, "description": description}
        elif kind == "org":
            self.orgs[our] = {**common, "name": title, "kind": sub, "description": description}
        else:
            self.concepts[our] = {**common, "label": title, "kind": sub, "definition": description}
        if fm.get("numericId"):
            self.numeric.setdefault(_text(fm["numericId"]), our)
        self.report.counts["page topics (numericId matches no entity)"] += 1
        self.report.note("page topics (numericId matches no entity)", f"{display} → {our}")
        return our

    def _ref(self, ref: Ref, display: str) -> str:
        origin = f"{display}:{ref.line}"
        if ref.kind == "resource":
            return self.sources.resource(ref.key, ref.text, origin)
        return self.sources.url(ref.key, ref.text, origin)

    def _mentions(self, state: _Page) -> None:
        seen: set[str] = set()
        for mention in state.page.mentions:
            target = self.numeric.get(mention.numeric_id)
            if target is None:
                self.report.counts["entity links unresolved"] += 1
                self.report.note("entity links unresolved", f"{state.display}:{mention.line}: {mention.numeric_id} "
                                 f"({mention.name or mention.text})")
                continue
            self.report.counts["entity links resolved"] += 1
            if target in seen or target == state.source:
                continue
            seen.add(target)
            state.relations.append(RelationRecord(subject=state.source, relation="mentions", object=target,
                                                  citations=[1], lines=str(mention.line)))

    def _quick_assessment(self, state: _Page) -> None:
        sections = state.page.sections_titled("Quick Assessment")
        if not sections:
            return
        self.report.counts["pages with a Quick Assessment"] += 1
        table = next((s.tables[0] for s in sections if s.tables), None)
        if table is None:
            self.report.note("Quick Assessment headings without a table", state.display)
            return
        header = [_text(h) or f"column {i + 1}" for i, h in enumerate(table.header)]
        if [h.lower() for h in header] == ["dimension", "assessment", "evidence"]:
            self.report.counts["Quick Assessment tables: Dimension | Assessment | Evidence"] += 1
        else:
            self.report.counts["Quick Assessment tables: other columns"] += 1
            self.report.note("Quick Assessment tables: other columns", f"{state.display}: {' | '.join(header)}")
        for index, row in enumerate(table.rows, 1):
            cells = [_text(c) for c in row.cells]
            if not any(cells[1:]) or not cells[0]:
                continue
            pairs = "; ".join(f"{h}: {c}" for h, c in zip(header[1:], cells[1:], strict=False) if c)
            numbers = sorted({1, *(state.cite(self._ref(r, state.display)) for refs in row.refs for r in refs)})
            about = [state.entity, *sorted({self.numeric[m.numeric_id] for ms in row.mentions for m in ms
                                            if m.numeric_id in self.numeric} - {state.entity})]
            state.claims.append(Claim(
                id=f"claim/wiki-{state.slug}-qa-{index}", statement=f"{cells[0]} — {pairs}", holders=[state.source],
                about=about, citations=numbers, lines=str(row.line)))
            self.report.counts["Quick Assessment claims"] += 1

    def _crux_component(self, state: _Page, component: Component) -> None:
        crux_id = _text(component.attrs.get("id"))
        if not crux_id:
            self.problem("a <Crux> without an id is left out", state.display, component.line)
            return
        self.crux_components.setdefault(crux_id, []).append((component, state))
        self.report.counts["crux components"] += 1

    def _disagreement(self, state: _Page, component: Component) -> None:
        positions = component.attrs.get("positions")
        if not isinstance(positions, list) or not positions:
            self.problem("a <DisagreementMap> without positions is left out", state.display, component.line)
            return
        number = sum(1 for q in state.questions if "-dm-" in q.id) + 1
        topic = _text(component.attrs.get("title") or component.attrs.get("topic")) or f"Disagreement on {state.slug}"
        question = Question(id=f"question/wiki-{state.slug}-dm-{number}", text=topic, about=[state.entity],
                            citations=[1], lines=str(component.line))
        state.questions.append(question)
        claims: list[tuple[Claim, float | None]] = []
        for index, position in enumerate(p for p in positions if isinstance(p, dict)):
            actor = _text(position.get("actor") or position.get("name")) or f"Position {index + 1}"
            view = _text(position.get("position") or position.get("stance") or position.get("view"))
            reasoning = _text(position.get("reasoning")) or None
            statement = f"{actor}: {view}" if view else actor
            if reasoning:
                statement += f" — {reasoning}"
            claim = Claim(
                id=f"claim/wiki-{state.slug}-dm-{number}-{index + 1}", statement=statement,
                holders=[self.holder(actor, f"{state.display}:{component.line}")], about=[state.entity],
                estimate=_text(position.get("estimate")) or None,
                confidence=_text(position.get("confidence")) or None, citations=[1], lines=str(component.line))
            claims.append((claim, _lean(position)))
        state.claims.extend(c for c, _ in claims)
        for (a, lean_a), (b, lean_b) in combinations(claims, 2):
            if lean_a is not None and lean_b is not None and _opposed(lean_a, lean_b):
                state.tensions.append(Tension(
                    id=f"tension/wiki-{state.slug}-dm-{number}-{a.id.rsplit('-', 1)[1]}-{b.id.rsplit('-', 1)[1]}",
                    a=a.id, b=b.id, kind="theoretical", note=f"Opposed positions on {topic}", citations=[1],
                    lines=str(component.line)))
                self.report.counts["disagreement-map tensions"] += 1
        self.report.counts["disagreement maps"] += 1
        self.report.counts["disagreement-map claims"] += len(claims)

    def _key_questions(self, state: _Page, component: Component) -> None:
        questions = component.attrs.get("questions")
        if not isinstance(questions, list):
            self.problem("a <KeyQuestions> without a questions list is left out", state.display, component.line)
            return
        start = sum(1 for q in state.questions if "-kq-" in q.id)
        for index, text in enumerate((q for q in questions if _text(q)), start + 1):
            state.questions.append(Question(id=f"question/wiki-{state.slug}-kq-{index}", text=_text(text),
                                            about=[state.entity], citations=[1], lines=str(component.line)))
            self.report.counts["key questions"] += 1
        self.report.counts["key-question lists"] += 1

    def _key_people(self, state: _Page, component: Component) -> None:
        people = component.attrs.get("people")
        if not isinstance(people, list):
            return
        self.report.counts["key-people lists"] += 1
        if not state.entity.startswith("org/"):
            self.report.note("key people on pages that are not about an organization", state.display)
            return
        assert self.index is not None
        for person in people:
            name = _text(person.get("name")) if isinstance(person, dict) else _text(person)
            if not name:
                continue
            resolution = self.index.resolve(name)
            if resolution.kind == "person" and resolution.id:
                state.relations.append(RelationRecord(subject=resolution.id, relation="affiliated_with",
                                                      object=state.entity, citations=[1], lines=str(component.line)))
            elif resolution.how == "unknown-name":  # looks like a personal name nobody in the graph has
                person_id = f"person/{slugify(name)}"
                record = self.people.setdefault(person_id, {"id": person_id, "name": name,
                                                            "origin": f"{state.display}:{component.line}"})
                if state.entity not in record.setdefault("affiliations", []):
                    record["affiliations"].append(state.entity)
                self.report.counts["key people added as people"] += 1
            else:
                self.group(name, state.entity, f"{state.display}:{component.line}")
            self.report.counts["key people"] += 1


def _lean(position: dict[str, Any]) -> float | None:
    """Where a disagreement-map position leans: -1 against, +1 for (from its stance), or its estimate in %."""
    stance = _text(position.get("stance")).lower()
    if stance:
        if re.search(r"oppos|skeptic|sceptic|pessimis|closed|against|never", stance):
            return -1.0
        if re.search(r"support|optimis|open|favou?r", stance):
            return 1.0
    numbers = [float(n) for n in re.findall(r"(\d+(?:\.\d+)?)\s*%?", _text(position.get("estimate")))
               if "%" in _text(position.get("estimate"))]
    numbers = [n for n in numbers if 0 <= n <= 100]
    if numbers:
        return 100.0 + (min(numbers) + max(numbers)) / 2  # kept apart from stances: 100..200
    return None


def _opposed(a: float, b: float) -> bool:
    """The stated rule (TENSION_RULE): opposite stances, or estimate midpoints ≥ 50 points apart."""
    if a <= 1 and b <= 1:
        return a * b < 0
    if a >= 100 and b >= 100:
        return abs(a - b) >= 50
    return False
