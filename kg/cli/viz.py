"""``kg viz``: the interactive graph as one offline HTML page."""

from __future__ import annotations

import argparse
import sys

from kg.cli._io import emit, load_graph
from kg.errors import UsageError
from kg.viz import LARGE_GRAPH, viz

__all__ = ["register", "run"]


def _names(text: str) -> list[str]:
    return [part for part in (p.strip() for p in text.split(",")) if part]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "viz", parents=[common], help="write the graph as an interactive, offline HTML page",
        description="Write one self-contained HTML page (no network needed) drawing the graph: node types and "
                    "relations styled with a legend whose checkboxes filter them, search by name, details and "
                    "sources on hover and click, a clicked node's neighbourhood highlighted.")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    parser.add_argument("--focus", metavar="ID", help="only what lies around this node (an id, name or alias)")
    parser.add_argument("--depth", type=int, metavar="N", help="steps around --focus to include (default: 2)")
    parser.add_argument("--types", type=_names, metavar="T,...",
                        help="only these node types (Claim, Tension, Concept, ... or id kinds such as org)")
    parser.add_argument("--relations", type=_names, metavar="R,...",
                        help="only these relations (nodes left without an edge are dropped)")
    parser.add_argument("--title", help="heading of the page (default: Knowledge graph)")
    parser.add_argument("--layout", choices=("auto", "physics", "python"), default="auto",
                        help=f"physics simulation in the browser, or positions computed here; auto: python above "
                             f"{LARGE_GRAPH} nodes")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.depth is not None and args.focus is None:
        raise UsageError("--depth needs --focus")
    if args.output is None and sys.stdout.isatty():
        raise UsageError("kg viz writes a whole HTML page: give -o FILE (or redirect stdout)")
    html = viz(load_graph(args), focus=args.focus, depth=2 if args.depth is None else args.depth, types=args.types,
               relations=args.relations, title=args.title, layout=args.layout)
    emit(html.encode("utf-8"), args.output)
    return 0
