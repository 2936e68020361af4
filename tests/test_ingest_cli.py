"""``kg ingest`` as users run it: files written atomically where they belong, JSON on stdout, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import kg
from tests.conftest import DATA, FIXTURES, SEEDS, run_kg

OWN = FIXTURES / "documents"
BRIEFING = OWN / "briefing-sandbagging.txt"


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err


def test_ingest_writes_the_bundle_into_the_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_kg("ingest", str(BRIEFING), "--data", str(data))
    assert result.code == 0, result.err
    written = data / "documents" / "briefing-sandbagging-dangerous-capability-evaluations.yaml"
    assert f"kg: wrote {written}" in result.err
    assert "doc/briefing-sandbagging-dangerous-capability-evaluations (briefing): 5 sources, 6 claims, 3 tensions, " \
           "4 events, 3 questions, 3 perspectives" in result.err
    assert written.read_text(encoding="utf-8").startswith("# Ingested by `kg ingest` from briefing-sandbagging.txt")
    assert run_kg("validate", "--data", str(data)).code == 0
    assert [p.name for p in (data / "documents").iterdir()] == [written.name]  # no temporary file left behind


def test_second_ingestion_reports_the_existing_bundle_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_kg("ingest", str(BRIEFING), "--data", str(data)).code == 0
    (written,) = (data / "documents").iterdir()
    before = written.stat().st_mtime_ns, written.read_bytes()
    again = run_kg("ingest", str(BRIEFING), "--data", str(data))
    assert again.code == 0
    assert "already holds this document (doc/briefing-sandbagging-dangerous-capability-evaluations), identical " \
           "to this ingestion; nothing written" in again.err
    assert (written.stat().st_mtime_ns, written.read_bytes()) == before
    forced = run_kg("ingest", str(BRIEFING), "--data", str(data), "--force")
    assert forced.code == 0 and f"kg: wrote {written}" in forced.err
    assert written.read_bytes() == before[1]


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")
def test_curated_data_holds_the_seed_briefing_and_force_replaces_it_validly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    seed = SEEDS / "briefing-mallen-behavioral-selection.txt"
    result = run_kg("ingest", str(seed), "--data", str(data))
    assert result.code == 0
    assert "briefing-mallen-behavioral-selection.yaml already holds this document " \
           "(doc/briefing-mallen-behavioral-selection), which differs from this ingestion" in result.err
    assert run_kg("ingest", str(seed), "--data", str(data), "--force").code == 0
    assert run_kg("validate", "--data", str(data)).code == 0
    assert sorted(p.name for p in (data / "documents").iterdir()) == sorted(p.name for p in (DATA / "documents")
                                                                            .iterdir())


def test_output_file_name_sets_the_document_id(tmp_path: Path) -> None:
    target = tmp_path / "data" / "documents" / "sandbagging-debate.yaml"
    target.parent.mkdir(parents=True)
    result = run_kg("ingest", str(BRIEFING), "-o", str(target), "--data", str(tmp_path / "data"))
    assert result.code == 0, result.err
    assert "\nid: doc/sandbagging-debate\n" in target.read_text(encoding="utf-8")
    assert kg.load(tmp_path / "data").documents["doc/sandbagging-debate"].title.startswith("Sandbagging")


def test_yaml_to_stdout_and_json(tmp_path: Path) -> None:
    yaml_out = run_kg("ingest", str(OWN / "concept-sandbagging.txt"), "--data", str(tmp_path), "-o", "-")
    assert yaml_out.code == 0 and "\nkind: concept-page\n" in yaml_out.out
    json_out = run_kg("ingest", str(OWN / "resource-password-locked.txt"), "--data", str(tmp_path), "--json")
    assert json_out.code == 0
    view = json.loads(json_out.out)
    assert view["source"]["stable_id"] == "QXJ4aXZQTE" and len(view["key_points"]) == 4
    assert list(tmp_path.iterdir()) == []  # --json writes no bundle


def test_warnings_go_to_stderr_with_file_and_line(tmp_path: Path) -> None:
    doc = tmp_path / "odd.txt"
    text = BRIEFING.read_text(encoding="utf-8").replace("initiative? [4]", "initiative? [8]")
    doc.write_text(text, encoding="utf-8")
    line = next(n for n, content in enumerate(text.splitlines(), 1) if "initiative? [8]" in content)
    result = run_kg("ingest", str(doc), "--data", str(tmp_path / "data"))
    assert result.code == 0
    assert f"{doc}:{line}: warning: Question cites [8], which is not in the source list" in result.err
    strict = run_kg("ingest", str(doc), "--data", str(tmp_path / "strict"), "--strict")
    assert strict.code == 1 and "nothing written (--strict)" in strict.err
    assert not (tmp_path / "strict").exists()
    no_traceback(strict.err)


@pytest.mark.parametrize(("content", "args", "code", "message"), [
    ("Plain prose, nothing else.\n", (), 1, "cannot tell what kind of document this is"),
    ("", (), 1, "the document is empty"),
    ("Title\n", ("--format", "memo"), 2, "unknown document format 'memo'"),
    (None, (), 1, "cannot read"),
])
def test_bad_input_exits_with_one_line(tmp_path: Path, content: str | None, args: tuple[str, ...], code: int,
                                       message: str) -> None:
    doc = tmp_path / "doc.txt"
    if content is not None:
        doc.write_text(content, encoding="utf-8")
    result = run_kg("ingest", str(doc), "--data", str(tmp_path / "data"), *args)
    assert result.code == code and message in result.err
    assert len(result.err.strip().splitlines()) == 1
    no_traceback(result.err)
    assert not (tmp_path / "data").exists()


def test_unwritable_output_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = run_kg("ingest", str(BRIEFING), "-o", str(blocker / "x.yaml"), "--data", str(tmp_path / "d"))
    assert result.code == 1 and f"cannot write {blocker / 'x.yaml'}" in result.err
    no_traceback(result.err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_existing_output_survives_a_failed_run(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("previous\n", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_bytes(b"\xff\xfe not text")
    result = run_kg("ingest", str(doc), "-o", str(target), "--data", str(tmp_path / "data"))
    assert result.code == 1 and target.read_text(encoding="utf-8") == "previous\n"
    no_traceback(result.err)
