"""The KgError hierarchy: every error a user can act on is one of these.

The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``; anything else is a bug and
shows a traceback only with ``--debug``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "KgError",
    "UsageError",
    "DataError",
    "QueryError",
    "IngestError",
    "ExportError",
    "EndpointError",
]


class KgError(Exception):
    """Base class of every error kg raises on purpose."""

    exit_code = 1


class UsageError(KgError):
    """The library or the command was misused (unknown name, missing parameter)."""

    exit_code = 2


class DataError(KgError):
    """The data is wrong; ``issues`` holds every problem found, each with its location."""

    # issues are kg.report.Issue objects (kg.report imports this module, so they are not named here)
    def __init__(self, message: str, issues: list[Any] | None = None) -> None:
        super().__init__(message)
        self.issues = list(issues or [])


class QueryError(KgError):
    """A SPARQL query could not be parsed, was refused, or did not finish in time."""


class IngestError(KgError):
    """A document could not be turned into a data bundle."""


class ExportError(KgError):
    """An export could not be produced or written."""


class EndpointError(KgError):
    """A remote SPARQL endpoint could not be reached, or refused or failed a request."""
