"""``kg push``: upload the graph to a SPARQL 1.1 Graph Store HTTP Protocol endpoint and verify it arrived."""

from __future__ import annotations

import argparse
import sys

from kg.cli._io import load_graph
from kg.endpoint import PASSWORD_ENV, TOKEN_ENV, USER_ENV

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "push", parents=[common], help="upload the graph to a triplestore (Graph Store Protocol)",
        description="Upload one named graph per document, plus the registries and the dataset description, to a "
                    "SPARQL 1.1 Graph Store HTTP Protocol endpoint, then count what arrived. Credentials come "
                    f"from the environment: {TOKEN_ENV} (bearer), or {USER_ENV} and {PASSWORD_ENV} (basic).")
    parser.add_argument("--endpoint", required=True, metavar="URL",
                        help="the Graph Store endpoint (Oxigraph: http://HOST:PORT/store; Fuseki: .../DATASET/data)")
    parser.add_argument("--graph", metavar="IRI", help="put everything into this one named graph instead")
    parser.add_argument("--replace", action="store_true",
                        help="replace each graph's content (PUT) instead of adding to it (POST)")
    parser.add_argument("--sparql", metavar="URL",
                        help="the query endpoint for the count afterwards (default: beside --endpoint: /store → "
                             "/query, /data → /sparql)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.endpoint import check_url
    from kg.server.push import push

    check_url(args.endpoint)
    if args.graph is not None:
        check_url(args.graph)
    graph = load_graph(args)
    report = push(graph, args.endpoint, into=args.graph, replace=args.replace, query_endpoint=args.sparql)
    print(f"kg: pushed {report.triples:,} triples in {len(report.graphs)} graphs ({report.requests} requests) to "
          f"{args.endpoint}; the count afterwards found them all", file=sys.stderr)
    return 0
