"""kg.export and `kg export`: every format from the API and the CLI, round trips, independent parsers,
SHACL conformance, byte-identical determinism across processes, atomic writes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD

import kg
import kg._util
import kg.export
from kg.dataset import describe, rdf_dataset, union_graph
from kg.errors import ExportError, UsageError
from kg.export import Format, by_extension, format_for_media_type, formats, get, jsonld_context
from kg.ontology import read_ontology, read_shapes
from kg.vocab import DATASET, DESCRIPTION_GRAPH, KG, ONTOLOGY_DIR, VOID, graph_iri, iri

from .conftest import DATA, ROOT, outputs_under_hash_seeds, run_kg

RDF_FORMATS = ["turtle", "jsonld", "nt", "nq", "trig", "xml"]
QUAD_FORMATS = ["nq", "trig"]
GRAPH_FORMATS = ["graphml", "gexf", "json", "csv"]
#: what `kg export --list` shows, in its order
EXPORT_FORMATS = ["csv", "gexf", "graphml", "json", "jsonld", "nq", "nt", "trig", "turtle", "xml"]
OXIGRAPH = {"turtle": pyoxigraph.RdfFormat.TURTLE, "jsonld": pyoxigraph.RdfFormat.JSON_LD,
            "nt": pyoxigraph.RdfFormat.N_TRIPLES, "nq": pyoxigraph.RdfFormat.N_QUADS,
            "trig": pyoxigraph.RdfFormat.TRIG, "xml": pyoxigraph.RdfFormat.RDF_XML}
RAPPER = {"turtle": "turtle", "nt": "ntriples", "xml": "rdfxml", "trig": "trig", "nq": "nquads"}
RDFLIB = {"turtle": "turtle", "jsonld": "json-ld", "nt": "nt", "nq": "nquads", "trig": "trig", "xml": "xml"}


@pytest.fixture(scope="module")
def exported(graph) -> dict[str, bytes]:
    """Every format, exported once from the bundled corpus."""
    return {name: kg.export_graph(graph, name) for name in formats()}


def _flat(dataset: Graph) -> Graph:
    flat = Graph()
    for triple in dataset.triples((None, None, None)):
        flat.add(triple)
    return flat


def _named(dataset: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


# --- the registry ---------------------------------------------------------------------------------------------


def test_every_format_of_the_issue_is_registered():
    assert set(formats()) == set(RDF_FORMATS) | set(GRAPH_FORMATS)
    assert get("ttl").name == "turtle" and get("json-ld").name == "jsonld" and get("ntriples").name == "nt"
    with pytest.raises(UsageError, match=r"unknown export format 'docx' \(known: csv, gexf, graphml, json, "):
        get("docx")


@pytest.mark.parametrize("name", sorted(set(RDF_FORMATS) | set(GRAPH_FORMATS)))
def test_each_format_is_found_by_its_extension(name):
    assert by_extension(f"out/graph{get(name).extension}") is get(name)


#: the IANA registrations of the RDF formats (https://www.iana.org/assignments/media-types/)
REGISTERED_MEDIA_TYPES = {"turtle": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
                          "nq": "application/n-quads", "trig": "application/trig", "xml": "application/rdf+xml",
                          "json": "application/json", "csv": "application/zip"}


@pytest.mark.parametrize(("name", "media_type"), sorted(REGISTERED_MEDIA_TYPES.items()))
def test_each_format_has_its_registered_media_type_and_is_found_by_it(name, media_type):
    assert get(name).media_type == media_type
    assert format_for_media_type(media_type) is get(name)


@pytest.mark.parametrize(("asked", "name"), [("text/turtle; charset=utf-8", "turtle"), (" Text/Turtle ", "turtle"),
                                             ("application/ld+json;profile=\"http://www.w3.org/ns/json-ld#compacted\"",
                                              "jsonld"), ("application/graphml+xml", "graphml")])
def test_media_type_lookup_ignores_parameters_case_and_spaces(asked, name):
    assert format_for_media_type(asked) is get(name)


@pytest.mark.parametrize("asked", ["application/msword", "text/html", "*/*", "text/*", "", "turtle", "text/plain"])
def test_unknown_media_type_finds_no_format(asked):
    assert format_for_media_type(asked) is None


def test_media_types_are_distinct_so_negotiation_is_unambiguous():
    media_types = [get(name).media_type for name in formats()]
    assert len(set(media_types)) == len(media_types)


def test_adding_a_format_is_one_function_and_one_line(graph, monkeypatch):
    monkeypatch.setattr(kg.export, "FORMATS", kg.export.FORMATS.copy())
    kg.export.register(Format("count", lambda g: str(g.number_of_nodes()).encode(), ".count", "text/plain",
                                  "node count"))
    assert kg.export_graph(graph, "count") == str(len(graph.nodes)).encode()
    assert "count" in formats()


# --- RDF: round trip, independent parsers, SHACL ----------------------------------------------------------------


@pytest.mark.parametrize("name", RDF_FORMATS)
def test_rdf_round_trip_is_isomorphic(graph, exported, name):
    loaded = kg.load_rdf(exported[name], format=name)
    assert isomorphic(_flat(loaded), union_graph(graph))
    if name in QUAD_FORMATS:
        expected = _named(rdf_dataset(graph))
        got = _named(loaded)
        assert sorted(got) == sorted(expected)
        assert len(expected) == len(graph.documents) + 2  # documents, the registries, the description
        for name_, named in expected.items():
            assert isomorphic(got[name_], named), name_


@pytest.mark.parametrize("name", RDF_FORMATS)
def test_rdf_export_parses_in_rdflib_and_pyoxigraph(graph, exported, name):
    expected = len(union_graph(graph))
    parsed = Dataset(default_union=True).parse(data=exported[name], format=RDFLIB[name])
    assert len(_flat(parsed)) == expected
    quads = list(pyoxigraph.parse(exported[name], OXIGRAPH[name]))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == expected
    graphs = {str(q.graph_name.value) for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode)}
    if name in QUAD_FORMATS:
        assert str(DESCRIPTION_GRAPH) in graphs and len(graphs) == len(graph.documents) + 2
    else:
        assert not graphs


@pytest.mark.parametrize("name", sorted(RAPPER))
def test_rdf_export_passes_rapper(exported, name, tmp_path):
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("Debian's rapper (raptor2-utils) is not installed; .ci/run installs it")
    path = tmp_path / f"graph{get(name).extension}"
    path.write_bytes(exported[name])
    proc = subprocess.run([rapper, "-i", RAPPER[name], "-c", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    count = int(re.search(r"returned (\d+) (?:triples|statements)", proc.stderr).group(1))
    assert count == len(_flat(kg.load_rdf(exported[name], format=name)))
    assert "error" not in proc.stderr.lower() and "warning" not in proc.stderr.lower()


@pytest.mark.parametrize("name", ["turtle", "jsonld", "trig", "xml"])
def test_rdf_export_conforms_to_the_shacl_shapes(exported, name):
    data = _flat(kg.load_rdf(exported[name], format=name))
    conforms, _, text = shacl_validate(data, shacl_graph=read_shapes(), ont_graph=read_ontology(),
                                       inference="none")
    assert conforms, text


def _stored(data: bytes, format: pyoxigraph.RdfFormat, graph: str | None = None) -> pyoxigraph.Store:
    """``data`` read into an Oxigraph store, which keeps typed literals in canonical form (``Z`` for ``+00:00``)."""
    store = pyoxigraph.Store()
    store.load(data, format=format, to_graph=pyoxigraph.NamedNode(graph) if graph else None)
    return store


@pytest.mark.parametrize("name", RDF_FORMATS)
def test_rdf_export_means_what_the_rdflib_view_means(graph, exported, name):
    """Exports are written from the Oxigraph store (its layout, canonical literals): once literals are read in
    canonical form, they hold the statements of the rdflib view and its description, graph for graph."""
    expected = _stored(graph.rdf.serialize(format="nquads", encoding="utf-8"), pyoxigraph.RdfFormat.N_QUADS)
    expected.load(describe(graph).serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES,
                  to_graph=pyoxigraph.NamedNode(str(DESCRIPTION_GRAPH)))
    got = _stored(exported[name], OXIGRAPH[name])
    if name in QUAD_FORMATS:
        assert set(got) == set(expected)
    else:
        assert {q.triple for q in got} == {q.triple for q in expected}


@pytest.mark.parametrize("name", ["nt", "nq"])
def test_line_formats_hold_one_statement_per_line_sorted_and_unique(exported, name):
    lines = exported[name].splitlines(keepends=True)
    assert lines == sorted(set(lines)) and all(line.endswith(b" .\n") for line in lines)


def test_trig_lists_the_named_graphs_once_each_in_iri_order(graph, exported):
    names = re.findall(rb"^<([^>]+)> \{$", exported["trig"], flags=re.MULTILINE)
    assert names == sorted(set(names)) and len(names) == len(graph.documents) + 2


def test_shacl_check_of_the_export_can_fail(exported):
    data = _flat(kg.load_rdf(exported["nt"], format="nt"))
    claim = next(data.subjects(RDF.type, KG.Claim))
    data.remove((claim, None, None))
    data.add((claim, RDF.type, KG.Claim))
    conforms, _, _ = shacl_validate(data, shacl_graph=read_shapes(), ont_graph=read_ontology(), inference="none")
    assert not conforms


def test_quad_exports_keep_one_named_graph_per_document_with_its_provenance(graph, exported):
    loaded = _named(kg.load_rdf(exported["trig"], format="trig"))
    doc = "doc/briefing-mallen-behavioral-selection"
    named = loaded[str(graph_iri(doc))]
    statement = next(s for s in named.subjects(RDF.type, KG.Statement)
                     if named.value(s, RDF.object) == iri("claim/bsm-omits-reflection"))
    assert named.value(statement, KG.inDocument) == iri(doc)
    assert set(named.objects(statement, PROV.wasDerivedFrom))
    description = loaded[str(DESCRIPTION_GRAPH)]
    assert (DATASET, VOID.subset, graph_iri(doc)) in description
    assert (graph_iri(doc), PROV.wasDerivedFrom, iri(doc)) in description
    assert not any((DATASET, None, None) in g for name, g in loaded.items() if name != str(DESCRIPTION_GRAPH))


def test_jsonld_is_compact_with_the_published_context(exported):
    document = json.loads(exported["jsonld"])
    assert document["@context"] == jsonld_context()
    claim = next(n for n in document["@graph"] if n["@id"].endswith("/claim/bsm-omits-reflection"))
    assert claim["@type"] == "kg:Claim" and "statement" in claim and "label" in claim
    assert all(value.startswith("https://") for value in _as_list(claim["about"]))


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_published_context_names_every_ontology_property():
    context = json.loads((ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    ontology = read_ontology()
    for kind, coerced in (("ObjectProperty", True), ("DatatypeProperty", False)):
        for prop in ontology.subjects(RDF.type, OWL[kind]):
            name = str(prop).split("#")[1]
            term = context[name]
            iri = term["@id"] if isinstance(term, dict) else term
            assert iri == f"kg:{name}"
            assert (isinstance(term, dict) and term.get("@type") == "@id") == coerced, name


def test_ontology_files_ship_inside_the_package(tmp_path):
    build = tmp_path / "build"
    proc = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                           "--build-lib", str(build)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for name in ("kg.ttl", "shapes.ttl", "context.jsonld"):
        packaged = build / "kg" / "_ontology" / name
        assert packaged.is_file() and not packaged.is_symlink()
        assert packaged.read_bytes() == (ROOT / "ontology" / name).read_bytes()
    script = ("import kg.vocab; from kg.export import jsonld_context; print(kg.vocab.ONTOLOGY_DIR); "
              "print(len(jsonld_context()))")
    env = {**os.environ, "PYTHONPATH": str(build)}
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    location, terms = proc.stdout.split()
    assert Path(location) == build / "kg" / "_ontology" and int(terms) > 50


# --- graph formats ---------------------------------------------------------------------------------------------


def _types(graph) -> tuple[dict[str, str], Counter]:
    nodes = {node: attrs["type"] for node, attrs in graph.nx.nodes(data=True)}
    edges = Counter((s, t, a["relation"]) for s, t, a in graph.nx.edges(data=True))
    return nodes, edges


def test_graphml_loads_in_networkx_with_types_and_labels(graph, exported, tmp_path):
    path = tmp_path / "graph.graphml"
    path.write_bytes(exported["graphml"])
    loaded = nx.read_graphml(path, force_multigraph=True)
    nodes, edges = _types(graph)
    assert {n: a["type"] for n, a in loaded.nodes(data=True)} == nodes
    assert {n: a["label"] for n, a in loaded.nodes(data=True)} == {n: a["label"] for n, a in
                                                                   graph.nx.nodes(data=True)}
    assert Counter((s, t, a["relation"]) for s, t, a in loaded.edges(data=True)) == edges
    assert loaded.is_directed()
    some = next(a for _, _, a in loaded.edges(data=True) if a["relation"] == "cites")
    assert json.loads(some["sources"]) and isinstance(json.loads(some["citations"]), list)


def test_gexf_loads_in_networkx_with_types_and_labels(graph, exported, tmp_path):
    path = tmp_path / "graph.gexf"
    path.write_bytes(exported["gexf"])
    loaded = nx.read_gexf(path)
    nodes, edges = _types(graph)
    assert {n: a["type"] for n, a in loaded.nodes(data=True)} == nodes
    assert {n: a["label"] for n, a in loaded.nodes(data=True)} == {n: a["label"] for n, a in
                                                                   graph.nx.nodes(data=True)}
    assert Counter((s, t, a["relation"]) for s, t, a in loaded.edges(data=True)) == edges
    assert b"lastmodifieddate" not in exported["gexf"]


def test_node_link_json_round_trips_exactly(graph, exported):
    loaded = nx.node_link_graph(json.loads(exported["json"]), edges="edges")
    assert isinstance(loaded, nx.MultiDiGraph)
    assert dict(loaded.nodes(data=True)) == dict(graph.nx.nodes(data=True))
    assert sorted(loaded.edges(keys=True, data=True), key=repr) == sorted(graph.nx.edges(keys=True, data=True),
                                                                          key=repr)


def _csv_tables(payload: bytes) -> tuple[list[dict], list[dict]]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        assert archive.namelist() == ["nodes.csv", "edges.csv"]
        return tuple(list(csv.DictReader(io.StringIO(archive.read(n).decode("utf-8"))))
                     for n in ("nodes.csv", "edges.csv"))


def test_csv_zip_holds_nodes_and_edges_with_types(graph, exported):
    nodes, edges = _csv_tables(exported["csv"])
    expected_nodes, expected_edges = _types(graph)
    assert list(nodes[0])[:3] == ["id", "type", "label"]
    assert list(edges[0])[:4] == ["source", "target", "key", "relation"]
    assert {row["id"]: row["type"] for row in nodes} == expected_nodes
    assert Counter((r["source"], r["target"], r["relation"]) for r in edges) == expected_edges
    keys = {k for _, _, k in graph.nx.edges(keys=True)}
    assert {row["key"] for row in edges} == keys
    cited = next(r for r in edges if r["relation"] == "cites" and r["citations"] != "[]")
    assert all(isinstance(n, int) for n in json.loads(cited["citations"]))


def test_csv_into_a_folder_writes_both_tables(graph, exported, tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    kg.export_graph(graph, "csv", folder)
    with zipfile.ZipFile(io.BytesIO(exported["csv"])) as archive:
        for name in ("nodes.csv", "edges.csv"):
            assert (folder / name).read_bytes() == archive.read(name)
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"]


def test_a_file_format_refuses_a_folder(graph, tmp_path):
    with pytest.raises(ExportError, match="it is a folder"):
        kg.export_graph(graph, "turtle", tmp_path)


# --- determinism -----------------------------------------------------------------------------------------------

_DIGESTS = """
import hashlib, json, sys
import kg
from kg.export import formats
graph = kg.load(sys.argv[1])
print(json.dumps({name: hashlib.sha256(kg.export_graph(graph, name)).hexdigest() for name in formats()}))
"""


def test_exports_are_byte_identical_across_processes_and_hash_seeds(exported):
    first, second = (json.loads(out) for out in outputs_under_hash_seeds(_DIGESTS, str(DATA)))
    assert sorted(first) == EXPORT_FORMATS
    assert first == second
    assert first == {name: hashlib.sha256(payload).hexdigest() for name, payload in exported.items()}


def test_dataset_description_carries_no_generation_time(graph, exported):
    description = _named(kg.load_rdf(exported["nq"], format="nq"))[str(DESCRIPTION_GRAPH)]
    assert len(description) > 100
    times = {XSD.date, XSD.dateTime, XSD.dateTimeStamp}
    assert not [o for o in description.objects() if getattr(o, "datatype", None) in times]
    assert not {DCTERMS.modified, DCTERMS.issued, DCTERMS.created} & set(description.predicates())


# --- atomic writes ---------------------------------------------------------------------------------------------


@pytest.fixture()
def previous(tmp_path) -> Path:
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"# the previous export\n")
    return path


def _untouched(path: Path) -> None:
    assert path.read_bytes() == b"# the previous export\n"
    assert [p.name for p in path.parent.iterdir()] == [path.name], "a temporary file was left behind"


def test_failing_serializer_leaves_the_previous_file(graph, previous, monkeypatch):
    def broken(g):
        raise RuntimeError("boom halfway")

    monkeypatch.setattr(kg.export, "FORMATS", kg.export.FORMATS.copy())
    kg.export.register(Format("broken", broken, ".ttl", "text/plain", "x"))
    with pytest.raises(ExportError, match="broken export failed: boom halfway"):
        kg.export_graph(graph, "broken", previous)
    _untouched(previous)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_write_interrupted_after_a_partial_write_leaves_the_previous_file(graph, previous, monkeypatch, error):
    written = []

    def fail(fd):
        written.append(os.fstat(fd).st_size)
        raise error

    monkeypatch.setattr(kg._util.os, "fsync", fail)
    with pytest.raises(ExportError if isinstance(error, OSError) else KeyboardInterrupt):
        kg.export_graph(graph, "nt", previous)
    assert written and written[0] > 100_000  # the temporary file did hold the partial export
    _untouched(previous)


def test_rename_refused_leaves_the_previous_file(graph, previous, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(kg._util.os, "replace", refuse)
    with pytest.raises(ExportError, match="cannot write .*graph.ttl: Permission denied"):
        kg.export_graph(graph, "turtle", previous)
    _untouched(previous)


def test_unwritable_folder_leaves_the_previous_file(graph, previous):
    if os.geteuid() == 0:
        pytest.skip("running as root, which may write into read-only folders; the rename test covers it")
    previous.parent.chmod(0o555)
    try:
        with pytest.raises(ExportError, match="cannot write"):
            kg.export_graph(graph, "turtle", previous)
    finally:
        previous.parent.chmod(0o755)
    _untouched(previous)


def test_cli_failing_export_leaves_the_previous_file(previous):
    result = run_kg("export", "--format", "turtle", "-o", str(previous / "sub"))
    assert result.code == 1 and "cannot write" in result.err and "Traceback" not in result.err
    _untouched(previous)


# --- the command -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(set(RDF_FORMATS) | set(GRAPH_FORMATS)))
def test_cli_writes_every_format_by_extension(exported, name, tmp_path):
    out = tmp_path / f"graph{get(name).extension}"
    result = run_kg("export", "-o", str(out))
    assert result.code == 0, result.err
    assert out.read_bytes() == exported[name]
    assert result.err.strip() == f"kg: wrote {out} ({name}, {get(name).media_type}, {len(exported[name])} bytes)"


@pytest.mark.parametrize("name", ["nq", "csv"])
def test_cli_writes_to_a_pipe(exported, name):
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "export", "--format", name], capture_output=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == exported[name]


def test_cli_refuses_a_zip_on_a_terminal():
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "export", "--format", "csv"], stdout=follower,
                              stderr=subprocess.PIPE, cwd=ROOT, timeout=120, text=True)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("kg: error: csv output is a zip archive; refusing to write it to a "
                                          "terminal")


def test_cli_csv_into_a_folder(tmp_path):
    result = run_kg("export", "--format", "csv", "-o", f"{tmp_path / 'tables'}/")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["edges.csv", "nodes.csv"]
    assert result.err.strip() == f"kg: wrote nodes.csv, edges.csv into {tmp_path / 'tables'}/"


def test_cli_lists_formats():
    result = run_kg("export", "--list")
    assert result.code == 0
    listed = [line.split()[:3] for line in result.out.splitlines()]
    assert [row[0] for row in listed] == EXPORT_FORMATS
    assert listed == [[name, get(name).extension, get(name).media_type] for name in formats()]
    assert "--format FORMAT" in run_kg("export", "--help").out


def test_cli_unknown_format_lists_the_known_ones():
    result = run_kg("export", "--format", "docx")
    assert result.code == 2
    assert result.err.strip() == f"kg: error: unknown export format 'docx' (known: {', '.join(formats())})"


def test_an_export_naming_the_published_context_url_reads_back_offline(graph, exported):
    """The README's published context URL, written out here (not taken from kg.vocab), is the one kg.load_rdf
    resolves to the bundled file: an export that names it instead of inlining it means the same triples."""
    document = json.loads(exported["jsonld"])
    document["@context"] = "https://w3id.org/kg-ai-risk/context.jsonld"
    loaded = kg.load_rdf(json.dumps(document).encode(), format="jsonld")
    assert isomorphic(_flat(loaded), union_graph(graph))


def test_a_killed_export_leaves_no_temporary_file_behind(tmp_path):
    """``kill -9`` mid-write used to leave ``.NAME.RANDOM.tmp`` for good (issue "Hardening", item 3): the next
    write of the same file removes the temporary files of writers that are gone, and only theirs."""
    target = tmp_path / "graph.nt"
    code = ("import os, sys, kg._util\n"
            "def write(handle):\n"
            "    handle.write(b'partial'); handle.flush(); os.kill(os.getpid(), 9)\n"
            f"kg._util.write_atomic({str(target)!r}, write)\n")
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert proc.returncode == -9
    orphans = list(tmp_path.glob(".graph.nt.*.tmp"))
    assert len(orphans) == 1 and not target.exists()
    alive = tmp_path / f".graph.nt.{os.getpid()}.inflight.tmp"  # a live writer's file is left alone
    alive.write_bytes(b"")
    result = run_kg("export", "--format", "nt", "-o", str(target))
    assert result.code == 0, result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["graph.nt", alive.name])
