"""One registry for every extension point: export formats, query engines, named queries, document parsers,
importers and tension rules.

A :class:`Registry` maps names (and aliases, matched without regard to case) to plugins. A plugin is
registered as an object, or lazily as an import target ``"module:attr"`` (or ``"module"``) loaded on first
use, as rdflib's plugin table does. Other packages add plugins without editing this one through an
entry-point group (``kg.export_formats``, ``kg.query_engines``, ``kg.named_queries``, ``kg.ingest_formats``,
``kg.importers``, ``kg.tension_rules``), read on first use; a plugin of this package keeps its name.

>>> colours: Registry[int] = Registry("colour", "example.colours")
>>> colours.register("red", 0xFF0000, aliases=("rouge",))
>>> colours.register("green", "example.palette:GREEN")  # imported on first get("green")
>>> colours.get("Rouge")
16711680
>>> colours.get("blue")
Traceback (most recent call last):
    ...
kg.errors.UsageError: unknown colour 'blue' (known: green, red)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Generic, TypeVar

from kg.errors import UsageError

__all__ = ["Registry", "load_target"]

T = TypeVar("T")


def load_target(target: str) -> Any:
    """The object an import target names: ``"package.module:attr.sub"``, or a whole module."""
    module_name, _, attr = target.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


@dataclass
class _Entry:
    name: str
    obj: Any = None
    target: str | EntryPoint | None = None  # still to load
    aliases: tuple[str, ...] = ()


class Registry(Generic[T]):
    """Plugins of one ``kind`` by name; ``entry_point_group`` names the entry points other packages declare.

    ``adapt`` turns what a lazy target or entry point loads into the registry's type (it gets the name and
    the loaded object); ``discover`` registers this package's own plugins on first use (files in a folder,
    modules of a package); ``hint`` ends the unknown-name message (``see kg query --list``).
    """

    def __init__(self, kind: str, entry_point_group: str | None = None, *,
                 adapt: Callable[[str, Any], T] | None = None,
                 discover: Callable[[Registry[T]], None] | None = None, hint: str = "") -> None:
        self.kind = kind
        self.entry_point_group = entry_point_group
        self._adapt = adapt
        self._discover = discover
        self._hint = hint
        self._entries: dict[str, _Entry] = {}  # canonical name -> entry, in registration order
        self._keys: dict[str, str] = {}  # casefolded name or alias -> canonical name
        self._ready = False

    def register(self, name: str, obj: T | str, *, aliases: tuple[str, ...] | list[str] = ()) -> None:
        """Register ``obj`` (or the import target ``"module:attr"``, loaded on first :meth:`get`) as ``name``.

        Registering a name again replaces its plugin; a plugin of type ``str`` is always an import target."""
        self._add(_Entry(name, None, obj, tuple(aliases)) if isinstance(obj, str) else
                  _Entry(name, obj, None, tuple(aliases)))

    def unregister(self, name: str) -> None:
        """Forget the plugin ``name`` (and its aliases); UsageError if there is none."""
        self._drop(self.canonical(name))

    def get(self, name: str) -> T:
        """The plugin registered as ``name`` or one of its aliases; UsageError listing the known names."""
        entry = self._entries[self.canonical(name)]
        if entry.target is not None:
            loaded = entry.target.load() if isinstance(entry.target, EntryPoint) else load_target(entry.target)
            entry.obj = self._adapt(entry.name, loaded) if self._adapt is not None else loaded
            entry.target = None
        obj: T = entry.obj
        return obj

    def canonical(self, name: str) -> str:
        """The registered name ``name`` (a name or alias, any case) stands for; UsageError if none."""
        self._ensure()
        try:
            return self._keys[name.casefold()]
        except KeyError:
            known = ", ".join(sorted(self._entries))
            hint = f"; {self._hint}" if self._hint else ""
            raise UsageError(f"unknown {self.kind} '{name}' (known: {known}{hint})") from None

    def names(self) -> list[str]:
        """The registered names (aliases left out), in registration order."""
        self._ensure()
        return list(self._entries)

    def aliases(self, name: str) -> tuple[str, ...]:
        """The aliases of plugin ``name``."""
        return self._entries[self.canonical(name)].aliases

    def items(self) -> Iterator[tuple[str, T]]:
        """``(name, plugin)`` pairs in registration order, loading lazy plugins."""
        for name in self.names():
            yield name, self.get(name)

    def copy(self) -> Registry[T]:
        """A registry with the same plugins, to extend without changing this one (tests, sandboxes)."""
        self._ensure()
        other: Registry[T] = Registry(self.kind, self.entry_point_group, adapt=self._adapt, hint=self._hint)
        other._entries = {n: _Entry(e.name, e.obj, e.target, e.aliases) for n, e in self._entries.items()}
        other._keys = dict(self._keys)
        other._ready = True
        return other

    def __contains__(self, name: object) -> bool:
        self._ensure()
        return isinstance(name, str) and name.casefold() in self._keys

    def __len__(self) -> int:
        return len(self.names())

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {self.entry_point_group!r})"

    def _drop(self, name: str) -> None:
        del self._entries[name]
        for key in [k for k, v in self._keys.items() if v == name]:
            del self._keys[key]

    def _add(self, entry: _Entry) -> None:
        if entry.name in self._entries:
            self._drop(entry.name)
        self._entries[entry.name] = entry
        for key in (entry.name, *entry.aliases):
            self._keys[key.casefold()] = entry.name

    def _ensure(self) -> None:
        """Discover this package's plugins, then the entry points (which never replace a name), once."""
        if self._ready:
            return
        self._ready = True
        if self._discover is not None:
            self._discover(self)
        if self.entry_point_group:
            for point in entry_points(group=self.entry_point_group):
                if point.name.casefold() not in self._keys:
                    self._add(_Entry(point.name, None, point))
