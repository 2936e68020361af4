"""kg query: the named query library's answers on the bundled corpus, both engines, formats, API and CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS

import kg
from kg.query import engines, named_queries, query
from kg.vocab import iri
from tests.conftest import FIXTURES, run_kg

QUERIES = FIXTURES / "queries"
#: parameters each named query is run with in the cross-engine test (every named query must have an entry)
SAMPLE_PARAMS: dict[str, list[dict[str, str]]] = {
    "tensions": [{}],
    "lab-coverage": [{"concept": "deployment-time-spread"}, {"concept": "schemers"}],
    "claims-by": [{"holder": "Alex Mallen"}, {"holder": "org/google-deepmind"}],
    "concept-neighborhood": [{"concept": "deployment-time-spread"}, {"concept": "misaligned-model-behaviors"}],
    "claim-evidence": [{"claim": "claim/training-analysis-may-be-insufficient"},
                       {"claim": "claim/industry-must-act-on-spread"}],
    "weakly-supported": [{}],
    "timeline": [{}, {"topic": "deployment-time-spread"}],
    "open-questions": [{}, {"concept": "BSM"}],
    "mitigations": [{"concept": "strategic-deception"}, {"concept": "sycophancy"}],
    "failure-modes": [{}],
    "citation-chain": [{"source": "source/wiki-model-organisms-of-misalignment"}],
    "coverage-matrix": [{}],
}


def run(graph: kg.KnowledgeGraph, name: str, engine: str | None = None, **params: str) -> list[dict]:
    return query(graph, name=name, params=params, engine=engine).records()


# --- the named queries' answers ------------------------------------------------------------------------------


def test_lab_coverage_of_deployment_time_spread(graph):
    rows = run(graph, "lab-coverage", concept="deployment-time-spread")
    assert {(r["lab"], r["level"], r["per"]) for r in rows} == {
        ("Google DeepMind", "none", "Alex Mallen"), ("xAI", "none", "Alex Mallen"), ("OpenAI", "none", "Alex Mallen"),
        ("Meta", "none", "Alex Mallen"), ("Anthropic", "isolated", "Alex Mallen")}
    assert {r["claim"] for r in rows} == {str(iri("claim/mallen-risk-report-survey"))}
    assert {r["sources"] for r in rows} == {"Risk reports need to address deployment-time spread of misalignment"}
    assert run(graph, "lab-coverage", concept="schemers") == []


def test_tensions(graph):
    rows = {r["tension"].rsplit("/", 1)[1]: r for r in run(graph, "tensions")}
    assert set(rows) == {"bsm-predictive-value-vs-omitted-drivers", "spread-priority-vs-lab-priorities",
                         "mythos-isolated-acknowledgment"}
    spread = rows["spread-priority-vs-lab-priorities"]
    assert spread["kind"] == "institutional" and spread["asserted_by"] == "source"
    assert spread["claim_a"] == str(iri("claim/deployment-spread-most-plausible-pathway"))
    assert spread["statement_a"].startswith("Misalignment spreading during deployment is the most plausible")
    assert spread["holders_a"] == "Alex Mallen"
    assert spread["holders_b"] == "Google DeepMind; Meta; OpenAI; xAI"
    assert spread["citations"] == "[3] Risk reports need to address deployment-time spread of misalignment"
    assert rows["bsm-predictive-value-vs-omitted-drivers"]["kind"] == "self-correction"
    assert rows["mythos-isolated-acknowledgment"]["holders_a"] == "Anthropic"


def test_claims_by_oldest_first(graph):
    rows = run(graph, "claims-by", holder="Alex Mallen")
    expected = {e.object for e in graph.iter_edges("asserts") if e.subject == "person/alex-mallen"}
    assert {r["claim"] for r in rows} == {str(iri(c)) for c in expected} and len(rows) == 18
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates) and str(dates[0]) == "2026-05-10" and str(dates[-1]) == "2026-05-15"
    first = rows[0]
    assert first["sources"] == "[1] Clarifying the role of the behavioral selection model (2026-05-10)"
    both = next(r for r in rows if r["claim"].endswith("industry-must-act-on-spread"))
    assert both["sources"] == ("[2] Risk reports need to address deployment-time spread of misalignment. (2026-05-15)"
                               "; [3] Risk reports need to address deployment-time spread of misalignment (2026-05-15)")
    undated = run(graph, "claims-by", holder="Google DeepMind")
    assert [(r["claim"].rsplit("/", 1)[1], r["date"]) for r in undated] == [
        ("lab-reports-prioritize-other-risks", None)]


def test_concept_neighborhood(graph):
    rows = run(graph, "concept-neighborhood", concept="deployment time spread")
    related = {r["label"] for r in rows if r["relation"] == "related to"}
    assert related == {"Rare inputs", "Shared codebases", "Inter-instance communication", "Rogue internal deployments",
                       "Steering vectors"}
    claims = {r["node"]: r["held_by"] for r in rows if r["relation"] == "claim about it"}
    expected = {str(iri(c.id)) for c in graph.iter_nodes("Claim") if "concept/deployment-time-spread" in c.about}
    assert set(claims) == expected
    assert claims[str(iri("claim/lab-reports-prioritize-other-risks"))] == "Google DeepMind; Meta; OpenAI; xAI"
    assert claims[str(iri("claim/mythos-acknowledges-spread-in-isolation"))] == "Anthropic"
    broad = run(graph, "concept-neighborhood", concept="misaligned-model-behaviors")
    assert {r["label"] for r in broad if r["relation"] == "narrower"} == {
        "Sycophancy", "Shortcut-taking", "Proxy metric over-optimization", "Strategic deception"}
    assert {r["label"] for r in broad if r["relation"] == "mitigated by"} == {
        "Evals for alignment and deception detection", "Monitored versus unmonitored observability",
        "Output guardrails", "Human review of high-stakes tool actions"}
    assert {r["label"] for r in broad if r["relation"] == "example"} == {"Eval-reality gap"}


def test_claim_evidence(graph):
    rows = run(graph, "claim-evidence", claim="claim/training-analysis-may-be-insufficient")
    by_role: dict[str, set[str]] = {}
    for r in rows:
        by_role.setdefault(r["role"], set()).add(r["node"].rsplit("/", 1)[1])
    assert by_role == {"source": {"clarifying-behavioral-selection-model"},
                       "supported by": {"bsm-omits-reflection", "cultural-evolution-shapes-motivations"},
                       "in tension with": {"bsm-keeps-predictive-value"}}
    source = next(r for r in rows if r["role"] == "source")
    assert source["label"] == "[1] Clarifying the role of the behavioral selection model"
    assert source["credibility"] == "tier 3 (Good quality)"
    assert source["note"] == "inherited from publication venue: Alignment Forum"
    tension = next(r for r in rows if r["role"] == "in tension with")
    assert tension["note"].startswith("Mallen's model leans on training-time analysis")
    social = run(graph, "claim-evidence", claim="claim/industry-must-act-on-spread")
    assert {r["credibility"] for r in social if r["role"] == "source"} == {"unrated", "tier 3 (Good quality)"}


def test_weakly_supported(graph):
    rows = run(graph, "weakly-supported")
    expected = {c.id for c in graph.iter_nodes("Claim") if len({ref.source for ref in graph.sources_of(c.id)}) == 1}
    assert {r["claim"] for r in rows} == {str(iri(c)) for c in expected}
    assert len(rows) == 33
    ids = {r["claim"].rsplit("/", 1)[1] for r in rows}
    assert "industry-must-act-on-spread" not in ids and "model-organisms-post-influential" not in ids
    survey = next(r for r in rows if r["claim"].endswith("mallen-risk-report-survey"))
    assert survey["source"] == str(iri("source/risk-reports-deployment-time-spread")) and survey["tier"] == 3


def test_timeline(graph):
    rows = run(graph, "timeline")
    assert [(str(r["date"]), r["event"].rsplit("/", 1)[1]) for r in rows] == [
        ("2026-05-10", "2026-05-10-bsm-clarification"), ("2026-05-15", "2026-05-15-risk-report-critique")]
    assert rows[1]["actors"] == "Alex Mallen"
    assert rows[1]["sources"] == ("Risk reports need to address deployment-time spread of misalignment; "
                                  "Risk reports need to address deployment-time spread of misalignment.")
    spread = run(graph, "timeline", topic="deployment-time-spread")
    assert [r["event"].rsplit("/", 1)[1] for r in spread] == ["2026-05-15-risk-report-critique"]
    assert len(run(graph, "timeline", topic="Alex Mallen")) == 2
    assert run(graph, "timeline", topic="sycophancy") == []


def test_open_questions(graph):
    everything = run(graph, "open-questions")
    assert {r["question"].rsplit("/", 1)[1] for r in everything} == {
        "detect-or-contain-spread", "revise-bsm-for-reflection", "labs-update-risk-reports",
        "spread-mechanisms-and-scaling"}
    about_bsm = run(graph, "open-questions", concept="behavioral selection model")
    assert {r["question"].rsplit("/", 1)[1] for r in about_bsm} == {"revise-bsm-for-reflection",
                                                                    "spread-mechanisms-and-scaling"}
    revise = next(r for r in about_bsm if r["question"].endswith("revise-bsm-for-reflection"))
    assert revise["about"] == "Behavioral selection model; Cultural evolution; Reflection and deliberation"
    assert revise["sources"] == "Clarifying the role of the behavioral selection model"


def test_mitigations_direct_and_through_broader(graph):
    rows = run(graph, "mitigations", concept="strategic-deception")
    assert {(r["label"], r["mitigates"]) for r in rows} == {
        ("Evals for alignment and deception detection", "Strategic deception"),
        ("Monitored versus unmonitored observability", "Strategic deception"),
        ("Evals for alignment and deception detection", "Misaligned model behaviors"),
        ("Monitored versus unmonitored observability", "Misaligned model behaviors"),
        ("Output guardrails", "Misaligned model behaviors"),
        ("Human review of high-stakes tool actions", "Misaligned model behaviors")}
    assert {r["sources"] for r in rows} == {"Misaligned Model Behaviors"}
    assert run(graph, "mitigations", concept="kludges") == []


def test_failure_modes(graph):
    rows = {r["failure_mode"].rsplit("/", 1)[1]: r for r in run(graph, "failure-modes")}
    assert set(rows) == {c.id.split("/")[1] for c in graph.iter_nodes("Concept") if c.kind == "failure-mode"}
    assert rows["strategic-deception"]["mitigated_by"] == ("Evals for alignment and deception detection; "
                                                           "Monitored versus unmonitored observability")
    assert rows["sycophancy"]["broader"] == "Misaligned model behaviors"
    assert rows["reward-hacking"]["broader"] is None and rows["reward-hacking"]["claims"] == 3


def test_citation_chain(graph):
    rows = run(graph, "citation-chain", source="source/wiki-model-organisms-of-misalignment")
    assert [(r["cited"], r["direct"], r["venue"]) for r in rows] == [
        (str(iri("source/model-organisms-of-misalignment")), True, "Alignment Forum")]
    assert run(graph, "citation-chain", source="Claude Mythos risk report") == []


def test_citation_chain_follows_several_steps(minimal, tmp_path):
    (minimal / "documents" / "chain.yaml").write_text(
        "kind: page\ntitle: Chain\ncitations: {1: source/roe-post}\nrelations:\n"
        "  - {subject: source/roe-post, relation: cites, object: source/poe-reply, citations: [1]}\n",
        encoding="utf-8")
    graph = kg.load(minimal)
    sources = [n.id for n in graph.iter_nodes("Source")]
    assert {"source/roe-post", "source/poe-reply"} <= set(sources)
    rows = run(graph, "citation-chain", source="source/roe-post")
    assert [r["cited"] for r in rows] == [str(iri("source/poe-reply"))]


def test_coverage_matrix(graph):
    rows = run(graph, "coverage-matrix")
    assert [(r["lab"], r["concept"], r["level"]) for r in rows] == [
        ("Anthropic", "Deployment-time spread of misalignment", "isolated"),
        ("Google DeepMind", "Deployment-time spread of misalignment", "none"),
        ("Meta", "Deployment-time spread of misalignment", "none"),
        ("OpenAI", "Deployment-time spread of misalignment", "none"),
        ("xAI", "Deployment-time spread of misalignment", "none")]


# --- the library itself and both engines ---------------------------------------------------------------------


def test_every_named_query_has_a_header_and_sample_parameters():
    library = named_queries()
    assert set(library) == set(SAMPLE_PARAMS)
    for named in library.values():
        assert named.title and named.description, named.name
        for param in named.params:
            assert f"?{param.name}" in named.text and param.description, (named.name, param.name)


@pytest.mark.parametrize("name,params", [(n, p) for n, ps in SAMPLE_PARAMS.items() for p in ps],
                         ids=lambda v: v if isinstance(v, str) else "-".join(v.values()) or "all")
def test_engines_give_identical_answers(graph, name, params):
    results = [query(graph, name=name, params=params, engine=engine) for engine in engines()]
    assert engines() == ["oxigraph", "rdflib"]
    first = results[0]
    for other in results[1:]:
        assert other.vars == first.vars
        assert other.rows == first.rows  # ordered queries in their order; others sorted by kg
    if name not in ("lab-coverage", "citation-chain", "timeline", "mitigations") or not params:
        assert first.rows, f"{name} {params} returns nothing on the bundled corpus"


def test_raw_query_sees_the_union_of_all_graphs_on_both_engines(graph):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counts = {e: query(graph, text, engine=e).rows[0][0].toPython() for e in engines()}
    assert counts == {e: len(set(graph.rdf.triples((None, None, None)))) for e in engines()}


def test_from_a_graph_of_the_dataset_is_allowed(graph):
    text = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/kg-ai-risk/graph/entities> WHERE { ?s ?p ?o }"
    counts = {e: query(graph, text, engine=e).rows[0][0].toPython() for e in engines()}
    entities = graph.rdf.graph(URIRef("https://w3id.org/kg-ai-risk/graph/entities"))
    assert counts == {e: len(entities) for e in engines()} and 0 < counts["rdflib"] < len(graph.rdf)


def test_graph_clause_reaches_one_document(graph):
    text = ("SELECT DISTINCT ?claim WHERE { GRAPH <https://w3id.org/kg-ai-risk/graph/doc/resource-model-organisms> "
            "{ ?claim a kg:Claim } }")
    for engine in engines():
        rows = query(graph, text, engine=engine).column("claim")
        assert len(rows) == 7 and all("model-organisms" in r for r in rows)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
def test_ask_and_construct(graph):
    for engine in engines():
        assert query(graph, "ASK { org:anthropic kg:kind 'lab' }", engine=engine).boolean is True
        assert query(graph, "ASK { org:anthropic kg:kind 'venue' }", engine=engine).boolean is False
        result = query(graph, "CONSTRUCT { ?lab rdfs:label ?n } WHERE { ?lab kg:kind 'lab' ; kg:name ?n }",
                       engine=engine)
        assert result.kind == "graph" and len(result) == 5
        parsed = Graph().parse(data=result.serialize("turtle"), format="turtle")
        assert (iri("org/xai"), RDFS.label, Literal("xAI")) in parsed and len(parsed) == 5
        assert len(Graph().parse(data=result.serialize("nt"), format="nt")) == 5
        assert len(Graph().parse(data=result.serialize("jsonld"), format="json-ld")) == 5
    described = query(graph, "DESCRIBE org:xai")
    assert (iri("org/xai"), RDFS.label, Literal("xAI")) in described.graph


def test_result_api_records_and_dataframe(graph):
    result = kg.query_graph(graph, name="lab-coverage", params={"concept": "deployment-time-spread"})
    assert result.vars == ["concept", "lab", "level", "per", "claim", "sources"] and len(result) == 5
    df = result.to_dataframe()
    assert list(df.columns) == result.vars
    assert dict(zip(df["lab"], df["level"], strict=True))["Anthropic"] == "isolated"
    assert result.df.shape == (5, 6)


# --- formats ---------------------------------------------------------------------------------------------------


def test_json_is_w3c_sparql_results(graph):
    result = query(graph, "SELECT ?lab ?name ?missing WHERE { ?lab kg:kind 'lab' ; kg:name ?name "
                          "OPTIONAL { ?lab kg:url ?missing } } ORDER BY ?name")
    data = json.loads(result.serialize("json"))
    assert data["head"]["vars"] == ["lab", "name", "missing"]
    first = data["results"]["bindings"][0]
    assert first == {"lab": {"type": "uri", "value": str(iri("org/anthropic"))},
                     "name": {"type": "literal", "value": "Anthropic"}}
    tier = json.loads(query(graph, "SELECT ?t WHERE { org:lesswrong kg:credibilityTier ?t }").serialize("json"))
    assert tier["results"]["bindings"][0]["t"] == {"type": "literal", "value": "3",
                                                    "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert json.loads(query(graph, "ASK { ?s ?p ?o }").serialize("json")) == {"head": {}, "boolean": True}


def test_csv_tsv_md_table(graph):
    result = query(graph, "SELECT ?lab ?name WHERE { ?lab kg:kind 'lab' ; kg:name ?name } ORDER BY ?name")
    rows = list(csv.reader(io.StringIO(result.serialize("csv").decode())))
    assert rows[0] == ["lab", "name"] and rows[1] == [str(iri("org/anthropic")), "Anthropic"] and len(rows) == 6
    tsv = result.serialize("tsv").decode().splitlines()
    assert tsv[0] == "?lab\t?name" and tsv[1] == f"<{iri('org/anthropic')}>\t\"Anthropic\""
    md = result.serialize("md").decode().splitlines()
    assert md[0] == "| lab | name |" and md[2] == "| org:anthropic | Anthropic |"
    table = result.serialize("table").decode().splitlines()
    assert table[0].split() == ["lab", "name"] and table[2].split() == ["org:anthropic", "Anthropic"]
    assert table[-1] == "(5 rows)"
    assert len({line.index("Anthropic") for line in table[2:3]} | {table[0].index("name")}) == 1  # aligned


#: a literal no result format may mangle: newline, tab, quotes, a backslash and non-ASCII text
TRICKY = 'line one\nline two\ttabbed "quoted" ünïcödé ✓ back\\slash'
TRICKY_SPARQL = TRICKY.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace('"', '\\"')


def _csv_view(term):
    """What the W3C CSV format keeps of a term, as rdflib's CSV parser reads it back."""
    if term is None:
        return None
    return term if isinstance(term, URIRef | BNode) else Literal(str(term))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_every_result_format_reads_back_with_both_parsers(graph, engine):
    import pyoxigraph as ox
    from rdflib.query import Result

    from kg.query._engines import _to_rdflib

    text = ("SELECT ?iri ?text ?lang ?num ?none WHERE { VALUES (?iri ?text ?lang ?num ?none) { "
            f'(org:anthropic "{TRICKY_SPARQL}" "hi"@en 3 UNDEF) (UNDEF "plain" UNDEF 2.5 UNDEF) }} }}')
    result = query(graph, text, engine=engine)
    rows = [list(row) for row in result.rows]
    assert [Literal(TRICKY), Literal("hi", lang="en"), Literal(3)] == rows[1][1:4] or \
        [Literal(TRICKY), Literal("hi", lang="en"), Literal(3)] == rows[0][1:4]
    for fmt, ox_format in (("json", ox.QueryResultsFormat.JSON), ("tsv", ox.QueryResultsFormat.TSV)):
        data = result.serialize(fmt)
        by_rdflib = Result.parse(io.BytesIO(data), format=fmt)
        assert [str(v) for v in by_rdflib.vars] == result.vars
        assert [list(row) for row in by_rdflib] == rows, fmt
        by_oxigraph = ox.parse_query_results(data, ox_format)
        assert [v.value for v in by_oxigraph.variables] == result.vars
        assert [[_to_rdflib(s[v]) for v in result.vars] for s in by_oxigraph] == rows, fmt
    tsv = result.serialize("tsv").decode("utf-8").split("\n")
    assert tsv[-1] == "" and len(tsv) == len(rows) + 2 and all(line.count("\t") == 4 for line in tsv[:-1])
    csv_data = result.serialize("csv")  # pyoxigraph reads no CSV (the format drops datatypes and languages)
    assert [list(row) for row in Result.parse(io.BytesIO(csv_data), format="csv")] == \
        [[_csv_view(t) for t in row] for row in rows]


