"""``kg serve``: the graph as a SPARQL 1.1 Protocol endpoint, and ``kg push`` to a Graph Store endpoint.

``create_service("data").app`` is the ASGI application (Starlette), to run under any ASGI server;
:func:`serve` runs it under uvicorn, as ``kg serve`` does. The graph is loaded through the build cache, whose
store on disk the query workers open read-only (see :mod:`kg.server._pool`); with ``watch`` the data
directories are watched and a new graph that builds is swapped in whole, so a request sees either the old graph
or the new one. Needs the ``serve`` extra
(``pip install 'kg[serve]'``: Starlette, uvicorn, watchfiles, httpx).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Sequence

from kg.build import load
from kg.cache import CacheSetting, cache_dir, store_path
from kg.errors import DataError, UsageError
from kg.server._app import Service, Settings, Snapshot
from kg.server._pool import Pool
from kg.server.push import push

__all__ = ["create_service", "serve", "push", "Service", "Settings", "Snapshot", "DEFAULT_HOST", "DEFAULT_PORT",
           "DEFAULT_WORKERS"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
#: two per core would let slow queries starve fast ones less, but each worker holds its own store caches
DEFAULT_WORKERS = max(2, (os.cpu_count() or 1) + 2)


def _snapshot(data: Sequence[str], cache: CacheSetting) -> Snapshot:
    graph = load(list(data), cache=cache)
    path = store_path(graph)
    if path is None:  # pragma: no cover - the server always loads through a cache
        raise UsageError("kg serve needs the build cache (its query workers open the cached store)")
    return Snapshot(graph, str(path), time.time())


def create_service(data: str | Sequence[str], *, cache: CacheSetting = None, workers: int = DEFAULT_WORKERS,
                   settings: Settings | None = None) -> Service:
    """Load ``data`` (through the build cache ``cache``; a private temporary one when it is off) and start the
    query workers; the returned service's ``app`` is the ASGI application, ``close()`` stops the workers."""
    dirs = [data] if isinstance(data, str) else list(data)
    temporary = tempfile.mkdtemp(prefix="kg-serve-cache-") if cache_dir(cache) is None else None
    cache = temporary or cache
    snapshot = _snapshot(dirs, cache)
    service = Service(snapshot, Pool(workers), dataclasses.replace(settings or Settings(), cache=cache), dirs)
    if temporary is not None:
        service.cleanup.append(lambda: shutil.rmtree(temporary, ignore_errors=True))
    return service


async def _watch(service: Service, data: list[str], cache: CacheSetting) -> None:
    """Rebuild when the data changes; swap in a graph that builds, keep serving the last good one otherwise."""
    from watchfiles import awatch

    async for _ in awatch(*data):
        try:
            snapshot = await asyncio.to_thread(_snapshot, data, cache)
        except DataError as err:
            lines = [str(issue) for issue in err.issues] or [str(err)]
            print("\n".join(lines), file=sys.stderr)
            print(f"kg: the changed data does not build ({len(lines)} problems above); still serving the graph "
                  f"loaded at {time.strftime('%H:%M:%S', time.localtime(service.snapshot.loaded))}",
                  file=sys.stderr, flush=True)
            continue
        except Exception as err:  # never let the watcher die with the server still up
            print(f"kg: reloading failed: {type(err).__name__}: {err}; still serving the last good graph",
                  file=sys.stderr, flush=True)
            continue
        service.snapshot = snapshot  # one assignment: a request holds the old snapshot or the new, never half
        print(f"kg: reloaded: {len(snapshot.graph.nodes)} nodes, {len(snapshot.graph.edges)} edges",
              file=sys.stderr, flush=True)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    sock.listen(128)
    return sock


def serve(data: str | Sequence[str], *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          cache: CacheSetting = None, workers: int = DEFAULT_WORKERS, settings: Settings | None = None,
          watch: bool = False) -> None:
    """Serve ``data`` until interrupted; says on stderr where, and whether other machines can reach it."""
    import uvicorn

    sock = _listen(host, port)
    service = create_service(data, cache=cache, workers=workers, settings=settings)
    if watch:
        service.background.append(lambda: _watch(service, service.data, service.settings.cache))
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    reach = ("only this machine can reach it" if bound_host in ("127.0.0.1", "::1", "localhost")
             else "other machines can reach it")
    graph = service.snapshot.graph
    watching = f", watching {', '.join(service.data)}" if watch else ""
    print(f"kg: serving {len(graph.nodes)} nodes at http://{shown}:{bound_port}/sparql ({reach}; "
          f"{workers} query workers, timeout {service.settings.timeout:g} s, at most "
          f"{service.settings.max_rows} rows{watching}); Ctrl-C stops it",
          file=sys.stderr, flush=True)
    config = uvicorn.Config(service.app, log_level="warning", access_log=False, timeout_graceful_shutdown=2)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        service.close()
        sock.close()
