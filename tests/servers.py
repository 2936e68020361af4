"""Real servers for the tests: ``kg serve`` and ``oxigraph serve`` as processes on 127.0.0.1, stopped by the fixtures
that start them (never anything installed or started by hand)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A server process; ``url`` is its base URL once it answers."""

    def __init__(self, args: list[str], url: str | None, env: dict[str, str] | None = None,
                 log: Path | None = None) -> None:
        self.log = log
        out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
        self._out = out
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=out if log else subprocess.DEVNULL,
                                        env={**os.environ, "KG_PROGRESS": "off", **(env or {})},
                                        start_new_session=True)
        self.url = url or ""

    def wait(self, path: str, timeout: float = 120.0, find_url: bool = False) -> None:
        """Wait until ``GET url+path`` answers (for kg serve --port 0: read the URL from its log first)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.output()}")
            if find_url and not self.url:
                found = re.search(r"http://127\.0\.0\.1:(\d+)/sparql", self.output())
                if found:
                    self.url = f"http://127.0.0.1:{found.group(1)}"
            if self.url:
                try:
                    if httpx.get(self.url + path, timeout=2).status_code < 500:
                        return
                except httpx.HTTPError:
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not answer within {timeout} s: {self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._out is not subprocess.DEVNULL:
            self._out.close()  # type: ignore[union-attr]


def kg_serve(tmp: Path, *args: str) -> Server:
    """``kg serve --port 0`` on the bundled data with a private build cache, answering."""
    server = Server([sys.executable, "-m", "kg.cli", "serve", "--port", "0", *args], None,
                    env={"KG_CACHE_DIR": str(tmp / "cache")}, log=tmp / "kg-serve.log")
    server.wait("/health", find_url=True)
    return server


def oxigraph_binary() -> str:
    """The ``oxigraph`` CLI of the PyPI package ``oxigraph`` (the dev extra), beside this Python."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is missing: pip install -e '.[dev]' installs it")
    return found


def oxigraph_serve(tmp: Path) -> Server:
    """``oxigraph serve`` over a new folder, its default graph the union of its named graphs, answering."""
    port = free_port()
    server = Server([oxigraph_binary(), "serve", "--location", str(tmp / "oxigraph"), "--bind", f"127.0.0.1:{port}",
                     "--union-default-graph"], f"http://127.0.0.1:{port}", log=tmp / "oxigraph.log")
    server.wait("/query?query=ASK%7B%7D")
    return server