def test_markdown_escapes_pipes(graph):
    result = query(graph, "SELECT ?x WHERE { BIND ('a | b' AS ?x) }")
    assert result.serialize("md").decode().splitlines()[2] == "| a \\| b |"


def test_markdown_shows_hostile_text_literally(graph):
    hostile = "<img src=x onerror=alert(1)> [a](javascript:x) *b*"
    result = query(graph, f"SELECT ?x WHERE {{ BIND ({json.dumps(hostile)} AS ?x) }}")
    cell = result.serialize("md").decode().splitlines()[2]
    assert cell == "| \\<img src=x onerror=alert(1)\\> \\[a\\](javascript:x) \\*b\\* |"


@pytest.mark.parametrize("fmt", ["turtle", "ttl", "jsonld", "nt", "xml"])
def test_construct_results_are_deterministic_across_processes(fmt):
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a kg:Claim ; ?p ?o }"
    runs = [run_kg("query", construct, "--format", fmt, env={"PYTHONHASHSEED": s}) for s in ("1", "2")]
    assert runs[0].code == 0, runs[0].err
    assert runs[0].out == runs[1].out and len(runs[0].out) > 1000


def test_wrong_format_for_the_result_is_a_usage_error(graph):
    with pytest.raises(kg.UsageError, match="turtle"):
        query(graph, "SELECT * WHERE { ?s ?p ?o } LIMIT 1").serialize("turtle")
    with pytest.raises(kg.UsageError, match="csv"):
        query(graph, "CONSTRUCT WHERE { ?s kg:kind 'lab' }").serialize("csv")


