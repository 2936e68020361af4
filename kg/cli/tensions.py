"""``kg tensions``: the Tensions section (and its Sources) of a document, a topic or the whole graph."""

from __future__ import annotations

import argparse

from kg.cli._io import emit, load_graph
from kg.generate.rules import rules
from kg.generate.tensions import TENSION_FORMATS, tensions

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "tensions", parents=[common], help="print the tensions of a document, a topic or the whole graph",
        description="Print a Tensions section, one bullet per tension stating both claims and the nature of "
                    "the conflict with its citation markers, then the numbered Sources list.")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--document", metavar="ID", help="a document's tensions, in its own citation numbering")
    which.add_argument("--topic", metavar="ID",
                       help="tensions whose claims are about, held by or cite this concept, person, lab or source")
    which.add_argument("--all", action="store_true", help="every tension in the graph")
    parser.add_argument("--format", "-f", choices=TENSION_FORMATS, default="md", help="output form (default: md)")
    parser.add_argument("--suggested", action="store_true",
                        help=f"also show tensions the rules suggest ({', '.join(rules())}), in their own subsection")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = tensions(load_graph(args), document=args.document, topic=args.topic, format=args.format,
                    suggested=args.suggested)
    emit(text.encode("utf-8"), args.output)
    return 0
