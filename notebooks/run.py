"""Execute the notebooks top to bottom in a kernel of this Python, and optionally write them as HTML.

    python notebooks/run.py                          # every notebook; fails on the first cell that raises
    python notebooks/run.py tour --html out/notebooks   # one notebook, written to out/notebooks/tour.html

The kernel is this interpreter's ipykernel (declared for the run in a temporary Jupyter path), so nothing
depends on a kernel installed by hand; it runs in ``notebooks/`` with this checkout first on its path. The
tests (tests/test_notebooks.py) and ``make notebooks`` both use it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOTEBOOKS = ("tour", "field")
KERNEL = "kg-python"


@contextmanager
def _environment(extra: Mapping[str, str]) -> Iterator[None]:
    """A kernel spec running ``sys.executable`` on a temporary Jupyter path, this checkout on PYTHONPATH and
    ``extra`` in the environment the kernel inherits; everything restored afterwards."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="kg-kernel-") as tmp:
        spec = Path(tmp) / "kernels" / KERNEL
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"Python {sys.version_info.major}.{sys.version_info.minor} (kg)",
            "language": "python",
        }), encoding="utf-8")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (tmp, saved.get("JUPYTER_PATH")) if p)
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), saved.get("PYTHONPATH")) if p)
        os.environ.update(extra)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


def execute(name: str, *, timeout: int = 600, env: Mapping[str, str] | None = None) -> nbformat.NotebookNode:
    """The notebook ``notebooks/<name>.ipynb`` executed; nbclient's CellExecutionError if a cell raises."""
    notebook = nbformat.read(HERE / f"{name}.ipynb", as_version=4)
    with _environment(env or {}):
        client = NotebookClient(notebook, kernel_name=KERNEL, timeout=timeout, allow_errors=False,
                                resources={"metadata": {"path": str(HERE)}})
        client.execute()
    return notebook


def write_html(notebook: nbformat.NotebookNode, path: Path) -> Path:
    """``notebook`` with its outputs as one HTML page (nbconvert's lab template), written atomically."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(body, encoding="utf-8")
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(NOTEBOOKS), help="notebooks to run (default: all)")
    parser.add_argument("--html", type=Path, help="write each executed notebook to DIR/<name>.html")
    args = parser.parse_args(argv)
    for name in args.names:
        start = time.perf_counter()
        notebook = execute(name)
        where = f" -> {write_html(notebook, args.html / f'{name}.html')}" if args.html else ""
        print(f"{name}.ipynb ran in {time.perf_counter() - start:.0f} s{where}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
