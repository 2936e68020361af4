"""kg viz without a browser: the page's structure, its data, escaping, selection, layout and the CLI."""

from __future__ import annotations

import base64
import colorsys
import hashlib
import html
import json
import math
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.model import RELATIONS
from kg.viz import EDGE_STYLES, NODE_STYLES, viz
from kg.viz._data import parse_relations, parse_types, safe_url, select, short_label
from kg.viz._layout import pivot_layout
from kg.viz.page import to_script_json
from kg.vocab import ID_KINDS
from tests.conftest import DATA, FIXTURES, outputs_under_hash_seeds, run_kg

HOSTILE = FIXTURES / "hostile"
#: fragments of the hostile fixture that must never appear raw in the page
RAW_PAYLOADS = ["<img", "<script>window", "<svg onload", "<svg/onload", "<iframe", "</script><script>", "<a href",
                "<style>body", '" onmouseover="', "<!-- comment"]


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match, "the page carries its data in a JSON script block"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def hostile() -> kg.KnowledgeGraph:
    return kg.load(HOSTILE)


@pytest.fixture(scope="module")
def page(graph: kg.KnowledgeGraph) -> str:
    return viz(graph)


def test_every_node_type_and_relation_has_a_style():
    assert set(NODE_STYLES) == set(ID_KINDS.values())
    assert set(EDGE_STYLES) == set(RELATIONS)
    assert len({(s.color, s.shape) for s in NODE_STYLES.values()}) == len(NODE_STYLES)


