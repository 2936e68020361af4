"""Namespaces, prefixes and IRI minting: the only place IRIs are made.

A node id such as ``concept/deployment-time-spread`` becomes ``<BASE>id/concept/deployment-time-spread``;
each id kind has a SPARQL prefix of the same name, so ``concept:deployment-time-spread`` in a query is that
node. Statement nodes, citations and perspectives get IRIs derived from their content, never blank nodes,
so exports are deterministic.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "BASE",
    "KG",
    "ID",
    "SCHEMA",
    "CITO",
    "SH",
    "ID_KINDS",
    "PREFIXES",
    "ONTOLOGY_DIR",
    "iri",
    "id_of",
    "is_node_id",
    "edge_key",
    "statement_iri",
    "citation_iri",
    "perspective_iri",
    "graph_iri",
    "graph_document",
    "bind_prefixes",
    "EXPORT_PREFIXES",
    "ENTITIES_GRAPH",
    "sparql_prefixes",
    "VOID",
    "DCAT",
    "CONTEXT_URL",
    "DATASET",
    "DESCRIPTION_GRAPH",
]

BASE = "https://w3id.org/kg-ai-risk/"
KG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
SCHEMA = Namespace("https://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")
SH = Namespace("http://www.w3.org/ns/shacl#")

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

#: ontology/ ships inside the package as kg/_ontology (a link to the repository's ontology/ in a checkout)
_PACKAGED_ONTOLOGY = Path(__file__).resolve().parent / "_ontology"
ONTOLOGY_DIR = (_PACKAGED_ONTOLOGY if _PACKAGED_ONTOLOGY.is_dir()
                else Path(__file__).resolve().parent.parent / "ontology").resolve()

#: id kind (the part before the slash) -> ontology class local name
ID_KINDS: dict[str, str] = {
    "person": "Person",
    "org": "Organization",
    "group": "Group",
    "source": "Source",
    "concept": "Concept",
    "claim": "Claim",
    "tension": "Tension",
    "event": "Event",
    "question": "Question",
    "doc": "Document",
}

_ID_RE = re.compile(rf"^({'|'.join(ID_KINDS)})/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "cito": str(CITO),
    "foaf": str(FOAF),
    "xsd": str(XSD),
    **{kind: f"{ID}{kind}/" for kind in ID_KINDS},
    "statement": f"{ID}statement/",
}

#: what exports bind: the predeclared prefixes plus the vocabularies of the dataset description
EXPORT_PREFIXES: dict[str, str] = {**PREFIXES, "void": str(VOID), "dcat": str(DCAT)}

ENTITIES_GRAPH = URIRef(BASE + "graph/entities")
#: where ontology/context.jsonld is published; readers map it to the bundled file and never fetch it
CONTEXT_URL = BASE + "context.jsonld"
#: the dataset an export describes (VoID/DCAT), and the named graph holding that description
DATASET = URIRef(BASE + "dataset")
DESCRIPTION_GRAPH = URIRef(BASE + "graph/dataset")


def is_node_id(value: str) -> bool:
    """True when ``value`` is a well-formed node id like ``person/alex-mallen``."""
    return bool(_ID_RE.match(value))


def iri(node_id: str) -> URIRef:
    """The IRI of a node id."""
    return URIRef(f"{ID}{node_id}")


def id_of(node: str) -> str | None:
    """The node id of an IRI minted by :func:`iri`, or None for any other IRI."""
    text = str(node)
    if not text.startswith(str(ID)):
        return None
    candidate = text[len(str(ID)) :]
    return candidate if is_node_id(candidate) else None


def edge_key(*parts: str) -> str:
    """A stable short key for an edge, derived from what identifies it."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def statement_iri(key: str) -> URIRef:
    """The IRI of the statement node of the edge with this key."""
    return URIRef(f"{ID}statement/{key}")


def citation_iri(document_id: str, number: int) -> URIRef:
    """The IRI of citation ``[number]`` of a document."""
    return URIRef(f"{ID}{document_id}/citation/{number}")


def perspective_iri(document_id: str, person_id: str) -> URIRef:
    """The IRI of a person's perspective within a document."""
    return URIRef(f"{ID}{document_id}/perspective/{person_id.split('/', 1)[1]}")


def graph_iri(document_id: str | None) -> URIRef:
    """The named graph holding a document's triples (the entity registries share one graph)."""
    return ENTITIES_GRAPH if document_id is None else URIRef(f"{BASE}graph/{document_id}")


def graph_document(graph: str) -> str | None:
    """The document id whose named graph is ``graph`` (the inverse of :func:`graph_iri`), else None."""
    text, prefix = str(graph), f"{BASE}graph/"
    candidate = text[len(prefix) :] if text.startswith(prefix) else ""
    return candidate if is_node_id(candidate) else None


G = TypeVar("G", bound=Graph)


def bind_prefixes(graph: G, prefixes: Mapping[str, str] = PREFIXES) -> G:
    """Bind ``prefixes`` (default: the predeclared ones) on ``graph``, replacing rdflib's defaults; return it."""
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prefixes() -> str:
    """PREFIX declarations for every predeclared prefix, one per line."""
    return "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREFIXES.items())
