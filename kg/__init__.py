"""kg: a typed, queryable knowledge graph of claims from the AI-risk literature.

>>> import kg
>>> graph = kg.load("data")
>>> graph.stats()["nodes"]["Tension"]
3

The top-level functions are named so that none hides a subpackage: ``kg.query_graph`` answers a query while
``kg.query`` stays the package (``kg.query.ENGINES``), and likewise ``kg.export_graph``/``kg.export``,
``kg.ingest_file``/``kg.ingest`` and ``kg.visualize_graph``/``kg.viz``.
"""

from kg._util import package_version
from kg.build import DEFAULT_DATA_DIR, load, validate
from kg.errors import DataError, ExportError, IngestError, KgError, QueryError, UsageError
from kg.export import export as export_graph
from kg.generate import Suggestion, brief, suggest_tensions, tensions
from kg.graph import Edge, KnowledgeGraph, SourceRef
from kg.importers import ImportReport, import_kb
from kg.ingest import Bundle, ingest_text
from kg.ingest import ingest as ingest_file
from kg.ontology import check_alignment
from kg.query import QueryResult, named_queries
from kg.query import query as query_graph
from kg.rdf_read import load_rdf
from kg.report import Issue, Location, Report
from kg.viz import viz as visualize_graph

__all__ = [
    "DEFAULT_DATA_DIR",
    "load",
    "validate",
    "export_graph",
    "load_rdf",
    "ingest_file",
    "ingest_text",
    "import_kb",
    "ImportReport",
    "tensions",
    "brief",
    "suggest_tensions",
    "query_graph",
    "named_queries",
    "QueryResult",
    "visualize_graph",
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