# --- CLI -------------------------------------------------------------------------------------------------------


def test_cli_list():
    result = run_kg("query", "--list")
    assert result.code == 0
    for name in SAMPLE_PARAMS:
        assert f"\n{name}" in "\n" + result.out
    assert "lab-coverage  [concept (Concept)]" in result.out and "timeline  [topic (node, optional)]" in result.out


def test_cli_named_query_with_param_and_formats(tmp_path: Path):
    result = run_kg("query", "--name", "lab-coverage", "--param", "concept=deployment-time-spread")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["concept", "lab", "level", "per", "claim", "sources"]
    assert "Anthropic" in lines[2] and "isolated" in lines[2] and "Alex Mallen" in lines[2]
    out = tmp_path / "labs.json"
    result = run_kg("query", "--name", "lab-coverage", "-p", "concept=Deployment-time spread", "--format", "json",
                    "--engine", "rdflib", "-o", str(out))
    assert result.code == 0 and "wrote" in result.err
    assert len(json.loads(out.read_text())["results"]["bindings"]) == 5


def test_cli_raw_query_file_and_stdin():
    result = run_kg("query", "SELECT ?n WHERE { org:xai kg:name ?n }", "--format", "csv")
    assert result.code == 0 and result.out.splitlines() == ["n", "xAI"]
    result = run_kg("query", "--file", str(QUERIES / "labs.rq"), "--format", "tsv")
    assert result.code == 0 and result.out.splitlines()[1].endswith('"Anthropic"')
    result = run_kg("query", "--file", "-", "--format", "md", input="ASK { org:xai kg:kind 'lab' }")
    assert result.code == 0 and result.out.splitlines()[2] == "| true |"
    result = run_kg("query", "CONSTRUCT WHERE { org:xai kg:name ?n }", "--format", "nt")
    expected = f'<{iri("org/xai")}> <https://w3id.org/kg-ai-risk/ontology#name> "xAI" .\n'
    assert result.code == 0 and result.out == expected


