"""``kg export``: serialize the graph in any registered format."""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from kg.cli._io import emit, load_graph
from kg.errors import UsageError
from kg.export import by_extension, export, formats, get

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export", parents=[common], help="write the graph in an exchange format",
        description="Write the graph as RDF (turtle, jsonld, nt, nq, trig, xml) or as a graph for Gephi, yEd, "
                    "Cytoscape or networkx (graphml, gexf, json, csv). Output is byte-identical for the same "
                    "data. Without --format, the extension of -o picks it (default turtle).")
    parser.add_argument("--format", "-f", metavar="FORMAT",
                        help=f"one of: {', '.join(formats())} (default: from -o's extension, else turtle)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write here (atomically) instead of stdout; csv also takes a folder")
    parser.add_argument("--list", action="store_true", help="list the formats (extension, media type) and exit")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        for name in formats():
            fmt = get(name)
            aliases = f" (alias {', '.join(fmt.aliases)})" if fmt.aliases else ""
            print(f"{name:<8} {fmt.extension:<9} {fmt.media_type:<24} {fmt.description}{aliases}")
        return 0
    output = None if args.output in (None, "-") else args.output
    guessed = by_extension(output) if output else None
    fmt = get(args.format) if args.format else (guessed or get("turtle"))
    if output is None and fmt.archive and sys.stdout.isatty():
        raise UsageError(f"{fmt.name} output is a zip archive; refusing to write it to a terminal "
                         f"(use -o FILE{fmt.extension}, -o FOLDER/, or a pipe)")
    # an export reads the cache's store when a query wrote one, and otherwise loads it in memory: writing it to
    # disk would triple the cost of a one-off export
    payload = export(load_graph(args, persist_store=False), fmt.name, output)
    if output is None:
        emit(payload, None)
    elif fmt.archive and Path(output).is_dir():
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            print(f"kg: wrote {', '.join(archive.namelist())} into {output}", file=sys.stderr)
    else:
        print(f"kg: wrote {output} ({fmt.name}, {fmt.media_type}, {len(payload)} bytes)", file=sys.stderr)
    return 0
