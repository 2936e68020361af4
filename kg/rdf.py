"""Records → RDF: direct triples plus a statement node with provenance for every edge.

Layout (see the README's "RDF" section): every node is typed and labelled; fields marked ``Lit`` become
literals of ``kg:`` properties; every edge becomes a direct triple (both directions for symmetric relations;
none for ``addresses`` at level ``none``) and a ``kg:Statement`` node naming its sources, citations and who
asserted it. Each document's triples live in its own named graph; registry entities share one graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.edges import Edge
from kg.model import RELATIONS, Credibility, Document, Lit, Node, Record, Tension, field_specs
from kg.vocab import EXPORT_PREFIXES, KG, bind_prefixes, citation_iri, graph_iri, iri, perspective_iri, statement_iri

__all__ = ["to_dataset", "flatten", "STRUCTURAL_PROPERTIES", "literal"]

#: kg: properties written by this module's own code rather than from model field metadata
STRUCTURAL_PROPERTIES = frozenset(
    {"claimA", "claimB", "citation", "citedSource", "citationNumber", "inDocument", "perspective", "person",
     "statedByClaim", "tension", "level", "note", "assertedBy"}
)
_DATATYPES = {"url": XSD.anyURI}


def literal(value: Any, prop: str = "") -> Literal:
    """The RDF literal of a field value, with the datatype the ontology gives its property."""
    if prop in _DATATYPES:
        return Literal(str(value), datatype=_DATATYPES[prop])
    if prop == "period":  # a date at its own precision: 2023 or 2025-12
        return Literal(str(value), datatype=XSD.gYear if len(str(value)) == 4 else XSD.gYearMonth)
    if isinstance(value, datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    return Literal(str(value))


def to_dataset(nodes: Iterable[Node], owner: Mapping[str, str], edges: Iterable[Edge]) -> Dataset:
    """The RDF view of a graph's records: a Dataset whose default graph is the union of its named graphs.

    ``owner`` maps a node id to the document defining it (each document's triples go to its own named graph);
    ``graph.rdf`` is ``to_dataset(graph.iter_nodes(), graph.owner, graph.edges)``, built once.
    """
    dataset = bind_prefixes(Dataset(default_union=True))
    for node in nodes:
        document = node.id if isinstance(node, Document) else owner.get(node.id)
        graph = dataset.graph(graph_iri(document))
        _add_fields(graph, iri(node.id), node)
        graph.add((iri(node.id), RDF.type, KG[node.rdf_class]))
        graph.add((iri(node.id), RDFS.label, Literal(node.caption)))
        if isinstance(node, Document):
            _add_document(graph, node)
        elif document is not None:
            _add_document_item(graph, node, document)
    for edge in edges:
        _add_edge(dataset.graph(graph_iri(edge.document)), edge)
    return dataset


def flatten(dataset: Dataset) -> Graph:
    """Every triple of ``dataset``'s named graphs in one plain Graph, with the export prefixes bound."""
    graph = bind_prefixes(Graph(), EXPORT_PREFIXES)
    for triple in dataset.triples((None, None, None)):
        graph.add(triple)
    return graph


def _add_fields(graph: Graph, subject: URIRef, record: Record) -> None:
    for name, spec in field_specs(type(record)).items():
        if not isinstance(spec, Lit):
            continue
        value = getattr(record, name)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                graph.add((subject, KG[spec.prop], literal(item, spec.prop)))
    for name in type(record).model_fields:
        nested = getattr(record, name)
        if isinstance(nested, Credibility):
            _add_fields(graph, subject, nested)


def _add_document(graph: Graph, doc: Document) -> None:
    subject = iri(doc.id)
    for number, source in sorted(doc.citations.items()):
        citation = citation_iri(doc.id, number)
        graph.add((subject, KG.citation, citation))
        graph.add((citation, RDF.type, KG.Citation))
        graph.add((citation, KG.citationNumber, literal(number)))
        graph.add((citation, KG.citedSource, iri(source)))
        graph.add((citation, KG.inDocument, subject))
        graph.add((citation, RDFS.label, Literal(f"[{number}]")))
    for perspective in doc.perspectives:
        node = perspective_iri(doc.id, perspective.person)
        graph.add((subject, KG.perspective, node))
        graph.add((node, RDF.type, KG.Perspective))
        graph.add((node, KG.person, iri(perspective.person)))
        graph.add((node, KG.inDocument, subject))
        graph.add((node, RDFS.label, Literal(f"Perspective of {perspective.person}")))
        _add_fields(graph, node, perspective)
        for number in perspective.citations:
            graph.add((node, KG.citation, citation_iri(doc.id, number)))


def _add_document_item(graph: Graph, node: Node, doc_id: str) -> None:
    subject = iri(node.id)
    graph.add((subject, KG.inDocument, iri(doc_id)))
    for number in getattr(node, "citations", []):
        graph.add((subject, KG.citation, citation_iri(doc_id, number)))
    if isinstance(node, Tension):
        graph.add((subject, KG.claimA, iri(node.a)))
        graph.add((subject, KG.claimB, iri(node.b)))


def _add_edge(graph: Graph, edge: Edge) -> None:
    spec = RELATIONS[edge.relation]
    prop, subject, obj = KG[spec.prop], iri(edge.subject), iri(edge.object)
    if not (spec.has_level and edge.level == "none"):
        graph.add((subject, prop, obj))
        if spec.symmetric:
            graph.add((obj, prop, subject))
    node = statement_iri(edge.key)
    graph.add((node, RDF.type, KG.Statement))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, prop))
    graph.add((node, RDF.object, obj))
    graph.add((node, KG.assertedBy, Literal(edge.asserted_by)))
    for ref in edge.sources:
        graph.add((node, PROV.wasDerivedFrom, iri(ref.source)))
        if ref.number is not None and ref.document is not None:
            graph.add((node, KG.citation, citation_iri(ref.document, ref.number)))
    if edge.document:
        graph.add((node, KG.inDocument, iri(edge.document)))
    if edge.level:
        graph.add((node, KG.level, Literal(edge.level)))
    if edge.note:
        graph.add((node, KG.note, Literal(edge.note)))
    if edge.claim:
        graph.add((node, KG.statedByClaim, iri(edge.claim)))
    if edge.tension:
        graph.add((node, KG.tension, iri(edge.tension)))
