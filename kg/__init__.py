"""kg: a typed, queryable knowledge graph of claims from the AI-risk literature.

>>> import kg
>>> graph = kg.load("data")
>>> graph.stats()["nodes"]["Tension"]
3

The top-level functions are named so that none hides a subpackage: ``kg.query_graph`` answers a query while
``kg.query`` stays the package (``kg.query.ENGINES``), and likewise ``kg.export_graph``/``kg.export``,
``kg.ingest_file``/``kg.ingest`` and ``kg.visualize_graph``/``kg.viz``.
"""

import importlib
from typing import TYPE_CHECKING, Any

from kg._util import package_version

if TYPE_CHECKING:  # what the names are, for type checkers; at run time each is imported on first use
    from kg.build import DEFAULT_DATA_DIR, load, validate
    from kg.errors import DataError, EndpointError, ExportError, IngestError, KgError, QueryError, UsageError
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

#: public name -> (module, attribute): ``import kg`` stays cheap (the CLI and a warm query load only what they use)
_LAZY: dict[str, tuple[str, str]] = {
    "DEFAULT_DATA_DIR": ("kg.build", "DEFAULT_DATA_DIR"),
    "load": ("kg.build", "load"),
    "validate": ("kg.build", "validate"),
    "DataError": ("kg.errors", "DataError"),
    "ExportError": ("kg.errors", "ExportError"),
    "EndpointError": ("kg.errors", "EndpointError"),
    "IngestError": ("kg.errors", "IngestError"),
    "KgError": ("kg.errors", "KgError"),
    "QueryError": ("kg.errors", "QueryError"),
    "UsageError": ("kg.errors", "UsageError"),
    "export_graph": ("kg.export", "export"),
    "Suggestion": ("kg.generate", "Suggestion"),
    "brief": ("kg.generate", "brief"),
    "suggest_tensions": ("kg.generate", "suggest_tensions"),
    "tensions": ("kg.generate", "tensions"),
    "Edge": ("kg.graph", "Edge"),
    "KnowledgeGraph": ("kg.graph", "KnowledgeGraph"),
    "SourceRef": ("kg.graph", "SourceRef"),
    "ImportReport": ("kg.importers", "ImportReport"),
    "import_kb": ("kg.importers", "import_kb"),
    "Bundle": ("kg.ingest", "Bundle"),
    "ingest_text": ("kg.ingest", "ingest_text"),
    "ingest_file": ("kg.ingest", "ingest"),
    "check_alignment": ("kg.ontology", "check_alignment"),
    "QueryResult": ("kg.query", "QueryResult"),
    "named_queries": ("kg.query", "named_queries"),
    "query_graph": ("kg.query", "query"),
    "load_rdf": ("kg.rdf_read", "load_rdf"),
    "Issue": ("kg.report", "Issue"),
    "Location": ("kg.report", "Location"),
    "Report": ("kg.report", "Report"),
    "visualize_graph": ("kg.viz", "viz"),
}


def __getattr__(name: str) -> Any:
    """Import a public name, or a subpackage (``kg.query``), the first time it is used."""
    if name == "__version__":
        return package_version()
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    try:
        return importlib.import_module(f"kg.{name}")
    except ModuleNotFoundError as err:
        if err.name != f"kg.{name}":
            raise
        raise AttributeError(f"module 'kg' has no attribute '{name}'") from None


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
    "EndpointError",
]

