"""libyaml reads what the pure-Python loader reads, and every problem is still told by the pure-Python loader:
same data, same lines, same ``YamlProblem(line, message)`` (issue "Scale", item 3)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import kg._yaml
from kg._util import paused_gc
from kg._yaml import YamlDoc, YamlProblem, parse_yaml
from tests.conftest import BILLION_LAUGHS_TEXT, DATA, FIXTURES, ROOT

pytestmark = pytest.mark.skipif(kg._yaml._FAST is None, reason="PyYAML is built without libyaml")

FILES = sorted(p for folder in (DATA, FIXTURES) for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))

#: malformed and hostile documents: each must fare exactly as it does with the pure-Python loader alone
SNIPPETS = [
    # syntax
    "a: [1, 2\nb: 3\n",
    "a: {x: 1\n",
    "a: 'open\n",
    'a: "open\n',
    'a: "bad \\q escape"\n',
    "a: b: c\n",
    "- a\nb: c\n",
    "a:\n  - x\n y: 1\n",
    "[a, b]]\n",
    "{a: 1,, b: 2}\n",
    "a: |\n  text\n b: 1\n",
    "a:\n\t- b\n",
    "a:\tb\n",
    "? [a, b]\n: c\n",
    "? complex\n: value\n",
    "&a\n",
    "a: *undefined\n",
    "a: &x &y 1\n",
    "---\na: 1\n---\nb: 2\n",
    "%YAML 2.0\n---\na: 1\n",
    "%YAML 1.3\n---\na: 1\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "%FOO bar\n---\na: 1\n",
    "k" * 1100 + ": long key\n",
    "a: 1\r\nb: [\r\nc\r\n",
    "a: 1\rb: 2\rc: [\r",
    "a: 1\x85b: [\n",
    "a: x\u2028y\nb: [\n",
    # characters
    "name: a\x00b\n",
    "ok: 1\nname: a\x1bb\n",
    "a: b\x7f\n",
    "a: \ud800\n",
    "\ufeffa: 1\n",
    "a: 1\n\ufeffb: 2\n",
    'a: "\\x00 escaped NUL is text"\n',
    "a: 'caf\u00e9 \U0001F600'\n",
    # tags
    "- !!python/object/apply:os.system ['touch /tmp/kg-pwned']\n",
    "x: !!python/name:os.system\n",
    "x: !<tag:yaml.org,2002:python/object:os.system> {}\n",
    "%TAG !e! tag:yaml.org,2002:\n---\nx: !e!python/object/apply:os.system [id]\n",
    "x: !custom 3\n",
    "x: !!set {a, b}\n",
    "x: !!omap [a: 1]\n",
    "x: !!pairs [a: 1]\n",
    "x: ! 3\n",
    "x: !!str 3\n",
    "x: !!int '3'\n",
    "x: !!int abc\n",
    "x: !!float abc\n",
    "- id: person/x\n  name: !!bool abc\n",
    "x: !!null abc\n",
    "x: !!binary aGVsbG8=\n",
    "x: !!timestamp 2025-01-02\n",
    "x: !!map [a]\n",
    "x: !!seq {a: 1}\n",
    # scalars
    "a: 2025-01-02\nb: 2025-01-02T10:00:00Z\nc: 2025-13-45\n",
    "a: 0x1F\nb: 0o17\nc: 017\nd: 1_000\ne: 190:20:30\nf: +1\ng: 1e3\nh: 6.8523015e+5\n",
    "a: .inf\nb: -.inf\nc: .nan\nd: ~\ne: null\nf: yes\ng: off\nh: On\n",
    # keys
    "a: 1\nb: 2\na: 3\n",
    "1: a\n1.0: b\n",
    "true: a\n1: b\n",
    "null: a\n~: b\n",
    "[a]: b\n",
    "{a: 1}: b\n",
    "a: &a {x: 1}\nb:\n  <<: *a\n",
    "b:\n  <<: {x: 1}\n",
    "&k key: 1\n*k : 2\n",
    # aliases and nesting
    "a: &x [1, *x]\n",
    "a: &x {b: *x}\n",
    "a: &x\n  b: 1\nc: *x\nd: *x\n",
    BILLION_LAUGHS_TEXT,
    "a: " + "[" * 2000 + "\n",
    "a: " + "[" * 100 + "]" * 100 + "\n",
    "a:\n  b: " + "{a: " * 2000 + "\n",
    "".join(f"{' ' * 2 * i}k{i}:\n" for i in range(70)) + " " * 140 + "x\n",
    "- " * 70 + "x\n",
    # empty documents
    "",
    "# only a comment\n",
    "---\n",
    "...\n",
    "--- |\n  text\n",
    "- - - x\n",
    # where libyaml reads otherwise (found by comparing both on random text): the pure-Python loader reads these
    "a: [b,\tc]\n",
    "a: >\t\n",
    "a: |#comment\n  x\n",
    "a: |2-#\n   x\n",
    "x: !\n",
    "- !\n",
    "!\u2028",
    "[!!str,a]\n",
    "[a?b]\n",
    "{a: b?c}\n",
    "aliases: [Mall?en]\nurl: [https://example.org/a?b=1]\n",
    "a: &q why?\nb: [*q]\n",
    "<<, ...: \u2028\ufeff",
    "\r\ufeff\n  \n\n  a`:  \xa0\n",
    "---",
    "--- # nothing\n ",
    "a: [? \n]\n",
    "- [?!!str, \n=\r\n~\n]\n",
    "a:\n  - [? ,:\n~`]\n",
]


def _pure(text: str, monkeypatch: pytest.MonkeyPatch) -> YamlDoc:
    """What :func:`parse_yaml` gives with the pure-Python loader alone."""
    with monkeypatch.context() as patch:
        patch.setattr(kg._yaml, "_FAST", None)
        return parse_yaml(text)


def _outcome(read: Callable[[], YamlDoc]) -> tuple[object, ...]:
    try:
        doc = read()
    except YamlProblem as problem:
        return "problem", problem.line, problem.message
    return "ok", repr(doc.data), doc.lines  # repr: True, 1 and 1.0 are equal but not the same value


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _outcome(lambda: parse_yaml(text))
    assert fast == _outcome(lambda: _pure(text, monkeypatch))
    if fast[0] == "ok":  # lines of paths not in the map: the nearest ancestor's
        doc, pure = parse_yaml(text), _pure(text, monkeypatch)
        sample = [(*path, "missing", 0) for path in list(doc.lines)[::7]]
        assert [doc.line(p) for p in sample] == [pure.line(p) for p in sample]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_data_files_read_the_same_by_libyaml(path: Path, monkeypatch: pytest.MonkeyPatch):
    text = path.read_text(encoding="utf-8")
    _same(text, monkeypatch)
    pure = _outcome(lambda: _pure(text, monkeypatch))
    if pure[0] == "ok":  # libyaml alone reads every good file: the speed does not hang on a fallback
        monkeypatch.setattr(kg._yaml, "_compose_located", lambda text: pytest.fail("read by the pure-Python loader"))
        assert _outcome(lambda: parse_yaml(text)) == pure


@pytest.mark.parametrize("text", SNIPPETS, ids=range(len(SNIPPETS)))
def test_malformed_and_hostile_snippets_fare_the_same(text: str, monkeypatch: pytest.MonkeyPatch):
    _same(text, monkeypatch)


def test_snippets_cover_both_outcomes(monkeypatch: pytest.MonkeyPatch):
    outcomes = [_outcome(lambda t=t: _pure(t, monkeypatch))[0] for t in SNIPPETS]
    assert len(SNIPPETS) >= 40
    assert outcomes.count("problem") >= 40 and outcomes.count("ok") >= 10


def test_parse_leaves_the_collector_as_it_was():
    assert gc.isenabled()
    parse_yaml("a: [1, 2]\n")
    with pytest.raises(YamlProblem):
        parse_yaml("a: [1, 2\n")
    assert gc.isenabled()
    gc.disable()
    try:
        parse_yaml("a: 1\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_paused_gc_nests_and_restores_across_threads():
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with paused_gc():
            inside.set()
            leave.wait(5)

    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
        thread = threading.Thread(target=other)
        thread.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other thread's block is still open
    leave.set()
    thread.join(5)
    assert gc.isenabled()


def test_libyaml_without_a_nesting_limit_is_not_used(monkeypatch: pytest.MonkeyPatch):
    """An old libyaml composes ``[[[[...`` by recursing in C until the stack overflows: then it is left alone."""

    class Unlimited:
        def __init__(self, text: str) -> None:
            pass

        def get_single_node(self) -> None:
            return None

        def dispose(self) -> None:
            pass

    assert kg._yaml._libyaml() is yaml.CSafeLoader
    monkeypatch.setattr(yaml, "CSafeLoader", Unlimited)
    assert kg._yaml._libyaml() is None
