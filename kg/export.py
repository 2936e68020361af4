"""Serializer registry: every export format is one function and one registration line.

A serializer takes the built graph and returns bytes; :func:`export` picks it by name (or alias), and writes
the result atomically when given a path, so a failing export never leaves a half-written file. Every
serializer is deterministic: the same data gives byte-identical output on any run and machine (lines and
keys sorted where a library does not fix the order, no timestamps, no blank nodes).

RDF formats carry the dataset description of :mod:`kg.dataset` (in its own named graph in N-Quads and TriG).
Oxigraph writes them from the graph's store (canonical literals: ``...Z`` for ``...+00:00``), except JSON-LD,
which rdflib compacts with the published context. The graph formats (GraphML, GEXF, node-link JSON, CSV) carry
the networkx view, with list and mapping attributes written as JSON strings where the format only holds
scalars.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph

from kg._progress import status
from kg._util import cannot_write, write_bytes
from kg.dataset import dataset_nquads, union_graph, union_ntriples
from kg.errors import ExportError, UsageError
from kg.graph import KnowledgeGraph
from kg.registry import Registry
from kg.vocab import EXPORT_PREFIXES, ONTOLOGY_DIR

if TYPE_CHECKING:  # networkx takes a tenth of a second to import: only the graph formats need it
    import networkx as nx

__all__ = ["Format", "FORMATS", "register", "get", "formats", "triple_formats", "serialize_triples", "by_extension",
           "format_for_media_type", "export", "union_graph", "jsonld_context", "flat_graph"]

Serializer = Callable[[KnowledgeGraph], bytes]
_NT = ox.RdfFormat.N_TRIPLES


@dataclass(frozen=True)
class Format:
    """A registered export format; ``archive`` formats are zip files that can also be unpacked into a folder."""

    name: str
    serialize: Serializer
    extension: str
    #: the IANA media type (``text/turtle``), for HTTP content negotiation and ``kg export --list``
    media_type: str
    description: str
    aliases: tuple[str, ...] = ()
    kind: str = "rdf"
    archive: bool = False
    #: the same writer for any plain triple graph (a CONSTRUCT result), for the triple formats
    triples: Callable[[Graph], bytes] | None = None


def _format(name: str, loaded: object) -> Format:
    if not isinstance(loaded, Format):
        raise UsageError(f"export format '{name}' is not a kg.export.Format: {loaded!r}")
    return loaded


#: every export format; other packages add theirs under the ``kg.export_formats`` entry-point group
FORMATS: Registry[Format] = Registry("export format", "kg.export_formats", adapt=_format)


def register(fmt: Format) -> Format:
    """Add an export format (and its aliases) to the registry."""
    FORMATS.register(fmt.name, fmt, aliases=fmt.aliases)
    return fmt


def get(name: str) -> Format:
    """The format registered under ``name``; UsageError listing the known ones otherwise."""
    return FORMATS.get(name)


def formats() -> list[str]:
    """Names of the registered formats (aliases left out)."""
    return sorted(FORMATS.names())


def triple_formats() -> list[str]:
    """Names of the formats that can also write a plain triple graph (see :func:`serialize_triples`)."""
    return [name for name in formats() if get(name).triples is not None]


def serialize_triples(graph: Graph, format: str) -> bytes:
    """Any triple graph (a CONSTRUCT or DESCRIBE result) in a triple format, as deterministically as exports."""
    fmt = get(format)
    if fmt.triples is None:
        raise UsageError(f"'{fmt.name}' cannot hold a plain triple graph (use one of: {', '.join(triple_formats())})")
    return fmt.triples(graph)


def by_extension(path: str | os.PathLike[str]) -> Format | None:
    """The format whose file extension ``path`` has, if any (``graph.nt`` → nt)."""
    suffix = Path(path).suffix.lower()
    return next((get(name) for name in formats() if get(name).extension == suffix), None)


def format_for_media_type(media_type: str) -> Format | None:
    """The format served as ``media_type``, if any: parameters and case are ignored (content negotiation).

    >>> format_for_media_type("text/turtle; charset=utf-8").name
    'turtle'
    >>> format_for_media_type("application/msword") is None
    True
    """
    wanted = media_type.partition(";")[0].strip().lower()
    return next((get(name) for name in formats() if get(name).media_type.lower() == wanted), None)


def export(kg: KnowledgeGraph, format: str = "turtle", path: str | os.PathLike[str] | None = None) -> bytes:
    """Serialize ``kg`` as ``format``; with ``path``, also write it there atomically.

    An archive format (``csv``) given an existing folder, or a path ending in ``/``, writes its members
    (``nodes.csv``, ``edges.csv``) into that folder instead, each atomically.

    >>> data = export(load("data"), "turtle")
    """
    fmt = get(format)
    try:
        with status(f"writing {fmt.name}"):
            payload = fmt.serialize(kg)
    except (ExportError, UsageError):
        raise
    except Exception as err:  # a serializer bug or library error must not leave a partial file behind
        raise ExportError(f"{fmt.name} export failed: {err}") from err
    if path is not None:
        _write(fmt, payload, path)
    return payload


def _write(fmt: Format, payload: bytes, path: str | os.PathLike[str]) -> None:
    target = Path(path)
    folder = target.is_dir() or str(path).endswith(("/", os.sep))
    if not folder:
        write_bytes(path, payload)
        return
    if not fmt.archive:
        raise ExportError(f"cannot write {path}: it is a folder; only archive formats "
                          f"({', '.join(n for n in formats() if get(n).archive)}) unpack into one")
    try:
        target.mkdir(parents=False, exist_ok=True)
    except OSError as err:
        raise cannot_write(path, err) from err
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        members = [(name, archive.read(name)) for name in archive.namelist()]
    for name, data in members:
        write_bytes(target / name, data)


# --- RDF formats ----------------------------------------------------------------------------------------------
# Oxigraph writes them from sorted N-Triples or N-Quads lines (kg.dataset reads those from the graph's store),
# so statements come out in a fixed order: its Turtle, TriG and RDF/XML writers group consecutive statements.


def _rewrite(data: bytes, source: ox.RdfFormat, target: ox.RdfFormat) -> bytes:
    """``data`` parsed as ``source`` and written by Oxigraph as ``target``, statements in the same order."""
    return ox.serialize(ox.parse(data, source), format=target, prefixes=EXPORT_PREFIXES) or b""  # no output: bytes


def _ntriples_of(graph: Graph) -> bytes:
    """Any rdflib triple graph as the N-Triples the triple writers take: Oxigraph's lines, sorted and unique."""
    lines = sorted(set(_rewrite(graph.serialize(format="nt", encoding="utf-8"), _NT, _NT).splitlines()))
    lines.append(b"")
    return b"\n".join(lines)


