"""Reading RDF back, safely: never a network request, never an XML entity expanded.

RDF parsers will happily fetch what a document names: rdflib's JSON-LD parser downloads every remote
``@context`` and ``@import``, and both rdflib and pyoxigraph expand the internal entities of an RDF/XML DTD,
so a few hundred bytes can cost minutes of CPU or gigabytes of memory. :func:`load_rdf` reads only local
files or bytes, resolves the project's published context to the bundled ``ontology/context.jsonld`` and
refuses any other context reference before parsing, and refuses RDF/XML with a ``<!DOCTYPE`` or
``<!ENTITY`` before the XML parser sees it.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path
from typing import Any

from rdflib import Dataset

from kg._util import excerpt
from kg.errors import DataError, UsageError
from kg.export import by_extension, get, jsonld_context
from kg.vocab import CONTEXT_URL

__all__ = ["load_rdf", "RDF_FORMATS"]

#: export format name -> rdflib parser name, for every format load_rdf reads
RDF_FORMATS = {"turtle": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "xml": "xml", "jsonld": "json-ld"}
_EXTRA_EXTENSIONS = {".owl": "xml", ".xml": "xml", ".turtle": "turtle"}
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def load_rdf(source: str | os.PathLike[str] | bytes, format: str | None = None, *, base: str | None = None
             ) -> Dataset:
    """Parse an RDF file (a path) or payload (bytes) into a Dataset, without touching the network.

    ``format`` is an export format name or alias (``turtle``, ``jsonld``, ``nt``, ``nq``, ``trig``,
    ``xml``); for a path it defaults to the one its extension names. Triples of triple formats land in the
    default graph; named graphs of N-Quads, TriG and JSON-LD stay named. Raises DataError for unreadable or
    refused input (a remote JSON-LD context, an RDF/XML DTD) and UsageError for an unknown format.

    >>> trig = kg.export_graph(graph, "trig", "out/graph.trig")
    >>> len(load_rdf("out/graph.trig")) == len(load_rdf(kg.export_graph(graph, "nt"), format="nt")) > 0
    True
    """
    if isinstance(source, bytes | bytearray):
        data, name = bytes(source), "<bytes>"
        if format is None:
            raise UsageError("load_rdf needs format= when given bytes")
    else:
        name = os.fspath(source)
        if _URL.match(name):
            raise UsageError(f"load_rdf reads local files only, not URLs: {excerpt(name, 60)}")
        fmt_guess = by_extension(name)
        format = format or (fmt_guess.name if fmt_guess else _EXTRA_EXTENSIONS.get(Path(name).suffix.lower()))
        if format is None:
            raise UsageError(f"cannot tell the RDF format of {name} from its extension; pass format= "
                             f"({', '.join(RDF_FORMATS)})")
        try:
            data = Path(name).read_bytes()
        except OSError as err:
            raise DataError(f"cannot read {name}: {err.strerror or err}") from err
    fmt = get(format).name
    if fmt not in RDF_FORMATS:
        raise UsageError(f"'{format}' is not an RDF format (RDF formats: {', '.join(RDF_FORMATS)})")
    dataset = Dataset(default_union=True)
    if fmt == "jsonld":
        return _jsonld(dataset, data, name, base)
    if fmt == "xml":
        _refuse_dtd(data, name)
    try:
        dataset.parse(data=data, format=RDF_FORMATS[fmt], publicID=base)
    except Exception as err:  # rdflib raises many unrelated types for bad syntax
        raise DataError(f"{name}: not valid {fmt}: {excerpt(err, 160)}") from err
    return dataset


def _refuse_dtd(data: bytes, name: str) -> None:
    """Refuse RDF/XML declaring a DTD or entities, in whatever encoding it is written."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            break
    else:
        if b"\x00" in data:
            raise DataError(f"{name}: RDF/XML in an encoding without a byte order mark is refused (use UTF-8)")
        text = data.decode("latin-1")  # every ASCII-compatible encoding shows '<!DOCTYPE' as these bytes
    if match := _DTD.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise DataError(f"{name}:{line}: RDF/XML with a <!{match.group(1).upper()}> declaration is refused "
                        "(entities could expand without bound or read other files)")


def _jsonld(dataset: Dataset, data: bytes, name: str, base: str | None) -> Dataset:
    from rdflib.plugins.parsers.jsonld import to_rdf

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise DataError(f"{name}: JSON-LD must be UTF-8 ({err.reason})") from err
    except json.JSONDecodeError as err:
        raise DataError(f"{name}:{err.lineno}: not valid JSON: {err.msg}") from err
    document = _local_contexts(document, name)
    try:
        to_rdf(document, dataset, base=base)
    except Exception as err:  # rdflib raises many unrelated types for bad JSON-LD
        raise DataError(f"{name}: not valid JSON-LD: {excerpt(err, 160)}") from err
    return dataset


def _local_contexts(value: Any, name: str) -> Any:
    """``value`` with the published context replaced by the bundled one; any other reference is refused.

    rdflib fetches a context given as a string (a URL or a relative path) and the target of ``@import``;
    after this walk no such string is left, so the parser has nothing to fetch.
    """
    if isinstance(value, list):
        return [_local_contexts(item, name) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        if key == "@import":
            raise DataError(f"{name}: JSON-LD @import of {excerpt(item, 60)!r} is refused (kg never fetches "
                            "contexts; inline it)")
        if key == "@context":
            items = item if isinstance(item, list) else [item]
            resolved = [_context(entry, name) for entry in items]
            result[key] = resolved if isinstance(item, list) else resolved[0]
        else:
            result[key] = _local_contexts(item, name)
    return result


def _context(entry: Any, name: str) -> Any:
    if isinstance(entry, str):
        if entry == CONTEXT_URL:
            return jsonld_context()
        raise DataError(f"{name}: JSON-LD context {excerpt(entry, 60)!r} is not fetched (kg never makes network "
                        f"requests; only {CONTEXT_URL} is known, from the bundled ontology/context.jsonld)")
    return _local_contexts(entry, name)
