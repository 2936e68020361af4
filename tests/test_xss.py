"""XSS payloads in every text field a user controls, rendered by ``kg viz``, ``kg brief --format html`` and
``kg tensions --format html`` and opened in headless chromium: none runs, the pages still render.

Each payload, if it ran, would set ``window.__pwned`` or open a dialog. The corpus puts every payload into
every field kind: names, aliases, descriptions and URLs of people and organizations, labels and definitions of
concepts, titles, summaries, notes and URLs of sources, claim statements, tension notes, relation notes and the
document's title and summary. One browser for all pages; skipped like tests/test_viz_browser.py when chromium
is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.generate import dump, fresh_data_dir
from tests.conftest import run_kg
from tests.test_viz_browser import Page, browser  # noqa: F401  (the module's chromium fixture)


def _payloads() -> list[str]:
    run = "window.__pwned={n}"
    templates = [
        "<script>{run}</script>",
        "<SCRIPT>{run}</SCRIPT>",
        "</script><script>{run}</script>",
        "</SCRIPT ><script>{run}</script>",
        "<!--</script><script>{run}</script>-->",
        "<img src=x onerror={run}>",
        '<img src=x onerror="{run};alert({n})">',
        "<IMG SRC=x oNeRrOr=alert({n})>",
        "<svg onload={run}>",
        "<svg/onload={run}>",
        "<svg><script>{run}</script></svg>",
        "<svg><animate onbegin={run} attributeName=x dur=1s>",
        "<math><mtext><img src=x onerror={run}></mtext></math>",
        "<iframe src=javascript:{run}></iframe>",
        "<iframe srcdoc='<script>parent.{run}</script>'></iframe>",
        "<body onload={run}>",
        "<details open ontoggle={run}>",
        "<input autofocus onfocus={run}>",
        "<video><source onerror={run}></video>",
        "<audio src=x onerror={run}>",
        "<object data=javascript:{run}></object>",
        "<embed src=javascript:{run}>",
        "<a href=javascript:{run}>click</a>",
        "javascript:{run}",
        " JaVaScRiPt:{run}",
        "java\tscript:{run}",
        "data:text/html,<script>{run}</script>",
        "vbscript:msgbox({n})",
        '"><script>{run}</script>',
        "'><img src=x onerror={run}>",
        '" onmouseover="{run}" x="',
        "' onmouseover='{run}' x='",
        '" autofocus onfocus="{run}',
        "` onmouseover={run} `",
        "</title><script>{run}</script>",
        "</textarea><script>{run}</script>",
        "</style><script>{run}</script>",
        "<style>@import 'javascript:{run}';</style>",
        "<div style=\"background:url(javascript:{run})\">x</div>",
        "<meta http-equiv=refresh content='0;url=javascript:{run}'>",
        "<base href=javascript:{run}//>",
        "<form action=javascript:{run}><button>go</button></form>",
        "{{{{constructor.constructor('{run}')()}}}}",
        "${{{run}}}",
        "`${{{run}}}`",
        "{{% raw %}}<script>{run}</script>{{% endraw %}}",
        "{{{{ 7*7 }}}}<script>{run}</script>",
        "\u003cscript\u003e{run}\u003c/script\u003e",
        "\uff1cscript\uff1e{run}\uff1c/script\uff1e",
        "<scr\u200bipt>{run}</scr\u200bipt>",
        "\u202e<img src=x onerror={run}>",
        "line\u2028sep\u2029para<img src=x onerror={run}>",
        "&lt;script&gt;{run}&lt;/script&gt;",
        "&#60;img src=x onerror={run}&#62;",
        "\\u003cimg src=x onerror={run}\\u003e",
        "]]><script>{run}</script><![CDATA[",
        "<![CDATA[<script>{run}</script>]]>",
        "<x onclick={run}>click me</x>",
        "<a href='https://example.org/\" onclick=\"{run}'>link</a>",
        "https://example.org/?q=<script>{run}</script>",
        "https://example.org/\"><img src=x onerror={run}>",
    ]
    return [t.format(run=run.format(n=n), n=n) for n, t in enumerate(templates, start=1)]


PAYLOADS = _payloads()


def _corpus(root: Path) -> Path:
    data = fresh_data_dir(root)
    n = len(PAYLOADS)
    dump(data / "entities" / "people.yaml", [
        {"id": f"person/p{i}", "name": f"P{i} {p}", "aliases": [p], "description": p, "url": p,
         "affiliations": [f"org/o{i}"]} for i, p in enumerate(PAYLOADS)])
    dump(data / "entities" / "organizations.yaml", [
        {"id": f"org/o{i}", "name": f"O{i} {p}", "aliases": [p], "kind": "venue", "description": p, "url": p,
         "credibility": {"tier": 1 + i % 5, "label": p, "basis": p}} for i, p in enumerate(PAYLOADS)])
    dump(data / "entities" / "concepts.yaml", [
        {"id": f"concept/c{i}", "label": f"C{i} {p}", "aliases": [p], "kind": "risk", "definition": p}
        for i, p in enumerate(PAYLOADS)])
    dump(data / "entities" / "sources.yaml", [
        {"id": f"source/s{i}", "title": f"S{i} {p}", "kind": "blog-post", "venue": f"org/o{i}", "url": p,
         "authors": [f"person/p{i}"], "summary": p, "notes": [p]} for i, p in enumerate(PAYLOADS)])
    dump(data / "documents" / "xss.yaml", {
        "kind": "briefing", "title": f"Briefing {PAYLOADS[0]}", "summary": f"{PAYLOADS[1]} [1][2].",
        "citations": {i + 1: f"source/s{i}" for i in range(n)},
        "claims": [{"id": f"claim/k{i}", "statement": f"K{i} {p}", "holders": [f"person/p{i}"],
                    "about": [f"concept/c{i}"], "citations": [i + 1]} for i, p in enumerate(PAYLOADS)],
        "tensions": [{"id": f"tension/t{i}", "a": f"claim/k{i}", "b": f"claim/k{(i + 1) % n}", "kind": "empirical",
                      "note": p, "citations": [i + 1]} for i, p in enumerate(PAYLOADS)],
        "relations": [{"subject": f"claim/k{i}", "relation": "supports", "object": f"claim/k{(i + 2) % n}",
                       "note": p, "citations": [i + 1]} for i, p in enumerate(PAYLOADS)],
    })
    return data


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("xss")
    data = _corpus(root / "data")
    env = {"KG_CACHE_DIR": str(root / "cache")}
    result = run_kg("--data", str(data), "validate", env=env)
    assert result.code == 0, result.out + result.err
    out = {"viz": root / "viz.html", "brief-document": root / "brief-doc.html",
           "brief-topic": root / "brief-topic.html", "tensions": root / "tensions.html"}
    commands = {
        "viz": ["viz", "-o", str(out["viz"]), "--title", PAYLOADS[2]],
        "brief-document": ["brief", "--document", "doc/xss", "--format", "html", "-o", str(out["brief-document"])],
        "brief-topic": ["brief", "--topic", "person/p5", "--format", "html", "-o", str(out["brief-topic"])],
        "tensions": ["tensions", "--all", "--suggested", "--format", "html", "-o", str(out["tensions"])],
    }
    for name, args in commands.items():
        result = run_kg("--data", str(data), *args, env=env)
        assert result.code == 0, f"{name}: {result.err}"
    return out


INJECTED_SELECTOR = ", ".join([
    "img", "iframe", "object", "embed", "svg", "math", "video", "audio", "details", "input", "form", "base",
    "meta[http-equiv=refresh i]", "x", "[onerror]", "[onload]", "[onclick]", "[onmouseover]", "[onfocus]", "[ontoggle]",
    'a[href^="javascript" i]', 'a[href^="data" i]', 'a[href^="vbscript" i]'])
INJECTED = f"() => document.querySelectorAll({INJECTED_SELECTOR!r}).length"


def _assert_safe(page: Any, path: Path, name: str) -> None:
    page.page.wait_for_timeout(300)  # let any injected handler or timer fire
    assert page.js("() => window.__pwned") is None, f"{name}: payload {page.js('() => window.__pwned')} ran"
    assert page.dialogs == [], f"{name}: dialogs {page.dialogs}"
    assert page.errors == [], f"{name}: console errors {page.errors}"
    assert page.requests == [path.as_uri()], f"{name}: requests {page.requests}"


def test_payload_count():
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)


def test_viz_runs_no_payload(browser: Any, pages: dict[str, Path]):  # noqa: F811
    path = pages["viz"]
    page = Page(browser, path)
    try:
        assert page.page.title() == PAYLOADS[2]
        assert page.js("() => kgViz.data.nodes.length") == 6 * len(PAYLOADS) + 1  # 4 registries, K, T, doc
        for node in ("person/p0", "org/o5", "concept/c12", "source/s22", "claim/k30", "tension/t40", "source/s58"):
            page.click_node(node)
            assert page.js("() => kgViz.selected") == node
            heading = page.page.locator("#kg-panel h3").inner_text()
            assert any(p in heading for p in PAYLOADS) or node.startswith("tension/")
            box = page.page.locator("#kg-panel").bounding_box()
            page.page.mouse.move(box["x"] + 20, box["y"] + 40, steps=3)  # hover the panel's text and links
        page.page.locator("#kg-search").fill(PAYLOADS[5])
        page.page.locator("#kg-search").press("Enter")
        assert page.js("() => document.querySelectorAll('#kg-panel a[href]:not([href^=\"http\"])').length") == 0
        _assert_safe(page, path, "viz")
    finally:
        page.close()


@pytest.mark.parametrize("name", ["brief-document", "brief-topic", "tensions"])
def test_html_reports_run_no_payload(browser: Any, pages: dict[str, Path], name: str):  # noqa: F811
    path = pages[name]
    page = Page(browser, path, width=1200, ready=None)
    try:
        text = page.page.locator("body").inner_text()
        assert len(text) > 500 and sum(p.strip() in text for p in PAYLOADS if "\t" not in p) >= 3  # shown as text
        links = page.page.locator("a")
        for i in range(min(links.count(), 15)):
            links.nth(i).hover()
        assert page.js(INJECTED) == 0
        hrefs = page.js("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        assert all(h.startswith(("http://", "https://", "#")) for h in hrefs), hrefs
        _assert_safe(page, path, name)
    finally:
        page.close()
