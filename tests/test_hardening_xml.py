"""Text XML cannot carry, or a terminal would obey, never enters a record; exports stay well-formed XML."""

from __future__ import annotations

import re
import xml.dom.minidom
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pydantic import ValidationError

import kg
from kg._util import excerpt, printable
from kg.graph import KnowledgeGraph
from kg.model import Claim, Document, Person, bad_character
from kg.report import Issue, Location
from tests.conftest import run_kg

DOC = "documents/briefing-reward-tampering.yaml"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
STATEMENT = "    statement: Reward tampering will show up in deployed agents within two years."


@pytest.mark.parametrize(("escape", "char"), [("\\e[2J", "U+001B"), ("\\x85", "U+0085"), ("\\uFFFE", "U+FFFE"),
                                              ("\\x01", "U+0001"), ("\\x9b2J", "U+009B"), ("\\x7f", "U+007F")])
def test_validate_refuses_characters_xml_cannot_carry(minimal: Path, escape: str, char: str) -> None:
    path = minimal / DOC
    text = path.read_text()
    assert STATEMENT in text
    path.write_text(text.replace(STATEMENT, f'    statement: "Reward tampering {escape} soon."'))
    result = run_kg("validate", "--data", str(minimal))
    assert result.code == 1
    assert f"{DOC}:9: Claim statement: character {char} is not allowed" in result.err
    assert "Traceback" not in result.err
    assert not any(c in result.err for c in "\x1b\x85\x9b\x01\x7f"), result.err


def test_every_string_of_a_record_is_checked(minimal: Path) -> None:
    path = minimal / "entities/people.yaml"
    text = path.read_text()
    path.write_text(text.replace("  name: Sam Poe", '  name: Sam Poe\n  aliases: [S. Poe, "person/\\e[2J"]', 1))
    result = run_kg("validate", "--data", str(minimal))
    assert result.code == 1
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if "S. Poe" in row)
    assert f"entities/people.yaml:{line}: Person aliases.1: character U+001B is not allowed" in result.err
    assert "(got 'person/\\x1b[2J')" in result.err
    assert "\x1b" not in result.err


def test_records_and_graphs_refuse_such_text() -> None:
    with pytest.raises(ValidationError, match="character U\\+001B is not allowed"):
        Person(id="person/jane-roe", name="Jane\x1b[2J Roe")
    with pytest.raises(ValidationError, match="character U\\+FFFE is not allowed"):
        KnowledgeGraph.from_records([Person(id="person/jane-roe", name="Jane Roe")], [Document(
            id="doc/x", title="X", kind="briefing", citations={1: "person/jane-roe"},
            claims=[Claim(id="claim/x", statement="x\ufffe", holders=["person/jane-roe"], citations=[1])])])
    # what XML and terminals take stays: tabs and newlines, accents, CJK, emoji, private use
    Person(id="person/jane-roe", name="Jané\tRoe 中文 \U0001f600 \ue000", description="a\nb")
    assert bad_character("\ud800") == "U+D800" and bad_character("\uffff") == "U+FFFF"
    assert bad_character("ok \xa0 \u2028") is None


def test_messages_escape_control_characters() -> None:
    assert printable("person/\x1b[2J\x9b\x00\ud800") == "person/\\x1b[2J\\x9b\\x00\\ud800"
    assert excerpt("a\x1b[2Jb") == "a\\x1b[2Jb"
    issue = Issue("invalid", "unknown relation 'x\x1b]0;pwned\x07'", Location("data/a\x1b.yaml", 3))
    assert str(issue) == "data/a\\x1b.yaml:3: unknown relation 'x\\x1b]0;pwned\\x07'"


@pytest.mark.parametrize("fmt", ["xml", "graphml", "gexf"])
def test_xml_exports_of_the_corpus_are_well_formed(graph: kg.KnowledgeGraph, fmt: str) -> None:
    xml.dom.minidom.parseString(kg.export_graph(graph, fmt))


def test_ingest_drops_such_characters_so_its_bundle_validates(minimal: Path, tmp_path: Path) -> None:
    source = Path(__file__).parent / "fixtures" / "documents" / "briefing-sandbagging.txt"
    text = re.sub(r"([a-z])([ .,])", "\\1\x1b[2J\x85\ufffe\x9b\x7f\\2", source.read_text(encoding="utf-8"))
    document = tmp_path / "briefing-sandbagging.txt"
    document.write_text(text, encoding="utf-8")
    result = run_kg("ingest", str(document), "--data", str(minimal))
    assert result.code == 0, result.err
    (written,) = (minimal / "documents").glob("briefing-sandbagging*.yaml")
    bundle = written.read_text(encoding="utf-8")
    assert "claim/" in bundle and bad_character(bundle) is None
    assert not re.search(r"\\(e|x|u)", bundle)  # nor as YAML escapes
    assert run_kg("validate", "--data", str(minimal)).code == 0


def test_graphml_key_ids_are_unique_per_domain_and_edges_carry_their_key(graph: kg.KnowledgeGraph,
                                                                         tmp_path: Path) -> None:
    import networkx as nx

    from kg.export import flat_graph

    data = kg.export_graph(graph, "graphml")
    root = ElementTree.fromstring(data)
    keys = root.findall(f"{GRAPHML}key")
    ids = [key.get("id") for key in keys]
    assert len(ids) == len(set(ids))
    domain = {key.get("id"): key.get("for") for key in keys}
    names = {key.get("id"): key.get("attr.name") for key in keys}
    for tag in ("node", "edge"):
        for element in root.iter(f"{GRAPHML}{tag}"):
            assert all(domain[d.get("key")] == tag for d in element.findall(f"{GRAPHML}data"))
    for edge in root.iter(f"{GRAPHML}edge"):
        values = {names[d.get("key")]: d.text for d in edge.findall(f"{GRAPHML}data")}
        assert values["key"] == edge.get("id")
    path = tmp_path / "graph.graphml"
    path.write_bytes(data)
    loaded = nx.read_graphml(path, edge_key_type=str, force_multigraph=True)  # else "4848828036324380" is an int
    flat = flat_graph(graph)
    assert set(loaded.nodes) == set(flat.nodes)
    assert sorted(loaded.edges(keys=True)) == sorted(flat.edges(keys=True))
    assert all(attrs["key"] == key for _, _, key, attrs in loaded.edges(keys=True, data=True))


def test_a_usage_error_quoting_data_prints_control_characters_escaped(tmp_path) -> None:
    from .conftest import run_kg

    result = run_kg("--data", str(tmp_path / "no\x1b[2Jdir"), "stats")
    assert result.code != 0 and "\x1b" not in result.err and "\\x1b" in result.err


def test_the_wiki_importer_drops_characters_no_record_may_hold() -> None:
    from kg.importers._wiki_base import _text

    assert _text("Reward\x1b[2J \x85hacking\ufffe") == "Reward [2J hacking"


def test_a_data_file_over_the_cap_is_refused_unread(tmp_path) -> None:
    import shutil

    from .conftest import DATA

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    big = data / "entities" / "people.big.yaml"
    with open(big, "wb") as out:  # sparse: 5 GiB on paper, nothing on disk; reading it would take minutes
        out.truncate(5 * 1024**3)
    report = kg.validate(data, shacl=False)
    assert [str(i) for i in report.issues if i.code == "yaml"] == [f"{big}:1: file is larger than 4 MiB"]
    with pytest.raises(kg.DataError, match="larger than 4 MiB"):
        kg.load(data, cache=tmp_path / "cache")
