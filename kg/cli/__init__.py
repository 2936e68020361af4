"""The ``kg`` command: parses arguments, calls the API, prints data to stdout and messages to stderr.

Each subcommand lives in its own module here with a ``register(subparsers, common)`` function; adding one
is a module plus a line in ``COMMANDS``. Errors a user can act on print one line per problem and exit 1
(data) or 2 (usage); tracebacks appear only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kg._util import printable
from kg.build import DEFAULT_DATA_DIR
from kg.cache import ENV
from kg.errors import DataError, KgError

__all__ = ["main", "COMMANDS"]

#: subcommand modules, in the order ``kg --help`` lists them
COMMANDS = ["validate", "stats", "export", "ingest", "import_kb", "tensions", "brief", "query", "serve", "push", "viz",
            "cache"]


def _common(data_dest: str) -> argparse.ArgumentParser:
    """The options every command takes, before or after its name; ``--data`` values go to ``data_dest``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", dest=data_dest, action="append", default=argparse.SUPPRESS,
                        help=f"data directory (default: ./{DEFAULT_DATA_DIR}); repeat it to build several into one "
                        "graph, read in order (the first wins where their registries overlap)")
    common.add_argument("--cache", metavar="DIR", default=argparse.SUPPRESS,
                        help=f"build cache directory (default: ${ENV}, else the user's cache folder; see kg cache)")
    common.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS,
                        help="neither read nor write the build cache")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks of errors")
    return common


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (``only``) one with just that command, so running it imports only its own module."""
    # a subcommand's namespace overwrites the top-level one, so --data before and after the subcommand
    # name are kept apart (data_before, data) and joined in main()
    parser = argparse.ArgumentParser(
        prog="kg", parents=[_common("data_before")],
        description="A typed, queryable knowledge graph of claims from the AI-risk literature.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _common("data")
    for name in COMMANDS if only is None else [only]:
        importlib.import_module(f"kg.cli.{name}").register(subparsers, common)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs, when it names one (module name: ``import_kb`` for ``import``)."""
    first = argparse.ArgumentParser(add_help=False, parents=[_common("data_before")])
    first.add_argument("command", nargs="?")
    first.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        name = first.parse_known_args(argv)[0].command
    except SystemExit:  # leave every complaint to the whole parser
        return None
    module = {"import": "import_kb"}.get(name, name)
    return module if module in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kg`` command and return its exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(_command(argv))
    args = parser.parse_args(argv)
    named = [*getattr(args, "data_before", []), *getattr(args, "data", [])]
    args.data_given = bool(named)
    given = named or [DEFAULT_DATA_DIR]
    first: dict[Path, str] = {}
    for folder in given:  # a directory named twice counts once, where it first appears
        first.setdefault(Path(folder).resolve(), folder)
    args.data = list(first.values())
    args.debug = getattr(args, "debug", False)
    args.cache = False if getattr(args, "no_cache", False) else getattr(args, "cache", None)
    try:
        return int(args.run(args) or 0)
    except KgError as err:
        if args.debug:
            raise
        _print_error(err)
        return err.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as err:  # a bug: say so in one line unless asked for the traceback
        if args.debug:
            raise
        print(f"kg: internal error: {type(err).__name__}: {printable(str(err))} (rerun with --debug for the traceback)",
              file=sys.stderr)
        return 1


def _print_error(err: KgError) -> None:
    if isinstance(err, DataError) and err.issues:
        for issue in err.issues:
            print(issue, file=sys.stderr)
        count = len([i for i in err.issues if i.severity == "error"])
        print(f"kg: {count} error{'s' if count != 1 else ''} in the data (see above)", file=sys.stderr)
    else:
        print(f"kg: error: {printable(str(err))}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
