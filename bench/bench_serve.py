"""Load on ``kg serve`` beside ``oxigraph serve``: same data, same queries, same load, one async load generator.

For each corpus (the bundled one, and M ≈ 100k triples from :mod:`bench.generate`), ``kg serve`` runs on the
data (through a build cache) and ``oxigraph serve`` on the same graph uploaded with ``kg push``, each with the
same query timeout. Then, one server at a time, 8 concurrent clients send requests for ``--seconds``: 7 cycle
through the named queries (parameters bound to the first node of the right type; kg serve answers them at
``/queries/NAME``, Oxigraph the same checked text with the values bound, as ``kg query --endpoint`` sends it),
1 sends a pathological query (a triple cross join) that only the timeout stops. Only 127.0.0.1 is ever
contacted; every loop is bounded in time.

    python -m bench.bench_serve                    # both corpora, 60 s each server: about 6 minutes
    python -m bench.bench_serve --seconds 10 --corpus bundled

Reports throughput, p50 and p99 latency and errors of the named queries, how the pathological query ended, and
the ratios of kg serve to Oxigraph; writes ``out/bench-serve.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

import kg
from bench.generate import generate
from kg.query import named_queries, prepare_query, remote_text
from kg.server import push

ROOT = Path(__file__).resolve().parent.parent
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CLIENTS = 8
TIMEOUT = 5.0
M_CLAIMS = 1400


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _params(graph: kg.KnowledgeGraph) -> dict[str, dict[str, str]]:
    """Each named query with its required parameters bound to the first node (by id) of a type it takes."""
    chosen: dict[str, dict[str, str]] = {}
    for named in named_queries().values():
        params = {}
        for param in named.params:
            if param.required:
                params[param.name] = next(node for node in sorted(graph.nodes)
                                          if not param.types or type(graph.nodes[node]).__name__ in param.types)
        chosen[named.name] = params
    return chosen


class Process:
    def __init__(self, args: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.log = log
        self._out = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=self._out, stderr=self._out,
                                        env={**os.environ, "KG_PROGRESS": "off", **(env or {})},
                                        start_new_session=True)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._out.close()


def _wait(url: str, process: Process, limit: float = 600) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.process.poll() is not None:
            raise SystemExit(f"server exited: {process.log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {limit} s")


def _requests(graph: kg.KnowledgeGraph, target: str, base: str) -> list[tuple[str, str, dict[str, str]]]:
    """(name, url, form or query parameters) of each named query, for kg serve or for Oxigraph."""
    found = []
    for name, params in _params(graph).items():
        if target == "kg":
            found.append((name, f"{base}/queries/{name}", params))
        else:
            bound = prepare_query(graph, name=name, params=params, cache=False)
            found.append((name, f"{base}/query", {"query": remote_text(bound.prepared, bound.bindings)}))
    return found


async def _load(named: list[tuple[str, str, dict[str, str]]], slow: tuple[str, dict[str, str]], method: str,
                seconds: float) -> dict[str, Any]:
    records: list[tuple[str, float, int]] = []  # (what, seconds, status; 0 for a transport error)
    deadline = time.monotonic() + seconds
    accept = {"Accept": "application/sparql-results+json"}
    async with httpx.AsyncClient(timeout=TIMEOUT + 30, limits=httpx.Limits(max_connections=CLIENTS)) as client:

        async def send(what: str, url: str, fields: dict[str, str]) -> None:
            started = time.monotonic()
            try:
                if method == "GET" or what != "pathological" and "/queries/" in url:
                    response = await client.get(url, params=fields, headers=accept)
                else:
                    response = await client.post(url, data=fields, headers=accept)
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            records.append((what, time.monotonic() - started, status))

        async def named_client(offset: int) -> None:
            index = offset
            while time.monotonic() < deadline:
                name, url, fields = named[index % len(named)]
                await send(name, url, fields)
                index += 1

        async def slow_client() -> None:
            while time.monotonic() < deadline:
                await send("pathological", *slow)

        started = time.monotonic()
        await asyncio.gather(slow_client(), *(named_client(i * 3) for i in range(CLIENTS - 1)))
        elapsed = time.monotonic() - started
    return _summary(records, elapsed)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _summary(records: list[tuple[str, float, int]], elapsed: float) -> dict[str, Any]:
    named = [(s, st) for what, s, st in records if what != "pathological"]
    slow = [(s, st) for what, s, st in records if what == "pathological"]
    latencies = [s for s, st in named if st == 200]
    return {"seconds": round(elapsed, 1), "named_requests": len(named),
            "named_throughput": round(len(latencies) / elapsed, 1),
            "named_p50_ms": round(1000 * _percentile(latencies, 0.5), 1),
            "named_p99_ms": round(1000 * _percentile(latencies, 0.99), 1),
            "named_errors": sum(1 for _, st in named if st != 200),
            "pathological_requests": len(slow),
            "pathological_statuses": sorted({st for _, st in slow}),
            "pathological_max_s": round(max((s for s, _ in slow), default=0.0), 2)}


def run_corpus(label: str, data: Path, work: Path, seconds: float) -> dict[str, Any]:
    cache = work / "cache"
    graph = kg.load(str(data), cache=cache)
    triples = len(kg.store.store(graph))
    kg_log, ox_log = work / f"kg-serve-{label}.log", work / f"oxigraph-{label}.log"
    kg_server = Process([sys.executable, "-m", "kg.cli", "--data", str(data), "serve", "--port", "0",
                         "--timeout", str(TIMEOUT), "--max-rows", "1000000"], kg_log, env={"KG_CACHE_DIR": str(cache)})
    location = work / f"oxigraph-{label}"
    shutil.rmtree(location, ignore_errors=True)
    port = _free_port()
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"  # the dev extra's
    ox_server = Process([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                         "--union-default-graph", "--timeout-s", str(int(TIMEOUT))], ox_log)
    results: dict[str, Any] = {"corpus": label, "triples": triples}
    try:
        deadline = time.monotonic() + 600
        while not re.search(r"127\.0\.0\.1:(\d+)/sparql", kg_log.read_text(errors="replace")):
            if time.monotonic() > deadline or kg_server.process.poll() is not None:
                raise SystemExit(kg_log.read_text(errors="replace"))
            time.sleep(0.2)
        kg_base = "http://127.0.0.1:" + re.findall(r"127\.0\.0\.1:(\d+)/sparql", kg_log.read_text())[0]
        ox_base = f"http://127.0.0.1:{port}"
        _wait(f"{kg_base}/health", kg_server)
        _wait(f"{ox_base}/query?query=ASK%7B%7D", ox_server)
        push(graph, f"{ox_base}/store", replace=True)
        for target, base, slow in [("kg", kg_base, (f"{kg_base}/sparql", {"query": PATHOLOGICAL})),
                                   ("oxigraph", ox_base, (f"{ox_base}/query", {"query": remote_text(
                                       prepare_query(graph, PATHOLOGICAL, cache=False).prepared, {})}))]:
            named = _requests(graph, target, base)
            for name, url, fields in named:  # warm-up, and a check that every query answers
                response = (httpx.get(url, params=fields, timeout=120) if target == "kg" else
                            httpx.post(url, data=fields, timeout=120,
                                       headers={"Accept": "application/sparql-results+json"}))
                if response.status_code != 200:
                    raise SystemExit(f"{target} {name}: {response.status_code} {response.text[:200]}")
            print(f"{label}: {target} under load for {seconds:g} s ...", file=sys.stderr, flush=True)
            results[target] = asyncio.run(_load(named, slow, "POST", seconds))
    finally:
        kg_server.stop()
        ox_server.stop()
    kg_r, ox_r = results["kg"], results["oxigraph"]
    results["p99_ratio"] = round(kg_r["named_p99_ms"] / ox_r["named_p99_ms"], 2)
    results["throughput_ratio"] = round(ox_r["named_throughput"] / kg_r["named_throughput"], 2)
    return results


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| corpus | triples | server | named req/s | p50 ms | p99 ms | errors "
             "| pathological (n, status, longest s) |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for target in ("kg", "oxigraph"):
            r = row[target]
            name = "kg serve" if target == "kg" else "oxigraph serve"
            lines.append(f"| {row['corpus']} | {row['triples']:,} | {name} | {r['named_throughput']} | "
                         f"{r['named_p50_ms']} | {r['named_p99_ms']} | {r['named_errors']} | "
                         f"{r['pathological_requests']}× {r['pathological_statuses']}, {r['pathological_max_s']} |")
    lines.append("")
    for row in rows:
        lines.append(f"{row['corpus']}: kg serve's p99 is {row['p99_ratio']}× Oxigraph's; Oxigraph's throughput is "
                     f"{row['throughput_ratio']}× kg serve's")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="load per server and corpus (default 60)")
    parser.add_argument("--corpus", choices=["bundled", "M", "both"], default="both")
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "bench-data" / "serve")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench-serve.json")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    if args.corpus in ("bundled", "both"):
        rows.append(run_corpus("bundled", ROOT / "data", args.work, args.seconds))
    if args.corpus in ("M", "both"):
        data = args.work / "data-M"
        if not (data / "documents").is_dir():
            generate(data, claims=M_CLAIMS)
        rows.append(run_corpus("M", data, args.work, args.seconds))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(table(rows))


if __name__ == "__main__":
    main()
