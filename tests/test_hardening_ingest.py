"""Issue "Hardening", item 6: `kg ingest` never writes a bundle `kg validate` refuses for its size, says what
the value cap counts, and stays linear in the number of timeline entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg._yaml import MAX_BYTES, MAX_NODES, YamlProblem, parse_yaml
from kg.errors import IngestError
from kg.ingest import ingest
from kg.ingest.linking import fresh_id
from tests.conftest import run_kg

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


def briefing_with_timeline(entries: list[str]) -> str:
    """The sandbagging briefing with its Timeline replaced by ``entries`` (one bullet each)."""
    text = (FIXTURES / "briefing-sandbagging.txt").read_text(encoding="utf-8")
    before, rest = text.split("## Timeline\n", 1)
    _, after = rest.split("## Perspectives", 1)
    return before + "## Timeline\n" + "".join(f"* {entry}\n" for entry in entries) + "\n## Perspectives" + after


def test_ids_of_one_base_are_the_first_free_ones_with_or_without_counters() -> None:
    taken = {"event/x", "event/x-3", "event/x-4", "event/y-2"}
    plain, counted = set(taken), set(taken)
    counters: dict[str, int] = {}
    for base in ["event/x"] * 5 + ["event/y"] * 3 + ["event/x"] * 2:
        a, b = fresh_id(base, plain, "z"), fresh_id(base, counted, "z", counters)
        assert a == b
        plain.add(a)
        counted.add(b)
    assert "event/x-9" in counted and "event/x-5" in counted and "event/y-3" in counted


def test_twenty_thousand_same_day_timeline_entries_are_refused_not_written(tmp_path: Path) -> None:
    # minting 20,000 event ids of one base used to scan event/...-2, -3, ... each time (65 s; now linear), and the
    # bundle then held more values than `kg validate` reads: ingest refuses it rather than write it
    document = tmp_path / "long-briefing.txt"
    document.write_text(briefing_with_timeline(["2025-03-01 — Raman posts an update on the gap. [1]"] * 20_000),
                        encoding="utf-8")
    data = tmp_path / "data"
    result = run_kg("ingest", str(document), "--data", str(data))
    assert result.code == 1
    assert result.err.strip().splitlines()[-1] == (
        f"kg: error: {document}: its bundle would not load (YAML document holds more than {MAX_NODES} values); "
        "nothing written: split the document into smaller ones")
    assert "Traceback" not in result.err
    assert not (data / "documents").exists() or not list((data / "documents").iterdir())


def test_a_bundle_over_the_byte_cap_is_refused_not_written(tmp_path: Path) -> None:
    # a 3.6 MB briefing used to give a 4.3 MB bundle that `kg validate` refuses
    entry = "2025-03-01 — Raman posts an update on the elicitation gap: " + "more detail " * 90
    document = tmp_path / "wordy-briefing.txt"
    document.write_text(briefing_with_timeline([f"{entry}{i} [1]" for i in range(3_300)]), encoding="utf-8")
    assert document.stat().st_size < MAX_BYTES
    bundle = ingest(document)
    out = tmp_path / "wordy-briefing.yaml"
    with pytest.raises(IngestError) as info:
        bundle.write(out)
    assert str(info.value) == (f"{document}: its bundle would not load (file is larger than {MAX_BYTES // 2**20} MiB); "
                               "nothing written: split the document into smaller ones")
    assert not out.exists()
