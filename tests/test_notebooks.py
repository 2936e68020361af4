"""Notebooks: the inline forms of results (DataFrames, HTML tables, the graph, Markdown), and the notebooks
themselves: committed without outputs, paired with their reviewable .py, executed top to bottom."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import kg
from kg.generate import Markdown
from kg.viz import Page
from tests.conftest import DATA, WIKI, run_kg

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)> & </iframe>'


def _runner():
    spec = importlib.util.spec_from_file_location("notebook_runner", NOTEBOOKS / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Elements(HTMLParser):
    """The start tags of an HTML fragment with their (unescaped) attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(fragment: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser.tags


@pytest.fixture()
def hostile(minimal: Path) -> kg.KnowledgeGraph:
    """The minimal corpus with markup in a person's name and a claim's statement."""
    people = minimal / "entities" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Jane Roe", f"name: {json.dumps(HOSTILE)}",
                                                                    1), encoding="utf-8")
    bundle = next((minimal / "documents").glob("*.yaml"))
    text = bundle.read_text(encoding="utf-8")
    assert "statement: " in text
    first = text.index("statement: ")
    end = text.index("\n", first)
    bundle.write_text(text[:first] + f"statement: {json.dumps('Tampering *soon* ' + HOSTILE)}" + text[end:],
                      encoding="utf-8")
    return kg.load(minimal)


# --- DataFrames --------------------------------------------------------------------------------------------------


def test_named_query_dataframe_has_typed_columns_and_short_iris(graph):
    df = kg.query_graph(graph, name="claims-by", params={"holder": "Alex Mallen"}).to_dataframe()
    assert str(df.date.dtype).startswith("datetime64")
    assert sorted({d.date() for d in df.date}) == [dt.date(2026, 5, 10), dt.date(2026, 5, 15)]
    assert set(df.holder) == {"person:alex-mallen"}
    assert df.claim.str.startswith("claim:").all()
    weak = kg.query_graph(graph, name="weakly-supported").df
    assert str(weak.tier.dtype) == "Int64"  # integers, with <NA> where a source has no tier
    assert set(weak.tier.dropna()) == {3} and weak.tier.isna().any() and weak.tier.sum() == 3 * weak.tier.count()


def test_dataframe_keeps_whole_iris_on_request_and_types_missing_values(graph):
    whole = kg.query_graph(graph, name="claims-by", params={"holder": "Alex Mallen"}).to_dataframe(full_iris=True)
    assert whole.holder[0] == "https://w3id.org/kg-ai-risk/id/person/alex-mallen"
    df = kg.query_graph(graph, """
        SELECT ?source ?tier ?published ?maybe ?flag WHERE {
          ?source a kg:Source . OPTIONAL { ?source kg:credibilityTier ?tier }
          OPTIONAL { ?source kg:published ?published } OPTIONAL { ?source kg:nothing ?maybe }
          BIND (BOUND(?tier) AS ?flag)
        } ORDER BY ?source""").df
    assert str(df.published.dtype).startswith("datetime64") and df.published.notna().any()
    assert pd.api.types.is_integer_dtype(df.tier) and pd.api.types.is_bool_dtype(df.flag)
    assert df.maybe.isna().all()
    external = kg.query_graph(graph, "SELECT ?x WHERE { VALUES ?x { <https://example.org/a> rdf:type } }").df
    assert sorted(external.x) == ["https://example.org/a", "rdf:type"]


# --- inline HTML and Markdown ------------------------------------------------------------------------------------


def test_query_result_renders_as_an_escaped_html_table(graph, hostile):
    coverage = kg.query_graph(graph, name="lab-coverage", params={"concept": "deployment-time-spread"})
    table = coverage._repr_html_()
    assert "<th>lab</th>" in table and "<td>Anthropic</td>" in table and "<td>isolated</td>" in table
    assert 'title="https://w3id.org/kg-ai-risk/id/concept/deployment-time-spread"' in table
    assert table.count("<tr>") == len(coverage) + 1 and "5 rows, oxigraph" in table
    names = kg.query_graph(hostile, "SELECT ?name WHERE { ?p a kg:Person ; kg:name ?name }")
    shown = names._repr_html_()
    assert "<script" not in shown and "<img" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    expected = ["table", "caption", "thead", "tr", "th", "tbody"] + ["tr", "td"] * len(names)
    assert [tag for tag, _ in _tags(shown)] == expected


def test_long_results_say_how_many_rows_are_hidden(graph):
    from kg.query._frame import html_table
    from kg.query._result import shorten

    result = kg.query_graph(graph, "SELECT ?c WHERE { ?c a kg:Claim } ORDER BY ?c")
    table = html_table(result.vars, result.rows, shorten, "x", max_rows=2)
    assert table.count("<tr>") == 3 and f"the first 2 shown; .to_dataframe() has all {len(result)}" in table