def test_cli_syntax_error_is_one_line_with_position():
    result = run_kg("query", "--file", str(QUERIES / "broken.rq"))
    assert result.code == 1 and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert f"{QUERIES / 'broken.rq'}:5:3: SPARQL syntax error near 'FILTER (" in result.err
    inline = run_kg("query", "SELECT ?x WHERE { ?x kg:name }")
    assert inline.code == 1 and inline.err.startswith("kg: error: query:1:") and len(inline.err.splitlines()) == 1
    prefix = run_kg("query", "SELECT ?x WHERE { ?x nope:name ?y }")
    assert prefix.code == 1 and "nope" in prefix.err and len(prefix.err.splitlines()) == 1


def test_cli_usage_errors_exit_2():
    unknown = run_kg("query", "--name", "no-such-query")
    assert unknown.code == 2 and "unknown named query 'no-such-query' (known: " in unknown.err
    assert "lab-coverage" in unknown.err and "tensions" in unknown.err
    missing = run_kg("query", "--name", "lab-coverage")
    assert missing.code == 2 and "--param concept=" in missing.err
    extra = run_kg("query", "--name", "tensions", "--param", "concept=kludges")
    assert extra.code == 2 and "has no parameter 'concept'" in extra.err
    nothing = run_kg("query")
    assert nothing.code == 2 and "--list" in nothing.err
    wrong = run_kg("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle")
    assert wrong.code == 2 and "table" in wrong.err
    bad_param = run_kg("query", "--name", "lab-coverage", "--param", "concept")
    assert bad_param.code == 2 and "KEY=VALUE" in bad_param.err
    no_node = run_kg("query", "--name", "lab-coverage", "--param", "concept=deployment-time-sprad")
    assert no_node.code == 2 and "did you mean" in no_node.err
    for result in (unknown, missing, extra, nothing, wrong, bad_param, no_node):
        assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e300", "soon"])
