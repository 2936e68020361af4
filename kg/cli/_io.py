"""Helpers shared by subcommands: load the data directories, write bytes to stdout or atomically to a file."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from kg._util import paused_gc, write_bytes
from kg.build import load
from kg.errors import UsageError
from kg.graph import KnowledgeGraph

__all__ = ["emit", "load_graph", "describe_dirs", "seconds"]


def describe_dirs(data: Sequence[str]) -> str:
    """The data directories as one phrase for messages: ``data`` or ``data, out/wiki-data``."""
    return ", ".join(data)


def load_graph(args: argparse.Namespace, persist_store: bool = True) -> KnowledgeGraph:
    """The graph of the data directories ``args.data``, through the build cache ``args.cache`` (see
    :func:`kg.load`, which ``persist_store`` is passed to); says on stderr how many warnings loading found."""
    data = args.data
    # the graph lives as long as the command: the collector need not walk its million objects, while it is
    # built (which would take longer than building it) or after (gc.freeze)
    with paused_gc():
        graph = load(data, cache=args.cache, persist_store=persist_store)
        gc.freeze()
    if graph.warnings:
        count = len(graph.warnings)
        print(f"kg: {count} warning{'s' if count != 1 else ''} in {describe_dirs(data)} "
              "(kg validate lists them)", file=sys.stderr)
    return graph


def emit(payload: bytes, output: str | None) -> None:
    """Write ``payload`` to ``output`` atomically, or to stdout when ``output`` is None or ``-``."""
    if output in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    write_bytes(output, payload)
    print(f"kg: wrote {output} ({len(payload)} bytes)", file=sys.stderr)


def seconds(text: str) -> float:
    """``--timeout``'s value: a positive, finite number of seconds (argparse reports anything else, exit 2)."""
    from kg.query import check_timeout  # only the commands with a timeout pay for importing the query package

    try:
        return check_timeout(float(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: '{text}'") from None
    except UsageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
