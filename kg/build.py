"""Load one or more data directories into a KnowledgeGraph, or validate them and report every problem.

``load`` is what every command uses; ``validate`` additionally checks the ontology alignment and SHACL
conformance, which cost a few seconds, and never raises on bad data: it returns the report. Both take one
directory or a sequence of them, read in order into one graph (the first wins where registries overlap).
The graph is built from the records alone (as :meth:`KnowledgeGraph.from_records` builds one from records in
memory); the loader's file:line map goes along as ``graph.locations``, for error messages only.
"""

from __future__ import annotations

from kg.cache import CacheSetting, cache_dir, cached
from kg.edges import Edge, check_records
from kg.graph import KnowledgeGraph
from kg.loader import Corpus, DataDirs, read_corpus
from kg.ontology import check_alignment, check_shacl
from kg.report import Issue, Report

__all__ = ["load", "validate", "DEFAULT_DATA_DIR"]

DEFAULT_DATA_DIR = "data"


def load(data_dir: DataDirs = DEFAULT_DATA_DIR, *, cache: CacheSetting = None,
         persist_store: bool = True) -> KnowledgeGraph:
    """Read, check and build the graph of ``data_dir`` (one directory or a list of them); raise DataError
    listing every problem. Warnings (an entity a later directory redefines) do not fail: they are kept in
    ``graph.warnings``.

    ``cache`` is the build cache (:mod:`kg.cache`): None for the default (``$KG_CACHE_DIR``, else the user's
    cache folder), False for none, or a directory. A tree already built is not read again, and the graph's
    store is opened from disk instead of being loaded; ``persist_store=False`` loads a store the cache does not
    hold yet in memory, without writing it (for a one-off export: see :func:`kg.cache.cached`).

    >>> kg = load("data")
    >>> kg.number_of_nodes("Tension")
    3
    """
    directory = cache_dir(cache)
    if directory is None:
        return _load(data_dir)
    return cached(data_dir, directory, _load, persist_store)


def _load(data_dir: DataDirs) -> KnowledgeGraph:
    report = Report()
    corpus = read_corpus(data_dir, report)
    edges = _check(corpus, report)
    report.raise_for_errors()
    return _graph(corpus, edges, warnings=[i for i in report.sorted() if i.severity != "error"])


def validate(data_dir: DataDirs = DEFAULT_DATA_DIR, *, shacl: bool = True) -> Report:
    """Every problem in ``data_dir`` (one directory or a list of them): YAML, fields, references, citations,
    ontology alignment, SHACL. Overrides between directories are warnings, which leave ``report.ok`` true."""
    report = Report()
    corpus = read_corpus(data_dir, report)
    edges = _check(corpus, report)
    report.issues.extend(check_alignment())
    if shacl and report.ok:
        report.issues.extend(check_shacl(_graph(corpus, edges)))
    return report


def _check(corpus: Corpus, report: Report) -> list[Edge]:
    return check_records(corpus.nodes, corpus.documents, corpus.owner, report, corpus.locations, corpus.is_broken)


def _graph(corpus: Corpus, edges: list[Edge], warnings: list[Issue] | None = None) -> KnowledgeGraph:
    """The graph of the corpus's records; of the loader's state it keeps only the locations (for messages)."""
    return KnowledgeGraph(corpus.nodes, corpus.documents, corpus.owner, tuple(edges), tuple(warnings or ()),
                          data_dirs=corpus.roots, locations=corpus.locations)
