"""Benchmark: how soon a large graph page is drawn and clickable in headless chromium, kg viz against pyvis.

Generates a valid data directory with a given number of nodes and edges (10,000 / 20,000 by default), writes
the kg viz page and a page made by pyvis with its defaults (``cdn_resources="in_line"``, physics on) from the
same graph, opens each in Debian's chromium and measures, from navigation start:

- ``drawn``: the first frame of the network on screen (vis-network's ``afterDrawing``);
- ``clickable``: a mouse click on a node has selected it (kg viz: its details panel is shown).

The target is kg viz clickable within 3 s. Results go to stdout and ``bench/results/viz.json``.

    python -m bench.bench_viz [--nodes 10000 --edges 20000 --repeat 3 --pyvis-timeout 120]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import kg
from bench.generate import dump, fresh_data_dir, write_agents

__all__ = ["synthetic_data", "main"]

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
TARGET_SECONDS = 3.0


def synthetic_data(out: str | Path, nodes: int = 10_000, edges: int = 20_000, seed: int = 0) -> Path:
    """Write a valid data directory with exactly ``nodes`` nodes and ``edges`` edges (replacing ``out``)."""
    rng = random.Random(seed)
    root = fresh_data_dir(out)
    n_concepts, n_people, n_orgs = int(nodes * 0.15), int(nodes * 0.04), max(10, nodes // 100)
    n_sources, n_docs, n_tensions = max(10, nodes // 10), max(1, nodes // 500), int(nodes * 0.03)
    n_claims = nodes - n_concepts - n_people - n_orgs - n_sources - n_docs - n_tensions
    fixed = (n_concepts - 1) + n_people + 2 * n_sources + 10 * n_docs + 2 * n_claims + 4 * n_tensions
    n_about = edges - fixed
    if not 0 <= n_about <= n_claims or n_claims < 2 * n_tensions:
        raise ValueError(f"cannot make {nodes} nodes with exactly {edges} edges (need {fixed}..{fixed + n_claims})")
    people = [f"person/p{i}" for i in range(n_people)]
    labs = [f"org/lab{i}" for i in range(n_orgs // 2)]
    venues = [f"org/venue{i}" for i in range(n_orgs - len(labs))]
    concepts = [f"concept/c{i}" for i in range(n_concepts)]
    sources = [f"source/s{i}" for i in range(n_sources)]
    write_agents(root, rng, people, labs, venues)
    dump(root / "entities" / "sources.yaml", [
        {"id": s, "title": f"Source {i}", "kind": "paper", "venue": rng.choice(venues), "url": f"https://example.org/{i}",
         "authors": [rng.choice(people)], "credibility": {"tier": 1 + i % 5, "label": "synthetic"}}
        for i, s in enumerate(sources)])
    dump(root / "entities" / "concepts.yaml", [
        {"id": c, "label": f"Concept {i}", "kind": "risk", "definition": f"Synthetic concept number {i}.",
         **({"broader": [concepts[rng.randrange(i)]]} if i else {})}
        for i, c in enumerate(concepts)])
    claim_docs = [i % n_docs for i in range(n_claims)]
    for d in range(n_docs):
        mine = [i for i in range(n_claims) if claim_docs[i] == d]
        citations = {n + 1: s for n, s in enumerate(rng.sample(sources, 10))}
        first_tension = d * n_tensions // n_docs
        tensions = range(first_tension, (d + 1) * n_tensions // n_docs)
        dump(root / "documents" / f"d{d}.yaml", {
            "kind": "briefing", "title": f"Synthetic briefing {d}", "citations": citations,
            "claims": [{"id": f"claim/c{i}", "statement": f"Synthetic claim {i}, stated in briefing {d}.",
                        "holders": [rng.choice(people)],
                        **({"about": [rng.choice(concepts)]} if i < n_about else {}),
                        "citations": [1 + rng.randrange(10)]} for i in mine],
            "tensions": [{"id": f"tension/t{t}", "a": f"claim/c{mine[2 * k]}", "b": f"claim/c{mine[2 * k + 1]}",
                          "kind": "empirical", "note": f"Synthetic tension {t}.", "citations": [1]}
                         for k, t in enumerate(tensions)],
        })
    return root


def _pyvis_page(graph: kg.KnowledgeGraph, path: Path) -> None:
    """The page pyvis 0.3.2 makes with its defaults (inline resources so it opens offline)."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    for node in graph.iter_nodes():
        net.add_node(node.id, label=node.caption[:40], title=f"{node.rdf_class}: {node.caption}")
    for edge in graph.edges:
        net.add_edge(edge.subject, edge.object, title=edge.relation)
    path.write_text(net.generate_html(), encoding="utf-8")


