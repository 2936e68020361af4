"""load_rdf on hostile sizes and shapes: a size cap, a JSON-LD depth cap, and parser failures as one DataError."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kg.errors import DataError
from kg.rdf_read import MAX_BYTES, MAX_JSONLD_DEPTH, load_rdf

DEEP = 100_000


def _refused(source: str | Path | bytes, format: str, **kwargs: int) -> str:
    with pytest.raises(DataError) as caught:
        load_rdf(source, format=format, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_dev_zero_hits_the_size_cap_quickly():
    start = time.monotonic()
    message = _refused("/dev/zero", "nt")
    assert time.monotonic() - start < 10
    assert message.startswith("/dev/zero: larger than") and f"{MAX_BYTES:,} bytes" in message


def test_size_cap_applies_to_files_and_bytes(tmp_path):
    path = tmp_path / "g.nt"
    path.write_bytes(b"<urn:a> <urn:p> <urn:b> .\n")
    assert len(load_rdf(path)) == 1
    assert _refused(path, "nt", max_bytes=10).startswith(f"{path}: larger than 10 bytes")
    assert _refused(path.read_bytes(), "nt", max_bytes=10).startswith("<bytes>: larger than 10 bytes")


@pytest.mark.parametrize("document", [b"[" * DEEP + b"]" * DEEP, b'{"a":' * DEEP + b"1" + b"}" * DEEP])
def test_deep_jsonld_is_refused_before_parsing(tmp_path, document):
    path = tmp_path / "deep.jsonld"
    path.write_bytes(document)
    message = _refused(path, "jsonld")
    assert message.startswith(f"{path}: JSON-LD nested 100,000 deep is refused")


def test_jsonld_depth_counts_brackets_outside_strings_only():
    document = {"@id": "urn:a", "urn:p": '[{"' * 1000}
    wraps = (MAX_JSONLD_DEPTH - 1) // 2  # each adds an object and an array: nested MAX_JSONLD_DEPTH deep at most
    for level in range(wraps):
        document = {"@id": f"urn:x{level}", "urn:q": [document]}
    assert len(load_rdf(json.dumps(document).encode(), format="jsonld")) == wraps + 1


def test_deep_turtle_is_one_line(tmp_path):
    path = tmp_path / "deep.ttl"
    path.write_bytes(b"<urn:a> <urn:p> " + b"(" * DEEP + b")" * DEEP + b" .\n")
    assert _refused(path, "turtle") == f"{path}: not valid turtle: nested too deep to parse"


@pytest.mark.parametrize(("format", "document"), [
    ("jsonld", b'{"@id": "urn:a",\n "urn:p": ' + b"1" * DEEP + b"}"),
    ("turtle", b"<urn:a> <urn:q> 1 .\n<urn:a> <urn:p> " + b"1" * DEEP + b" .\n"),
    ("nt", b"<urn:a> <urn:q> <urn:b> .\n<urn:a> <urn:p> \"" + b"1" * DEEP
     + b"\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"),
])
def test_number_beyond_the_digit_limit_is_located(tmp_path, format, document):
    path = tmp_path / f"long.{format}"
    path.write_bytes(document)
    try:
        load_rdf(path, format=format)  # N-Triples keeps the lexical form: an ill-typed literal, not an error
    except DataError as err:
        assert str(err).startswith(f"{path}:2: not valid ") and "100,000 digits" in str(err)
        assert "\n" not in str(err)
    else:
        assert format == "nt"


def test_turtle_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_bytes(b"<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> .\n")
    assert _refused(path, "turtle").startswith(f"{path}:2: not valid turtle: ")
