"""The kg command as users run it: help, stats, export, exit codes, messages on stderr, no tracebacks."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph

from kg.cli import main
from tests.conftest import run_kg


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_f_means_format_in_every_command(capsys):
    commands = re.findall(r"^ {4}(\S+) {2,}", _help(capsys), flags=re.MULTILINE)
    assert {"export", "query", "stats", "brief", "tensions", "ingest"} <= set(commands)
    for command in commands:
        options = [line.split() for line in _help(capsys, command).splitlines() if line.startswith("  -")]
        with_f = [words for words in options if "-f" in words or "-f," in words]
        with_format = [words for words in options if "--format" in words or "--format," in words]
        assert with_f == with_format, command  # -f is --format wherever there is one, and nothing else


def test_help_lists_commands():
    result = run_kg("--help")
    assert result.code == 0
    for command in ("validate", "stats", "export"):
        assert command in result.out


def test_validate_bundled_data():
    result = run_kg("validate")
    assert result.code == 0
    assert result.out == ""
    assert "is valid" in result.err


def test_stats_json_counts():
    result = run_kg("stats", "--format", "json")
    assert result.code == 0, result.err
    stats = json.loads(result.out)
    nodes = stats["nodes"]
    assert nodes["Person"] >= 1 and nodes["Organization"] >= 6 and nodes["Concept"] >= 20
    assert nodes["Claim"] >= 25 and nodes["Tension"] == 3 and nodes["Source"] >= 6
    assert nodes["Event"] == 2 and nodes["Question"] == 4
    assert stats["edges"]["in_tension_with"] == 3
    assert stats["total_edges"] == sum(stats["edges"].values())


def test_stats_table():
    result = run_kg("stats", "-f", "table")
    assert result.code == 0
    assert any(line.split() == ["Tension", "3"] for line in result.out.splitlines())


def test_export_turtle_to_file(tmp_path):
    out = tmp_path / "graph.ttl"
    result = run_kg("export", "--format", "turtle", "-o", str(out))
    assert result.code == 0, result.err
    assert result.out == ""
    assert len(Graph().parse(out, format="turtle")) > 2000


def test_export_to_stdout():
    result = run_kg("export", "--format", "ttl")
    assert result.code == 0
    assert result.out.startswith("@prefix")


def test_unknown_format_is_usage_error():
    result = run_kg("export", "--format", "docx")
    assert result.code == 2
    assert result.err.strip().startswith("kg: error: unknown export format 'docx' (known: ")
    assert "Traceback" not in result.err


def test_unwritable_output_is_one_line(tmp_path):
    result = run_kg("export", "-o", str(tmp_path / "missing-dir" / "graph.ttl"))
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1 and "cannot write" in result.err


def test_bad_arguments_exit_2():
    assert run_kg("stats", "--format", "xml").code == 2
    assert run_kg("frobnicate").code == 2


def test_debug_shows_traceback(minimal):
    (minimal / "entities" / "people.yaml").write_text("- id: [\n")
    plain = run_kg("stats", "--data", str(minimal))
    assert plain.code == 1 and "Traceback" not in plain.err
    assert "people.yaml:" in plain.err and "YAML syntax error" in plain.err
    assert len(plain.err.strip().splitlines()) == 2  # the problem and the summary: no cascade of missing people
    debug = run_kg("--debug", "stats", "--data", str(minimal))
    assert debug.code == 1 and "Traceback" in debug.err