#: for pyvis pages: note when vis-network draws its first frame, as soon as the page creates ``network``
_PYVIS_HOOK = """
Object.defineProperty(window, "network", {configurable: true, get() { return window.__net; }, set(v) {
  window.__net = v;
  v.once("afterDrawing", () => { window.__drawn = performance.now(); });
}});
"""


def _measure(browser: Any, path: Path, kind: str, timeout: float) -> dict[str, float | None]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    if kind == "pyvis":
        page.add_init_script(_PYVIS_HOOK)
    try:
        page.goto(path.as_uri(), timeout=timeout * 1000, wait_until="commit")
        deadline = time.monotonic() + timeout
        flag = "document.body.dataset.ready === 'true'" if kind == "kg" else "window.__drawn !== undefined"
        while not page.evaluate(f"() => {flag}"):
            if time.monotonic() > deadline:
                return {"drawn": None, "clickable": None}
            time.sleep(0.02)
        net = "kgViz.network" if kind == "kg" else "network"
        drawn = page.evaluate("() => window.__drawn" if kind == "pyvis"
                              else "() => performance.getEntriesByName('kg:drawn')[0].startTime")
        box = page.locator("#kg-graph" if kind == "kg" else "#mynetwork").bounding_box()
        # pyvis keeps simulating after it stabilises, so its nodes drift: aim again until a click lands
        while True:
            node = page.evaluate(f"() => {net}.body.nodeIndices[Math.floor({net}.body.nodeIndices.length / 2)]")
            point = page.evaluate(f"id => {net}.canvasToDOM({net}.getPosition(id))", node)
            page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
            if kind == "kg":
                page.locator("#kg-panel").wait_for(state="visible", timeout=timeout * 1000)
                break
            if page.evaluate("() => network.getSelectedNodes().length > 0"):
                break
            if time.monotonic() > deadline:
                return {"drawn": round(drawn / 1000, 3), "clickable": None}
        clickable = page.evaluate("() => performance.now()")
        if errors:
            raise RuntimeError(f"{kind} page errors: {errors[:3]}")
        return {"drawn": round(drawn / 1000, 3), "clickable": round(clickable / 1000, 3)}
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pyvis-timeout", type=float, default=120.0, help="give up on the pyvis page after this")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kg-bench-viz-") as tmp:
        work = Path(tmp)
        graph = kg.load(synthetic_data(work / "data", args.nodes, args.edges))
        print(f"graph: {graph.stats()['total_nodes']} nodes, {graph.stats()['total_edges']} edges")
        start = time.perf_counter()
        kg.visualize_graph(graph, work / "kg.html")
        write_kg = time.perf_counter() - start
        start = time.perf_counter()
        _pyvis_page(graph, work / "pyvis.html")
        write_pyvis = time.perf_counter() - start
        print(f"write page: kg viz {write_kg:.2f} s (layout included), pyvis {write_pyvis:.2f} s")
        runs: dict[str, list[dict[str, float | None]]] = {"kg": [], "pyvis": []}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=LAUNCH_ARGS)
            for _ in range(args.repeat):
                runs["kg"].append(_measure(browser, work / "kg.html", "kg", 60.0))
            runs["pyvis"].append(_measure(browser, work / "pyvis.html", "pyvis", args.pyvis_timeout))
            browser.close()

    def median(kind: str, key: str) -> float | None:
        values = [r[key] for r in runs[kind]]
        return None if any(v is None for v in values) else statistics.median(values)  # type: ignore[arg-type]

    result = {"nodes": args.nodes, "edges": args.edges, "write_kg_s": round(write_kg, 3),
              "write_pyvis_s": round(write_pyvis, 3), "runs": runs,
              "kg": {"drawn": median("kg", "drawn"), "clickable": median("kg", "clickable")},
              "pyvis": {"drawn": median("pyvis", "drawn"), "clickable": median("pyvis", "clickable")},
              "target_s": TARGET_SECONDS}
    def show(value: float | None) -> str:
        return f"{value:.2f} s" if value is not None else f"> {args.pyvis_timeout:.0f} s (gave up)"

    for kind in ("kg", "pyvis"):
        drawn, clickable = result[kind]["drawn"], result[kind]["clickable"]
        print(f"{kind:6} drawn {show(drawn)}, clickable {show(clickable)}")
    ok = result["kg"]["clickable"] is not None and result["kg"]["clickable"] <= TARGET_SECONDS
    pyvis_clickable = result["pyvis"]["clickable"]
    if ok and pyvis_clickable:
        print(f"kg viz is {pyvis_clickable / result['kg']['clickable']:.1f}x faster to clickable than pyvis defaults")
    print(f"target: clickable within {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "viz.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
