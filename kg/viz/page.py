"""The interactive HTML page: one self-contained file, offline, with every value from the data escaped.

We own the template rather than using pyvis's: pyvis 0.3.2 renders without autoescape, switches every
tooltip to ``innerHTML`` once any title contains "href", links Bootstrap from a CDN even with
``cdn_resources="in_line"``, and writes non-atomically in the locale's encoding. Here the graph goes into the
page as JSON inside a ``<script type="application/json">`` block (``<``, ``>``, ``&`` and the line
separators escaped as ``\\uXXXX``), the page's script builds tooltips from DOM text nodes only, vis-network's
script and styles (shipped by pyvis) are inlined, and a Content-Security-Policy lets only those scripts run
and no request leave the page.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_text
import json
import math
import os
import re
from collections import Counter
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from kg._util import write_bytes
from kg.errors import ExportError, UsageError
from kg.graph import KnowledgeGraph
from kg.model import RELATIONS
from kg.viz._data import (
    Selection,
    edge_payload,
    node_payload,
    parse_relations,
    parse_types,
    select,
)
from kg.viz.styles import NODE_STYLES, edge_style, node_style

__all__ = ["viz", "Page", "render", "to_script_json", "LARGE_GRAPH", "TEMPLATE_DIR"]

#: above this many nodes, positions are computed in Python and physics is off
LARGE_GRAPH = 1000
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_SUMMARY = re.compile(r'<p id="kg-summary">(.*?)</p>', re.S)


def viz(graph: KnowledgeGraph, path: str | os.PathLike[str] | None = None, *, focus: str | None = None,
        depth: int = 2, types: list[str] | None = None, relations: list[str] | None = None,
        title: str | None = None, layout: str = "auto") -> Page:
    """The interactive page of ``graph`` as HTML (a :class:`Page`: a ``str`` Jupyter shows inline); with
    ``path``, also written there atomically as UTF-8.

    ``focus`` (an id, name or alias) keeps what lies within ``depth`` steps of that node; ``types`` (node
    classes such as ``Claim`` or id kinds such as ``org``) and ``relations`` restrict what is drawn.
    ``layout`` is ``physics`` (vis-network's simulation), ``python`` (precomputed, physics off) or ``auto``
    (``python`` above :data:`LARGE_GRAPH` nodes).

    >>> html = viz(graph, "out/graph.html", focus="Alex Mallen", depth=1)
    >>> html.startswith("<!DOCTYPE html>")
    True
    """
    if layout not in ("auto", "physics", "python"):
        raise UsageError(f"unknown layout '{layout}' (known: auto, physics, python)")
    chosen = select(graph, focus=focus, depth=depth, types=parse_types(types), relations=parse_relations(relations))
    if not chosen.nodes:
        raise UsageError("nothing to draw: the graph has no nodes" if not graph.nodes
                         else "nothing to draw: no node is left after --types/--relations")
    html = render(graph, chosen, title=title, layout=layout)
    if path is not None:
        write_bytes(path, html.encode("utf-8"))
    return Page(html)


class Page(str):
    """The HTML of a ``kg viz`` page: a ``str`` that Jupyter and VS Code show inline as the live graph.

    Inline, the page goes into a sandboxed ``<iframe srcdoc>`` (scripts allowed, nothing else: no access to
    the notebook, no forms, no navigation), so it keeps its own Content-Security-Policy and offline assets.
    """

    #: the height of the inline frame, in CSS pixels
    height: int = 640

    def iframe(self, height: int | None = None) -> str:
        """The page in a sandboxed iframe (the whole page escaped into its ``srcdoc`` attribute)."""
        title = _TITLE.search(self)
        label = html_text.unescape(title.group(1)) if title else "Knowledge graph"
        return (f'<iframe srcdoc="{html_text.escape(self, quote=True)}" sandbox="allow-scripts" '
                f'title="{html_text.escape(label, quote=True)}" loading="lazy" '
                f'style="width: 100%; height: {int(height or self.height)}px; border: 1px solid #ddd"></iframe>')

    def _repr_html_(self) -> str:
        return self.iframe()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        summary = _SUMMARY.search(self)
        shown = html_text.unescape(re.sub(r"<[^>]*>", "", summary.group(1))) if summary else ""
        printer.text(f"<kg.viz.Page: {shown}; {len(self):,} characters of HTML>")


def render(graph: KnowledgeGraph, chosen: Selection, *, title: str | None = None, layout: str = "auto") -> str:
    """The page for an already chosen part of ``graph``."""
    sources: dict[str, dict[str, Any]] = {}
    nodes = [node_payload(graph, n, sources) for n in chosen.nodes]
    edges = [edge_payload(graph, group, i, sources) for i, group in enumerate(chosen.edges)]
    large = layout == "python" or (layout == "auto" and len(nodes) > LARGE_GRAPH)
    if large:
        from kg.viz._layout import pivot_layout  # numpy: imported only when a graph is laid out here

        positions = pivot_layout(chosen.nodes, [(e["from"], e["to"]) for e in edges])
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
    type_counts = _count(n["type"] for n in nodes)
    rel_counts = _count(e["rel"] for e in edges)
    types = [{"name": t, "count": type_counts[t], **_node_style(t)} for t in NODE_STYLES if t in type_counts]
    rels = [{"name": r, "count": rel_counts[r], **_edge_style(r)} for r in RELATIONS if r in rel_counts]
    heading = title or "Knowledge graph"
    focus = graph.nodes[chosen.focus].caption if chosen.focus else None
    data = {"title": heading, "large": large, "focus": chosen.focus, "types": types, "relations": rels,
            "nodes": nodes, "edges": edges, "sources": sources}
    vis_js, vis_css = _vis_assets()
    app_js, app_css = _asset("graph.js"), _asset("graph.css")
    scripts = [vis_js, app_js]
    csp = ("default-src 'none'; "
           f"script-src {' '.join(_sha256(s) for s in scripts)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; "
           "connect-src 'none'; form-action 'none'; base-uri 'none'; frame-src 'none'; object-src 'none'")
    return _environment().get_template("graph.html.j2").render(
        title=heading, focus=focus, csp=csp, data_json=Markup(to_script_json(data)),
        vis_js=Markup(vis_js), vis_css=Markup(vis_css), app_js=Markup(app_js), app_css=Markup(app_css),
        types=types, relations=rels, node_count=len(nodes), edge_count=len(edges), large=large,
    )


def to_script_json(value: Any) -> str:
    """JSON safe to place inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators in it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _count(values: Any) -> dict[str, int]:
    return dict(Counter(values))


def _node_style(node_type: str) -> dict[str, Any]:
    style = node_style(node_type)
    return {"color": style.color, "border": style.border, "shape": style.shape, "size": style.size,
            "svg": _shape_svg(style.shape)}


def _edge_style(relation: str) -> dict[str, Any]:
    style = edge_style(relation)
    return {"color": style.color, "width": style.width, "dashes": list(style.dashes),
            "arrows": style.arrows(relation), "length": style.length}


def _shape_svg(shape: str) -> str:
    """The SVG element (as a tag name and attributes) drawing ``shape`` in a 16×16 legend swatch."""
    star = " ".join(f"{8 + (7 if i % 2 == 0 else 3) * _sin(i * 36)},{8 - (7 if i % 2 == 0 else 3) * _cos(i * 36)}"
                    for i in range(10))
    shapes = {
        "dot": 'circle cx="8" cy="8" r="6"',
        "square": 'rect x="2" y="2" width="12" height="12"',
        "diamond": 'polygon points="8,1 15,8 8,15 1,8"',
        "triangle": 'polygon points="8,1.5 15,14 1,14"',
        "triangleDown": 'polygon points="1,2 15,2 8,14.5"',
        "hexagon": 'polygon points="4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8"',
        "star": f'polygon points="{star}"',
    }
    return shapes.get(shape, shapes["dot"])


def _sin(deg: float) -> float:
    return round(math.sin(math.radians(deg)), 2)


def _cos(deg: float) -> float:
    return round(math.cos(math.radians(deg)), 2)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=StrictUndefined,
                       keep_trailing_newline=True)


@cache
def _asset(name: str) -> str:
    text = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
    return _inline_safe(text, name)


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's standalone script and styles, from the copy pyvis ships (so no CDN is needed)."""
    lib = files("pyvis") / "lib" / "vis-9.1.2"
    try:
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except OSError as err:  # pragma: no cover - a broken pyvis install
        raise ExportError(f"cannot read vis-network from the pyvis package: {err}") from err
    return _inline_safe(_SOURCE_MAP.sub("", js), "vis-network.min.js"), _inline_safe(css, "vis-network.css")


def _inline_safe(text: str, name: str) -> str:
    """``text`` unchanged, after checking it cannot end its ``<script>``/``<style>`` element early."""
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise ExportError(f"{name} cannot be inlined: it contains a closing tag or comment opener")
    return text
