"""Reading RDF back, safely: never a network request, never an XML entity expanded.

RDF parsers will happily fetch what a document names: rdflib's JSON-LD parser downloads every remote
``@context`` and ``@import``, and both rdflib and pyoxigraph expand the internal entities of an RDF/XML DTD,
so a few hundred bytes can cost minutes of CPU or gigabytes of memory. :func:`load_rdf` reads only local
files or bytes, resolves the project's published context to the bundled ``ontology/context.jsonld`` and
refuses any other context reference before parsing, and refuses RDF/XML with a ``<!DOCTYPE`` or
``<!ENTITY`` before the XML parser sees it. Input is bounded too: at most :data:`MAX_BYTES` are read (a
device such as ``/dev/zero`` is refused, not read forever), JSON-LD nested deeper than :data:`MAX_JSONLD_DEPTH`
is refused before it is parsed, and whatever a parser raises (a recursion limit, a number beyond Python's 4300
digits, bad syntax) becomes one :class:`~kg.errors.DataError` line naming the file, and the line where known.
"""

from __future__ import annotations

import codecs
import json
import operator
import os
import re
import sys
from itertools import accumulate, repeat
from pathlib import Path
from typing import Any

from rdflib import Dataset

from kg._util import excerpt
from kg.errors import DataError, UsageError
from kg.export import by_extension, get, jsonld_context
from kg.vocab import CONTEXT_URL

__all__ = ["load_rdf", "RDF_FORMATS", "MAX_BYTES", "MAX_JSONLD_DEPTH"]

#: export format name -> rdflib parser name, for every format load_rdf reads
RDF_FORMATS = {"turtle": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "xml": "xml", "jsonld": "json-ld"}
_EXTRA_EXTENSIONS = {".owl": "xml", ".xml": "xml", ".turtle": "turtle"}
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
#: the most bytes load_rdf reads (256 MiB): far beyond what rdflib parses in reasonable time and memory
MAX_BYTES = 256 * 2**20
#: the deepest nesting of JSON arrays and objects load_rdf parses (kg's own JSON-LD nests fewer than 10 deep)
MAX_JSONLD_DEPTH = 100
_CHUNK = 2**20
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = bytes.maketrans(b"[]{}", b"\x02\x00\x02\x00")  # opening 2, closing 0: minus 1 is the change of depth
_NEWLINE = b"\n"
_LONG_NUMBER = re.compile(rb"\d{%d,}" % (sys.get_int_max_str_digits() + 1))


def load_rdf(source: str | os.PathLike[str] | bytes, format: str | None = None, *, base: str | None = None,
             max_bytes: int = MAX_BYTES) -> Dataset:
    """Parse an RDF file (a path) or payload (bytes) into a Dataset, without touching the network.

    ``format`` is an export format name or alias (``turtle``, ``jsonld``, ``nt``, ``nq``, ``trig``,
    ``xml``); for a path it defaults to the one its extension names. Triples of triple formats land in the
    default graph; named graphs of N-Quads, TriG and JSON-LD stay named. Raises DataError for unreadable or
    refused input (a remote JSON-LD context, an RDF/XML DTD, more than ``max_bytes``, JSON-LD nested deeper
    than :data:`MAX_JSONLD_DEPTH`) and UsageError for an unknown format.

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
        data = _read(name, max_bytes)
    if len(data) > max_bytes:
        raise DataError(f"{name}: larger than {max_bytes:,} bytes, the most load_rdf reads (max_bytes=)")
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
        raise _invalid(err, data, name, fmt) from err
    return dataset


def _read(name: str, limit: int) -> bytes:
    """The file's bytes, up to ``limit`` + 1 of them: enough to tell that it is too large, never more."""
    chunks: list[bytes] = []
    size = 0
    try:
        with open(name, "rb") as file:
            while size <= limit and (chunk := file.read(min(_CHUNK, limit + 1 - size))):
                chunks.append(chunk)
                size += len(chunk)
    except OSError as err:
        raise DataError(f"cannot read {name}: {err.strerror or err}") from err
    return b"".join(chunks)


def _invalid(err: BaseException, data: bytes, name: str, fmt: str) -> DataError:
    """A parser's error as one line: ``name:line: not valid fmt: why``, the line where the parser gives one."""
    line = getattr(err, "lines", None)  # rdflib's Turtle/TriG/N3 BadSyntax: the 0-based line
    where = f"{name}:{line + 1}" if isinstance(line, int) else name
    number = _LONG_NUMBER.search(data) if "integer string conversion" in str(err) else None
    if number is not None:  # Python's limit on the digits of an int (a ValueError without a position)
        where = f"{name}:{data.count(_NEWLINE, 0, number.start()) + 1}"
        return DataError(f"{where}: not valid {fmt}: a number of {len(number.group()):,} digits (Python reads at "
                         f"most {sys.get_int_max_str_digits()})")
    if isinstance(err, RecursionError):
        return DataError(f"{where}: not valid {fmt}: nested too deep to parse")
    return DataError(f"{where}: not valid {fmt}: {excerpt(err, 160)}")


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

    if (depth := _json_depth(data)) > MAX_JSONLD_DEPTH:
        raise DataError(f"{name}: JSON-LD nested {depth:,} deep is refused (load_rdf reads at most "
                        f"{MAX_JSONLD_DEPTH} levels of arrays and objects)")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise DataError(f"{name}: JSON-LD must be UTF-8 ({err.reason})") from err
    except json.JSONDecodeError as err:
        raise DataError(f"{name}:{err.lineno}: not valid JSON: {err.msg}") from err
    except (ValueError, RecursionError) as err:  # a number beyond Python's digit limit; recursion: a backstop
        raise _invalid(err, data, name, "JSON") from err
    document = _local_contexts(document, name)
    try:
        to_rdf(document, dataset, base=base)
    except Exception as err:  # rdflib raises many unrelated types for bad JSON-LD
        raise _invalid(err, data, name, "JSON-LD") from err
    return dataset


def _json_depth(data: bytes) -> int:
    """How deep arrays and objects nest in JSON ``data`` (brackets inside strings do not count), at C speed."""
    if data.count(b"[") + data.count(b"{") <= MAX_JSONLD_DEPTH:
        return 0  # too few brackets to nest too deep
    steps = _JSON_STRING.sub(b"", data).translate(_STEP, _NOT_BRACKET)
    return max(accumulate(map(operator.sub, steps, repeat(1))), default=0)


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
