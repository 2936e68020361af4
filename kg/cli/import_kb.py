"""``kg import KB PATH``: bring another knowledge base (longterm-wiki) into the graph as data files."""

from __future__ import annotations

import argparse
import json
import sys

from kg.errors import DataError, UsageError
from kg.importers import ImportReport, import_kb, rich_progress

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "import", parents=[common], help="import another knowledge base (longterm-wiki) as data files",
        description="Read a knowledge base (a longterm-wiki snapshot or repository clone) and write it in the "
        "project's data format: into a new directory (-o DIR), linking to the entities of the --data "
        "directories, or merged into the first --data directory, whose curated records stay as they are and win. "
        "Re-importing the same snapshot rewrites nothing; a newer one replaces what changed.")
    # a fixed help text: listing the importers here would import them on every kg command
    parser.add_argument("kb", metavar="KB", help="the knowledge base, such as longterm-wiki (an unknown name lists "
                        "the known ones)")
    parser.add_argument("path", metavar="PATH", help="the snapshot or clone to read")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="write a new data directory (default: merge into the first --data directory)")
    parser.add_argument("--json", action="store_true", help="print the import report as JSON on stdout")
    parser.add_argument("--keep-going", action="store_true",
                        help="exit 0 even when some input could not be read and was skipped")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.output is None and not args.data_given:
        raise UsageError("say where to write the import: -o DIR for a new directory, or --data DIR to merge "
                         "into a data directory")
    report = import_kb(args.kb, args.path, out=args.output, data=args.data,
                       progress=rich_progress(f"importing {args.kb}"))
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(report.to_json(), indent=1, ensure_ascii=False) + "\n")
    else:
        _summary(report)
    if report.problems and not args.keep_going:
        count = len(report.problems)
        raise DataError(f"{count} input file{'s' if count != 1 else ''} or part{'s' if count != 1 else ''} "
                        f"skipped (see above); the rest was imported (--keep-going to exit 0)")
    return 0


def _summary(report: ImportReport) -> None:
    data = report.to_json()
    counts = data["counts"]
    width = max((len(k) for k in counts), default=0)
    where = ", ".join(data["lists"].get("written to", []))
    print(f"kg: imported {data['importer']} from {data['source']} into {where}", file=sys.stderr)
    for key, value in counts.items():
        print(f"  {key:<{width}}  {value}", file=sys.stderr)
    changes = data["changes"]
    print(f"  records: {changes.get('added', 0)} added, {changes.get('changed', 0)} changed, "
          f"{changes.get('removed', 0)} removed, {changes.get('unchanged', 0)} unchanged", file=sys.stderr)
