"""The longterm-wiki MDX page parser: structure, line numbers, JSON5 attributes, errors, and the real corpus."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import json5
import pytest

from kg.importers._mdx import (
    Component,
    MdxError,
    Mention,
    Page,
    RawExpr,
    Ref,
    _loads_json5,
    parse_page,
)

# An invented page in the wiki's format (no text from the real wiki).
PAGE = """\
---
numericId: E901
title: Widget Drift
description: "Invented page: widgets drift away from their specification."
quality: 72
lastEdited: "2026-01-30"
llmSummary: "A made-up summary with a colon: and quotes."
ratings:
  rigor: 6
clusters:
  - testing
---
import {Crux, DataInfoBox, EntityLink, KeyPeople, Mermaid, R, Section} from '@components/wiki';

<DataInfoBox ratings={frontmatter.ratings} />

## Quick Assessment

| Dimension | Assessment | Evidence |
|-----------|------------|----------|
| **Prevalence** | *Common* | <EntityLink id="E10" name="acme">Acme Lab</EntityLink> saw [Blog 2025](https://ex.org/d) |
| **Severity** | Med | <R id="QWxwaGE1">Alpha report on <EntityLink id="E11" name="beta">Beta</EntityLink> drift</R> |

## Overview

Widget drift was named by <EntityLink id="E12" name="gamma-inst">Gamma Institute</EntityLink> in a
paper cited as <R id="QmV0YTI2">Gamma   (2024)</R> and discussed [on a forum](https://forum.example.com/t/1)
and [internally](/wiki/internal) too.

### Quick Assessment

| Factor | Rating |
|--------|--------|
| Tractability | Low |

## Debate

<Crux
  id="widget-drift-fixable"
  question="Can widget drift be fixed?"
  importance="high"
  positions={[
    {
      view: "Yes, with \\"careful\\" tuning {of knobs}",
      probability: '20-30%',
      holders: ["Some engineers", 'Delta ] Group',],
    },
    { view: "No", probability: "70%", /* a comment */ },
  ]}
  relatedCruxes={["a", "b"]}
  urgent
/>

<DisagreementMap
  title="Who expects drift"
  positions={[
    { actor: "Epsilon Lab", position: "Likely", estimate: "60%", confidence: "medium" },
    { name: "Zeta Group", stance: "oppose", confidence: "low", reasoning: "Never seen it" },
  ]}
/>

<KeyQuestions questions={[
  "Does drift grow with scale?",
  "Is drift measurable?",
]} />

<Section title="People">
  <KeyPeople people={[
    { name: "Ada Example", role: "Lead" },
    { name: "Bo Sample", role: "Advisor" },
  ]} />
</Section>

<Mermaid chart={`
flowchart TD
    A{Drift?} -->|yes| B[<EntityLink id="E13" name="fix-team">Fix team</EntityLink>]
    B --> C["{ not json ] | pipe"]
`} />

## Empty Heading

Just prose here, a pipe | and a brace { in text.

```mdx
<EntityLink id="E99" name="in-fence">not a mention</EntityLink>
<Crux id="in-fence" />
```
"""


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth occurrence of needle, so that tests do not hard-code numbers."""
    lines = [i for i, line in enumerate(text.split("\n"), 1) if needle in line]
    return lines[nth]


@pytest.fixture(scope="module")
def page() -> Page:
    return parse_page(PAGE, "risks/widget-drift.mdx")


def test_front_matter(page: Page) -> None:
    fm = page.front_matter
    assert fm["numericId"] == "E901"
    assert fm["title"] == "Widget Drift"
    assert fm["quality"] == 72
    assert fm["lastEdited"] == "2026-01-30"
    assert fm["llmSummary"].startswith("A made-up summary with a colon:")
    assert fm["ratings"] == {"rigor": 6}
    assert fm["clusters"] == ["testing"]
    assert page.path == "risks/widget-drift.mdx"


def test_mentions_in_prose_table_and_inside_r(page: Page) -> None:
    assert [(m.numeric_id, m.name, m.text) for m in page.mentions] == [
        ("E10", "acme", "Acme Lab"),
        ("E11", "beta", "Beta"),
        ("E12", "gamma-inst", "Gamma Institute"),
        ("E13", "fix-team", "Fix team"),  # in the Mermaid chart attribute
    ]
    lines = [m.line for m in page.mentions]
    assert lines == [line_of(PAGE, 'id="E10"'), line_of(PAGE, 'id="E11"'), line_of(PAGE, 'id="E12"'),
                     line_of(PAGE, 'id="E13"')]
    assert [m.component for m in page.mentions] == [None, None, None, "Mermaid"]
    assert "E99" not in {m.numeric_id for m in page.mentions}  # inside a code fence


def test_refs_and_links_with_lines(page: Page) -> None:
    assert page.refs == (
        Ref("url", "https://ex.org/d", "Blog 2025", line_of(PAGE, "https://ex.org/d")),
        Ref("resource", "QWxwaGE1", "Alpha report on Beta drift", line_of(PAGE, "QWxwaGE1")),
        Ref("resource", "QmV0YTI2", "Gamma (2024)", line_of(PAGE, "QmV0YTI2")),
        Ref("url", "https://forum.example.com/t/1", "on a forum", line_of(PAGE, "forum.example.com")),
    )
    # a relative link is not a citation; the R on the second line of a paragraph has that line
    assert line_of(PAGE, "QmV0YTI2") == line_of(PAGE, 'id="E12"') + 1


def test_quick_assessment_sections(page: Page) -> None:
    qa = page.sections_titled("quick assessment")
    assert [(s.level, s.line) for s in qa] == [(2, line_of(PAGE, "## Quick Assessment")),
                                              (3, line_of(PAGE, "### Quick Assessment"))]
    first = qa[0].tables[0]
    assert first.header == ("Dimension", "Assessment", "Evidence")
    assert first.line == line_of(PAGE, "| Dimension |")
    row0, row1 = first.rows
    assert row0.cells == ("Prevalence", "Common", "Acme Lab saw Blog 2025")
    assert row0.line == line_of(PAGE, "**Prevalence**")
    assert row0.mentions == ((), (), (Mention("E10", "acme", "Acme Lab", row0.line),))
    assert row0.refs[2] == (Ref("url", "https://ex.org/d", "Blog 2025", row0.line),)
    assert row1.cells[2] == "Alpha report on Beta drift"
    assert [m.numeric_id for m in row1.mentions[2]] == ["E11"]
    assert [r.key for r in row1.refs[2]] == ["QWxwaGE1"]
    other = qa[1].tables[0]
    assert other.header == ("Factor", "Rating")
    assert other.rows[0].cells == ("Tractability", "Low")


def test_sections_without_tables(page: Page) -> None:
    titles = [(s.title, s.level, len(s.tables)) for s in page.sections]
    assert titles == [("Quick Assessment", 2, 1), ("Overview", 2, 0), ("Quick Assessment", 3, 1),
                      ("Debate", 2, 0), ("Empty Heading", 2, 0)]
    assert page.sections_titled("Empty heading")[0].line == line_of(PAGE, "## Empty Heading")
    assert len(page.tables) == 2


def test_components_in_document_order(page: Page) -> None:
    names = [(c.name, c.line, c.end_line) for c in page.components]
    assert names == [
        ("DataInfoBox", line_of(PAGE, "<DataInfoBox"), line_of(PAGE, "<DataInfoBox")),
        ("Crux", line_of(PAGE, "<Crux"), line_of(PAGE, "  urgent") + 1),
        ("DisagreementMap", line_of(PAGE, "<DisagreementMap"), line_of(PAGE, "<KeyQuestions") - 2),
        ("KeyQuestions", line_of(PAGE, "<KeyQuestions"), line_of(PAGE, "]} />")),
        ("Section", line_of(PAGE, "<Section"), line_of(PAGE, "</Section>")),
        ("KeyPeople", line_of(PAGE, "<KeyPeople"), line_of(PAGE, "</Section>") - 1),
        ("Mermaid", line_of(PAGE, "<Mermaid"), line_of(PAGE, "`} />")),
    ]
    assert page.components[0].attrs == {"ratings": RawExpr("frontmatter.ratings")}


def test_crux_json5_positions(page: Page) -> None:
    crux = next(c for c in page.components if c.name == "Crux")
    assert crux.attrs["id"] == "widget-drift-fixable"
    assert crux.attrs["urgent"] is True
    assert crux.attrs["relatedCruxes"] == ["a", "b"]
    assert crux.attrs["positions"] == [
        {"view": 'Yes, with "careful" tuning {of knobs}', "probability": "20-30%",
         "holders": ["Some engineers", "Delta ] Group"]},
        {"view": "No", "probability": "70%"},
    ]


def test_disagreement_map_key_questions_key_people(page: Page) -> None:
    by_name = {c.name: c for c in page.components}
    assert by_name["DisagreementMap"].attrs["positions"] == [
        {"actor": "Epsilon Lab", "position": "Likely", "estimate": "60%", "confidence": "medium"},
        {"name": "Zeta Group", "stance": "oppose", "confidence": "low", "reasoning": "Never seen it"},
    ]
    assert by_name["KeyQuestions"].attrs == {"questions": ["Does drift grow with scale?", "Is drift measurable?"]}
    assert by_name["KeyPeople"].attrs["people"][1] == {"name": "Bo Sample", "role": "Advisor"}
    assert by_name["Section"].attrs == {"title": "People"}


def test_mermaid_body_is_raw_and_harmless(page: Page) -> None:
    chart = next(c for c in page.components if c.name == "Mermaid").attrs["chart"]
    assert chart.startswith("\nflowchart TD\n")
    assert 'C["{ not json ] | pipe"]' in chart
    assert not page.warnings


def test_json5_fast_path_agrees_with_json5() -> None:
    samples = [
        "[{ view: 'a \"q\" b', n: 1.5e3, ok: true, none: null, }, ]",
        '{ "k": "tab\\there", key2: "dollar \\$5", k3: \'it\\\'s\', // c\n k4: [1, -2, 3,] }',
        "{ hex: 0x10, half: .5, plus: +1, inf: Infinity }",  # outside the fast subset: json5 itself
        "['x\\u0041', \"\\/\", 'line\\\ncontinued']",
    ]
    for sample in samples:
        assert _loads_json5(sample) == json5.loads(sample), sample


def test_error_str_and_attributes() -> None:
    err = MdxError("boom", 7)
    assert (err.message, err.line, str(err)) == ("boom", 7, "7: boom")
    assert str(MdxError("no line")) == "no line"


HEAD = "---\ntitle: T\n---\n"  # the body starts on file line 4


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("no front matter\n", 1, "missing front matter"),
        ("---\ntitle: T\nno closing line\n", 1, "unterminated front matter"),
        ("---\ntitle: T\nquality: [1, 2\nother: 3\n---\nbody\n", 4, "not valid YAML"),
        ("---\ntitle: T\n  bad: indent\n---\n", 3, "not valid YAML"),
        ("---\n- a\n- b\n---\n", 2, "must be a mapping"),
        (HEAD + "\ntext\n\n<Crux\n  id=\"x\"\n  question=\"q\"\n", 7, "unterminated <Crux>"),
        (HEAD + "\n<Section title=\"S\">\n\ntext\n", 5, "unterminated <Section>"),
        (HEAD + "\n<Section title=\"S\">\n  text\n</Aside>\n", 7, "does not match <Section>"),
        (HEAD + "\n</Section>\n", 5, "has no opening tag"),
        (HEAD + "\n<Crux\n  id=\"x\"\n  positions={[{ view: \"a\" }, { view: }]}\n/>\n", 7, "invalid JSON5"),
        # a broken tag is reported where it opens, with the line of the fault
        (HEAD + "\n<KeyQuestions\n  questions={[\"a\", \"b\"}\n/>\n", 5, "unbalanced"),
        (HEAD + "\n<KeyQuestions\n  questions={[\"a\", \"b\"]\n/>\n\nmore\n", 5, "unterminated"),
        (HEAD + "\n<Crux\n  id=\"x\"\n\nSome prose after an unclosed tag.\n", 5, "unterminated or malformed <Crux>"),
        (HEAD + "\nSee <R id=\"abc\">a source</EntityLink> here.\n", 5, "does not match <R>"),
        (HEAD + "\nText\nsee <R id=\"abc\">a source\n\nnext\n", 6, "unterminated <R>"),
        (HEAD + "\n| a | b |\n|---|---|\n| x | y <EntityLink id=\"E1\">z |\n", 7, "unterminated <EntityLink>"),
    ],
)
def test_errors_with_file_lines(text: str, line: int, fragment: str) -> None:
    with pytest.raises(MdxError) as info:
        parse_page(text, "bad.mdx")
    assert info.value.line == line, str(info.value)
    assert fragment in info.value.message
    assert str(info.value).startswith(f"{line}: ")


def test_tolerated_oddities() -> None:
    text = HEAD + "\nA <Speaker Name> said so. {/* NEEDS CITATION */} <FBF entity=\"x\" asOf=\"2025\">\\$5</FBF> ok\n"
    page = parse_page(text)
    assert page.warnings == ("5: <Speaker> is never closed",)
    assert page.components == ()
    text = HEAD + "\n<Aside type=\"note\">\nInside <EntityLink id=\"E5\">five</EntityLink>.\n</Aside>\n"
    page = parse_page(text)
    assert [(c.name, c.line, c.end_line) for c in page.components] == [("Aside", 5, 7)]
    assert page.mentions == (Mention("E5", None, "five", 6),)


def test_crlf_and_bom() -> None:
    page = parse_page("\ufeff" + PAGE.replace("\n", "\r\n"))
    assert [m.line for m in page.mentions] == [m.line for m in parse_page(PAGE).mentions]


# --------------------------------------------------------------------------------------------------------------
# The real wiki (read-only, outside the repository)

WIKI = Path(__file__).resolve().parent.parent.parent / "shared/corpora/longterm-wiki/pages"

#: the one real page whose component attribute is not valid JSON5: a DataInfoBox ``data={{...}}`` string
#: holds an EntityLink with unescaped double quotes, which ends the string early
BROKEN = {"cruxes/accident-risks.mdx": 53}


@pytest.mark.skipif(not WIKI.is_dir(), reason=f"longterm-wiki corpus not found at {WIKI}")
def test_real_wiki_pages() -> None:
    files = sorted(WIKI.rglob("*.mdx"))
    assert len(files) == 572
    texts = [(f.relative_to(WIKI).as_posix(), f.read_text(encoding="utf-8")) for f in files]
    start = time.perf_counter()
    pages: list[Page] = []
    failed: dict[str, int | None] = {}
    for rel, text in texts:
        try:
            pages.append(parse_page(text, rel))
        except MdxError as exc:
            failed[rel] = exc.line
    elapsed = time.perf_counter() - start
    print(f"parsed {len(texts)} pages in {elapsed:.1f} s")
    assert elapsed < 60  # generous: the machine may be shared; about 6-8 s when it is not
    assert failed == BROKEN

    components: Counter[str] = Counter(c.name for p in pages for c in p.components)
    mentions = [m for p in pages for m in p.mentions]
    resources = [r for p in pages for r in p.refs if r.kind == "resource"]
    # grep finds 7,113 "<EntityLink": 89 are on the broken page, 2 are in a ```mdx code fence
    # (responses/longterm-wiki.mdx); the 5 inside Mermaid chart labels are counted, marked component="Mermaid"
    assert len(mentions) == 7113 - 89 - 2
    assert sum(m.component == "Mermaid" for m in mentions) == 5
    # grep finds 4,805 "<R": 26 on the broken page, 1 in a `code span`, and 1 in a 7th cell of a 6-column table
    # row (risks/treacherous-turn.mdx), which GFM drops
    assert len(resources) == 4805 - 26 - 1 - 1
    # 45 Crux in the files, one on the broken page
    assert components["Crux"] == 44
    assert components["DisagreementMap"] == 24
    assert components["KeyQuestions"] == 87
    assert components["KeyPeople"] == 23 and components["Section"] == 28
    quick = [p for p in pages if p.sections_titled("Quick Assessment")]
    # 335 pages have one; the broken page (whose table is Dimension/Assessment/Evidence) is among them
    assert len(quick) == 335 - 1
    dae = sum(1 for p in quick if _first_quick_table(p) == ("Dimension", "Assessment", "Evidence"))
    assert dae == 222 - 1
    odd = {p.path: p.warnings for p in pages if p.warnings}
    assert odd == {"debates/is-ai-xrisk-real.mdx": ("63: <Paul> is never closed",)}
    for page in pages:
        for comp in page.components:
            assert 1 <= comp.line <= comp.end_line
        assert [m.line for m in page.mentions] == sorted(m.line for m in page.mentions)


def _first_quick_table(page: Page) -> tuple[str, ...] | None:
    for section in page.sections_titled("Quick Assessment"):
        if section.tables:
            return section.tables[0].header
    return None


def test_component_type_is_frozen() -> None:
    comp = Component("X", {}, 1, 1)
    with pytest.raises(AttributeError):
        comp.name = "Y"  # type: ignore[misc]
