"""Name resolution for importers: every rule, the names that must never merge, and a run on the real snapshot."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
import yaml

from kg.importers._resolve import Candidate, NameIndex, Resolution, normalize

PEOPLE = [
    "Paul Christiano", "Paul Scharre", "Dario Amodei", "Daniela Amodei", "Stuart Russell", "Stuart Armstrong",
    "Nick Bostrom", "Eliezer Yudkowsky", "Jan Leike", "Shane Legg", "Demis Hassabis", "Jürgen Schmidhuber",
    "Will MacAskill", "Toby Ord", "Yann LeCun", "Sam Bankman-Fried", "Chris van Merwijk", "Evan Hubinger",
    "Nuño Sempere", "Katja Grace", "Robin Hanson", "Max Tegmark",
]
ORGS = [
    ("anthropic", "Anthropic", ()),
    ("openai", "OpenAI", ()),
    ("deepmind", "Google DeepMind", ("DeepMind",)),
    ("miri", "Machine Intelligence Research Institute", ("MIRI",)),
    ("metr", "METR", ()),
    ("meta-ai", "Meta AI", ("Meta",)),
    ("epoch-ai", "Epoch AI", ("Epoch",)),
    ("redwood-research", "Redwood Research", ()),
    ("apollo-research", "Apollo Research", ()),
    ("conjecture", "Conjecture", ()),
    ("cais", "Center for AI Safety (CAIS)", ()),
    ("fli", "Future of Life Institute (FLI)", ()),
    ("uk-aisi", "UK AI Safety Institute", ()),
    ("us-aisi", "US AI Safety Institute", ()),
    ("ea-australia", "Effective Altruism Australia", ()),
    ("rand", "RAND Corporation", ()),
    ("govai", "GovAI", ()),
    ("kalshi", "Kalshi (Prediction Market)", ()),
    ("ai-impacts", "AI Impacts", ()),
    ("chai", "Center for Human-Compatible AI", ()),
]


def _slug(name: str) -> str:
    return normalize(name).replace(" ", "-")


def candidates() -> list[Candidate]:
    people = [Candidate(f"person/{_slug(n)}", "person", n) for n in PEOPLE]
    orgs = [Candidate(f"org/{i}", "org", n, a) for i, n, a in ORGS]
    return people + orgs


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex(candidates())


def check(index: NameIndex, name: str, kind: str, id_: str | None = None, org: str | None = None) -> Resolution:
    r = index.resolve(name)
    assert (r.kind, r.id, r.org) == (kind, id_, org), f"{name!r} -> {r}"
    assert r.name == name
    return r


# -- normalize -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "norm"), [
    ("Stuart Russell", "stuart russell"),
    ("  stuart   RUSSELL ", "stuart russell"),
    ("Jürgen Schmidhuber", "jurgen schmidhuber"),
    ("Nuño  Sempere", "nuno sempere"),
    ("Stuart J. Russell", "stuart j russell"),
    ("Ord/MacAskill", "ord macaskill"),
    ("Sam Bankman-Fried", "sam bankmanfried"),
    ("", ""),
])
def test_normalize(raw: str, norm: str) -> None:
    assert normalize(raw) == norm


# -- rule 1: exact ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kind", "id_"), [
    ("Stuart Russell", "person", "person/stuart-russell"),
    ("stuart russell", "person", "person/stuart-russell"),
    ("STUART RUSSELL", "person", "person/stuart-russell"),
    ("Jurgen Schmidhuber", "person", "person/jurgen-schmidhuber"),
    ("Jürgen Schmidhuber", "person", "person/jurgen-schmidhuber"),
    ("Nuno Sempere", "person", "person/nuno-sempere"),
    ("Sam Bankman-Fried", "person", "person/sam-bankmanfried"),
    ("OpenAI", "org", "org/openai"),
    ("Open AI", "org", "org/openai"),
    ("openai", "org", "org/openai"),
    ("DeepMind", "org", "org/deepmind"),
    ("Deep Mind", "org", "org/deepmind"),
    ("Google DeepMind", "org", "org/deepmind"),
    ("machine intelligence research institute", "org", "org/miri"),
    ("Center for AI Safety", "org", "org/cais"),  # the title's parenthesised acronym split off
    ("Center for AI Safety (CAIS)", "org", "org/cais"),
    ("Center for Human Compatible AI", "org", "org/chai"),
    ("RAND", "org", "org/rand"),  # legal suffix dropped
    ("Kalshi", "org", "org/kalshi"),  # descriptive parenthesis dropped
    ("Anthropic", "org", "org/anthropic"),
    ("Epoch AI", "org", "org/epoch-ai"),
])
def test_exact(index: NameIndex, name: str, kind: str, id_: str) -> None:
    r = check(index, name, kind, id_)
    assert r.how in {"exact", "alias", "acronym", "spacing", "title-head"}


# -- rule 2: affiliation ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "id_", "org"), [
    ("Eliezer Yudkowsky (MIRI)", "person/eliezer-yudkowsky", "org/miri"),
    ("Eliezer Yudkowsky, MIRI", "person/eliezer-yudkowsky", "org/miri"),
    ("Yudkowsky (MIRI)", "person/eliezer-yudkowsky", "org/miri"),
    ("Dario Amodei (Anthropic)", "person/dario-amodei", "org/anthropic"),
    ("Yann LeCun (Meta)", "person/yann-lecun", "org/meta-ai"),
    ("Demis Hassabis (Google DeepMind)", "person/demis-hassabis", "org/deepmind"),
    ("Max Tegmark (FLI)", "person/max-tegmark", "org/fli"),
    ("Paul Cristiano (Open AI)", "person/paul-christiano", "org/openai"),
    ("Jan Leike (Independent)", "person/jan-leike", None),  # not an org: affiliation left empty
    ("Toby Ord (The Precipice)", "person/toby-ord", None),
    ("Stuart Russell (meta)", "person/stuart-russell", None),  # lowercase "meta" is not Meta
    ("Russell, Stuart", "person/stuart-russell", None),  # author lists
    ("Dr. Stuart J. Russell, Ph.D.", "person/stuart-russell", None),
])
def test_affiliation(index: NameIndex, name: str, id_: str, org: str | None) -> None:
    check(index, name, "person", id_, org)


def test_org_with_qualifier(index: NameIndex) -> None:
    check(index, "OpenAI (some)", "org-group", None, "org/openai")
    check(index, "Anthropic (Interpretability)", "org-group", None, "org/anthropic")
    check(index, "Google DeepMind (SynthID)", "org-group", None, "org/deepmind")
    check(index, "Machine Intelligence Research Institute (MIRI)", "org", "org/miri")
    check(index, "DeepMind (Demis Hassabis)", "org", "org/deepmind")
    check(index, "Gabriel Alfour (Conjecture)", "group")  # an unknown person, not Conjecture's group
    assert index.resolve("Gabriel Alfour (Conjecture)").how == "unknown-name"


# -- rule 3: one word ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kind", "id_"), [
    ("Bostrom", "person", "person/nick-bostrom"),
    ("Yudkowsky", "person", "person/eliezer-yudkowsky"),
    ("Russell", "person", "person/stuart-russell"),
    ("MacAskill", "person", "person/will-macaskill"),
    ("Macaskill", "person", "person/will-macaskill"),  # internal capital: case does not matter
    ("LeCun", "person", "person/yann-lecun"),
    ("Bankman-Fried", "person", "person/sam-bankmanfried"),
    ("Merwijk", "person", "person/chris-van-merwijk"),
    ("van Merwijk", "person", "person/chris-van-merwijk"),
    ("Dr. Bostrom", "person", "person/nick-bostrom"),
    ("MIRI", "org", "org/miri"),
    ("METR", "org", "org/metr"),
    ("CAIS", "org", "org/cais"),
    ("GovAI", "org", "org/govai"),
    ("Meta", "org", "org/meta-ai"),
    ("Epoch", "org", "org/epoch-ai"),
    ("Redwood", "org", "org/redwood-research"),  # derived short name, written as the org writes it
    ("Apollo", "org", "org/apollo-research"),
    ("Conjecture", "org", "org/conjecture"),
])
def test_single_word(index: NameIndex, name: str, kind: str, id_: str) -> None:
    check(index, name, kind, id_)


@pytest.mark.parametrize("name", ["meta", "epoch", "redwood", "apollo", "conjecture", "anthropic", "bostrom",
                                  "Miri", "metr", "Google", "Research", "Institute"])
def test_single_word_needs_the_orgs_own_case(index: NameIndex, name: str) -> None:
    check(index, name, "group")


# -- rule 4: fuzzy ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "id_", "how"), [
    ("Paul Cristiano", "person/paul-christiano", "fuzzy"),
    ("Eliezer Yudkowski", "person/eliezer-yudkowsky", "fuzzy"),
    ("Stuart J. Russell", "person/stuart-russell", "initials"),
    ("Stuart J Russell", "person/stuart-russell", "initials"),
    ("William MacAskill", "person/will-macaskill", "nickname"),
    ("Machine Inteligence Research Institute", "org/miri", "fuzzy"),
    ("Centre for AI Safety", "org/cais", "fuzzy"),
])
def test_fuzzy(index: NameIndex, name: str, id_: str, how: str) -> None:
    r = index.resolve(name)
    assert (r.id, r.how) == (id_, how), r
    if how == "fuzzy":
        assert r.score is not None and r.score >= 92


@pytest.mark.parametrize("name", [
    "Effective Altruism Austria",  # a country, not a typo of Australia
    "EU AI Safety Institute",  # close to both UK and US
    "Jon Leike",  # short words must match exactly
    "Paul Smith", "Dario Amodeo Jr Smith", "Elizer Yudkowski",  # two typos: too far
])
def test_fuzzy_refuses(index: NameIndex, name: str) -> None:
    assert index.resolve(name).id is None, index.resolve(name)


# -- rule 5: org groups ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "org"), [
    ("Anthropic safety team", "org/anthropic"),
    ("Some OpenAI researchers", "org/openai"),
    ("openai researchers", "org/openai"),
    ("Open AI researchers", "org/openai"),
    ("MIRI researchers", "org/miri"),
    ("Some MIRI researchers", "org/miri"),
    ("DeepMind leadership", "org/deepmind"),
    ("Google DeepMind staff", "org/deepmind"),  # the longest name wins over "DeepMind"
    ("OpenAI's safety team", "org/openai"),
    ("Anthropic Constitutional AI team", "org/anthropic"),
    ("Many Machine Intelligence Research Institute members", "org/miri"),
    ("Meta researchers", "org/meta-ai"),
    ("Some Epoch researchers", "org/epoch-ai"),
    ("People at Redwood", "org/redwood-research"),
    ("RAND researchers", "org/rand"),
])
def test_org_group(index: NameIndex, name: str, org: str) -> None:
    r = check(index, name, "org-group", None, org)
    assert r.how == "org-in-group"


# -- rule 6 and the names that must never merge ------------------------------------------------------------------------

MUST_NOT_RESOLVE = [
    "Amodei",  # two people
    "Paul", "Stuart", "Dario",  # given names only
    "Some researchers", "Some ML researchers", "Skeptics", "Accelerationists", "Many economists",
    "meta-learning researchers", "Meta-learning researchers",  # not Meta
    "epoch of training", "Epoch of training", "The Epoch of training researchers",  # not Epoch AI
    "the apollo program", "Apollo program veterans",
    "anthropic principle proponents", "Anthropic principle proponents",
    "Paul Smith",  # not a fuzzy Paul
    "Legg and Hassabis", "Ord/MacAskill", "MIRI / Yudkowsky",  # two actors: don't pick one
    "OpenAI and Anthropic researchers", "Most AI Labs (OpenAI, Google, Anthropic)",
    "Critics of OpenAI", "Former OpenAI researchers", "ex-OpenAI staff", "Skeptics of MIRI",
    "AI Impacts Survey 2023", "Some AI impacts researchers",  # common words, not the org AI Impacts
    "Google", "Some Google researchers",  # Google is not Google DeepMind
    "Stuart Armstrong-Russell", "Nick", "Grace period researchers", "et al.", "", "   ", "()", "(MIRI)",
]


@pytest.mark.parametrize("name", MUST_NOT_RESOLVE)
def test_must_not_resolve(index: NameIndex, name: str) -> None:
    r = index.resolve(name)
    assert r.kind == "group" and r.id is None and r.org is None, r


def test_group_hints(index: NameIndex) -> None:
    assert index.resolve("Amodei").how == "ambiguous-surname"
    assert index.resolve("Paul").how == "given-name-only"
    assert index.resolve("Legg and Hassabis").how == "multiple"
    assert index.resolve("Hany Farid").how == "unknown-name"
    assert index.resolve("Freedom House").how == "unknown-org"


def test_surname_that_is_also_a_given_name() -> None:
    idx = NameIndex([Candidate("person/a", "person", "Grace Hopper"), Candidate("person/b", "person", "Katja Grace")])
    assert idx.resolve("Grace").kind == "group"
    assert idx.resolve("Hopper").id == "person/a"


def test_surname_colliding_with_org() -> None:
    idx = NameIndex([Candidate("person/a", "person", "Ann Kelly"), Candidate("org/k", "org", "Kelly")])
    assert idx.resolve("Kelly").kind == "group"


def test_same_id_twice_is_not_ambiguous() -> None:
    idx = NameIndex([Candidate("org/miri", "org", "Machine Intelligence Research Institute (MIRI)"),
                     Candidate("org/miri", "org", "Machine Intelligence Research Institute")])
    assert idx.resolve("MIRI").id == "org/miri"
    assert idx.resolve("Machine Intelligence Research Institute").id == "org/miri"


def test_same_name_two_ids_is_ambiguous() -> None:
    idx = NameIndex([Candidate("person/a", "person", "John Smith"), Candidate("person/b", "person", "John Smith")])
    assert idx.resolve("John Smith").kind == "group"
    assert idx.resolve("John Smith").how == "ambiguous"


def test_author_lists(index: NameIndex) -> None:
    assert index.resolve_person_or_org("Nick Bostrom et al.").id == "person/nick-bostrom"
    assert index.resolve_person_or_org("Bostrom, Nick").id == "person/nick-bostrom"
    assert index.resolve_person_or_org("OpenAI").id == "org/openai"
    assert index.resolve_person_or_org("Anthropic Safety Team").org == "org/anthropic"
    assert index.resolve_person_or_org("et al.").kind == "group"


@pytest.mark.parametrize("name", ["(", ")", "[x]", "/", "a,b,c", "((MIRI))", "MIRI (", "Ph.D.", "Dr.", "'s",
                                  "X" * 500, "é", "\u200b", "Anthropic (", ", MIRI", "MIRI,"])
def test_odd_inputs_never_crash(index: NameIndex, name: str) -> None:
    r = index.resolve(name)
    assert r.kind in {"person", "org", "org-group", "group"}


def test_deterministic_regardless_of_candidate_order() -> None:
    names = [*MUST_NOT_RESOLVE, "Bostrom", "Paul Cristiano", "MIRI researchers", "Yann LeCun (Meta)", "Meta",
             "Centre for AI Safety", "William MacAskill"]
    base = [NameIndex(candidates()).resolve(n) for n in names]
    for seed in range(5):
        shuffled = candidates()
        random.Random(seed).shuffle(shuffled)
        assert [NameIndex(shuffled).resolve(n) for n in names] == base


# -- the real snapshot -----------------------------------------------------------------------------------------------

SNAPSHOT = Path(__file__).resolve().parent.parent.parent / "shared/corpora/longterm-wiki"


def real_candidates(root: Path) -> list[Candidate]:
    """People and organizations as an importer would build them (the snapshot has no alias fields)."""
    out = [Candidate(f"person/{p['id']}", "person", p["title"])
           for p in yaml.safe_load((root / "entities/people.yaml").read_text()) if p.get("type") == "person"]
    out += [Candidate(f"org/{o['id']}", "org", o["title"], tuple(o.get("aliases") or ()))
            for o in yaml.safe_load((root / "entities/organizations.yaml").read_text())
            if o.get("type") == "organization"]
    out += [Candidate(f"org/{o['id']}", "org", o["name"])
            for o in yaml.safe_load((root / "organizations.yaml").read_text())]
    return out


@pytest.mark.skipif(not SNAPSHOT.is_dir(), reason=f"longterm-wiki snapshot not found at {SNAPSHOT}")
def test_real_crux_holders(record_property: pytest.RecordProperty) -> None:
    index = NameIndex(real_candidates(SNAPSHOT))
    holders = [h for crux in yaml.safe_load((SNAPSHOT / "cruxes.yaml").read_text())
               for pos in crux.get("positions") or [] for h in pos.get("holders") or []]
    assert len(holders) > 100
    resolved = [index.resolve(h) for h in holders]
    counts = Counter(r.kind for r in resolved)
    print(f"\ncrux holders: {len(holders)}; by kind: {dict(sorted(counts.items()))}")
    record_property("crux_holder_kinds", dict(counts))
    assert set(counts) <= {"person", "org", "org-group", "group"}
    for r in resolved:
        assert (r.id is not None) == (r.kind in {"person", "org"}), r
        assert r.kind != "org-group" or r.org is not None, r
    by_name = {r.name: r for r in resolved}
    # hand-checked links in the snapshot
    assert by_name["Eliezer Yudkowsky"].id == "person/eliezer-yudkowsky"
    assert by_name["Bostrom"].id == "person/nick-bostrom"
    assert by_name["MIRI"].id == "org/miri"
    assert by_name["MIRI researchers"].org == "org/miri"
    assert by_name["Some OpenAI researchers"].org == "org/openai"
    assert by_name["Anthropic safety team"].org == "org/anthropic"
    for name in ["Some ML researchers", "Skeptics", "Ord/MacAskill", "Some AI safety researchers", "Adobe"]:
        assert by_name[name].kind == "group", by_name[name]
