"""The SPARQL 1.1 Protocol's parts that are not a query: content negotiation and the service description.

Result formats and their media types are :mod:`kg.query`'s (``RESULT_MEDIA_TYPES``) and the export registry's
(:attr:`kg.export.Format.media_type`), so the server offers exactly what ``kg query --format`` writes.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from kg.export import format_for_media_type, get, serialize_triples
from kg.query import GRAPH_FORMATS, RESULT_MEDIA_TYPES

__all__ = ["SD", "negotiate", "result_offers", "graph_offers", "media_type", "service_description"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: what the W3C calls each format the server writes, for ``sd:resultFormat``
_FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples"}
#: media types clients send for a result format besides its own (SPARQLWrapper asks for application/json)
_RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}


def result_offers() -> dict[str, str]:
    """Media type → result format for SELECT and ASK, the default (SPARQL JSON) first."""
    return {**{t: n for n, t in RESULT_MEDIA_TYPES.items()}, **_RESULT_ALIASES}


def graph_offers() -> dict[str, str]:
    """Media type → triple format for CONSTRUCT and DESCRIBE, Turtle first."""
    names = sorted(GRAPH_FORMATS, key=lambda n: n != "turtle")
    return {get(name).media_type: name for name in names}


def media_type(format: str) -> str:
    """The media type a response in ``format`` (a result or a triple format) is sent as."""
    if format in RESULT_MEDIA_TYPES:
        return RESULT_MEDIA_TYPES[format]
    return get(format).media_type


def _ranges(accept: str) -> list[str]:
    """The media ranges of an Accept header, best first (by q, then as written); those with q=0 left out."""
    ranked = []
    for position, part in enumerate(accept.split(",")):
        kind, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if kind and quality > 0:
            ranked.append((-quality, position, kind.lower()))
    return [kind for _, _, kind in sorted(ranked)]


def negotiate(accept: str | None, offers: dict[str, str]) -> str | None:
    """The format the Accept header prefers among ``offers`` (media type → format; the first is the default),
    or None when it accepts none of them (406)."""
    default = next(iter(offers.values()))
    if not accept or not accept.strip():
        return default
    for kind in _ranges(accept):
        if kind == "*/*":
            return default
        if kind.endswith("/*"):
            major = kind[:-1]
            found = next((name for offered, name in offers.items() if offered.startswith(major)), None)
        else:
            found = offers.get(kind)
            if found is None:
                fmt = format_for_media_type(kind)
                found = fmt.name if fmt is not None and fmt.name in offers.values() else None
        if found is not None:
            return found
    return None


def service_description(endpoint: str, graphs: list[str], triple_format: str) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint`` over ``graphs`` (named graph IRIs)."""
    service = URIRef(endpoint)
    description = Graph()
    description.bind("sd", SD)
    description.bind("formats", _FORMATS)
    description.add((service, RDF.type, SD.Service))
    description.add((service, SD.endpoint, service))
    description.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    description.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in _FORMAT_IRIS.values():
        description.add((service, SD.resultFormat, _FORMATS[name]))
    dataset, default = URIRef(f"{endpoint}#dataset"), URIRef(f"{endpoint}#default-graph")
    description.add((service, SD.defaultDataset, dataset))
    description.add((dataset, RDF.type, SD.Dataset))
    description.add((dataset, SD.defaultGraph, default))
    description.add((default, RDF.type, SD.Graph))
    for iri in graphs:
        named = URIRef(f"{iri}#named-graph")
        description.add((dataset, SD.namedGraph, named))
        description.add((named, RDF.type, SD.NamedGraph))
        description.add((named, SD.name, URIRef(iri)))
    description.add((service, URIRef("http://purl.org/dc/terms/title"), Literal("kg SPARQL endpoint")))
    return serialize_triples(description, triple_format)
