"""Ingest documents (briefings, resource cards, concept pages) into data bundles a person reviews.

>>> bundle = ingest("briefing.txt", data="data")
>>> bundle.document.tensions[0].citations
[1, 3]
>>> bundle.write("out/" + bundle.slug + ".yaml")   # to review, then move into data/documents/

A format is a parser module in the registry (:mod:`kg.ingest.registry`); ``auto`` recognises it from the
sections the text has. Names are linked to the entities of ``data`` (:mod:`kg.ingest.linking`); unknown ones
become entities marked ``status: proposed``. Problems the reader can work around are warnings with a line
number (``bundle.warnings``); a document that cannot be read at all raises :class:`~kg.errors.IngestError`.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import IngestError, UsageError
from kg.graph import KnowledgeGraph
from kg.ingest._text import Text, has_words, read_text, slugify
from kg.ingest.bundle import Bundle
from kg.ingest.draft import Draft
from kg.ingest.linking import Index, fresh_id, link
from kg.ingest.registry import canonical, detect, formats, get, register
from kg.loader import YAML_SUFFIXES, DataDirs, data_dirs
from kg.vocab import is_node_id

__all__ = ["ingest", "ingest_text", "Bundle", "formats", "register"]

_DOC_PREFIX = {"briefing": "briefing", "resource-card": "resource", "concept-page": "concept", "page": "page"}


def ingest(path: str | os.PathLike[str], *, format: str = "auto",
           data: DataDirs | KnowledgeGraph | None = None, doc_id: str | None = None) -> Bundle:
    """Read the document at ``path`` and turn it into a :class:`Bundle`.

    ``format`` is ``auto`` or a registered format (``briefing``, ``resource``, ``concept``); ``data`` is the
    data directory, a list of them (one graph, as :func:`kg.load` builds it) or a loaded graph, whose entities
    names are linked to and where an existing bundle of the same document is looked for; ``doc_id`` forces the
    document id (``doc/<slug>``).
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except IsADirectoryError:
        raise IngestError(f"{source}: is a directory, not a document") from None
    except OSError as err:
        raise IngestError(f"cannot read {source}: {err.strerror or err}") from None
    return ingest_text(read_text(raw, str(source)), name=str(source), origin=source.name, format=format,
                       data=data, doc_id=doc_id)


def ingest_text(text: str, *, name: str = "<text>", origin: str | None = None, format: str = "auto",
                data: DataDirs | KnowledgeGraph | None = None, doc_id: str | None = None) -> Bundle:
    """Turn a document given as text into a :class:`Bundle` (see :func:`ingest`); ``name`` is used in
    messages and ``origin`` is recorded as where the bundle came from."""
    document = Text(text, name)
    if not any(has_words(line.text) for line in document.lines):
        raise IngestError(f"{name}: the document is empty (no words in it)")
    fmt = detect(document) if format == "auto" else canonical(format)
    draft = get(fmt).parse(document)
    draft.format, draft.origin = fmt, origin
    graph = _graph(data)
    existing = _existing(graph, draft)
    index = Index.of(graph, exclude=existing)
    taken = set(graph.nodes) if graph else set()
    if graph is not None and existing is not None:
        taken -= {existing, *(n for n, owner in graph.owner.items() if owner == existing)}
    if doc_id is not None and doc_id != existing:
        draft.id = _checked_id(doc_id)
        taken.add(draft.id)
    elif existing is not None:
        draft.id = existing
        taken.add(existing)
    else:
        draft.id = _mint_document_id(draft, taken)
    link(draft, index, taken, document)
    existing_file = _file_of(graph, existing) if graph is not None and existing else None
    return Bundle(draft, names=index.names, warnings=document.warnings, existing=existing,
                  existing_file=existing_file, name=name)


def _checked_id(doc_id: str) -> str:
    if not doc_id.startswith("doc/") or not is_node_id(doc_id):
        raise UsageError(f"'{doc_id}' is not a document id (expected doc/ and a lowercase-hyphenated slug)")
    return doc_id


def _mint_document_id(draft: Draft, taken: set[str]) -> str:
    doc_id = fresh_id(f"doc/{_DOC_PREFIX[draft.kind]}-{slugify(draft.title, max_words=5, max_length=50)}", taken)
    taken.add(doc_id)
    return doc_id


def _graph(data: DataDirs | KnowledgeGraph | None) -> KnowledgeGraph | None:
    """The graph to link against, of every data directory that holds data: none when none does (fresh ones)."""
    if data is None or isinstance(data, KnowledgeGraph):
        return data
    roots = []
    for root in data_dirs(data):
        if root.exists() and not root.is_dir():
            raise UsageError(f"data directory {root} is not a directory")
        folders = [root / "entities", root / "documents"]
        if any(p.suffix in YAML_SUFFIXES for f in folders if f.is_dir() for p in f.iterdir()):
            roots.append(root)
    if not roots:
        return None
    from kg.build import load

    return load(roots)


def _normal_title(title: str) -> str:
    return " ".join(slugify(title, max_words=100, max_length=10_000, drop_stopwords=False).split("-"))


def _existing(graph: KnowledgeGraph | None, draft: Draft) -> str | None:
    """The id of the bundle ``graph`` already holds for this document: same kind and title."""
    if graph is None:
        return None
    title = _normal_title(draft.title)
    for doc_id, doc in sorted(graph.documents.items()):
        if doc.kind == draft.kind and _normal_title(doc.title) == title:
            return doc_id
    return None


def _file_of(graph: KnowledgeGraph, doc_id: str) -> Path | None:
    location = graph.locations.locate(doc_id)
    return Path(location.file) if location else None
