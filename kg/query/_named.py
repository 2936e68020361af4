"""The named query library: ``kg/queries/<name>.rq``, each with a header comment saying what it answers.

A header is the query's leading comment lines::

    # title: Lab coverage of a concept
    # description: Labs and the level at which each addresses the concept, and who says so.
    # param: concept Concept required  the concept, by id, name or alias

A ``param`` line gives the variable it binds, the node types its value may name (``|``-separated, ``Node`` for
any), ``required`` or ``optional``, and a description. Adding a query is adding a file; another package adds
one under the ``kg.named_queries`` entry-point group (a :class:`NamedQuery`, or the path of its ``.rq`` file).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError
from kg.registry import Registry
from kg.vocab import ID_KINDS

__all__ = ["Param", "NamedQuery", "QUERIES_DIR", "NAMED_QUERIES", "named_queries", "get_named"]

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"


@dataclass(frozen=True)
class Param:
    """A parameter of a named query: the variable it binds and the kinds of node its value may name."""

    name: str
    types: tuple[str, ...]
    required: bool
    description: str

    def __str__(self) -> str:
        kinds = "|".join(self.types) or "node"
        return f"{self.name} ({kinds}{'' if self.required else ', optional'})"


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library, with what its header says about it."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)


def _parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Param] = []
    last = ""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        key, sep, value = body.partition(":")
        if sep and key in ("title", "description", "param"):
            last = key
            if key == "param":
                words = value.split(None, 3)
                if len(words) < 3 or words[2] not in ("required", "optional"):
                    raise UsageError(f"{path}:{number}: a param line reads 'param: NAME TYPES required|optional "
                                     "DESCRIPTION'")
                types = tuple(t for t in words[1].split("|") if t != "Node")
                unknown = [t for t in types if t not in ID_KINDS.values()]
                if unknown:
                    raise UsageError(f"{path}:{number}: unknown node type {unknown[0]}")
                params.append(Param(words[0], types, words[2] == "required", words[3] if len(words) > 3 else ""))
            else:
                fields[key] = value.strip()
        elif body and last in ("title", "description"):
            fields[last] += " " + body
    if "title" not in fields:
        raise UsageError(f"{path}:1: a named query starts with a '# title:' comment")
    return NamedQuery(path.stem, fields["title"], fields.get("description", ""), tuple(params), text, path)


def _named(name: str, loaded: object) -> NamedQuery:
    """A named query from what an entry point names: a NamedQuery or the path of a ``.rq`` file."""
    if isinstance(loaded, str | os.PathLike):
        loaded = _parse(Path(loaded))
    if not isinstance(loaded, NamedQuery):
        raise UsageError(f"named query '{name}' is neither a NamedQuery nor the path of a .rq file: {loaded!r}")
    return dataclasses.replace(loaded, name=name)


def _discover(registry: Registry[NamedQuery]) -> None:
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        registry.register(path.stem, _parse(path))


#: the query library: ``kg/queries/*.rq``, then the ``kg.named_queries`` entry points
NAMED_QUERIES: Registry[NamedQuery] = Registry("named query", "kg.named_queries", adapt=_named, discover=_discover,
                                               hint="see kg query --list")


def named_queries() -> dict[str, NamedQuery]:
    """Every query of the library, by name."""
    return dict(NAMED_QUERIES.items())


def get_named(name: str) -> NamedQuery:
    """The named query ``name``; UsageError listing the library otherwise."""
    return NAMED_QUERIES.get(name)
