"""``kg query``: run a SPARQL query, a query file or a named query over the graph."""

from __future__ import annotations

import argparse
import sys

from kg.cli._io import emit, load_graph, seconds
from kg.endpoint import check_url
from kg.errors import QueryError, UsageError
from kg.query import (
    DEFAULT_ENGINE,
    GRAPH_FORMATS,
    RESULT_FORMATS,
    engines,
    named_queries,
    query,
    render,
)

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "query", parents=[common], help="answer a SPARQL query or a named query",
        description="Run SPARQL over the union of the graph's named graphs, with the project's prefixes "
                    "predeclared. SERVICE, LOAD, updates and FROM a graph the data does not hold are refused.")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("sparql", nargs="?", metavar="QUERY", help="the SPARQL query text")
    which.add_argument("--file", metavar="FILE.rq", help="read the query from a file ('-': stdin)")
    which.add_argument("--name", "-n", metavar="NAME", help="run a named query from the library (see --list)")
    which.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                        help="bind ?KEY: a node id, name or alias, or a \"quoted\" string literal (repeatable)")
    parser.add_argument("--format", "-f", metavar="FORMAT",
                        help=f"rows: {', '.join(RESULT_FORMATS)} (default: table); "
                             f"CONSTRUCT/DESCRIBE: {', '.join(GRAPH_FORMATS)} (default: turtle)")
    parser.add_argument("--engine", choices=engines(), default=DEFAULT_ENGINE,
                        help=f"SPARQL engine (default: {DEFAULT_ENGINE})")
    parser.add_argument("--timeout", type=seconds, metavar="SECONDS",
                        help="stop the query after this many seconds (exit 1)")
    parser.add_argument("--endpoint", metavar="URL",
                        help="send the checked query to this SPARQL endpoint instead of the embedded engine "
                             "(parameters still resolve against --data)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    parser.set_defaults(run=run)


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param expects KEY=VALUE, got '{pair}'")
        params[key.strip().lstrip("?$")] = value
    return params


def _listing() -> str:
    lines = []
    for named in named_queries().values():
        params = ", ".join(str(p) for p in named.params)
        lines.append(f"{named.name}{f'  [{params}]' if params else ''}\n    {named.title}: {named.description}\n")
    return "".join(lines)


def _read(path: str) -> str:
    try:
        return sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except OSError as err:
        raise QueryError(f"cannot read {path}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path} is not UTF-8 text") from None


def _check_format(name: str | None) -> None:
    """A query file given to ``-f`` (``--format`` in every command) is told where it belongs, before any work."""
    if name is not None and (name == "-" or name.endswith(".rq")):
        raise UsageError(f"'{name}' is not an output format (-f is --format); read the query from a file with "
                         f"--file {name}")


def run(args: argparse.Namespace) -> int:
    _check_format(args.format)
    if args.endpoint is not None:
        check_url(args.endpoint)
    if args.list:
        emit(_listing().encode("utf-8"), args.output)
        return 0
    if args.sparql is None and args.file is None and args.name is None:
        raise UsageError("give a QUERY, --file FILE.rq or --name NAME (kg query --list shows the named queries)")
    params = _params(args.param)
    graph = load_graph(args)
    if args.name is not None:
        result = query(graph, name=args.name, params=params, engine=args.engine, timeout=args.timeout,
                       cache=args.cache, endpoint=args.endpoint)
    else:
        text = args.sparql if args.file is None else _read(args.file)
        origin = "query" if args.file is None else ("<stdin>" if args.file == "-" else args.file)
        result = query(graph, text, params=params, engine=args.engine, timeout=args.timeout, origin=origin,
                       cache=args.cache, endpoint=args.endpoint)
    emit(render(result, args.format), args.output)
    return 0
