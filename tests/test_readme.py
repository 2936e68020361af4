"""Every console example in README.md runs as shown, so the README cannot drift from what kg prints.

Each ```console block is a transcript: a line starting with ``$ `` is a command, the lines up to the next command
are what it prints (stdout and stderr together, as on a terminal). A command runs in bash, in a scratch
directory holding a copy of the curated ``data/`` and the files the examples name (``tests/fixtures/readme/``,
plus ``briefing.txt`` and ``card.txt`` from ``tests/fixtures/documents/``), with ``kg`` and ``python`` on the
PATH running this checkout. The README marks what it leaves out: ``[…]`` inside a line stands for the rest of
that stretch of the line, and a line that is only ``[…]`` or ``...`` for any number of lines. Trailing spaces
are ignored. The examples run in README order in one directory, as a reader would type them.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, FIXTURES, ROOT

README = ROOT / "README.md"
#: files an example names -> where the test takes them from (the rest of tests/fixtures/readme/ is copied as is)
DOCUMENTS = {"briefing.txt": FIXTURES / "documents" / "briefing-sandbagging.txt",
             "card.txt": FIXTURES / "documents" / "resource-password-locked.txt"}
ELIDED_LINE = ("[…]", "...")


def console_examples(text: str) -> list[tuple[int, str, str]]:
    """(README line, command, expected output) of every ``$`` line in every ```console block."""
    examples: list[list] = []
    inside = False
    current: list = []  # [line, command, output lines]
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "```console":
            inside = True
        elif inside and line.strip() == "```":
            inside = False
        elif inside and line.startswith("$ "):
            current = [number, line[2:], []]
            examples.append(current)
        elif inside:
            assert current, f"README.md:{number}: output before any command in a console block"
            current[2].append(line)
    return [(number, command, "\n".join(lines)) for number, command, lines in examples]


EXAMPLES = console_examples(README.read_text(encoding="utf-8"))


def matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is ``expected`` up to its marked elisions and trailing spaces."""
    parts = []
    for line in expected.rstrip().splitlines():
        if line.strip() in ELIDED_LINE:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.rstrip().split("[…]")) + r"\n")
    actual = "\n".join(line.rstrip() for line in actual.rstrip().splitlines()) + "\n"
    return re.fullmatch("".join(parts), actual) is not None


def test_matching_honours_elisions_and_nothing_else():
    assert matches("a\n[…]\nz", "a\nb\nc\nz\n") and matches("a […] z", "a b c z") and matches("a\n...\nz", "a\nz")
    assert not matches("a\nz", "a\nb\nz") and not matches("a […] z", "a b\nc z") and not matches("a", "a\nb")
    assert matches("a  \nb", "a\nb   \n")


def test_every_console_command_is_kg_or_python():
    assert len(EXAMPLES) >= 15
    assert [c for _, c, _ in EXAMPLES if not c.startswith(("kg ", "python "))] == []


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(DATA, work / "data")
    shutil.copytree(FIXTURES / "readme", work, dirs_exist_ok=True)
    for name, source in DOCUMENTS.items():
        shutil.copyfile(source, work / name)
    bin_ = work / ".bin"
    bin_.mkdir()
    for name, argv in (("kg", f'"{sys.executable}" -m kg.cli'), ("python", f'"{sys.executable}"')):
        (bin_ / name).write_text(f'#!/bin/sh\nexec {argv} "$@"\n')
        (bin_ / name).chmod(stat.S_IRWXU)
    return work


@pytest.mark.parametrize(("line", "command", "expected"), EXAMPLES,
                         ids=[f"README.md:{n}:{c[:60]}" for n, c, _ in EXAMPLES])
def test_console_example_runs_as_shown(workdir: Path, line: int, command: str, expected: str) -> None:
    if "| jq" in command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    env = {**os.environ, "PATH": f"{workdir / '.bin'}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"}
    proc = subprocess.run(["bash", "-c", command], cwd=workdir, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert matches(expected, proc.stdout), (
        f"README.md:{line}: `$ {command}` printed (exit {proc.returncode}):\n{proc.stdout}\n"
        f"--- the README shows:\n{expected}")
