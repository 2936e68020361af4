"""Query workers for the server: processes that each open the store read-only, killed when a query overruns.

Why a pool and not :func:`kg.query.query`'s fork per query: the server's process runs an event loop and a
thread pool, and forking a threaded process copies locks that other threads may hold; and a fork per request of
a process holding a large graph costs more than most queries. So a few workers are started once, from a
``forkserver`` (a fresh single-threaded process that forks them with kg already imported); each opens the
build cache's store by path (RocksDB allows any number of read-only openers) and answers one query at a time,
rendered to bytes there. A query that passes its deadline has its worker killed and replaced; the others never
wait for it.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import queue
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from kg.errors import KgError, QueryError
from kg.query import BoundQuery, Engine, OxigraphEngine, QueryResult, render

__all__ = ["Job", "Answer", "Pool", "QueryTimeout"]


class QueryTimeout(QueryError):
    """A query did not finish before the server's timeout (its worker was stopped)."""


@dataclass(frozen=True)
class Job:
    """One query for a worker: the store to open, the checked and bound query, the format, the row cap."""

    store: str
    bound: BoundQuery
    format: str
    max_rows: int | None


@dataclass(frozen=True)
class Answer:
    """The rendered result, and how many rows or triples the cap left out."""

    body: bytes
    cut: int = 0


def _cap(result: QueryResult, max_rows: int | None) -> int:
    """Keep at most ``max_rows`` rows (or triples); how many were dropped."""
    if max_rows is None:
        return 0
    items = result.triples if result.kind == "graph" else result.rows
    cut = max(0, len(items) - max_rows)
    del items[max_rows:]
    return cut


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _work(conn: Connection) -> None:
    """A worker's loop: answer jobs until the pipe closes, keeping the store it last opened."""
    _die_with_parent()
    opened: tuple[str, Engine] | None = None
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if opened is None or opened[0] != job.store:
                import pyoxigraph as ox

                opened = (job.store, OxigraphEngine(ox.Store.read_only(job.store)))
            result = opened[1].run(job.bound.prepared, job.bound.bindings)
            cut = _cap(result, job.max_rows)
            reply: Answer | KgError = Answer(render(result, job.format), cut)
        except KgError as err:
            reply = err
        except Exception as err:  # a bug: one line, and the worker lives on
            reply = QueryError(f"{job.bound.prepared.where}: query worker failed: {type(err).__name__}: {err}")
        conn.send(reply)


class _Worker:
    def __init__(self, context: Any) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_work, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


class Pool:
    """``size`` query workers; :meth:`run` blocks (call it from a thread) until one answers or the deadline."""

    def __init__(self, size: int) -> None:
        self._context = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        if hasattr(self._context, "set_forkserver_preload"):
            self._context.set_forkserver_preload(["kg.server._pool"])
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        for _ in range(size):
            self._add()
        self.size = size

    def _add(self) -> None:
        worker = _Worker(self._context)
        self._all.append(worker)
        self._idle.put(worker)

    def run(self, job: Job, timeout: float) -> Answer:
        """The answer to ``job``; QueryTimeout after ``timeout`` seconds (the worker is replaced)."""
        worker = self._idle.get()
        try:
            worker.conn.send(job)
            if worker.conn.poll(timeout):
                reply: Answer | KgError = worker.conn.recv()
                self._idle.put(worker)
                if isinstance(reply, KgError):
                    raise reply
                return reply
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise QueryError(f"{job.bound.prepared.where}: the query worker died") from None
        self._replace(worker)
        raise QueryTimeout(f"{job.bound.prepared.where}: stopped after the {timeout:g} s timeout (the query did "
                           "not finish; narrow it or add a LIMIT)")

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with contextlib.suppress(ValueError):
            self._all.remove(worker)
        self._add()

    def close(self) -> None:
        """Stop every worker."""
        for worker in list(self._all):
            worker.stop()
        self._all.clear()
