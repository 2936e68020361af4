"""kg: a typed, queryable knowledge graph of claims from the AI-risk literature.

>>> import kg
>>> graph = kg.load("data")
>>> graph.stats()["nodes"]["Tension"]
3
"""

from kg._util import package_version
from kg.build import DEFAULT_DATA_DIR, load, validate
from kg.errors import DataError, ExportError, IngestError, KgError, QueryError, UsageError
from kg.export import export
from kg.generate import Suggestion, brief, suggest_tensions, tensions
from kg.graph import Edge, KnowledgeGraph, SourceRef
from kg.importers import ImportReport, import_kb
from kg.ingest import Bundle, ingest, ingest_text
from kg.ontology import check_alignment
from kg.query import QueryResult, named_queries, query
from kg.rdf_read import load_rdf
from kg.report import Issue, Location, Report
from kg.viz import viz

__all__ = [
    "DEFAULT_DATA_DIR",
    "load",
    "validate",
    "export",
    "load_rdf",
    "ingest",
    "ingest_text",
    "import_kb",
    "ImportReport",
    "tensions",
    "brief",
    "suggest_tensions",
    "query",
    "named_queries",
    "QueryResult",
    "viz",
    "Suggestion",
    "Bundle",
    "check_alignment",
    "KnowledgeGraph",
    "Edge",
    "SourceRef",
    "Issue",
    "Location",
    "Report",
    "KgError",
    "UsageError",
    "DataError",
    "QueryError",
    "IngestError",
    "ExportError",
]

__version__ = package_version()
