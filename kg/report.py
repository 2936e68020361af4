"""Validation problems collected with their location, reported all at once.

Checks append :class:`Issue` objects to a :class:`Report` instead of raising at the first problem, so one run
of ``kg validate`` shows everything that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kg.errors import DataError

__all__ = ["Location", "Issue", "Report"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a data file (``line`` is 1-based)."""

    file: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


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
        return f"{prefix}{tag}{self.message}"


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
