"""The graph's Oxigraph store: its quads in the engine that answers queries and writes the RDF exports.

A view of the (immutable) graph, built once: bulk-loaded in memory from the records' N-Quads
(:func:`kg.rdf.to_nquads`, no rdflib in between), or opened from the build cache (:mod:`kg.cache`) when the
graph came from there. Treat it as read-only.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg._progress import status
from kg.graph import KnowledgeGraph
from kg.rdf import to_nquads

__all__ = ["STORE_VIEW", "store", "nquads", "build_store"]

#: the key of the store among the graph's views (:meth:`KnowledgeGraph.view`)
STORE_VIEW = "oxigraph-store"


def nquads(graph: KnowledgeGraph) -> bytes:
    """The graph's quads as N-Quads text, in record order (made anew each call: it is large)."""
    return to_nquads(graph.iter_nodes(), graph.owner, graph.edges)


def build_store(graph: KnowledgeGraph, path: str | None = None) -> ox.Store:
    """A new store holding the graph's quads: in memory, or on disk at ``path`` (an empty directory)."""
    data = nquads(graph)
    where = "" if path is None else " on disk"
    with status(f"loading {len(data) / 1e6:,.0f} MB of quads into the store{where}"):
        target = ox.Store() if path is None else ox.Store(path)
        target.bulk_load(data, ox.RdfFormat.N_QUADS)
    return target


def store(graph: KnowledgeGraph) -> ox.Store:
    """The graph's store, built (or opened from the build cache) once per graph."""
    return graph.view(STORE_VIEW, build_store)
