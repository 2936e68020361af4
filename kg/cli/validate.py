"""``kg validate``: report every problem in the data, one ``file:line: message`` per line."""

from __future__ import annotations

import argparse
import sys

from kg.build import validate


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("validate", parents=[common], help="check the data and report every problem",
                                   description="Check YAML, fields, references, citation numbers, the "
                                   "ontology alignment and SHACL conformance; print every problem.")
    parser.add_argument("--no-shacl", action="store_true", help="skip the (slower) SHACL conformance check")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = validate(args.data, shacl=not args.no_shacl)
    for issue in report.sorted():
        print(issue, file=sys.stderr)
    errors = len(report.errors)
    if errors:
        print(f"kg: {errors} error{'s' if errors != 1 else ''} in {args.data}", file=sys.stderr)
        return 1
    print(f"kg: {args.data} is valid", file=sys.stderr)
    return 0