def _turtle(nt: bytes) -> bytes:
    return _rewrite(nt, _NT, ox.RdfFormat.TURTLE)


def _nt(nt: bytes) -> bytes:
    return nt


def _xml(nt: bytes) -> bytes:
    return _rewrite(nt, _NT, ox.RdfFormat.RDF_XML)


def _trig(kg: KnowledgeGraph) -> bytes:
    return _rewrite(dataset_nquads(kg, grouped=True), ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context (``ontology/context.jsonld``), as its ``@context`` object."""
    path = ONTOLOGY_DIR / "context.jsonld"
    try:
        context: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["@context"]
        return context
    except (OSError, ValueError, KeyError) as err:
        raise ExportError(f"cannot read the JSON-LD context {path}: {err}") from err


def _canonical(value: Any) -> Any:
    """``value`` with every JSON array sorted (JSON-LD arrays are unordered sets unless they are ``@list``)."""
    if isinstance(value, dict):
        return {k: v if k == "@list" else _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld(graph: Graph) -> bytes:
    from rdflib.plugins.serializers.jsonld import from_rdf

    context = jsonld_context()
    # rdflib leaves from_rdf unannotated
    document = from_rdf(graph, context_data=context, use_native_types=True)  # type: ignore[no-untyped-call]
    document = {"@context": context, **{k: _canonical(v) for k, v in document.items() if k != "@context"}}
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _triple_format(name: str, write: Callable[[bytes], bytes], extension: str, media_type: str,
                   description: str, aliases: tuple[str, ...] = ()) -> Format:
    """A triple format written from sorted N-Triples: the union of all graphs, or any triple graph."""
    return Format(name, lambda kg: write(union_ntriples(kg)), extension, media_type, description, aliases,
                  triples=lambda graph: write(_ntriples_of(graph)))


register(_triple_format("turtle", _turtle, ".ttl", "text/turtle", "Turtle (all documents' graphs merged)",
                        ("ttl",)))
register(Format("jsonld", lambda kg: _jsonld(union_graph(kg)), ".jsonld", "application/ld+json",
                "JSON-LD, compacted with ontology/context.jsonld (inlined)", ("json-ld",), triples=_jsonld))
register(_triple_format("nt", _nt, ".nt", "application/n-triples", "N-Triples, one sorted triple per line",
                        ("ntriples", "n-triples")))
register(Format("nq", dataset_nquads, ".nq", "application/n-quads", "N-Quads: one named graph per document, sorted",
                ("nquads", "n-quads")))
register(Format("trig", _trig, ".trig", "application/trig", "TriG: one named graph per document"))
register(_triple_format("xml", _xml, ".rdf", "application/rdf+xml", "RDF/XML (all documents' graphs merged)",
                        ("rdfxml", "rdf-xml")))


# --- graph formats --------------------------------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    """A scalar for formats without lists: lists and mappings become JSON text with sorted keys."""
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return value


def flat_graph(kg: KnowledgeGraph) -> nx.MultiDiGraph[str]:
    """The networkx view with scalar attributes only (lists and mappings as JSON text), for GraphML/GEXF/CSV."""
    import networkx as nx

    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, attrs in kg.nx.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    for subject, obj, key, attrs in kg.nx.edges(keys=True, data=True):
        flat.add_edge(subject, obj, key=key, **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    return flat


def _graphml(kg: KnowledgeGraph) -> bytes:
    """GraphML 1.0: each edge's stable key is its id and also a ``key`` data value (igraph drops edge ids); key
    ids are networkx's ``d0``, ``d1``, ... and unique, as the schema requires (by name, ``note`` and others
    would name both a node key and an edge key); readers go by ``attr.name``."""
    import networkx as nx

    flat = flat_graph(kg)
    for _, _, key, attrs in flat.edges(keys=True, data=True):
        attrs["key"] = key
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True, named_key_ids=False)
    return buffer.getvalue()


def _gexf(kg: KnowledgeGraph) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(flat_graph(kg), buffer, encoding="utf-8", prettyprint=True)
    # networkx stamps today's date into <meta>; drop it so the same data always gives the same bytes
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue(), count=1)


def _json(kg: KnowledgeGraph) -> bytes:
    import networkx as nx

    data = nx.node_link_data(kg.nx, edges="edges")
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _table(rows: list[dict[str, Any]], first: list[str]) -> bytes:
    columns = first + sorted({k for row in rows for k in row} - set(first))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, bool) else v for k, v in row.items()})
    return text.getvalue().encode("utf-8")


def _csv(kg: KnowledgeGraph) -> bytes:
    flat = flat_graph(kg)
    nodes = [{"id": node, **attrs} for node, attrs in flat.nodes(data=True)]
    edges = [{"source": s, "target": t, "key": k, **attrs} for s, t, k, attrs in flat.edges(keys=True, data=True)]
    buffer = io.BytesIO()
    # stored, not deflated: compressed bytes may differ between zlib builds, and the output must not
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, payload in (("nodes.csv", _table(nodes, ["id", "type", "label"])),
                              ("edges.csv", _table(edges, ["source", "target", "key", "relation"]))):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload)
    return buffer.getvalue()


# GraphML and GEXF have no IANA-registered media type: these follow the +xml suffix convention (RFC 6839)
register(Format("graphml", _graphml, ".graphml", "application/graphml+xml",
                "GraphML for yEd, Cytoscape, Gephi (lists as JSON text)", kind="graph"))
register(Format("gexf", _gexf, ".gexf", "application/gexf+xml", "GEXF 1.2 for Gephi (lists as JSON text)",
                kind="graph"))
register(Format("json", _json, ".json", "application/json", "networkx node-link JSON (nodes, edges)",
                ("node-link",), kind="graph"))
register(Format("csv", _csv, ".zip", "application/zip", "zip of nodes.csv and edges.csv (or a folder)",
                kind="graph", archive=True))
