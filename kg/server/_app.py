"""The ASGI application: a SPARQL 1.1 Protocol endpoint, the named queries, the page, tensions and briefings.

Every query goes through :func:`kg.query.prepare_query` (the refusals and parameter binding of ``kg query``) in
a thread, then to the worker pool (:mod:`kg.server._pool`) with the timeout and the row cap; the event loop
only waits. Every error is a plain-text response of one line with a protocol status (400 refused or
malformed, 404 unknown, 406 no acceptable format, 413 too large, 415 unknown body type, 503 timeout), never a
traceback; every response carries a Content-Security-Policy (a page's own, or one that allows nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.errors import KgError, QueryError, UsageError
from kg.generate import brief, tensions
from kg.graph import KnowledgeGraph
from kg.query import BoundQuery, named_queries, prepare_query
from kg.server._page import query_page
from kg.server._pool import Job, Pool, QueryTimeout
from kg.server._protocol import graph_offers, media_type, negotiate, result_offers, service_description
from kg.viz import viz
from kg.vocab import graph_iri

__all__ = ["Snapshot", "Settings", "Service", "DEFAULT_CSP"]

#: the policy of every response that is not a page: nothing may run or load
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')
_GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri")


@dataclass(frozen=True)
class Snapshot:
    """The graph being served and the directory of its store, swapped whole when ``--watch`` rebuilds it."""

    graph: KnowledgeGraph
    store: str
    loaded: float


@dataclass(frozen=True)
class Settings:
    """Limits applied to every request."""

    timeout: float = 30.0
    max_rows: int | None = 10_000
    max_body: int = 1 << 20
    cache: Any = None  # the build cache setting, where prepare_query keeps what it learns of query texts


class _Refused(Exception):
    """An HTTP error of the protocol itself (status and one line)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Service:
    """The state of one server: the current snapshot, the workers, the limits; :attr:`app` is the ASGI app."""

    def __init__(self, snapshot: Snapshot, pool: Pool, settings: Settings, data: list[str] | None = None) -> None:
        self.snapshot = snapshot
        self.pool = pool
        self.settings = settings
        self.data = list(data or [])
        #: coroutines run for the life of the app (``--watch``'s watcher), and callables run by :meth:`close`
        self.background: list[Callable[[], Coroutine[Any, Any, None]]] = []
        self.cleanup: list[Callable[[], None]] = [pool.close]
        routes = [
            Route("/sparql", self.sparql, methods=["GET", "POST"]),
            Route("/queries", self.list_queries, methods=["GET"]),
            Route("/queries/{name}", self.named_query, methods=["GET"]),
            Route("/", self.graph_page, methods=["GET"]),
            Route("/tensions", self.tensions, methods=["GET"]),
            Route("/brief", self.brief, methods=["GET"]),
            Route("/health", self.health, methods=["GET"]),
        ]
        handlers: Mapping[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
            Exception: _internal_error, KgError: _kg_error, _Refused: _refused, 404: _not_found, 405: _not_allowed}
        self.app: ASGIApp = _SecurityHeaders(Starlette(routes=routes, exception_handlers=handlers,
                                                       lifespan=self._lifespan))

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: object) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(job()) for job in self.background]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()

    def close(self) -> None:
        """Stop the workers (and remove what the service made for itself, such as a temporary cache)."""
        for step in self.cleanup:
            step()

    # --- the SPARQL endpoint ----------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        """SPARQL 1.1 Protocol: ``query`` by GET, by url-encoded POST or as an ``application/sparql-query`` body."""
        fields = list(request.query_params.multi_items())
        if request.method == "POST":
            body = await self._body(request)
            kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                fields += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            elif kind == "application/sparql-query":
                fields.append(("query", body.decode("utf-8", "replace")))
            elif kind == "application/sparql-update":
                fields.append(("update", body.decode("utf-8", "replace")))
            else:
                raise _Refused(415, f"a query is sent as application/x-www-form-urlencoded or "
                                    f"application/sparql-query, not '{kind or 'no content type'}'")
        values = dict(fields)
        if "update" in values:
            await run_in_threadpool(prepare_query, self.snapshot.graph, values["update"])  # raises the refusal
            raise _Refused(400, "updates are refused: kg serve is read-only")
        for name in _GRAPH_PARAMS:
            if name in values:
                raise _Refused(400, f"{name} is refused: queries see the union of the graph's named graphs; "
                                    "name one of them with FROM in the query")
        if "query" not in values:
            if request.method == "POST":
                raise _Refused(400, "no query: send it as the 'query' field or an application/sparql-query body")
            return self._describe(request)
        return await self._answer(request, values["query"], None, {}, values.get("format"))

    def _describe(self, request: Request) -> Response:
        """Without a query: the query page for a browser, else the service description."""
        accept = request.headers.get("accept", "")
        if negotiate(accept, {**graph_offers(), "text/html": "html"}) == "html":  # only when asked for by name
            return _html(query_page())
        fmt = negotiate(accept, graph_offers())
        if fmt is None:
            raise _Refused(406, "the service description is sent as " + ", ".join(graph_offers()))
        graphs = sorted(str(graph_iri(doc)) for doc in (None, *self.snapshot.graph.documents))
        endpoint = str(request.url.replace(query="", fragment=""))
        return Response(service_description(endpoint, graphs, fmt), media_type=media_type(fmt),
                        headers={"Vary": "Accept"})

    async def _answer(self, request: Request, text: str | None, name: str | None, params: dict[str, str],
                      format: str | None) -> Response:
        snapshot = self.snapshot  # one graph for the whole request, whatever --watch swaps in meanwhile
        bound: BoundQuery = await run_in_threadpool(
            lambda: prepare_query(snapshot.graph, text, name=name, params=params, cache=self.settings.cache))
        offers = graph_offers() if bound.kind == "graph" else result_offers()
        chosen = format or negotiate(request.headers.get("accept"), offers)
        if chosen is None:
            raise _Refused(406, f"a {bound.kind.upper()} result is sent as " + ", ".join(offers))
        job = Job(snapshot.store, bound, chosen, self.settings.max_rows)
        answer = await run_in_threadpool(self.pool.run, job, self.settings.timeout)
        headers = {"Vary": "Accept"}
        if answer.cut:
            headers["KG-Truncated"] = f"{answer.cut} more left out by the limit of {self.settings.max_rows}"
        return Response(answer.body, media_type=media_type(chosen), headers=headers)

    async def _body(self, request: Request) -> bytes:
        limit = self.settings.max_body
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Refused(413, f"the request body is over the limit of {limit} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise _Refused(413, f"the request body is over the limit of {limit} bytes")
        return bytes(body)

    # --- named queries, pages, health ------------------------------------------------------------------

    async def list_queries(self, request: Request) -> Response:
        return JSONResponse([
            {"name": q.name, "title": q.title, "description": q.description, "url": f"/queries/{q.name}",
             "params": [{"name": p.name, "types": list(p.types), "required": p.required,
                         "description": p.description} for p in q.params]}
            for q in named_queries().values()])

    async def named_query(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in named_queries():
            raise _Refused(404, f"unknown named query '{name}' (see /queries)")
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        return await self._answer(request, None, name, params, request.query_params.get("format"))

    async def graph_page(self, request: Request) -> Response:
        graph = self.snapshot.graph
        page: str = await run_in_threadpool(graph.view, "served-page", lambda g: viz(g, title="Knowledge graph"))
        return _html(page)

    async def tensions(self, request: Request) -> Response:
        return await self._generated(request, tensions, ("md", "json", "html"))

    async def brief(self, request: Request) -> Response:
        return await self._generated(request, brief, ("md", "html"))

    async def _generated(self, request: Request, make: Callable[..., str], formats: tuple[str, ...]) -> Response:
        query = request.query_params
        fmt = query.get("format", "html")
        if fmt not in formats:
            raise _Refused(400, f"format is one of {', '.join(formats)}, not '{fmt}'")
        kwargs: dict[str, Any] = {"topic": query.get("topic"), "document": query.get("document"), "format": fmt}
        if make is tensions:
            kwargs["suggested"] = query.get("suggested", "") in ("1", "true", "yes")
        graph = self.snapshot.graph
        text: str = await run_in_threadpool(lambda: make(graph, **kwargs))
        if fmt == "html":
            return _html(text)
        return Response(text, media_type="application/json" if fmt == "json" else "text/markdown")

    async def health(self, request: Request) -> Response:
        snapshot = self.snapshot
        return JSONResponse({"status": "ok", "nodes": len(snapshot.graph.nodes), "edges": len(snapshot.graph.edges),
                             "documents": len(snapshot.graph.documents), "workers": self.pool.size,
                             "loaded": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(snapshot.loaded))})


def _html(page: str) -> Response:
    """An HTML page, with its own Content-Security-Policy (from its meta element) as a header too."""
    found = _META_CSP.search(page)
    csp = html.unescape(found.group(1)) if found else DEFAULT_CSP
    return Response(page, media_type="text/html", headers={"Content-Security-Policy": csp})


def _text(status: int, message: str) -> Response:
    return PlainTextResponse(" ".join(message.split()) + "\n", status_code=status)


async def _kg_error(request: Request, err: Exception) -> Response:
    status = 503 if isinstance(err, QueryTimeout) else 400 if isinstance(err, QueryError | UsageError) else 400
    return _text(status, str(err))


async def _refused(request: Request, err: Exception) -> Response:
    assert isinstance(err, _Refused)
    return _text(err.status, str(err))


async def _not_found(request: Request, err: Exception) -> Response:
    return _text(404, f"no such page: {request.url.path} (see /sparql, /queries, /tensions, /brief, /health)")


async def _not_allowed(request: Request, err: Exception) -> Response:
    return _text(405, f"{request.method} is not allowed on {request.url.path}")


async def _internal_error(request: Request, err: Exception) -> Response:
    print(f"kg: internal error on {request.url.path}: {type(err).__name__}: {err}", file=sys.stderr)
    return _text(500, f"internal error: {type(err).__name__}")


class _SecurityHeaders:
    """Adds the default Content-Security-Policy (unless the response has its own) and ``nosniff``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", DEFAULT_CSP.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)
