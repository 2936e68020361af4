"""Run a query in a worker process killed at its deadline.

pyoxigraph's Python API has no query timeout and rdflib's evaluator cannot be interrupted from another thread,
so a query with a deadline runs in a child process that is killed when the deadline passes: a runaway query
cannot hang the caller (nor outlive it: on Linux the worker dies with its parent). With ``fork`` the child
shares the already loaded engine; elsewhere it reloads the graph from its data directory.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import signal
import sys
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from typing import Any

from rdflib.term import Identifier

from kg.errors import KgError, QueryError, UsageError
from kg.query._parse import Prepared
from kg.query._result import QueryResult

__all__ = ["run_with_timeout", "check_timeout", "MAX_TIMEOUT"]

#: the longest timeout accepted, in seconds (a day); beyond it the deadline arithmetic stops meaning anything
MAX_TIMEOUT = 86400.0

Loader = Callable[[], Any]


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker if the caller dies first, so no query outlives it."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _child(conn: Connection, load: Loader, prepared: Prepared, bindings: Mapping[str, Identifier]) -> None:
    _die_with_parent()
    try:
        result: tuple[str, QueryResult | KgError] = ("ok", load().run(prepared, bindings))
    except KgError as err:
        result = ("error", err)
    except BaseException as err:  # report a bug in the worker as a one-line error, not a silent death
        result = ("error", QueryError(f"{prepared.where}: query worker failed: {type(err).__name__}: {err}"))
    try:
        conn.send(result)
    finally:
        conn.close()


def check_timeout(timeout: float) -> float:
    """``timeout`` when it is a usable number of seconds (positive, finite, at most a day); UsageError otherwise."""
    if not (0 < timeout <= MAX_TIMEOUT):  # also false for NaN
        raise UsageError(f"the timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}, "
                         f"got {timeout:g}")
    return timeout


def run_with_timeout(load: Loader, prepared: Prepared, bindings: Mapping[str, Identifier],
                     timeout: float) -> QueryResult:
    """Evaluate in a child process; kill it and raise QueryError when ``timeout`` seconds pass first."""
    check_timeout(timeout)
    context = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, load, prepared, bindings), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(f"{prepared.where}: stopped after the {timeout:g} s timeout (the query did not finish; "
                             "narrow it, add a LIMIT, or raise --timeout)")
        payload: QueryResult | KgError = receiver.recv()[1]  # ("ok", result) or ("error", err)
    except EOFError:
        raise QueryError(f"{prepared.where}: the query worker died (exit code {process.exitcode})") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if isinstance(payload, KgError):
        raise payload
    return payload
