"""kg viz in a real browser (Debian's chromium driven by Playwright): offline, drawn, clickable, filterable, safe.

Skipped with a reason only when chromium is not installed; in CI (``CI=true``) a missing browser fails.
Set ``KG_UPDATE_SCREENSHOT=1`` to refresh the README's screenshot ``docs/graph.png``.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.viz import viz
from tests.conftest import FIXTURES, ROOT

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _require_browser() -> None:
    reason = None
    if CHROMIUM is None:
        reason = "chromium is not installed (apt-get install chromium; .ci/run does this in CI)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e '.[dev]')"
    if reason:
        if IN_CI:
            pytest.fail(f"browser tests cannot be skipped in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield instance
        instance.close()


class Page:
    """A page of kg viz (or, with ``ready=None``, any static page) opened in chromium, with everything it
    logged and requested; only ``file:``, ``data:`` and ``about:`` requests go through."""

    def __init__(self, browser: Any, path: Path, *, bypass_csp: bool = False, width: int = 1400,
                 height: int = 900, ready: str | None = "body[data-ready=true]") -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.context.route("**/*", self._route)
        self.page.goto(path.as_uri())
        if ready is None:
            self.page.wait_for_load_state("load")
        else:
            self.page.wait_for_selector(ready, state="attached", timeout=30_000)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            route.abort()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def click_node(self, node_id: str) -> None:
        """Centre the node, then click it with the mouse like a user."""
        self.js("id => kgViz.network.focus(id, {scale: 1.5, animation: false})", node_id)
        self.js("() => kgViz.network.redraw()")
        point = self.js("id => kgViz.network.canvasToDOM(kgViz.network.getPosition(id))", node_id)
        box = self.page.locator("#kg-graph").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def demo_file(graph: kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("viz") / "graph.html"
    viz(graph, path)
    return path


@pytest.fixture()
def demo(browser: Any, demo_file: Path) -> Iterator[Page]:
    page = Page(browser, demo_file)
    yield page
    page.close()


def visible(page: Page, kind: str) -> list[str]:
    return page.js(f"() => kgViz.{kind}.get({{filter: x => !x.hidden}}).map(x => x.id)")


def test_page_loads_offline_without_errors(demo: Page, demo_file: Path):
    assert demo.requests == [demo_file.as_uri()]
    assert demo.errors == [] and demo.dialogs == []
    assert demo.page.title() == "Knowledge graph"


def test_every_node_is_drawn(demo: Page, graph: kg.KnowledgeGraph):
    body = demo.js("""() => {
        const net = kgViz.network, ids = Object.keys(net.body.nodes);
        const pos = net.getPositions(ids);
        return {ids: ids.filter(id => !net.body.nodes[id].options.hidden
                                      && Number.isFinite(pos[id].x) && Number.isFinite(pos[id].y)),
                edges: Object.keys(net.body.edges).length, physics: net.physics.options.enabled};
    }""")
    assert sorted(body["ids"]) == sorted(graph.nodes)
    assert body["edges"] == demo.js("() => kgViz.data.edges.length") > 0
    assert body["physics"] is False  # stabilised, then still: clicks land where nodes are drawn


def test_legend_shows_every_type_and_relation(demo: Page, graph: kg.KnowledgeGraph):
    types = demo.page.locator("#kg-types .kg-name").all_inner_texts()
    assert sorted(types) == sorted(t for t, n in graph.stats()["nodes"].items() if n) and len(types) == 9
    relations = demo.page.locator("#kg-relations .kg-name").all_inner_texts()
    assert "in tension with" in relations and "supports" in relations and "cites" in relations
    assert demo.page.locator("#kg-legend").is_visible()


def test_hover_and_click_show_a_node_s_details(demo: Page):
    claim = "claim/same-training-behavior-different-deployment"
    demo.click_node(claim)
    assert demo.js("() => kgViz.selected") == claim
    panel = demo.page.locator("#kg-panel")
    assert panel.is_visible()
    text = panel.inner_text()
    assert "AI systems that behave identically during training" in text
    assert "Holders\nAlex Mallen" in text
    assert "[1] Clarifying the role of the behavioral selection model" in text
    assert "Credibility: tier 3/5 · Good quality" in text
    demo.page.mouse.move(5, 5)
    demo.js("id => kgViz.network.focus(id, {scale: 1.5, animation: false})", claim)
    point = demo.js("id => kgViz.network.canvasToDOM(kgViz.network.getPosition(id))", claim)
    box = demo.page.locator("#kg-graph").bounding_box()
    demo.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"], steps=4)
    tooltip = demo.page.locator("#kg-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "AI systems that behave identically" in tooltip.inner_text()


def test_click_highlights_the_neighbourhood(demo: Page):
    person = "person/alex-mallen"
    demo.click_node(person)
    selected = set(demo.js("() => kgViz.network.getSelectedNodes()"))
    neighbours = set(demo.js("id => kgViz.network.getConnectedNodes(id)", person))
    assert selected == neighbours | {person}
    colours = demo.js("() => Object.fromEntries(kgViz.nodes.get().map(n => [n.id, n.color.background]))")
    assert all(colours[n] != "#f1f3f5" for n in selected)
    assert all(c == "#f1f3f5" for n, c in colours.items() if n not in selected)
    demo.page.locator("#kg-panel-close").click()
    assert demo.js("() => kgViz.network.getSelectedNodes()") == []
    assert "#f1f3f5" not in demo.js("() => kgViz.nodes.get().map(n => n.color.background)")


def test_clicking_an_edge_shows_its_note(demo: Page):
    edge = demo.js("() => kgViz.data.edges.find(e => e.rel === 'in_tension_with').id")
    demo.js("id => kgViz.network.fit({nodes: kgViz.network.getConnectedNodes(id), animation: false})", edge)
    ends = demo.js("id => kgViz.network.getConnectedNodes(id).map(n => kgViz.network.canvasToDOM("
                   "kgViz.network.getPosition(n)))", edge)
    box = demo.page.locator("#kg-graph").bounding_box()
    # the middle of a (slightly curved) tension line between its two claims
    mid = demo.js("""id => { const e = kgViz.network.body.edges[id];
        const p = e.edgeType.getPoint(0.5); return kgViz.network.canvasToDOM(p); }""", edge)
    assert ends
    demo.page.mouse.click(box["x"] + mid["x"], box["y"] + mid["y"])
    text = demo.page.locator("#kg-panel").inner_text()
    assert "relation: in tension with" in text and "Note" in text


def test_filters_hide_types_and_relations(demo: Page, graph: kg.KnowledgeGraph):
    claims = {n.id for n in graph.iter_nodes("Claim")}
    demo.page.locator('#kg-types input[data-type="Claim"]').uncheck()
    shown = set(visible(demo, "nodes"))
    assert shown == set(graph.nodes) - claims
    edges = {e["id"]: e for e in demo.js("() => kgViz.data.edges")}
    assert all(edges[e]["from"] not in claims and edges[e]["to"] not in claims for e in visible(demo, "edges"))
    assert demo.page.locator("#kg-visible").inner_text().startswith(f"Showing {len(shown)} of {len(graph.nodes)} nodes")
    demo.page.locator("#kg-show-all").click()
    demo.page.locator('#kg-relations input[data-relation="cites"]').uncheck()
    assert len(visible(demo, "nodes")) == len(graph.nodes)
    shown_edges = visible(demo, "edges")
    assert shown_edges and all(edges[e]["rel"] != "cites" for e in shown_edges)
    assert len(shown_edges) == sum(1 for e in edges.values() if e["rel"] != "cites")
    drawn = demo.js("() => Object.values(kgViz.network.body.edges).filter(e => e.options.hidden).length")
    assert drawn == sum(1 for e in edges.values() if e["rel"] == "cites")


def test_search_selects_a_node_by_name(demo: Page):
    demo.page.locator('#kg-types input[data-type="Person"]').uncheck()
    demo.page.locator("#kg-search").fill("alex mallen")
    demo.page.locator("#kg-search").press("Enter")
    assert demo.js("() => kgViz.selected") == "person/alex-mallen"
    assert "person/alex-mallen" in visible(demo, "nodes")  # a filtered-out match is shown again
    assert demo.page.locator("#kg-panel h3").inner_text() == "Alex Mallen"
    demo.page.locator("#kg-search").fill("deployment-time-spread")
    demo.page.locator("#kg-search").press("Enter")
    assert demo.js("() => kgViz.selected") == "concept/deployment-time-spread"
    demo.page.locator("#kg-search").fill("no such thing <b>")
    demo.page.locator("#kg-search").press("Enter")
    assert demo.page.locator("#kg-search-status").inner_text() == "No node matches “no such thing <b>”."


HOSTILE_TEXTS = {
    "person/eve": 'Eve <img src=x onerror="window.__xss=1;alert(1)">',
    "org/evil": "</script><script>window.__xss=6</script>",
    "org/forum": 'Forum "><svg onload=window.__xss=8>',
    "source/post": '"><img src=x onerror=window.__xss=10> post title',
    "concept/payload": "<svg/onload=window.__xss=14> concept",
    "claim/a": "Claim A <img src=x onerror=window.__xss=17> says \"quoted\" & 'single'",
    "claim/b": "</div><script>window.__xss=18</script><div>",
    "person/mallory": "Mallory ' onload='window.__xss=5",
}


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping-alone", "with-csp"])
def test_hostile_strings_show_literally_and_never_run(browser: Any, tmp_path: Path, bypass_csp: bool):
    path = tmp_path / "hostile.html"
    title = "<script>window.__xss=21</script>"
    viz(kg.load(FIXTURES / "hostile"), path, title=title, focus="person/eve", depth=3)
    page = Page(browser, path, bypass_csp=bypass_csp)
    try:
        assert page.page.title() == title and page.page.locator("#kg-title").inner_text() == title
        assert page.page.locator("#kg-focus").inner_text() == HOSTILE_TEXTS["person/eve"]
        for node_id, text in HOSTILE_TEXTS.items():
            page.click_node(node_id)
            assert page.js("() => kgViz.selected") == node_id
            assert page.page.locator("#kg-panel h3").inner_text() == text
            panel = page.page.locator("#kg-panel").inner_text()
            if node_id == "claim/a":
                assert "Note" not in panel and "[1] \"><img src=x onerror=window.__xss=10> post title" in panel
                assert "URL (not a web link): javascript:alert('src')" in panel
            if node_id == "person/eve":
                assert "<script>window.__xss=3</script> and {{ 7*7 }} and href" in panel
                assert "javascript:window.__xss=4 (not a web link)" in panel
        page.click_node("tension/ab")
        assert 'Note <a href="javascript:window.__xss=19">click</a> ]]> <!-- comment' in page.page.locator(
            "#kg-panel").inner_text()
        page.click_node("source/reply")
        links = page.js("() => [...document.querySelectorAll('a')].map(a => a.href)")
        assert links == ['https://example.org/reply?x=1&y=%222%22']
        page.click_node("org/forum")
        assert "Credibility\ntier 2/5 · <b>bold</b> label (basis with <a href=javascript:window.__xss=9>link</a>)" in (
            page.page.locator("#kg-panel").inner_text())
        page.page.locator("#kg-search").fill("Eve <img")
        page.page.locator("#kg-search").press("Enter")
        page.page.wait_for_timeout(400)  # let any injected handler fire
        assert page.js("() => window.__xss") is None
        assert page.dialogs == [] and page.errors == []
        injected = page.js("""() => document.querySelectorAll(
            'img, iframe, object, embed, [onerror], [onload], [onmouseover], a[href^="javascript" i]').length""")
        assert injected == 0
        assert page.requests == [path.as_uri()]
    finally:
        page.close()


def test_large_graph_is_laid_out_in_python(browser: Any, tmp_path: Path):
    from bench.bench_viz import synthetic_data

    graph = kg.load(synthetic_data(tmp_path / "data", nodes=1500, edges=3000))
    path = tmp_path / "large.html"
    viz(graph, path)
    page = Page(browser, path)
    try:
        state = page.js("""() => { const net = kgViz.network;
            return {large: kgViz.data.large, physics: net.physics.options.enabled,
                    smooth: net.edgesHandler.options.smooth.enabled, drawn: Object.keys(net.body.nodes).length}; }""")
        assert state == {"large": True, "physics": False, "smooth": False, "drawn": len(graph.nodes)}
        nodes = page.js("() => kgViz.data.nodes")
        node = max(nodes[:100], key=lambda n: min(math.dist((n["x"], n["y"]), (m["x"], m["y"]))
                                                 for m in nodes if m is not n))  # one that nothing hides
        assert page.js("id => kgViz.network.getPosition(id)", node["id"]) == {"x": node["x"], "y": node["y"]}
        page.click_node(node["id"])
        assert page.page.locator("#kg-panel h3").inner_text() == node["d"]["title"]
        page.page.locator("#kg-panel-close").click()
        point = page.js("id => kgViz.network.canvasToDOM(kgViz.network.getPosition(id))", node["id"])
        box = page.page.locator("#kg-graph").bounding_box()
        page.page.mouse.move(box["x"] + point["x"] + 1, box["y"] + point["y"] + 1, steps=3)
        page.page.locator("#kg-tooltip").wait_for(state="visible", timeout=5000)  # found without vis's hover
        assert page.page.locator("#kg-tooltip h3").inner_text() == node["d"]["title"]
        assert page.errors == [] and page.requests == [path.as_uri()]
    finally:
        page.close()


def test_screenshot(browser: Any, demo_file: Path, tmp_path: Path):
    """The README's picture of the bundled corpus (written to docs/ with KG_UPDATE_SCREENSHOT=1)."""
    page = Page(browser, demo_file, width=1500, height=950)
    try:
        target = ROOT / "docs" / "graph.png" if os.environ.get("KG_UPDATE_SCREENSHOT") else tmp_path / "graph.png"
        target.parent.mkdir(exist_ok=True)
        tension = "tension/spread-priority-vs-lab-priorities"  # hover one of the Mallen briefing's tensions
        point = page.js("id => kgViz.network.canvasToDOM(kgViz.network.getPosition(id))", tension)
        box = page.page.locator("#kg-graph").bounding_box()
        page.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"], steps=3)
        page.page.locator("#kg-tooltip").wait_for(state="visible", timeout=5000)
        assert "Claim A" in page.page.locator("#kg-tooltip").inner_text()
        page.page.screenshot(path=str(target))
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 50_000
    finally:
        page.close()


def test_missing_chromium_skips_locally_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch):
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "CHROMIUM", None)
    monkeypatch.setattr(module, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        module._require_browser()
    monkeypatch.setattr(module, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="cannot be skipped in CI: chromium is not installed"):
        module._require_browser()
