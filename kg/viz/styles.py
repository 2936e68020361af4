"""How each node type and edge relation looks on the page: one table, read by the page and its legend.

Tensions must stand out at a glance (red diamonds joined to their claims, red dashed ``in_tension_with``
lines), evidence reads as green (``supports``) and bibliography as quiet grey (``cites``). Symmetric
relations are drawn without arrows; every other relation points from subject to object.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import UsageError
from kg.model import RELATIONS

__all__ = ["NodeStyle", "EdgeStyle", "NODE_STYLES", "EDGE_STYLES", "node_style", "edge_style"]


@dataclass(frozen=True)
class NodeStyle:
    """A node type's colour (fill), border colour, vis-network shape and size."""

    color: str
    border: str
    shape: str
    size: int = 12


@dataclass(frozen=True)
class EdgeStyle:
    """A relation's colour, line width, dash pattern (empty: a solid line) and, when set, the length its
    edges settle at in the physics simulation (short ones keep a tension between its two claims)."""

    color: str
    width: float = 1.0
    dashes: tuple[int, ...] = ()
    length: int | None = None

    def arrows(self, relation: str) -> bool:
        """Whether the relation has a direction (symmetric ones are drawn without arrows)."""
        return not RELATIONS[relation].symmetric


#: node class -> style; shapes that put the label below the mark, so long captions stay readable
NODE_STYLES: dict[str, NodeStyle] = {
    "Claim": NodeStyle("#4c78a8", "#2b4a6f", "dot", 11),
    "Tension": NodeStyle("#e03131", "#8f1d1d", "diamond", 18),
    "Concept": NodeStyle("#38a89d", "#1f6a63", "hexagon", 14),
    "Source": NodeStyle("#9c6b4e", "#5e3e2b", "square", 11),
    "Person": NodeStyle("#b279a2", "#6f4364", "star", 16),
    "Organization": NodeStyle("#f08c00", "#9a5800", "triangle", 14),
    "Group": NodeStyle("#d6a2c8", "#6f4364", "star", 11),
    "Event": NodeStyle("#e9c600", "#8c7600", "triangleDown", 13),
    "Question": NodeStyle("#74b816", "#4a760e", "dot", 9),
    "Document": NodeStyle("#495057", "#212529", "square", 16),
}

#: relation -> style
EDGE_STYLES: dict[str, EdgeStyle] = {
    "in_tension_with": EdgeStyle("#e03131", 4.0, (10, 6), 120),
    "involves": EdgeStyle("#ff8787", 1.5, (3, 4), 60),
    "supports": EdgeStyle("#2f9e44", 2.5),
    "cites": EdgeStyle("#b6b6b6", 0.8),
    "asserts": EdgeStyle("#b279a2", 1.2),
    "about": EdgeStyle("#8bb8e8", 1.0, (2, 3)),
    "authored": EdgeStyle("#9c6b4e", 1.2),
    "published_in": EdgeStyle("#d9b38c", 1.0),
    "affiliated_with": EdgeStyle("#c9a0dc", 1.0),
    "addresses": EdgeStyle("#f08c00", 2.0),
    "amplifies": EdgeStyle("#e64980", 1.5),
    "refines": EdgeStyle("#1c7ed6", 1.5),
    "mitigates": EdgeStyle("#0ca678", 2.0, (8, 4)),
    "example_of": EdgeStyle("#82c91e", 1.2),
    "broader": EdgeStyle("#1f6a63", 1.5),
    "related_to": EdgeStyle("#adb5bd", 1.0, (1, 4)),
    "mentions": EdgeStyle("#ced4da", 0.6, (1, 3)),
}


def node_style(node_type: str) -> NodeStyle:
    """The style of a node class; UsageError naming the known ones otherwise."""
    try:
        return NODE_STYLES[node_type]
    except KeyError:
        raise UsageError(f"no style for node type '{node_type}' (known: {', '.join(NODE_STYLES)})") from None


def edge_style(relation: str) -> EdgeStyle:
    """The style of a relation; UsageError naming the known ones otherwise."""
    try:
        return EDGE_STYLES[relation]
    except KeyError:
        raise UsageError(f"no style for relation '{relation}' (known: {', '.join(EDGE_STYLES)})") from None

