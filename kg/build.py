"""Load a data directory into a KnowledgeGraph, or validate it and report every problem.

``load`` is what every command uses; ``validate`` additionally checks the ontology alignment and SHACL
conformance, which cost a few seconds, and never raises on bad data: it returns the report.
"""

from __future__ import annotations

import os

from kg.graph import KnowledgeGraph, build_graph, check_corpus
from kg.load import read_corpus
from kg.ontology import check_alignment, check_shacl
from kg.report import Report

__all__ = ["load", "validate", "DEFAULT_DATA_DIR"]

DEFAULT_DATA_DIR = "data"


def load(data_dir: str | os.PathLike[str] = DEFAULT_DATA_DIR) -> KnowledgeGraph:
    """Read, check and build the graph of ``data_dir``; raise DataError listing every problem.

    >>> kg = load("data")
    >>> kg.number_of_nodes("Tension")
    3
    """
    report = Report()
    corpus = read_corpus(data_dir, report)
    edges = check_corpus(corpus, report)
    report.raise_for_errors()
    return build_graph(corpus, edges)


def validate(data_dir: str | os.PathLike[str] = DEFAULT_DATA_DIR, *, shacl: bool = True) -> Report:
    """Every problem in ``data_dir``: YAML, fields, references, citations, ontology alignment, SHACL."""
    report = Report()
    corpus = read_corpus(data_dir, report)
    edges = check_corpus(corpus, report)
    report.issues.extend(check_alignment())
    if shacl and report.ok:
        report.issues.extend(check_shacl(build_graph(corpus, edges)))
    return report