def test_inline_graph_is_the_page_in_a_sandboxed_srcdoc_iframe(graph, hostile):
    page = kg.visualize_graph(graph, focus="deployment-time-spread", depth=1)
    assert isinstance(page, Page) and isinstance(page, str)
    inline = page._repr_html_()
    tags = _tags(inline)
    assert [tag for tag, _ in tags] == ["iframe"]  # the page is inside the attribute, not beside it
    attrs = tags[0][1]
    assert attrs["sandbox"] == "allow-scripts"  # scripts run, nothing reaches the notebook's origin
    assert attrs["srcdoc"] == page  # the whole page, CSP and inlined vis-network included, unescaped intact
    assert "Content-Security-Policy" in attrs["srcdoc"] and "vis-network" not in inline.split("srcdoc=")[0]
    evil = kg.visualize_graph(hostile, title=HOSTILE)._repr_html_()
    evil_tags = _tags(evil)
    assert [tag for tag, _ in evil_tags] == ["iframe"] and evil_tags[0][1]["title"] == HOSTILE
    inner = evil_tags[0][1]["srcdoc"] or ""
    assert "<script>alert(1)" not in inner and "\\u003cscript\\u003ealert(1)" in inner  # escaped in the page too


def test_tensions_and_briefings_render_as_markdown(graph, hostile):
    section = kg.tensions(graph, document="doc/briefing-mallen-behavioral-selection")
    assert isinstance(section, Markdown) and section == str(section)
    text = section._repr_markdown_()
    assert text.startswith("## Tensions\n") and "**Self-correction.**" in text and "## Sources" in text
    assert type(text) is str
    assert kg.tensions(graph, document="doc/briefing-mallen-behavioral-selection", format="json")[0] == "{"
    assert not hasattr(kg.tensions(graph, format="json"), "_repr_markdown_")
    briefing = kg.brief(graph, topic="deployment-time-spread")._repr_markdown_()
    assert briefing.startswith("# Deployment-time spread")
    for evil in (kg.tensions(hostile)._repr_markdown_(), kg.brief(hostile, topic="person/jane-roe")._repr_markdown_()):
        assert re.search(r"(?<!\\)[<>]", evil) is None  # every angle bracket backslash-escaped: shown as text
        assert "\\<script\\>alert(1)\\</script\\>" in evil and "Tampering \\*soon\\*" in evil


def test_cli_output_is_unchanged_by_the_inline_forms(tmp_path):
    out = run_kg("tensions", "--document", "doc/briefing-mallen-behavioral-selection")
    assert out.code == 0 and out.out == kg.tensions(kg.load(DATA), document="doc/briefing-mallen-behavioral-selection")


# --- the notebooks -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tour", "field"])
def test_notebooks_are_committed_without_outputs_and_paired_with_their_py(name):
    import jupytext
    import nbformat

    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name}.ipynb cell {index} has outputs: clear them before committing (see notebooks/README.md)")
    assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"
    paired = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [(c.cell_type, c.source) for c in paired.cells] == [(c.cell_type, c.source) for c in notebook.cells], (
        f"{name}.ipynb and {name}.py differ: run jupytext --sync notebooks/{name}.py")


def _outputs(notebook, mime: str) -> list[str]:
    return [o["data"][mime] for c in notebook.cells if c.cell_type == "code"
            for o in c.outputs if mime in o.get("data", {})]


def test_tour_notebook_runs_top_to_bottom():
    start = time.perf_counter()
    notebook = _runner().execute("tour", timeout=300)
    elapsed = time.perf_counter() - start
    assert elapsed < 120, f"the tour took {elapsed:.0f} s"
    graph = kg.load(DATA)
    markdown = "\n".join(_outputs(notebook, "text/markdown"))
    html = "\n".join(_outputs(notebook, "text/html"))
    assert f"**{graph.stats()['total_nodes']} nodes**" in markdown  # the prose's numbers are the data's
    assert "## Tensions" in markdown and "Self-correction" in markdown
    assert 'sandbox="allow-scripts"' in html and "<table" in html
    single = len(kg.query_graph(graph, name="weakly-supported"))
    assert f"{single} of {graph.stats()['nodes']['Claim']} claims rest on a single source" in markdown


def test_field_notebook_runs_on_the_imported_wiki(wiki_data, monkeypatch):
    if not WIKI.is_dir():  # pragma: no cover - wiki_data skips first
        pytest.skip(f"the longterm-wiki snapshot is not at {WIKI}")
    notebook = _runner().execute("field", timeout=600, env={"KG_WIKI_DATA": str(wiki_data)})
    markdown = "\n".join(_outputs(notebook, "text/markdown"))
    assert "Built from the import already in" in markdown
    assert "cruxes have rival positions" in markdown and "# Scalable Oversight" in markdown
    assert len(_outputs(notebook, "image/png")) == 2  # the heatmap and the timeline
