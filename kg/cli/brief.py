"""``kg brief``: a whole briefing (What, Why it matters, Open questions, Timeline, Perspectives, Tensions,
Sources) for a document or a topic."""

from __future__ import annotations

import argparse

from kg.cli._io import emit, load_graph
from kg.generate import FORMATS, brief

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "brief", parents=[common], help="write a briefing for a document or a topic",
        description="Write a briefing in the seed layout from the graph; every bullet carries citation markers "
                    "that the Sources list resolves.")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--document", metavar="ID", help="a document, in its own citation numbering")
    which.add_argument("--topic", metavar="ID", help="a concept, person, lab or source; sources numbered as cited")
    parser.add_argument("--format", "-f", choices=FORMATS, default="md", help="output form (default: md)")
    parser.add_argument("--template", metavar="FILE",
                        help="a Jinja2 template to use instead of the bundled briefing.<format>.j2")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = brief(load_graph(args), document=args.document, topic=args.topic, format=args.format,
                 template=args.template)
    emit(text.encode("utf-8"), args.output)
    return 0