def colour_family(hex_colour: str) -> str:
    """What a reader calls a colour: 'grey' when nearly unsaturated, else 'red', 'orange', 'yellow', 'green',
    'teal', 'blue' or 'purple' by hue (independent of the exact shades in kg/viz/styles.py)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation < 0.15:
        return "grey"
    degrees = hue * 360
    for bound, name in ((15, "red"), (40, "orange"), (65, "yellow"), (150, "green"), (190, "teal"), (250, "blue"),
                        (335, "purple"), (360, "red")):
        if degrees < bound:
            return name
    raise AssertionError(hex_colour)


def test_colour_family_names_what_a_reader_sees():
    assert [colour_family(c) for c in ("#ff0000", "#00aa00", "#808080", "#1c7ed6", "#f08c00", "#eeeeee")] == [
        "red", "green", "grey", "blue", "orange", "grey"]


def test_tensions_stand_out_and_symmetric_relations_have_no_arrows(page: str):
    """The legend the reader sees (the page's data), against what the README promises of it."""
    data = page_data(page)
    types = {t["name"]: t for t in data["types"]}
    rels = {r["name"]: r for r in data["relations"]}
    assert (colour_family(types["Tension"]["color"]), types["Tension"]["shape"]) == ("red", "diamond")
    assert [name for name, t in types.items() if colour_family(t["color"]) == "red"] == ["Tension"]
    assert colour_family(rels["in_tension_with"]["color"]) == "red" and rels["in_tension_with"]["dashes"]
    assert rels["in_tension_with"]["width"] > max(r["width"] for n, r in rels.items() if n != "in_tension_with")
    assert colour_family(rels["supports"]["color"]) == "green" and not rels["supports"]["dashes"]
    assert colour_family(rels["cites"]["color"]) == "grey"
    assert rels["cites"]["width"] < rels["supports"]["width"]  # quiet
    assert {n: r["arrows"] for n, r in rels.items() if not r["arrows"]} == {"in_tension_with": False,
                                                                           "related_to": False}
    assert len({(t["color"], t["shape"]) for t in types.values()}) == len(types)  # each type told apart


def test_page_holds_every_node_and_merged_edge(graph: kg.KnowledgeGraph, page: str):
    data = page_data(page)
    assert sorted(n["id"] for n in data["nodes"]) == sorted(graph.nodes)
    assert {t["name"]: t["count"] for t in data["types"]} == {k: v for k, v in graph.stats()["nodes"].items() if v}
    merged = {(e.subject, e.relation, e.object) if not RELATIONS[e.relation].symmetric
              else (*sorted((e.subject, e.object)), e.relation) for e in graph.edges}
    assert len(data["edges"]) == len(merged)
    assert not data["large"] and all("x" not in n for n in data["nodes"])


def test_node_details_have_statement_holders_and_sources(page: str):
    nodes = {n["id"]: n for n in page_data(page)["nodes"]}
    claim = nodes["claim/same-training-behavior-different-deployment"]
    facts = dict(claim["d"]["facts"])
    assert facts["Statement"].startswith("AI systems that behave identically during training")
    assert facts["Holders"] == "Alex Mallen"
    assert claim["d"]["src"] == [["source/clarifying-behavioral-selection-model", 1]]
    source = page_data(page)["sources"]["source/clarifying-behavioral-selection-model"]
    assert source["title"] == "Clarifying the role of the behavioral selection model"
    assert source["cred"].startswith("tier 3/5 · Good quality")
    concept = nodes["concept/deployment-time-spread"]
    assert "Definition" in dict(concept["d"]["facts"])
    tension = next(n for n in nodes.values() if n["type"] == "Tension")
    assert {"Note", "Claim A", "Claim B", "Held by (A)"} <= set(dict(tension["d"]["facts"]))


def test_node_details_follow_the_model_fields(minimal: Path):
    """Facts come from the models' fields: imported ids, facts, related nodes, estimates and a date known only
    to its month show up without the page knowing of them; an entity's cited sources join its source list."""
    people = minimal / "entities" / "people.yaml"
    people.write_text(people.read_text() + "- id: person/ann-ode\n  name: Ann Ode\n  origin: people.yaml#ann\n"
                      "  stable_id: ab12\n  facts: ['Role: Research lead']\n  related: [person/jane-roe]\n"
                      "  sources: [source/roe-post]\n")
    (minimal / "entities" / "groups.yaml").write_text(
        "- id: group/some-researchers\n  name: Some researchers\n  affiliations: [org/example-lab]\n")
    sources = minimal / "entities" / "sources.yaml"
    sources.write_text(sources.read_text().replace("  published: 2025-03-09\n", "  period: 2025\n"
                                                   "  aliases: [The reply]\n"))
    concepts = minimal / "entities" / "concepts.yaml"
    concepts.write_text(concepts.read_text().replace("kind: mitigation\n", "kind: mitigation\n  status: proposed\n"))
    document = minimal / "documents" / "briefing-reward-tampering.yaml"
    document.write_text(document.read_text().replace(
        "    date: 2025-03-01\n    polarity: pro\n",
        "    period: 2025-03\n    polarity: pro\n    estimate: 30-50%\n    confidence: medium\n"))
    nodes = {n["id"]: n["d"] for n in page_data(viz(kg.load(minimal)))["nodes"]}
    assert dict(nodes["person/ann-ode"]["facts"]) == {
        "Related": "Jane Roe", "Imported from": "people.yaml#ann", "Stable id": "ab12", "Facts": "Role: Research lead"}
    assert nodes["person/ann-ode"]["src"] == [["source/roe-post", None]]
    assert dict(nodes["group/some-researchers"]["facts"]) == {"Affiliations": "Example Lab"}
    assert dict(nodes["concept/sandboxing"]["facts"]) == {"Kind": "mitigation", "Status": "proposed (awaiting review)"}
    assert dict(nodes["source/poe-reply"]["facts"]) == {
        "Also called": "The reply", "Kind": "blog-post", "Venue": "Example Forum", "Published": "2025",
        "Authors": "Sam Poe"}
    assert dict(nodes["source/roe-post"]["facts"])["Published"] == "2025-03-01"
    assert nodes["claim/tampering-near-term"]["facts"] == [
        ["Statement", "Reward tampering will show up in deployed agents within two years."], ["Holders", "Jane Roe"],
        ["About", "Reward tampering"], ["Date", "2025-03"], ["Status", "asserted"], ["Polarity", "pro"],
        ["Estimate", "30-50%"], ["Confidence", "medium"], ["Document", "Reward tampering debate"]]
    assert dict(nodes["tension/tampering-timeline"]["facts"]) == {
        "Claim A": "Reward tampering will show up in deployed agents within two years.", "Held by (A)": "Jane Roe",
        "Claim B": "Reward tampering needs capabilities no deployed agent has yet.", "Held by (B)": "Sam Poe",
        "Kind": "empirical", "Note": "They disagree on when tampering becomes a practical risk.",
        "Asserted by": "source", "Document": "Reward tampering debate"}


def test_page_is_self_contained(page: str):
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", page, re.I)
    assert "bootstrap" not in page.lower() and "cdnjs" not in page and "sourceMappingURL" not in page
    assert "vis.Network" in page and ".vis-network" in page  # vis-network inlined


def test_content_security_policy_allows_only_the_inline_scripts(page: str):
    csp = html.unescape(re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1))
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-eval" not in csp
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_hostile_text_never_appears_raw(hostile: kg.KnowledgeGraph):
    text = viz(hostile, title='<script>window.__xss=21</script> "title"')
    for fragment in RAW_PAYLOADS:
        assert fragment not in text, fragment
    assert "\u2028" not in text and "\u2029" not in text
    assert "<title>&lt;script&gt;window.__xss=21&lt;/script&gt; &#34;title&#34;</title>" in text
    data = page_data(text)  # ...and the JSON gives every string back exactly
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["person/eve"]["d"]["title"] == 'Eve <img src=x onerror="window.__xss=1;alert(1)">'
    assert nodes["org/evil"]["d"]["title"] == "</script><script>window.__xss=6</script>"
    assert dict(nodes["org/evil"]["d"]["facts"])["Description"] == "line\u2028separator and \u2029 paragraph"


