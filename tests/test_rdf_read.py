"""kg.load_rdf: reads every RDF export back, never makes a network request, never expands XML entities."""

from __future__ import annotations

import codecs
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

import kg
from kg.dataset import union_graph
from kg.errors import DataError, UsageError
from kg.vocab import CONTEXT_URL, KG, iri

#: the classic entity-expansion bomb: 10 levels of 10 references, 10^9 "lol"s once expanded
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY lol "lol">\n'
    + "".join(f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
    '  <rdf:Description rdf:about="https://example.org/x"><rdfs:label>&lol9;</rdfs:label></rdf:Description>\n'
    "</rdf:RDF>\n"
)


class _Recorder(BaseHTTPRequestHandler):
    """Serves a valid JSON-LD context and records every request it receives."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        type(self).requests.append(self.path)
        body = json.dumps({"@context": {"name": "https://example.org/name"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 (random port); yields its context URL and the requests it got."""
    handler = type("Recorder", (_Recorder,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ctx.jsonld", handler.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _jsonld(context: object) -> bytes:
    return json.dumps({"@context": context, "@id": "https://example.org/x", "name": "X"}).encode()


# --- JSON-LD contexts ------------------------------------------------------------------------------------------


def test_the_listener_would_see_a_request_from_a_plain_rdflib_parse(listener):
    """Proves the next test can fail: rdflib on its own fetches the remote context."""
    url, requests = listener
    graph = Graph().parse(data=_jsonld(url), format="json-ld")
    assert requests == ["/ctx.jsonld"]
    assert len(graph) == 1


def test_remote_jsonld_context_is_refused_without_a_request(listener):
    url, requests = listener
    with pytest.raises(DataError, match=r"<bytes>: JSON-LD context 'http://127\.0\.0\.1:\d+/ctx\.jsonld' is "
                                        r"not fetched \(kg never makes network requests"):
        kg.load_rdf(_jsonld(url), format="jsonld")
    assert requests == []


@pytest.mark.parametrize("where", ["list", "nested", "scoped", "import"])
def test_remote_context_anywhere_is_refused_without_a_request(listener, where):
    url, requests = listener
    document = {
        "list": {"@context": [CONTEXT_URL, url], "@id": "https://example.org/x"},
        "nested": {"@context": CONTEXT_URL, "@graph": [{"@context": url, "@id": "https://example.org/x"}]},
        "scoped": {"@context": {"thing": {"@id": "https://example.org/thing", "@context": url}},
                   "@id": "https://example.org/x", "thing": {"@id": "https://example.org/y"}},
        "import": {"@context": {"@version": 1.1, "@import": url}, "@id": "https://example.org/x"},
    }[where]
    with pytest.raises(DataError, match="is refused|is not fetched"):
        kg.load_rdf(json.dumps(document).encode(), format="jsonld")
    assert requests == []


def test_relative_context_is_not_read_from_disk(tmp_path):
    (tmp_path / "ctx.jsonld").write_text(json.dumps({"@context": {"name": "https://example.org/name"}}))
    path = tmp_path / "doc.jsonld"
    path.write_bytes(_jsonld("ctx.jsonld"))
    with pytest.raises(DataError, match=r"doc\.jsonld: JSON-LD context 'ctx\.jsonld' is not fetched"):
        kg.load_rdf(path)


def test_published_context_resolves_to_the_bundled_file(listener):
    _, requests = listener
    document = {"@context": CONTEXT_URL, "@id": "https://w3id.org/kg-ai-risk/id/claim/x", "@type": "kg:Claim",
                "statement": "A claim.", "about": "https://w3id.org/kg-ai-risk/id/concept/y", "date": "2025-01-02"}
    dataset = kg.load_rdf(json.dumps(document).encode(), format="jsonld")
    claim = iri("claim/x")
    assert (claim, RDF.type, KG.Claim) in dataset
    assert (claim, KG.statement, Literal("A claim.")) in dataset
    assert (claim, KG.about, iri("concept/y")) in dataset
    assert dataset.value(claim, KG.date).datatype.endswith("#date")
    assert requests == []


def test_exported_jsonld_reads_back_offline(graph):
    loaded = kg.load_rdf(kg.export_graph(graph, "jsonld"), format="jsonld")
    flat = Graph()
    for triple in loaded.triples((None, None, None)):
        flat.add(triple)
    assert isomorphic(flat, union_graph(graph))


# --- RDF/XML entities ------------------------------------------------------------------------------------------


def test_billion_laughs_rdfxml_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.rdf"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(DataError, match=r"bomb\.rdf:2: RDF/XML with a <!DOCTYPE> declaration is refused"):
        kg.load_rdf(path)


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_entity_declaration_is_refused_in_any_encoding(codec):
    payload = BILLION_LAUGHS.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{codec}"?>')
    data = payload.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    with pytest.raises(DataError, match="is refused"):
        kg.load_rdf(data, format="xml")


def test_external_entity_without_doctype_keyword_case_is_refused():
    payload = ('<?xml version="1.0"?>\n<!doctype r [<!entity x SYSTEM "file:///etc/passwd">]>\n'
               '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    with pytest.raises(DataError, match="<bytes>:2: RDF/XML with a <!DOCTYPE> declaration is refused"):
        kg.load_rdf(payload.encode(), format="xml")


def test_rdfxml_without_a_byte_order_mark_in_a_wide_encoding_is_refused():
    with pytest.raises(DataError, match="encoding without a byte order mark"):
        kg.load_rdf(BILLION_LAUGHS.encode("utf-16-le"), format="xml")


def test_plain_rdfxml_still_reads():
    payload = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
               'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n  <rdf:Description '
               'rdf:about="https://example.org/x"><rdfs:label>x</rdfs:label></rdf:Description>\n</rdf:RDF>\n')
    dataset = kg.load_rdf(payload.encode(), format="xml")
    assert list(dataset.triples((None, None, None))) == [
        (URIRef("https://example.org/x"), RDFS.label, Literal("x"))]


# --- sources, formats, errors -----------------------------------------------------------------------------------


def test_format_comes_from_the_extension(graph, tmp_path):
    path = tmp_path / "graph.nq"
    kg.export_graph(graph, "nq", path)
    named = {str(g.identifier) for g in kg.load_rdf(path).graphs() if len(g)}
    assert len(named) == len(graph.documents) + 2


def test_urls_are_refused():
    with pytest.raises(UsageError, match="local files only"):
        kg.load_rdf("https://example.org/graph.ttl")


def test_bytes_need_a_format():
    with pytest.raises(UsageError, match="needs format="):
        kg.load_rdf(b"<a> <b> <c> .")


def test_unknown_extension_and_non_rdf_format(tmp_path):
    with pytest.raises(UsageError, match="cannot tell the RDF format of .*graph.dat"):
        kg.load_rdf(tmp_path / "graph.dat")
    with pytest.raises(UsageError, match="'graphml' is not an RDF format"):
        kg.load_rdf(b"<graphml/>", format="graphml")


def test_bad_input_is_one_data_error_naming_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/kg-ai-risk/ontology#> .\nkg:a kg:b .\n")
    with pytest.raises(DataError, match=r"bad\.ttl:2: not valid turtle") as caught:
        kg.load_rdf(bad)
    assert "\n" not in str(caught.value)
    with pytest.raises(DataError, match=r"<bytes>:2: not valid JSON"):
        kg.load_rdf(b'{\n"@id": }', format="jsonld")
    with pytest.raises(DataError, match=r"cannot read .*missing\.ttl"):
        kg.load_rdf(tmp_path / "missing.ttl")


def test_jsonld_named_graphs_stay_named():
    document = {"@context": CONTEXT_URL, "@id": "https://example.org/g",
                "@graph": [{"@id": "https://example.org/x", "label": "x"}]}
    dataset = kg.load_rdf(json.dumps(document).encode(), format="jsonld")
    named = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    assert list(named) == ["https://example.org/g"]
    assert (URIRef("https://example.org/x"), RDFS.label, Literal("x")) in named["https://example.org/g"]
