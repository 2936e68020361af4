"""``kg serve``: the graph as a SPARQL 1.1 Protocol endpoint (with the named queries, the page, tensions, briefs)."""

from __future__ import annotations

import argparse

from kg.cli._io import seconds

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "serve", parents=[common], help="serve the graph over HTTP as a SPARQL endpoint",
        description="A read-only SPARQL 1.1 Protocol endpoint at /sparql (and a query page for browsers), the named "
                    "queries at /queries, the graph page at /, tensions and briefings at /tensions and /brief, "
                    "/health. Updates, SERVICE, LOAD and remote FROM are refused as by kg query.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every "
                             "interface)")
    parser.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    parser.add_argument("--timeout", type=seconds, default=30.0, metavar="SECONDS",
                        help="stop any query after this many seconds (default: 30)")
    parser.add_argument("--max-rows", type=_count, default=10_000, metavar="N",
                        help="send at most N rows or triples per answer (default: 10000)")
    parser.add_argument("--workers", type=_count, default=None, metavar="N",
                        help="query worker processes (default: the number of cores + 2)")
    parser.add_argument("--watch", action="store_true",
                        help="rebuild when the data changes; a change that does not build keeps the last graph")
    parser.set_defaults(run=run)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number above 0, got '{text}'")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from kg.server import DEFAULT_WORKERS, Settings, serve

    settings = Settings(timeout=args.timeout, max_rows=args.max_rows)
    serve(args.data, host=args.host, port=args.port, cache=args.cache, workers=args.workers or DEFAULT_WORKERS,
          settings=settings, watch=args.watch)
    return 0
