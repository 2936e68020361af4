"""The interactive graph in the browser: one offline, self-contained HTML page per call.

Node types and relations are styled from :mod:`kg.viz.styles`; the page lists them in a legend whose
checkboxes filter the drawing, finds nodes by name, shows each node's statement, holders and sources on
hover and click, and highlights a clicked node's neighbourhood. Large graphs are laid out in Python.
"""

from kg.viz.page import LARGE_GRAPH, Page, viz
from kg.viz.styles import EDGE_STYLES, NODE_STYLES, EdgeStyle, NodeStyle

__all__ = ["viz", "Page", "LARGE_GRAPH", "NODE_STYLES", "EDGE_STYLES", "NodeStyle", "EdgeStyle"]
