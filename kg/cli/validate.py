"""``kg validate``: report every problem in the data, one ``file:line: message`` per line."""

from __future__ import annotations

import argparse
import sys

from kg.build import validate
from kg.cli._io import describe_dirs

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("validate", parents=[common], help="check the data and report every problem",
                                   description="Check YAML, fields, references, citation numbers, the "
                                   "ontology alignment and SHACL conformance; print every problem.")
    parser.add_argument("--no-shacl", action="store_true", help="skip the (slower) SHACL conformance check")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = validate(args.data, shacl=not args.no_shacl)
    for issue in report.sorted():
        print(issue, file=sys.stderr)
    errors, warnings = len(report.errors), len(report.issues) - len(report.errors)
    where = describe_dirs(args.data)
    counts = f"{errors} error{'s' if errors != 1 else ''}"
    if warnings:
        counts += f", {warnings} warning{'s' if warnings != 1 else ''}"
    if errors:
        print(f"kg: {counts} in {where}", file=sys.stderr)
        return 1
    verb = "is" if len(args.data) == 1 else "are"
    print(f"kg: {where} {verb} valid{f' ({counts})' if warnings else ''}", file=sys.stderr)
    return 0
