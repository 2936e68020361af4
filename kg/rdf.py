"""Records → RDF: direct triples plus a statement node with provenance for every edge.

Layout (see the README's "RDF" section): every node is typed and labelled; fields marked ``Lit`` become
literals of ``kg:`` properties; every edge becomes a direct triple (both directions for symmetric relations;
none for ``addresses`` at level ``none``) and a ``kg:Statement`` node naming its sources, citations and who
asserted it. Each document's triples live in its own named graph; registry entities share one graph.

The records are written straight to N-Quads text (:func:`to_nquads`), which Oxigraph bulk-loads as it is:
at a million triples, building an rdflib Dataset first cost five times the load itself. The rdflib view
(:func:`to_dataset`) is parsed from the same text, so both views hold the same quads by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, get_args

from rdflib import Dataset, Graph
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.edges import Edge
from kg.model import RELATIONS, Credibility, Document, Lit, Node, Record, Tension, field_specs
from kg.vocab import BASE, ENTITIES_GRAPH, EXPORT_PREFIXES, ID, KG, bind_prefixes

__all__ = ["to_nquads", "quad_lines", "to_dataset", "flatten", "STRUCTURAL_PROPERTIES"]

#: kg: properties written by this module's own code rather than from model field metadata
STRUCTURAL_PROPERTIES = frozenset(
    {"claimA", "claimB", "citation", "citedSource", "citationNumber", "inDocument", "perspective", "person",
     "statedByClaim", "tension", "level", "note", "assertedBy"}
)

_TYPE, _LABEL = f"<{RDF.type}>", f"<{RDFS.label}>"
_SUBJECT, _PREDICATE, _OBJECT = f"<{RDF.subject}>", f"<{RDF.predicate}>", f"<{RDF.object}>"
_DERIVED = f"<{PROV.wasDerivedFrom}>"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


@cache
def _kg(name: str) -> str:
    return f"<{KG}{name}>"


def _iri(node_id: str) -> str:
    return f"<{ID}{node_id}>"


def _graph(document: str | None) -> str:
    return f"<{ENTITIES_GRAPH}>" if document is None else f"<{BASE}graph/{document}>"


def _text(value: str, datatype: str | None = None) -> str:
    """An N-Quads literal: ``"value"`` with quotes, backslashes and line breaks escaped, typed when given."""
    quoted = '"' + value.translate(_ESCAPES) + '"'
    return quoted if datatype is None else f"{quoted}^^<{XSD}{datatype}>"


def _literal(value: Any, prop: str = "") -> str:
    """The N-Quads literal of a field value, with the datatype the ontology gives its property."""
    if prop == "url":
        return _text(str(value), "anyURI")
    if prop == "period":  # a date at its own precision: 2023 or 2025-12
        return _text(str(value), "gYear" if len(str(value)) == 4 else "gYearMonth")
    if isinstance(value, datetime):
        return _text(value.isoformat(), "dateTime")
    if isinstance(value, date):
        return _text(value.isoformat(), "date")
    if isinstance(value, bool):
        return _text("true" if value else "false", "boolean")
    if isinstance(value, int):
        return _text(str(value), "integer")
    return _text(str(value))


@cache
def _literal_fields(model: type[Record]) -> tuple[tuple[str, str], ...]:
    """(field, property) of each literal field of ``model``, and ("", field) for each nested Credibility."""
    fields = [(name, spec.prop) for name, spec in field_specs(model).items() if isinstance(spec, Lit)]
    nested = [("", name) for name, info in model.model_fields.items() if Credibility in get_args(info.annotation)]
    return (*fields, *nested)


def quad_lines(nodes: Iterable[Node], owner: Mapping[str, str], edges: Iterable[Edge]) -> list[str]:
    """Every quad of the records as an N-Quads line (with its newline), nodes first, then edges.

    ``owner`` maps a node id to the document defining it (each document's triples go to its own named graph).
    The lines are appended to one list (a million yields through nested generators took a third longer).
    """
    out: list[str] = []
    add = out.append
    for node in nodes:
        document = node.id if isinstance(node, Document) else owner.get(node.id)
        g = _graph(document)
        subject = _iri(node.id)
        _field_lines(subject, node, g, out)
        add(f"{subject} {_TYPE} {_kg(node.rdf_class)} {g} .\n")
        add(f"{subject} {_LABEL} {_text(node.caption)} {g} .\n")
        if isinstance(node, Document):
            _document_lines(node, g, out)
        elif document is not None:
            _item_lines(node, document, g, out)
    for edge in edges:
        _edge_lines(edge, out)
    return out


def to_nquads(nodes: Iterable[Node], owner: Mapping[str, str], edges: Iterable[Edge]) -> bytes:
    """The records as N-Quads, in the order :func:`quad_lines` gives (not sorted; exports sort)."""
    return "".join(quad_lines(nodes, owner, edges)).encode("utf-8")


def to_dataset(nodes: Iterable[Node], owner: Mapping[str, str], edges: Iterable[Edge]) -> Dataset:
    """The rdflib view of a graph's records: a Dataset whose default graph is the union of its named graphs,
    parsed from :func:`to_nquads` (``graph.rdf`` builds it once, for rdflib's engine and the formats it writes)."""
    dataset = bind_prefixes(Dataset(default_union=True))
    dataset.parse(data=to_nquads(nodes, owner, edges), format="nquads")
    return dataset


def flatten(dataset: Dataset) -> Graph:
    """Every triple of ``dataset``'s named graphs in one plain Graph, with the export prefixes bound."""
    graph = bind_prefixes(Graph(), EXPORT_PREFIXES)
    for triple in dataset.triples((None, None, None)):
        graph.add(triple)
    return graph


def _field_lines(subject: str, record: Record, g: str, out: list[str]) -> None:
    add = out.append
    for name, prop in _literal_fields(type(record)):
        if not name:  # a nested Credibility, flattened onto its owner
            nested = getattr(record, prop)
            if isinstance(nested, Credibility):
                _field_lines(subject, nested, g, out)
            continue
        value = getattr(record, name)
        p = _kg(prop)
        for item in value if isinstance(value, list) else (value,):
            if item is not None:
                add(f"{subject} {p} {_literal(item, prop)} {g} .\n")


def _document_lines(doc: Document, g: str, out: list[str]) -> None:
    add = out.append
    subject = _iri(doc.id)
    for number, source in sorted(doc.citations.items()):
        citation = f"<{ID}{doc.id}/citation/{number}>"
        add(f"{subject} {_kg('citation')} {citation} {g} .\n")
        add(f"{citation} {_TYPE} {_kg('Citation')} {g} .\n")
        add(f"{citation} {_kg('citationNumber')} {_literal(number)} {g} .\n")
        add(f"{citation} {_kg('citedSource')} {_iri(source)} {g} .\n")
        add(f"{citation} {_kg('inDocument')} {subject} {g} .\n")
        add(f"{citation} {_LABEL} {_text(f'[{number}]')} {g} .\n")
    for perspective in doc.perspectives:
        node = f"<{ID}{doc.id}/perspective/{perspective.person.split('/', 1)[1]}>"
        add(f"{subject} {_kg('perspective')} {node} {g} .\n")
        add(f"{node} {_TYPE} {_kg('Perspective')} {g} .\n")
        add(f"{node} {_kg('person')} {_iri(perspective.person)} {g} .\n")
        add(f"{node} {_kg('inDocument')} {subject} {g} .\n")
        add(f"{node} {_LABEL} {_text(f'Perspective of {perspective.person}')} {g} .\n")
        _field_lines(node, perspective, g, out)
        for number in perspective.citations:
            add(f"{node} {_kg('citation')} <{ID}{doc.id}/citation/{number}> {g} .\n")


def _item_lines(node: Node, doc_id: str, g: str, out: list[str]) -> None:
    add = out.append
    subject = _iri(node.id)
    add(f"{subject} {_kg('inDocument')} {_iri(doc_id)} {g} .\n")
    for number in getattr(node, "citations", []):
        add(f"{subject} {_kg('citation')} <{ID}{doc_id}/citation/{number}> {g} .\n")
    if isinstance(node, Tension):
        add(f"{subject} {_kg('claimA')} {_iri(node.a)} {g} .\n")
        add(f"{subject} {_kg('claimB')} {_iri(node.b)} {g} .\n")


def _edge_lines(edge: Edge, out: list[str]) -> None:
    add = out.append
    spec = RELATIONS[edge.relation]
    g = _graph(edge.document)
    prop, subject, obj = _kg(spec.prop), _iri(edge.subject), _iri(edge.object)
    if not (spec.has_level and edge.level == "none"):
        add(f"{subject} {prop} {obj} {g} .\n")
        if spec.symmetric:
            add(f"{obj} {prop} {subject} {g} .\n")
    node = f"<{ID}statement/{edge.key}>"
    add(f"{node} {_TYPE} {_kg('Statement')} {g} .\n")
    add(f"{node} {_SUBJECT} {subject} {g} .\n")
    add(f"{node} {_PREDICATE} {prop} {g} .\n")
    add(f"{node} {_OBJECT} {obj} {g} .\n")
    add(f"{node} {_kg('assertedBy')} {_text(edge.asserted_by)} {g} .\n")
    for ref in edge.sources:
        add(f"{node} {_DERIVED} {_iri(ref.source)} {g} .\n")
        if ref.number is not None and ref.document is not None:
            add(f"{node} {_kg('citation')} <{ID}{ref.document}/citation/{ref.number}> {g} .\n")
    if edge.document:
        add(f"{node} {_kg('inDocument')} {_iri(edge.document)} {g} .\n")
    if edge.level:
        add(f"{node} {_kg('level')} {_text(edge.level)} {g} .\n")
    if edge.note:
        add(f"{node} {_kg('note')} {_text(edge.note)} {g} .\n")
    if edge.claim:
        add(f"{node} {_kg('statedByClaim')} {_iri(edge.claim)} {g} .\n")
    if edge.tension:
        add(f"{node} {_kg('tension')} {_iri(edge.tension)} {g} .\n")
