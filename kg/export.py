"""Serializer registry: every export format is one function and one registration line.

A serializer takes the built graph and returns bytes; :func:`export` picks it by name (or alias), and writes
the result atomically when given a path, so a failing export never leaves a half-written file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph

from kg._util import write_atomic
from kg.errors import ExportError, UsageError
from kg.graph import KnowledgeGraph
from kg.vocab import PREFIXES

__all__ = ["Format", "register", "get", "formats", "export", "union_graph"]

Serializer = Callable[[KnowledgeGraph], bytes]


@dataclass(frozen=True)
class Format:
    """A registered export format."""

    name: str
    serialize: Serializer
    extension: str
    media_type: str
    description: str
    aliases: tuple[str, ...] = ()


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add an export format (and its aliases) to the registry."""
    for name in (fmt.name, *fmt.aliases):
        _REGISTRY[name] = fmt
    return fmt


def get(name: str) -> Format:
    """The format registered under ``name``; UsageError listing the known ones otherwise."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown export format '{name}' (known: {', '.join(formats())})") from None


def formats() -> list[str]:
    """Names of the registered formats (aliases left out)."""
    return sorted({fmt.name for fmt in _REGISTRY.values()})


def export(kg: KnowledgeGraph, format: str = "turtle", path: str | os.PathLike[str] | None = None) -> bytes:
    """Serialize ``kg`` as ``format``; with ``path``, also write it there atomically.

    >>> data = export(load("data"), "turtle")
    """
    fmt = get(format)
    try:
        payload = fmt.serialize(kg)
    except (ExportError, UsageError):
        raise
    except Exception as err:  # a serializer bug or library error must not leave a partial file behind
        raise ExportError(f"{fmt.name} export failed: {err}") from err
    if path is not None:
        try:
            write_atomic(path, lambda handle: handle.write(payload))
        except OSError as err:
            raise ExportError(f"cannot write {path}: {err.strerror or err}") from err
    return payload


def union_graph(kg: KnowledgeGraph) -> Graph:
    """All triples of the RDF view in one plain graph, with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in kg.rdf.triples((None, None, None)):
        graph.add(triple)
    return graph


def _turtle(kg: KnowledgeGraph) -> bytes:
    return union_graph(kg).serialize(format="turtle", encoding="utf-8")


register(Format("turtle", _turtle, ".ttl", "text/turtle", "Turtle (all documents' graphs merged)", ("ttl",)))