def test_only_http_urls_become_links(hostile: kg.KnowledgeGraph):
    data = page_data(viz(hostile))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert "url" not in nodes["person/eve"]["d"] and nodes["person/eve"]["d"]["rawUrl"] == "javascript:window.__xss=4"
    assert "url" not in nodes["org/evil"]["d"]
    assert nodes["person/mallory"]["d"]["url"] == "https://example.org/mallory?a=1&b=<2>"
    sources = data["sources"]
    assert "url" not in sources["source/post"] and sources["source/post"]["rawUrl"] == "javascript:alert('src')"
    assert sources["source/reply"]["url"].startswith("https://")


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("http://example.org", "http://example.org"),
    ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
    ("javascript:alert(1)", None),
    (" JaVaScRiPt:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("vbscript:msgbox", None),
    ("//example.org/x", None),
    ("https:///nohost", None),
    ("https://exa mple.org", None),
    ("https://example.org/\nx", None),
    ("", None),
    (None, None),
])
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_script_json_escapes_what_could_end_the_script():
    text = to_script_json({"a": "</script><!-- & \u2028\u2029 >"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_short_labels():
    assert short_label("  a   b ") == "a b"
    assert short_label("x" * 100) == "x" * 41 + "…"


def test_select_focus_and_depth(graph: kg.KnowledgeGraph):
    one = select(graph, focus="Alex Mallen", depth=1)
    assert one.focus == "person/alex-mallen"
    around = {e.object for e in graph.edges if e.subject == one.focus} | {
        e.subject for e in graph.edges if e.object == one.focus}
    assert set(one.nodes) == around | {one.focus}
    assert all(g[0].subject in one.nodes and g[0].object in one.nodes for g in one.edges)
    assert set(one.nodes) < set(select(graph, focus="Alex Mallen", depth=2).nodes)
    assert select(graph, focus="person/alex-mallen", depth=0).nodes == ["person/alex-mallen"]


def test_select_types_and_relations(graph: kg.KnowledgeGraph):
    claims = select(graph, types=["Claim", "Tension"])
    assert {graph.nodes[n].rdf_class for n in claims.nodes} == {"Claim", "Tension"}
    assert len(claims.nodes) == graph.number_of_nodes("Claim") + graph.number_of_nodes("Tension")
    tense = select(graph, relations=["in_tension_with"])
    assert {g[0].relation for g in tense.edges} == {"in_tension_with"}
    assert len(tense.nodes) == 6 and all(graph.nodes[n].rdf_class == "Claim" for n in tense.nodes)


def test_type_and_relation_names_are_checked():
    assert parse_types(["claim", "Tension", "org", "claim"]) == ["Claim", "Tension", "Organization"]
    assert parse_relations(["in-tension-with", "cites"]) == ["in_tension_with", "cites"]
    with pytest.raises(kg.UsageError, match=r"unknown node type 'Widget' \(known: Person, Organization"):
        parse_types(["Widget"])
    with pytest.raises(kg.UsageError, match=r"unknown relation 'cite' \(known: authored, .*cites"):
        parse_relations(["cite"])
    with pytest.raises(kg.UsageError, match="unknown layout"):
        viz(kg.load(FIXTURES / "minimal"), layout="spring")


def test_viz_writes_utf8_atomically(tmp_path: Path, hostile: kg.KnowledgeGraph):
    target = tmp_path / "page.html"
    text = viz(hostile, target, title="Café “quotes” ✓")
    assert target.read_bytes() == text.encode("utf-8")
    assert "Café “quotes” ✓" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


_PAGES = """
import sys, kg
for folder in sys.argv[1:]:
    graph = kg.load(folder)
    sys.stdout.write(kg.visualize_graph(graph, title="Café ✓") + kg.visualize_graph(graph, layout="python"))
"""


def test_page_is_byte_identical_under_two_hash_seeds(graph: kg.KnowledgeGraph, hostile: kg.KnowledgeGraph):
    """Two processes with different PYTHONHASHSEED: node and edge order, legend and layout must not depend on
    set order."""
    first, second = outputs_under_hash_seeds(_PAGES, str(DATA), str(HOSTILE))
    assert first == second
    expected = "".join(viz(g, title="Café ✓") + viz(g, layout="python") for g in (graph, hostile))
    assert first.decode("utf-8") == expected


def test_python_layout_positions_every_node(graph: kg.KnowledgeGraph):
    data = page_data(viz(graph, layout="python"))
    assert data["large"]
    points = [(n["x"], n["y"]) for n in data["nodes"]]
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in points)
    assert len(set(points)) == len(points)


def test_numpy_is_imported_only_for_a_python_layout():
    code = ("import sys, kg; before = 'numpy' in sys.modules; "
            "kg.visualize_graph(kg.load(sys.argv[1]), layout='physics'); physics = 'numpy' in sys.modules; "
            "kg.visualize_graph(kg.load(sys.argv[1]), layout='python'); print(before, physics, 'numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(HOSTILE)], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "True"]


def test_pivot_layout_separates_components_and_is_deterministic():
    path = [(f"a{i}", f"a{i + 1}") for i in range(30)]
    star = [("hub", f"leaf{i}") for i in range(10)]
    nodes = [f"a{i}" for i in range(31)] + ["hub"] + [f"leaf{i}" for i in range(10)] + ["alone"]
    pos = pivot_layout(nodes, path + star)
    assert pos == pivot_layout(nodes, path + star) and set(pos) == set(nodes)
    ends = math.dist(pos["a0"], pos["a30"])
    steps = [math.dist(pos[a], pos[b]) for a, b in path]
    assert ends > 10 * sorted(steps)[len(steps) // 2]  # a path is drawn stretched out, not folded up
    hub_box = [pos["hub"], *(pos[f"leaf{i}"] for i in range(10))]
    path_xs = sorted(pos[f"a{i}"][0] for i in range(31))
    path_ys = sorted(pos[f"a{i}"][1] for i in range(31))
    inside = [p for p in hub_box if path_xs[0] < p[0] < path_xs[-1] and path_ys[0] < p[1] < path_ys[-1]]
    assert not inside  # components are packed apart


def test_cli_writes_the_page(tmp_path: Path):
    out = tmp_path / "graph.html"
    result = run_kg("viz", "--data", str(FIXTURES / "minimal"), "-o", str(out), "--focus", "Jane Roe",
                    "--depth", "1", "--title", "Roe")
    assert result.code == 0, result.err
    assert result.err.startswith(f"kg: wrote {out} (")
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["focus"] == "person/jane-roe" and data["title"] == "Roe"
    assert "person/sam-poe" not in {n["id"] for n in data["nodes"]}


def test_cli_types_and_relations(tmp_path: Path):
    out = tmp_path / "graph.html"
    result = run_kg("viz", "--data", str(FIXTURES / "minimal"), "-o", str(out), "--types", "claim,tension",
                    "--relations", "in_tension_with,involves")
    assert result.code == 0, result.err
    data = page_data(out.read_text(encoding="utf-8"))
    assert {n["type"] for n in data["nodes"]} == {"Claim", "Tension"}
    assert {e["rel"] for e in data["edges"]} == {"in_tension_with", "involves"}


@pytest.mark.parametrize(("args", "message"), [
    (["--types", "Widget"], "kg: error: unknown node type 'Widget' (known: Person, Organization, Group, Source, "
                            "Concept, Claim, Tension, Event, Question, Document)"),
    (["--relations", "cites,contradicts"], "kg: error: unknown relation 'contradicts' (known: authored, "),
    (["--depth", "2"], "kg: error: --depth needs --focus"),
    (["--focus", "person/nobody"], "kg: error: no node 'person/nobody' in the graph"),
    (["--focus", "Jane Roe", "--depth", "-1"], "kg: error: --depth must be 0 or more, got -1"),
    (["--types", "Event", "--relations", "cites"], "kg: error: nothing to draw: no node is left after"),
])
def test_cli_usage_errors(tmp_path: Path, args: list[str], message: str):
    out = tmp_path / "graph.html"
    result = run_kg("viz", "--data", str(FIXTURES / "minimal"), "-o", str(out), *args)
    assert result.code == 2
    assert result.err.startswith(message) and len(result.err.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_bad_data_and_unwritable_output(tmp_path: Path, minimal: Path):
    (minimal / "entities" / "people.yaml").write_text("- id: person/x\n  nme: X\n", encoding="utf-8")
    bad = run_kg("viz", "--data", str(minimal), "-o", str(tmp_path / "g.html"))
    assert bad.code == 1 and "Traceback" not in bad.err and not (tmp_path / "g.html").exists()
    unwritable = run_kg("viz", "--data", str(FIXTURES / "minimal"), "-o", str(tmp_path / "missing" / "g.html"))
    assert unwritable.code == 1 and unwritable.err.startswith("kg: error: cannot write")
    assert "Traceback" not in unwritable.err


def test_cli_refuses_to_print_a_page_on_a_terminal(tmp_path: Path):
    main, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "viz", "--data", str(FIXTURES / "minimal")],
                              stdout=follower, stderr=subprocess.PIPE, text=True, timeout=120, cwd=tmp_path)
    finally:
        os.close(follower)
        os.close(main)
    assert proc.returncode == 2
    assert proc.stderr == "kg: error: kg viz writes a whole HTML page: give -o FILE (or redirect stdout)\n"
    piped = run_kg("viz", "--data", str(FIXTURES / "minimal"))
    assert piped.code == 0 and piped.out.startswith("<!DOCTYPE html>")
