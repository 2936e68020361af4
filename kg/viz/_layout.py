"""Positions for large graphs, computed in Python so the browser draws at once instead of simulating physics.

Two steps, each linear in the size of the graph (force-directed layouts with exact repulsion are quadratic):

1. Pivot MDS (Brandes & Pich, 2006) for the global shape: breadth-first distances from a few well-spread
   pivot nodes, double centred, projected on their two main axes.
2. A force-directed refinement where edges are springs and repulsion comes from a density field: nodes are
   counted on a grid, the counts blurred (by FFT), and each node pushed down the gradient. This spreads the
   dense core MDS leaves in small-world graphs so that nodes stop overlapping.

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
    pairs = np.array([(local[u], local[v]) for u in comp for v in adjacency[u] if u < v], dtype=np.int64)
    if len(pairs):
        coords = _refine(coords, pairs[:, 0], pairs[:, 1])
    return comp, coords


def _blur_kernel(shape: tuple[int, int], sigma: float) -> np.ndarray:
    """The FFT of a Gaussian of ``sigma`` cells, centred at the origin of a grid of ``shape`` (wrapping)."""
    ys = np.minimum(np.arange(shape[0]), shape[0] - np.arange(shape[0]))
    xs = np.minimum(np.arange(shape[1]), shape[1] - np.arange(shape[1]))
    kernel = np.exp(-(ys[:, None] ** 2 + xs[None, :] ** 2) / (2 * sigma**2))
    return np.fft.rfft2(kernel)


def _near_repulsion(xy: np.ndarray, key: np.ndarray, length: float, reach: int = 6) -> np.ndarray:
    """Exact repulsion between nodes sharing a grid cell, which the blurred density cannot tell apart
    (nodes with the same neighbours would otherwise settle on one spot)."""
    order = np.argsort(key, kind="stable")
    force = np.zeros_like(xy)
    n = len(xy)
    for offset in range(1, min(reach, n - 1) + 1):
        i, j = order[:-offset], order[offset:]
        same = key[i] == key[j]
        if not same.any():
            break
        i, j = i[same], j[same]
        delta = xy[i] - xy[j]
        dist2 = (delta**2).sum(axis=1)
        tiny = dist2 < 1e-6  # on the very same spot: part them along a direction fixed by their indices
        if tiny.any():
            angle = (i[tiny] * 7 + j[tiny] * 13) % 360 * math.pi / 180
            delta[tiny] = np.column_stack([np.cos(angle), np.sin(angle)]) * 0.1
            dist2[tiny] = 0.01
        push = delta * (length**2 / np.maximum(dist2, (length * 0.05) ** 2))[:, None] * 0.5
        for k in (0, 1):
            force[:, k] += np.bincount(i, weights=push[:, k], minlength=n)
            force[:, k] -= np.bincount(j, weights=push[:, k], minlength=n)
    return force


def _refine(xy: np.ndarray, a: np.ndarray, b: np.ndarray, iterations: int = 80) -> np.ndarray:
    """Springs on edges plus repulsion from the blurred node density, with a cooling step limit."""
    n, length = len(xy), EDGE_LENGTH
    cell = length
    side = length * math.sqrt(n) * 1.2  # room for about one node per cell
    spread = float(np.abs(xy - xy.mean(axis=0)).max()) or 1.0
    if spread < side / 2:
        xy = (xy - xy.mean(axis=0)) * (side / 2 / spread)
    step = side / 8
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n) + 1.0
    for _ in range(iterations):
        delta = xy[b] - xy[a]
        dist = np.sqrt((delta**2).sum(axis=1)) + 1e-9
        pull = (delta * ((dist - length) / dist * 0.5)[:, None])
        force = np.zeros_like(xy)
        for k in (0, 1):
            force[:, k] += np.bincount(a, weights=pull[:, k], minlength=n)
            force[:, k] -= np.bincount(b, weights=pull[:, k], minlength=n)
        force /= degree[:, None]
        low = xy.min(axis=0) - 4 * cell
        cells = np.minimum(np.ceil((xy.max(axis=0) + 4 * cell - low) / cell).astype(int), 1024)
        size = (xy.max(axis=0) + 4 * cell - low) / cells
        idx = np.minimum(((xy - low) / size).astype(int), cells - 1)
        shape = (int(cells[0]) * 2, int(cells[1]) * 2)  # padded: the blur must not wrap around
        counts = np.zeros(shape)
        np.add.at(counts, (idx[:, 0], idx[:, 1]), 1.0)
        density = np.fft.irfft2(np.fft.rfft2(counts) * _blur_kernel(shape, 1.5), s=shape)
        gx, gy = np.gradient(density, axis=0), np.gradient(density, axis=1)
        force[:, 0] -= gx[idx[:, 0], idx[:, 1]] * length * 0.6
        force[:, 1] -= gy[idx[:, 0], idx[:, 1]] * length * 0.6
        force += _near_repulsion(xy, idx[:, 0] * shape[1] + idx[:, 1], length) / degree[:, None]
        norm = np.sqrt((force**2).sum(axis=1)) + 1e-9
        xy = xy + force * (np.minimum(norm, step) / norm)[:, None]
        step = max(step * 0.93, length * 0.05)
    return xy


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
