"""The plugin registry: one contract for every extension point, and entry points from another package."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.registry import Registry, load_target

ROOT = Path(__file__).resolve().parent.parent

#: (module, registry attribute, entry-point group, kind in messages)
REGISTRIES = [
    ("kg.export", "FORMATS", "kg.export_formats", "export format"),
    ("kg.query._engines", "ENGINES", "kg.query_engines", "query engine"),
    ("kg.query._named", "NAMED_QUERIES", "kg.named_queries", "named query"),
    ("kg.ingest.registry", "PARSERS", "kg.ingest_formats", "document format"),
    ("kg.generate.rules", "RULES", "kg.tension_rules", "tension rule"),
    ("kg.importers", "IMPORTERS", "kg.importers", "knowledge base"),
]
IDS = [kind for *_, kind in REGISTRIES]


def _registry(module: str, attr: str) -> Registry:
    return getattr(importlib.import_module(module), attr)


@pytest.mark.parametrize(("module", "attr", "group", "kind"), REGISTRIES, ids=IDS)
def test_every_registry_has_plugins_and_names_its_entry_point_group(module, attr, group, kind):
    registry = _registry(module, attr)
    assert registry.kind == kind and registry.entry_point_group == group
    assert registry.names() and len(registry) == len(registry.names())
    for name, plugin in registry.items():
        assert plugin is not None and registry.get(name.upper()) is plugin and name in registry


@pytest.mark.parametrize(("module", "attr", "group", "kind"), REGISTRIES, ids=IDS)
def test_an_unknown_name_is_one_usage_error_listing_the_known_names(module, attr, group, kind):
    registry = _registry(module, attr)
    with pytest.raises(UsageError) as error:
        registry.get("no-such-plugin")
    known = ", ".join(sorted(registry.names()))
    assert re.fullmatch(rf"unknown {kind} 'no-such-plugin' \(known: {re.escape(known)}(; [^)]+)?\)", str(error.value))
    assert "no-such-plugin" not in registry


@pytest.mark.parametrize(("module", "attr", "group", "kind"), REGISTRIES, ids=IDS)
def test_aliases_name_the_same_plugin(module, attr, group, kind):
    registry = _registry(module, attr)
    for name in registry.names():
        for alias in registry.aliases(name):
            assert registry.canonical(alias) == name and registry.get(alias) is registry.get(name)


def test_registries_with_aliases():
    assert _registry("kg.export", "FORMATS").canonical("ttl") == "turtle"
    assert _registry("kg.ingest.registry", "PARSERS").canonical("Card") == "resource"


def test_a_lazy_target_is_imported_on_first_use_and_once():
    registry: Registry[object] = Registry("thing")
    registry.register("path", "os.path:join", aliases=("join",))
    registry.register("module", "json")
    assert registry.get("JOIN") is os.path.join and registry.get("module") is json
    assert load_target("os.path:join") is os.path.join


def test_a_broken_lazy_target_fails_each_time_it_is_asked_for():
    registry: Registry[object] = Registry("thing")
    registry.register("gone", "no_such_module_anywhere:x")
    for _ in range(2):
        with pytest.raises(ModuleNotFoundError):
            registry.get("gone")


def test_register_again_replaces_and_unregister_forgets_the_aliases():
    registry: Registry[int] = Registry("number")
    registry.register("one", 1, aliases=("uno",))
    registry.register("one", 11)
    assert registry.get("one") == 11 and "uno" not in registry
    registry.register("two", 2, aliases=("dos",))
    registry.unregister("DOS")
    assert registry.names() == ["one"] and "dos" not in registry
    with pytest.raises(UsageError, match=r"^unknown number 'two' \(known: one\)$"):
        registry.unregister("two")


def test_a_copy_is_independent():
    registry: Registry[int] = Registry("number")
    registry.register("one", 1)
    extended = registry.copy()
    extended.register("two", 2)
    assert registry.names() == ["one"] and extended.names() == ["one", "two"]


def test_adapt_turns_what_an_entry_point_loads_into_a_plugin(monkeypatch):
    from importlib.metadata import EntryPoint

    def fake(group: str):
        points = [EntryPoint("Sep", "os:sep", group), EntryPoint("one", "os:sep", group)]
        return points if group == "kg.test" else []

    monkeypatch.setattr("kg.registry.entry_points", fake)
    registry: Registry[str] = Registry("separator", "kg.test", adapt=lambda name, obj: f"{name}={obj}")
    registry.register("one", 1)  # type: ignore[arg-type]
    assert registry.names() == ["one", "Sep"]
    assert registry.get("sep") == f"Sep={os.sep}" and registry.get("one") == 1  # the package's own plugin wins


PLUGIN = '''
"""A package that adds one plugin to each of kg's registries."""
from pathlib import Path

from kg.export import Format
from kg.generate.rules import Rule

COUNT = Format("count", lambda graph: str(len(graph.nodes)).encode(), ".count", "text/plain", "node count")
TURTLE = Format("turtle", lambda graph: b"hijacked", ".ttl", "text/plain", "must not replace kg's turtle")
QUERY = str(Path(__file__).with_name("node-count.rq"))
NEVER = Rule("never", "suggests nothing", lambda graph: [])


def engine(dataset):
    from kg.query._engines import RdflibEngine

    return RdflibEngine(dataset)


def detect(text):
    return 0.0


def parse(text):
    raise NotImplementedError


def read(path, known, progress):
    raise NotImplementedError
'''

ENTRY_POINTS = '''
[kg.export_formats]
count = kg_fake_plugin:COUNT
turtle = kg_fake_plugin:TURTLE

[kg.query_engines]
echo = kg_fake_plugin:engine

[kg.named_queries]
node-count = kg_fake_plugin:QUERY

[kg.ingest_formats]
memo = kg_fake_plugin

[kg.tension_rules]
never = kg_fake_plugin:NEVER

[kg.importers]
fake-kb = kg_fake_plugin
'''

PROBE = '''
import importlib, json
out = {}
for module, attr in %s:
    registry = getattr(importlib.import_module(module), attr)
    out[registry.entry_point_group] = {name: type(plugin).__name__ for name, plugin in registry.items()}
from kg.export import get
out["turtle"] = get("turtle").description
from kg.query import get_named
out["query"] = get_named("node-count").title
print(json.dumps(out))
'''


def test_another_package_adds_a_plugin_to_every_registry_through_entry_points(tmp_path):
    (tmp_path / "kg_fake_plugin.py").write_text(PLUGIN, encoding="utf-8")
    (tmp_path / "node-count.rq").write_text("# title: Node count\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n",
                                            encoding="utf-8")
    dist = tmp_path / "kg_fake_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: kg-fake-plugin\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(textwrap.dedent(ENTRY_POINTS), encoding="utf-8")
    probe = PROBE % [(module, attr) for module, attr, *_ in REGISTRIES]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    found = json.loads(done.stdout)
    assert found["kg.export_formats"]["count"] == "Format"
    assert found["kg.query_engines"]["echo"] == "function"
    assert found["kg.named_queries"]["node-count"] == "NamedQuery" and found["query"] == "Node count"
    assert found["kg.ingest_formats"]["memo"] == "module"
    assert found["kg.tension_rules"]["never"] == "Rule"
    assert found["kg.importers"]["fake-kb"] == "module" and "longterm-wiki" in found["kg.importers"]
    assert found["turtle"] != "must not replace kg's turtle"
