"""``kg cache``: where the build cache lives and what it holds, and how to empty it."""

from __future__ import annotations

import argparse
import json

from kg.cache import ENV, cache_dir, clear, entries
from kg.cli._io import emit

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "cache", parents=[common], help="show or clear the build cache",
        description="Every command reads a data tree once and keeps the built graph (and, once a query or export "
                    "needed it, its Oxigraph store) in the build cache, keyed by the content of the data files and "
                    f"the code: --cache DIR, else ${ENV} ('off' turns it off), else the user's cache folder.")
    parser.add_argument("--clear", action="store_true", help="remove every entry")
    parser.add_argument("--format", "-f", choices=["table", "json"], default="table", help="output form")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    directory = cache_dir(args.cache)
    if directory is None:
        emit(b"the build cache is off\n", None)
        return 0
    if args.clear:
        removed = clear(directory)
        emit(f"removed {removed} entr{'y' if removed == 1 else 'ies'} from {directory}\n".encode(), None)
        return 0
    found = entries(directory)
    if args.format == "json":
        payload = {"directory": str(directory), "entries": [
            {"key": e.path.name, "data": e.data, "nodes": e.nodes, "edges": e.edges, "created": e.created,
             "store": e.has_store, "bytes": e.size} for e in found]}
        emit((json.dumps(payload, indent=2) + "\n").encode(), None)
        return 0
    lines = [f"build cache: {directory} ({len(found)} entr{'y' if len(found) == 1 else 'ies'}; "
             "kg cache --clear empties it)"] + [f"  {e}" for e in found]
    emit(("\n".join(lines) + "\n").encode(), None)
    return 0
