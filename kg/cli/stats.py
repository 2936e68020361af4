"""``kg stats``: counts per node type and per edge relation."""

from __future__ import annotations

import argparse
import json

from kg.cli._io import emit, load_graph

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("stats", parents=[common], help="count nodes per type and edges per relation")
    parser.add_argument("--format", "-f", choices=["table", "json"], default="table",
                        help="output form (default: table)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    stats = load_graph(args).stats()
    if args.format == "json":
        text = json.dumps(stats, indent=2) + "\n"
    else:
        rows = [("node type", "count")] + [(k, str(v)) for k, v in stats["nodes"].items()]
        rows += [("", ""), ("edge relation", "count")] + [(k, str(v)) for k, v in stats["edges"].items()]
        rows += [("", ""), ("total nodes", str(stats["total_nodes"])), ("total edges", str(stats["total_edges"]))]
        width = max(len(r[0]) for r in rows)
        text = "".join(f"{a.ljust(width)}  {b.rjust(5)}".rstrip() + "\n" for a, b in rows)
    emit(text.encode("utf-8"), None)
    return 0
