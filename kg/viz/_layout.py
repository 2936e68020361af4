"""Positions for large graphs, computed in Python so the browser draws at once instead of simulating physics.

Pivot MDS (Brandes & Pich, 2006): breadth-first distances from a few well-spread pivot nodes, double
centred, projected on their two main axes. It costs one BFS per pivot (linear in the edges) and a small
eigenproblem, so 10,000 nodes take well under a second, where force-directed layouts are quadratic.
Connected components are laid out one by one and packed in rows, largest first. Output is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["pivot_layout"]

EDGE_LENGTH = 70.0  # target length of a typical edge, in vis-network canvas units
PIVOTS = 40


def pivot_layout(nodes: Sequence[str], edges: Sequence[tuple[str, str]],
                 seed: int = 0) -> dict[str, tuple[int, int]]:
    """Node id -> (x, y) for an undirected reading of ``edges``."""
    index = {n: i for i, n in enumerate(nodes)}
    adjacency: list[list[int]] = [[] for _ in nodes]
    for a, b in edges:
        i, j = index[a], index[b]
        if i != j:
            adjacency[i].append(j)
            adjacency[j].append(i)
    rng = np.random.default_rng(seed)
    placed = [_component_layout(comp, adjacency, rng) for comp in _components(adjacency)]
    xy = np.zeros((len(nodes), 2))
    for comp, coords in _pack(placed):
        xy[comp] = coords
    return {n: (round(float(xy[i, 0])), round(float(xy[i, 1]))) for n, i in index.items()}


def _components(adjacency: list[list[int]]) -> list[list[int]]:
    seen = [False] * len(adjacency)
    comps = []
    for start in range(len(adjacency)):
        if seen[start]:
            continue
        seen[start] = True
        comp, frontier = [start], [start]
        while frontier:
            nxt = []
            for u in frontier:
                for v in adjacency[u]:
                    if not seen[v]:
                        seen[v] = True
                        nxt.append(v)
            comp.extend(nxt)
            frontier = nxt
        comps.append(comp)
    comps.sort(key=len, reverse=True)
    return comps


def _bfs(source: int, adjacency: list[list[int]], local: dict[int, int]) -> np.ndarray:
    dist = np.full(len(local), -1.0)
    dist[local[source]] = 0
    frontier, d = [source], 0
    while frontier:
        d += 1
        nxt = []
        for u in frontier:
            for v in adjacency[u]:
                k = local[v]
                if dist[k] < 0:
                    dist[k] = d
                    nxt.append(v)
        frontier = nxt
    return dist


def _component_layout(comp: list[int], adjacency: list[list[int]],
                      rng: np.random.Generator) -> tuple[list[int], np.ndarray]:
    n = len(comp)
    if n == 1:
        return comp, np.zeros((1, 2))
    if n <= 3:
        angles = np.arange(n) * 2 * math.pi / n
        return comp, EDGE_LENGTH * 0.6 * np.column_stack([np.cos(angles), np.sin(angles)])
    local = {node: k for k, node in enumerate(comp)}
    k = min(PIVOTS, n)
    columns = []
    pivot = comp[int(rng.integers(n))]
    closest = np.full(n, np.inf)
    for _ in range(k):  # max-min pivots: each new pivot is the node farthest from all chosen so far
        dist = _bfs(pivot, adjacency, local)
        columns.append(dist)
        closest = np.minimum(closest, dist)
        pivot = comp[int(np.argmax(closest))]
        if closest.max() == 0:
            break
    d2 = np.column_stack(columns) ** 2
    centred = -0.5 * (d2 - d2.mean(axis=0) - d2.mean(axis=1, keepdims=True) + d2.mean())
    _, vectors = np.linalg.eigh(centred.T @ centred)
    coords = centred @ vectors[:, -2:][:, ::-1]
    coords -= coords.mean(axis=0)
    coords = _scale(coords, comp, adjacency, local)
    # nodes with identical distances to every pivot (leaves of one hub) would sit on one spot: spread them
    coords += rng.normal(scale=EDGE_LENGTH * 0.35, size=coords.shape)
    return comp, coords


def _scale(coords: np.ndarray, comp: list[int], adjacency: list[list[int]], local: dict[int, int]) -> np.ndarray:
    lengths = [np.linalg.norm(coords[local[u]] - coords[local[v]]) for u in comp[:2000] for v in adjacency[u]]
    typical = float(np.median(lengths)) if lengths else 0.0
    if typical <= 1e-9:
        spread = float(np.abs(coords).max()) or 1.0
        return coords / spread * EDGE_LENGTH * math.sqrt(len(comp))
    return coords * (EDGE_LENGTH / typical)


def _pack(placed: list[tuple[list[int], np.ndarray]]) -> list[tuple[list[int], np.ndarray]]:
    """Shift each component into rows of a shelf, largest first, with a gap between them."""
    gap = EDGE_LENGTH * 2
    boxes = []
    for comp, coords in placed:
        low, high = coords.min(axis=0), coords.max(axis=0)
        boxes.append((comp, coords - low, high - low))
    total = sum((w + gap) * (h + gap) for _, _, (w, h) in boxes)
    row_width = max(math.sqrt(total) * 1.2, max(w for _, _, (w, _h) in boxes))
    out, x, y, row_height = [], 0.0, 0.0, 0.0
    for comp, coords, (w, h) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        out.append((comp, coords + np.array([x, y])))
        x += w + gap
        row_height = max(row_height, h)
    centre = np.array([row_width / 2, (y + row_height) / 2])
    return [(comp, coords - centre) for comp, coords in out]
