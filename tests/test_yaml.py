"""Safe YAML reading: no code execution, capped alias expansion, lines for every value."""

from __future__ import annotations

import time

import pytest

import kg
from kg._yaml import MAX_NODES, YamlProblem, parse_yaml
from tests.conftest import BILLION_LAUGHS_TEXT as BILLION_LAUGHS


def test_values_and_lines():
    doc = parse_yaml("a: 1\nb:\n  - x\n  - {c: 2025-01-02}\n")
    assert doc.data == {"a": 1, "b": ["x", {"c": "2025-01-02"}]}
    assert doc.line(("a",)) == 1
    assert doc.line(("b", 0)) == 3
    assert doc.line(("b", 1, "c")) == 4
    assert doc.line(("b", 1, "missing")) == 4


@pytest.mark.parametrize("text", [
    "- !!python/object/apply:os.system ['touch /tmp/kg-pwned']\n",
    "x: !!python/name:os.system\n",
    "x: !custom 3\n",
    "x: !!set {a, b}\n",
])
def test_language_tags_are_refused_not_run(text, tmp_path):
    with pytest.raises(YamlProblem, match="not allowed") as info:
        parse_yaml(text)
    assert info.value.line == 1


def test_billion_laughs_fails_fast():
    start = time.process_time()
    with pytest.raises(YamlProblem, match=f"more than {MAX_NODES}"):
        parse_yaml(BILLION_LAUGHS)
    assert time.process_time() - start < 5  # generous: the point is it does not expand 9**9 values


def test_recursive_alias_refused():
    with pytest.raises(YamlProblem, match="recursive"):
        parse_yaml("a: &x [1, *x]\n")


def test_duplicate_key_reported_with_line():
    with pytest.raises(YamlProblem, match="duplicate key") as info:
        parse_yaml("a: 1\nb: 2\na: 3\n")
    assert info.value.line == 3


def test_syntax_error_has_line():
    with pytest.raises(YamlProblem, match="syntax") as info:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n")
    assert info.value.line >= 2


def test_size_cap():
    with pytest.raises(YamlProblem, match="larger than"):
        parse_yaml("x: '" + "a" * (5 * 1024 * 1024) + "'\n")


def test_merge_keys_refused():
    with pytest.raises(YamlProblem, match="keys"):
        parse_yaml("a: &a {x: 1}\nb:\n  <<: *a\n")


# -- malformed input that used to crash or hang (issue "Hardening", items 1, 2) ------------------------------------

@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: " + "[" * 2000 + "\n", 1, "nested deeper than 64 levels"),
    ("a:\n  b: " + "{a: " * 2000 + "\n", 2, "nested deeper than 64 levels"),
    ("name: a\x00b\n", 1, "character U+0000 is not allowed in YAML"),
    ("ok: 1\nname: a\x1bb\n", 2, "character U+001B is not allowed in YAML"),
    ("- id: person/x\n  name: !!bool abc\n", 2, "bad value abc"),
])
def test_malformed_yaml_is_a_located_problem(text: str, line: int, message: str):
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text)
    assert (info.value.line, info.value.message.split(" (")[0]) == (line, message)


def test_a_broken_file_of_dashes_fails_with_its_line_in_linear_time(tmp_path):
    """`-` lines before a broken one made the id scan of a broken file backtrack across lines (quadratic)."""
    from kg.loader import _ID_LINE

    assert _ID_LINE.findall("- id: person/a\n-\n-\n  id: person/b\nnot: id: person/c\n") == ["person/a", "person/b"]
    assert _ID_LINE.findall("-\n" * 3 + "id: person/x") == ["person/x"]  # an id line is still its own line
    (tmp_path / "entities").mkdir()
    (tmp_path / "entities" / "people.yaml").write_text("-\n" * 80_000 + "- id: person/x\n  name: [broken\n")
    report = kg.validate(tmp_path, shacl=False)
    assert [(i.location.line if i.location else None, i.code) for i in report.errors] == [(80_002, "yaml")]
