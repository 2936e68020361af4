"""The longterm-wiki importer's dataset stage: cruxes (with the pages' ``<Crux>``), expert positions, literature.

Each dataset becomes one document bundle (``doc/longterm-wiki-cruxes``, ``doc/longterm-wiki-experts``) citing the
dataset itself as source [1]; literature becomes sources.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz

from kg.importers._mdx import Component
from kg.importers._records import slugify
from kg.importers._resolve import normalize
from kg.importers._wiki_base import (
    _SOURCE_KINDS,
    POSITION_MATCH,
    WIKI_ORG,
    Citations,
    _date,
    _Page,
    _State,
    _text,
)
from kg.model import (
    Claim,
    Document,
    Question,
    Tension,
)

__all__ = ["_Datasets"]

class _Datasets(_State):
    """Cruxes, experts and literature → records (see the module docstring)."""

    def read_cruxes(self) -> None:
        path = self.layout.files.get("cruxes")
        listed = self._yaml(path) if path else None
        entries = {e["id"]: e for e in listed or [] if isinstance(e, dict) and isinstance(e.get("id"), str)}
        if not entries and not self.crux_components:
            return
        display = self.where(path) if path else "cruxes.yaml"
        dataset = self.sources.own("source/longterm-wiki-cruxes", title="Longterm Wiki cruxes", kind="dataset",
                                   venue=WIKI_ORG, origin=display)
        citations = Citations(dataset)
        cite = citations.cite

        claims: list[Claim] = []
        questions: list[Question] = []
        tensions: list[Tension] = []
        for crux_id in sorted(set(entries) | set(self.crux_components)):
            entry = entries.get(crux_id)
            shown = self.crux_components.get(crux_id, [])
            slug = slugify(crux_id)
            attrs = entry or shown[0][0].attrs
            pages = sorted({cite(state.source) for _, state in shown})
            research = [cite(self.sources.url(r["url"], _text(r.get("title")), f"{display}#{crux_id}"))
                        for r in (entry or {}).get("relevantResearch") or []
                        if isinstance(r, dict) and isinstance(r.get("url"), str) and r["url"].startswith("http")]
            base = sorted({*([1] if entry else []), *pages, *research})
            about = [t for t in (self.ids.get(crux_id),) if t and self.exists(t)]
            question = Question(id=f"question/crux-{slug}", text=_text(attrs.get("question")) or crux_id,
                                about=about, citations=base)
            questions.append(question)
            self.report.counts["crux questions"] += 1
            if entry is None:
                self.report.note("cruxes only on pages", f"{crux_id} ({shown[0][1].display})")
            positions = self._crux_positions(crux_id, entry, shown, display, cite)
            crux_claims = []
            for index, (position, numbers, origin) in enumerate(positions, 1):
                holders = [self.holder(h, origin) for h in position.get("holders") or [] if _text(h)]
                if not holders:
                    holders = [citations[numbers[0]]]
                claim = Claim(id=f"claim/crux-{slug}-{index}", statement=_text(position.get("view")) or "(no view)",
                              holders=sorted(set(holders)), about=[*about], citations=sorted(set(numbers)),
                              estimate=_text(position.get("probability")) or None,
                              implications=_text(position.get("implications")) or None)
                crux_claims.append(claim)
            claims.extend(crux_claims)
            for a, b in combinations(crux_claims, 2):
                tensions.append(Tension(
                    id=f"tension/crux-{slug}-{a.id.rsplit('-', 1)[1]}-{b.id.rsplit('-', 1)[1]}", a=a.id, b=b.id,
                    kind="theoretical", note=f"Rival answers to the crux: {question.text}",
                    citations=sorted(set(a.citations) | set(b.citations))))
            self.report.counts["crux tensions"] += len(crux_claims) * (len(crux_claims) - 1) // 2
        self.documents.append(Document(id="doc/longterm-wiki-cruxes", title="Longterm Wiki cruxes", kind="dataset",
                                       origin=display, citations=citations, claims=claims, questions=questions,
                                       tensions=tensions))

    def _crux_positions(self, crux_id: str, entry: dict[str, Any] | None, shown: list[tuple[Component, _Page]],
                        display: str, cite: Callable[[str], int]
                        ) -> list[tuple[dict[str, Any], list[int], str]]:
        """Positions of one crux: the YAML's, merged with a page's where their views match (see POSITION_MATCH)."""
        merged: list[tuple[dict[str, Any], list[int], str]] = []
        for position in (entry or {}).get("positions") or []:
            if isinstance(position, dict):
                merged.append((dict(position), [1], f"{display}#{crux_id}"))
                self.report.counts["crux positions from cruxes.yaml"] += 1
        for component, state in shown:
            number = cite(state.source)
            used: set[int] = set()
            for position in component.attrs.get("positions") or []:
                if not isinstance(position, dict):
                    continue
                if entry is None:
                    merged.append((dict(position), [number], f"{state.display}:{component.line}"))
                    self.report.counts["crux positions only on pages"] += 1
                    continue
                view = normalize(_text(position.get("view")))
                scores = [(fuzz.token_set_ratio(view, normalize(_text(p.get("view")))), i)
                          for i, (p, _, _) in enumerate(merged) if i not in used]
                best = max(scores, default=(0.0, -1))
                if best[0] >= POSITION_MATCH:
                    target, numbers, origin = merged[best[1]]
                    used.add(best[1])
                    if number not in numbers:
                        numbers.append(number)
                    holders = list(target.get("holders") or [])
                    for holder in position.get("holders") or []:
                        if holder not in holders:
                            holders.append(holder)
                    target["holders"] = holders
                    self.report.counts["crux positions merged (page = cruxes.yaml)"] += 1
                else:
                    merged.append((dict(position), [number], f"{state.display}:{component.line}"))
                    self.report.counts["crux positions kept apart (page differs from cruxes.yaml)"] += 1
                    self.report.note("crux positions kept apart", f"{crux_id}: {_text(position.get('view'))}")
        return merged

    # -- experts, literature ------------------------------------------------------------------------------------
    def read_experts(self) -> None:
        path = self.layout.files.get("experts")
        data = self._yaml(path) if path else None
        if not data:
            return
        display = self.where(path)  # type: ignore[arg-type]
        assert self.index is not None
        dataset = self.sources.own("source/longterm-wiki-experts", title="Longterm Wiki expert positions",
                                   kind="dataset", venue=WIKI_ORG, origin=display)
        citations = Citations(dataset)
        claims: list[Claim] = []
        for expert in data:
            if not isinstance(expert, dict) or not isinstance(expert.get("id"), str):
                continue
            name = _text(expert.get("name")) or expert["id"]
            person = self.ids.get(expert["id"])
            if person is None or not person.startswith("person/"):
                found = self.index.resolve(name)
                person = found.id if found.kind == "person" and found.id else f"person/{slugify(expert['id'])}"
            if not self.exists(person):
                self.people[person] = {"id": person, "name": name, "origin": f"{display}#{expert['id']}",
                                       "description": _text(expert.get("role")) or None,
                                       "url": _text(expert.get("website")) or None}
                self.report.counts["experts added as people"] += 1
            org = self.ids.get(_text(expert.get("affiliation")))
            if org and person in self.people and org.startswith("org/"):
                affiliations = self.people[person].setdefault("affiliations", [])
                if org not in affiliations:
                    affiliations.append(org)
            for index, position in enumerate(p for p in expert.get("positions") or [] if isinstance(p, dict)):
                topic = _text(position.get("topic")) or "general"
                concept = self._topic_concept(topic, display)
                numbers = [1]
                if _text(position.get("source")):
                    text = _text(position["source"])
                    numbers.append(citations.cite(self.sources.own(
                        f"source/expert-{slugify(text, 50)}", title=text, kind="article",
                        origin=f"{display}#{expert['id']}")))
                date, period = _date(position.get("date"))
                view = _text(position.get("view")) or "(no view)"
                claims.append(Claim(
                    id=f"claim/expert-{slugify(expert['id'])}-{slugify(topic, 30)}-{index + 1}",
                    statement=f"{name} on {self._label(concept)}: {view}", holders=[person], about=[concept],
                    date=date, period=period, estimate=_text(position.get("estimate")) or None,
                    confidence=_text(position.get("confidence")) or None, citations=numbers))
                self.report.counts["expert positions"] += 1
                if position.get("date") and not date and not period:
                    self.report.note("expert positions with an unreadable date", f"{name}: {position['date']}")
            self.report.counts["experts"] += 1
        self.documents.append(Document(id="doc/longterm-wiki-experts", title="Longterm Wiki expert positions",
                                       kind="dataset", origin=display, citations=citations, claims=claims))

    def _label(self, concept: str) -> str:
        if concept in self.concepts:
            return str(self.concepts[concept]["label"])
        node = self.known.get(concept)
        return node.caption if node else concept

    def _topic_concept(self, topic: str, origin: str) -> str:
        for candidate in (self.ids.get(topic), f"concept/{slugify(topic)}"):
            if candidate and candidate.startswith("concept/") and self.exists(candidate):
                return candidate
        our = f"concept/{slugify(topic)}"
        label = topic.replace("-", " ").strip().capitalize()
        self.concepts[our] = {"id": our, "label": label, "kind": "concept", "origin": origin}
        self.report.counts["expert topics added as concepts"] += 1
        return our

    def read_literature(self) -> None:
        path = self.layout.files.get("literature")
        data = self._yaml(path) if path else None
        if not isinstance(data, dict):
            return
        display = self.where(path)  # type: ignore[arg-type]
        assert self.index is not None
        for category in data.get("categories") or []:
            for paper in (category or {}).get("papers") or []:
                if not isinstance(paper, dict) or not _text(paper.get("title")):
                    continue
                title = _text(paper["title"])
                origin = f"{display}#{(category or {}).get('id', '')}/{slugify(title, 40)}"
                names = [_text(a) for a in paper.get("authors") or [] if _text(a)]
                authors = []
                for name in names:
                    found = self.index.resolve_person_or_org(name)
                    if found.kind == "person" and found.id:
                        authors.append(found.id)
                        self.report.counts["literature authors resolved"] += 1
                    else:
                        self.report.counts["literature authors kept as names"] += 1
                if _text(paper.get("organization")):  # the authors' organization, not where it was published
                    found = self.index.resolve(_text(paper["organization"]))
                    if found.kind == "org" and found.id:
                        authors.append(found.id)
                fields: dict[str, Any] = {
                    "kind": _SOURCE_KINDS.get(_text(paper.get("type")).lower(), "article"),
                    "authors": sorted(set(authors)), "author_names": names,
                    "summary": _text(paper.get("summary")) or None}
                year = paper.get("year")
                if isinstance(year, int) and 1000 <= year <= 9999:
                    fields["period"] = str(year)
                link = _text(paper.get("link"))
                if link.startswith("http"):
                    self.sources.url(link, title, origin, **fields)
                else:
                    self.sources.own(f"source/lit-{slugify(title, 50)}", title=title, origin=origin, **fields)
                self.report.counts["literature"] += 1
