"""SHACL conformance of the RDF view: shacl-rust checks the whole graph, pySHACL words what fails.

pySHACL takes minutes and gigabytes on a million triples; shacl-rust (Rust, from PyPI) checks them in a few
seconds. Its report is worded its own way, so the nodes it flags are validated again by pySHACL on just what
the shapes read about them (their own triples, the triples reaching them along a ``sh:inversePath``, the
types of the nodes they point to, the ontology): the issues are pySHACL's, word for word. A flagged node
pySHACL finds nothing wrong with keeps shacl-rust's own words, so no violation is lost.
``KG_SHACL_ENGINE=pyshacl`` (or ``engine="pyshacl"``) runs pySHACL on the whole graph instead.
"""

from __future__ import annotations

import io
import os
from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.errors import UsageError
from kg.report import Issue
from kg.store import nquads
from kg.vocab import EXPORT_PREFIXES, SH, bind_prefixes, id_of

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["ENGINES", "ENGINE_VARIABLE", "check"]

ENGINES = ("shacl-rust", "pyshacl")
#: the environment variable naming the engine (default: the first of ENGINES)
ENGINE_VARIABLE = "KG_SHACL_ENGINE"
_TYPE = ox.NamedNode(str(RDF.type))
_STRING, _LANG_STRING = str(XSD.string), str(RDF.langString)


def _data_nquads(kg: KnowledgeGraph) -> bytes:
    """The data graph as N-Quads: the one place validation reads the graph's triples (from the records)."""
    return nquads(kg)


def check(kg: KnowledgeGraph, shapes: Graph, ontology: Graph, engine: str | None = None) -> list[Issue]:
    """SHACL violations of ``kg``'s RDF view against ``shapes`` (the ``ontology`` mixed into the data, as
    pySHACL's ``ont_graph``), sorted by message; ``engine`` defaults to ``$KG_SHACL_ENGINE``, else shacl-rust."""
    engine = engine or os.environ.get(ENGINE_VARIABLE) or ENGINES[0]
    if engine not in ENGINES:
        raise UsageError(f"unknown SHACL engine {engine!r} (known: {', '.join(ENGINES)})")
    data = _data_nquads(kg)
    if engine == "pyshacl":
        found = _pyshacl(_graph(_store(data).quads_for_pattern(None, None, None)), shapes, ontology)
    else:
        found = _reworded(data, _shacl_rust(data, shapes, ontology), shapes, ontology)
    return sorted((_issue(kg, focus, detail) for focus, detail in found), key=lambda i: i.message)


def _shacl_rust(data: bytes, shapes: Graph, ontology: Graph) -> list[dict[str, Any]]:
    """shacl-rust's results on N-Quads ``data`` with the ontology's triples (empty when it conforms)."""
    import shacl_rust  # type: ignore[import-untyped]

    data += ontology.serialize(format="nt", encoding="utf-8")
    report = shacl_rust.validate_file(io.BytesIO(data), io.BytesIO(shapes.serialize(format="nt", encoding="utf-8")),
                                      data_format="nq", shapes_format="nt", experimental_index=True)
    return [] if report["conforms"] else list(report["results"])


def _reworded(data: bytes, results: list[dict[str, Any]], shapes: Graph, ontology: Graph) -> list[tuple[str, str]]:
    """pySHACL's violations of the IRIs shacl-rust flagged (checked on what the shapes read about them), plus
    shacl-rust's own for any flagged node pySHACL says nothing about."""
    if not results:
        return []
    flagged = {focus for result in results if not (focus := _focus(result)).startswith("_:")}
    around = _graph(_around(_store(data), flagged, shapes))
    found = [(focus, detail) for focus, detail in _pyshacl(around, shapes, ontology) if focus in flagged]
    worded = {focus for focus, _ in found}
    return found + [_own_words(result) for result in results if _focus(result) not in worded]


def _focus(result: dict[str, Any]) -> str:
    """The focus node of a shacl-rust result: an IRI, or ``_:label`` for a blank node."""
    return str(result["focusNode"]).strip("<>")


def _store(data: bytes) -> ox.Store:
    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    return store


def _around(store: ox.Store, nodes: Collection[str], shapes: Graph) -> Iterator[ox.Quad]:
    """What the shapes read about ``nodes``: their triples, the triples reaching them along an inverse path,
    and the types of the nodes they point to."""
    inverse = [ox.NamedNode(str(p)) for p in set(shapes.objects(None, SH.inversePath)) if isinstance(p, URIRef)]
    for node in map(ox.NamedNode, sorted(nodes)):
        for quad in store.quads_for_pattern(node, None, None):
            yield quad
            if not isinstance(quad.object, ox.Literal):
                yield from store.quads_for_pattern(quad.object, _TYPE, None)
        for prop in inverse:
            yield from store.quads_for_pattern(None, prop, node)


def _graph(quads: Iterable[ox.Quad]) -> Graph:
    """The triples of ``quads`` in one rdflib Graph, with the export prefixes bound (pySHACL's messages use them)."""
    graph = bind_prefixes(Graph(), EXPORT_PREFIXES)
    for quad in quads:
        graph.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    return graph


def _term(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    datatype = term.datatype.value
    return Literal(term.value, lang=term.language,
                   datatype=None if datatype in (_STRING, _LANG_STRING) else URIRef(datatype))


def _pyshacl(data: Graph, shapes: Graph, ontology: Graph) -> list[tuple[str, str]]:
    """pySHACL's violations of ``data``: (focus node, `` path: message``)."""
    from pyshacl import validate

    conforms, results, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                    allow_warnings=True, inplace=True)
    found = []
    for result in [] if conforms else results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(result, SH.resultPath)
        path_text = f" {path.n3(data.namespace_manager)}" if isinstance(path, URIRef) else ""
        found.append((str(results.value(result, SH.focusNode)),
                      f"{path_text}: {results.value(result, SH.resultMessage)}"))
    return found


def _own_words(result: dict[str, Any]) -> tuple[str, str]:
    """A violation in shacl-rust's words: (focus node, `` path: message``)."""
    path = result.get("resultPath", "")
    names = bind_prefixes(Graph(), EXPORT_PREFIXES).namespace_manager
    path_text = f" {URIRef(path.strip('<>')).n3(names)}" if path.startswith("<") else ""
    return _focus(result), f"{path_text}: {'; '.join(result.get('messages', []))}"


def _issue(kg: KnowledgeGraph, focus: str, detail: str) -> Issue:
    node_id = id_of(focus)
    location = kg.locations.locate(node_id) if node_id else None
    return Issue("shacl", f"SHACL: {node_id or focus}{detail}", location)
