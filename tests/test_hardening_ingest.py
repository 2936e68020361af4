"""Issue "Hardening", item 6: `kg ingest` never writes a bundle `kg validate` refuses for its size, says what
the value cap counts, and stays linear in the number of timeline entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg._yaml import MAX_NODES, YamlProblem, parse_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def test_a_plain_tree_over_the_value_cap_is_not_blamed_on_aliases() -> None:
    text = "a: 1\nitems:\n" + "".join(f"- {i}\n" for i in range(MAX_NODES + 1))
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text)
    assert info.value.message == f"YAML document holds more than {MAX_NODES} values"
    assert info.value.line == 3


def test_aliases_expanding_over_the_value_cap_say_so() -> None:
    text = "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 300) + "]\n"
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text)
    assert info.value.message == f"YAML aliases expand to more than {MAX_NODES} values"
    assert info.value.line == 2