def test_cli_timeout_must_be_a_usable_number_of_seconds(value):
    result = run_kg("query", "--name", "tensions", "--timeout", value)
    assert result.code == 2 and "--timeout" in result.err and "Traceback" not in result.err
    assert result.out == ""


@pytest.mark.parametrize("value", ["labs.rq", "-"])
def test_cli_a_query_file_given_to_f_is_pointed_to_file(value):
    result = run_kg("query", "-f", value)
    assert result.code == 2 and result.out == ""
    assert result.err.strip() == (f"kg: error: '{value}' is not an output format (-f is --format); read the query "
                                  f"from a file with --file {value}")


def test_cli_f_is_format():
    result = run_kg("query", "-f", "csv", "SELECT ?n WHERE { org:xai kg:name ?n }")
    assert result.code == 0 and result.out.splitlines() == ["n", "xAI"]


def test_cli_unreadable_query_file_is_an_input_error(tmp_path):
    not_text = tmp_path / "latin1.rq"
    not_text.write_bytes("SELECT * WHERE { ?s ?p '\xe9t\xe9' }".encode("latin-1"))
    for path, message in (("no/such.rq", "cannot read no/such.rq"), (str(not_text), "is not UTF-8 text")):
        result = run_kg("query", "--file", path)
        assert result.code == 1 and message in result.err and len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_reused_parsed_query_takes_each_calls_parameters(graph, engine):
    def labs(concept):
        result = query(graph, name="lab-coverage", params={"concept": concept}, engine=engine)
        return sorted(str(record["lab"]) for record in result.records())

    assert labs("deployment-time-spread") == ["Anthropic", "Google DeepMind", "Meta", "OpenAI", "xAI"]
    assert labs("concept/kludges") == []
    assert labs("deployment-time-spread") == ["Anthropic", "Google DeepMind", "Meta", "OpenAI", "xAI"]
