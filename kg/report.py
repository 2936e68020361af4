"""Validation problems collected with their location, reported all at once.

Checks append :class:`Issue` objects to a :class:`Report` instead of raising at the first problem, so one run
of ``kg validate`` shows everything that is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from kg._util import printable
from kg.errors import DataError

__all__ = ["Location", "Locations", "LineMap", "Issue", "Report"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a data file (``line`` is 1-based)."""

    file: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class LineMap(Protocol):
    """A parsed file that knows the line of every path in it (``kg._yaml.YamlDoc``)."""

    def line(self, path: tuple[Any, ...]) -> int:
        """The 1-based line of the value at ``path`` (keys and list indexes)."""
        ...


@dataclass(frozen=True)
class Locations:
    """Where each record was read: file and line by record key, for validation and error messages only.

    The loader fills one while it reads; a graph built from records without files has an empty one, whose
    :meth:`locate` answers None. Keys are node ids, or ``doc/x#relations/3`` for a document's 4th valid
    relation (perspectives likewise).
    """

    places: Mapping[str, tuple[str, tuple[Any, ...]]] = field(default_factory=dict)
    files: Mapping[str, LineMap] = field(default_factory=dict)

    def locate(self, key: str, *path: Any) -> Location | None:
        """Location of record ``key``, or of the value at ``path`` inside it; None when it was not read from a file."""
        place = self.places.get(key)
        if place is None:
            return None
        file, base = place
        lines = self.files.get(file)
        return Location(file, lines.line((*base, *path)) if lines is not None else 1)


@dataclass(frozen=True)
class Issue:
    """One problem: what is wrong, where, and a stable code tests and tools can match on."""

    code: str
    message: str
    location: Location | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return printable(f"{prefix}{tag}{self.message}")


@dataclass
class Report:
    """All issues found by one validation run."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, code: str, message: str, location: Location | None = None, **kw: str) -> None:
        """Record one issue."""
        self.issues.append(Issue(code, message, location, **kw))  # type: ignore[arg-type]

    @property
    def errors(self) -> list[Issue]:
        """The issues that make the data unusable."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def sorted(self) -> list[Issue]:
        """Issues ordered by file and line, then message."""
        return sorted(self.issues, key=lambda i: (i.location or Location(""), i.message))

    def raise_for_errors(self) -> None:
        """Raise :class:`DataError` carrying every issue when there is at least one error."""
        errors = self.errors
        if errors:
            first = sorted(errors, key=lambda i: (i.location or Location(""), i.message))[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise DataError(f"{first}{more}", self.sorted())
