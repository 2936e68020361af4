"""The house rules of the package layout: each module's public surface is its ``__all__``, no module imports a
``_private`` name or module across package lines, and no modules import each other in a cycle."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _package(module: str) -> str:
    """The package a module belongs to (a package's ``__init__`` belongs to the package itself)."""
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def _imports(module: str) -> list[tuple[int, str]]:
    """Every ``kg`` name ``module`` imports anywhere (also inside functions), as dotted names, with the line."""
    names = []
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "kg"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kg":
            names += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return names


def _target(name: str) -> str:
    """The module a dotted imported name lives in."""
    return name if name in MODULES else name.rpartition(".")[0]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_declares_its_public_names(module):
    imported = importlib.import_module(module) if module != "kg.cli.__main__" else None
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.Assign | ast.AnnAssign) and "__all__" in ast.unparse(n) for n in tree.body), \
        f"{module} has no __all__"
    if imported is not None:
        missing = [name for name in imported.__all__ if not hasattr(imported, name)]
        assert not missing, f"{module}.__all__ names what it does not define: {missing}"


def test_no_private_name_is_imported_across_package_lines():
    """A ``_name`` (module or object) may be imported by the package that holds it and its subpackages only."""
    crossing = []
    for module in MODULES:
        package = _package(module)
        for line, name in _imports(module):
            parts = name.split(".")
            private = next((i for i, p in enumerate(parts) if p.startswith("_") and not p.startswith("__")), None)
            if private is None:
                continue
            owner = ".".join(parts[:private])
            if package != owner and not package.startswith(owner + "."):
                crossing.append(f"{MODULES[module].relative_to(PACKAGE.parent)}:{line}: {name}")
    assert not crossing


def test_no_import_cycles():
    graph = {m: {_target(n) for _, n in _imports(m)} - {m} for m in MODULES}
    cycles = []
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append(" → ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])
    assert not cycles


def test_no_top_level_name_hides_a_subpackage():
    """``kg.export``, ``kg.query``, ``kg.ingest`` and ``kg.viz`` are the packages, so their registries are reachable."""
    code = ("import kg, kg.export, kg.query, kg.ingest, kg.viz, types\n"
            "kg.export.register; kg.export.FORMATS; kg.query.engines; kg.query.ENGINES; kg.ingest.formats\n"
            "assert all(isinstance(getattr(kg, n), types.ModuleType) for n in ('export', 'query', 'ingest', 'viz'))\n"
            "assert callable(kg.query_graph) and callable(kg.export_graph) and callable(kg.ingest_file)\n"
            "assert callable(kg.visualize_graph)\n"
            "import pkgutil\n"
            "subpackages = {m.name for m in pkgutil.iter_modules(kg.__path__)}\n"
            "clash = sorted(n for n in kg.__all__ if n in subpackages)\n"
            "assert not clash, clash\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
