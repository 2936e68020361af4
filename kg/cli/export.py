"""``kg export``: serialize the graph in any registered format."""

from __future__ import annotations

import argparse

from kg.build import load
from kg.cli._io import emit
from kg.export import export, formats, get


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("export", parents=[common], help="write the graph in an exchange format")
    parser.add_argument("--format", "-f", default="turtle",
                        help=f"one of: {', '.join(formats())} (default: turtle)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    fmt = get(args.format)
    emit(export(load(args.data), fmt.name), args.output)
    return 0
