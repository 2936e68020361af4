"""``kg ingest``: turn a briefing, resource card or concept page into a data bundle to review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli._io import describe_dirs, emit
from kg.errors import IngestError
from kg.ingest import Bundle, formats, ingest
from kg.vocab import is_node_id

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ingest", parents=[common], help="turn a document into a data bundle to review",
        description="Read a briefing, resource card or concept page and write it as a data bundle "
        "(DATA/documents/SLUG.yaml by default, in the first --data directory), linking the names it uses to the "
        "entities of every --data directory and proposing the rest (status: proposed). Problems that can be "
        "worked around are warnings with line numbers.")
    parser.add_argument("file", help="the document (plain text)")
    parser.add_argument("--format", "-f", default="auto", metavar="FORMAT",
                        help=f"auto (default), {', '.join(formats())}")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="where to write (default: DATA/documents/SLUG.yaml in the first --data directory; "
                        "'-' for stdout); the file name sets the document id doc/<name>")
    parser.add_argument("--json", action="store_true", help="print the bundle as JSON instead of writing YAML")
    parser.add_argument("--force", action="store_true",
                        help="replace the bundle a data directory already holds for this document")
    parser.add_argument("--strict", action="store_true", help="fail on any warning, writing nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    doc_id = None
    if args.output not in (None, "-") and not args.json:
        stem = Path(args.output).stem
        doc_id = f"doc/{stem}" if is_node_id(f"doc/{stem}") else None
        if doc_id is None:
            print(f"kg: warning: '{Path(args.output).name}' is not a slug file name, so the bundle keeps its own "
                  "id and will not load from that file name", file=sys.stderr)
    bundle = ingest(args.file, format=args.format, data=args.data, doc_id=doc_id)
    for warning in bundle.warnings:
        print(warning, file=sys.stderr)
    if args.strict and bundle.warnings:
        count = len(bundle.warnings)
        raise IngestError(f"{args.file}: {count} warning{'s' if count != 1 else ''} (see above); nothing written "
                          "(--strict)")
    if args.json:
        emit(bundle.to_json_text().encode("utf-8"), args.output)
        return 0
    payload = bundle.to_yaml().encode("utf-8")
    target = args.output
    if bundle.existing and args.output not in (None, "-"):
        place = bundle.existing_file or describe_dirs(args.data)
        print(f"kg: note: {place} already holds this document ({bundle.existing}); writing {args.output} as asked",
              file=sys.stderr)
    if bundle.existing and args.output is None:
        held = bundle.existing_file
        if not args.force:
            same = held is not None and held.is_file() and held.read_bytes() == payload
            state = "identical to this ingestion" if same else "which differs from this ingestion"
            where = held or describe_dirs(args.data)
            print(f"kg: {where} already holds this document ({bundle.existing}), {state}; "
                  "nothing written (--force replaces it, -o FILE writes elsewhere)", file=sys.stderr)
            return 0
        target = str(held) if held else None
    if target is None:
        folder = Path(args.data[0]) / "documents"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise IngestError(f"cannot create {folder}: {err.strerror or err}") from err
        target = str(folder / f"{bundle.slug}.yaml")
    emit(payload, target)
    if target != "-":
        print(f"kg: {_summary(bundle)}", file=sys.stderr)
    return 0


def _summary(bundle: Bundle) -> str:
    doc = bundle.document
    counts = [(len(doc.citations), "source"), (len(doc.claims), "claim"), (len(doc.tensions), "tension"),
              (len(doc.events), "event"), (len(doc.questions), "question"), (len(doc.perspectives), "perspective"),
              (len(doc.relations), "relation")]
    parts = ", ".join(f"{n} {word}{'s' if n != 1 else ''}" for n, word in counts if n)
    proposed = len(bundle.proposed)
    return (f"{bundle.id} ({bundle.format}): {parts or 'nothing extracted'}; {proposed} proposed "
            f"entit{'ies' if proposed != 1 else 'y'} to review")
