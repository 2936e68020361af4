"""Rules that suggest tensions the curated data does not state, and their registry.

A rule is a function from the graph to :class:`Suggestion` objects, registered under a name with
:func:`register` (another package declares its own under the ``kg.tension_rules`` entry-point group: a
:class:`Rule`, or a function whose docstring's first line describes it). Rules read only the graph's typed
edges and records (never ids written into the code), and every suggestion is marked ``asserted_by: inferred``
with its rule's name and a one-line reason, so a reader can always tell a suggestion from a curated tension.
:func:`suggest_tensions` runs the rules, drops pairs already stated as curated tensions and returns the rest
in a fixed order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from kg.errors import UsageError
from kg.generate._scope import names
from kg.graph import KnowledgeGraph
from kg.model import Claim, Tension
from kg.registry import Registry
from kg.vocab import edge_key

__all__ = ["Suggestion", "Rule", "RULES", "register", "get", "rules", "suggest_tensions"]


@dataclass(frozen=True, order=True)
class Suggestion:
    """A tension a rule proposes between claims ``a`` and ``b``, with the rule's one-line reason."""

    rule: str
    a: str
    b: str
    kind: str
    reason: str

    asserted_by = "inferred"

    @property
    def id(self) -> str:
        """A stable id, the same for the same rule and claims on every run."""
        return f"tension/inferred-{self.rule}-{edge_key(self.rule, self.a, self.b)[:10]}"


Finder = Callable[[KnowledgeGraph], Iterable[Suggestion]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its name, what it looks for, and the function that finds suggestions."""

    name: str
    description: str
    find: Finder


def _rule(name: str, loaded: object) -> Rule:
    if isinstance(loaded, Rule):
        return loaded
    if not callable(loaded):
        raise UsageError(f"tension rule '{name}' is neither a Rule nor a function: {loaded!r}")
    return Rule(name, (loaded.__doc__ or "").strip().split("\n")[0], loaded)


#: the rules, in the order they run; other packages add theirs under the ``kg.tension_rules`` entry points
RULES: Registry[Rule] = Registry("tension rule", "kg.tension_rules", adapt=_rule)


def register(name: str, description: str) -> Callable[[Finder], Finder]:
    """Register the decorated function as the rule ``name`` (rules run in registration order)."""

    def decorate(find: Finder) -> Finder:
        RULES.register(name, Rule(name, description, find))
        return find

    return decorate


def get(name: str) -> Rule:
    """The rule registered as ``name``; UsageError listing the known ones otherwise."""
    return RULES.get(name)


def rules() -> list[str]:
    """Names of the registered rules, in the order they run."""
    return RULES.names()


def suggest_tensions(graph: KnowledgeGraph, rules: Sequence[str] | None = None) -> list[Suggestion]:
    """Tensions the rules propose (all registered rules by default), leaving out pairs of claims that a
    curated tension already joins; the first rule to propose a pair keeps it. Deterministic."""
    stated = {frozenset((t.a, t.b)) for t in graph.iter_nodes("Tension") if isinstance(t, Tension)}
    found: list[Suggestion] = []
    for name in rules if rules is not None else RULES.names():
        for suggestion in sorted(set(get(name).find(graph))):
            pair = frozenset((suggestion.a, suggestion.b))
            if pair not in stated:
                stated.add(pair)
                found.append(suggestion)
    return found


# --- helpers shared by rules


def _claims(graph: KnowledgeGraph) -> Iterator[Claim]:
    for node in graph.iter_nodes("Claim"):
        if isinstance(node, Claim) and node.status == "asserted":
            yield node


def _concept_links(graph: KnowledgeGraph) -> dict[str, dict[str, str]]:
    """Concept -> neighbouring concept -> how it relates (``related``, ``broader``, ``narrower``), one hop."""
    links: dict[str, dict[str, str]] = defaultdict(dict)
    for edge in graph.iter_edges("related_to", "broader"):
        if graph.nodes[edge.subject].rdf_class != "Concept" or graph.nodes[edge.object].rdf_class != "Concept":
            continue
        if edge.relation == "related_to":
            links[edge.subject].setdefault(edge.object, "related")
            links[edge.object].setdefault(edge.subject, "related")
        else:
            links[edge.subject].setdefault(edge.object, "broader")
            links[edge.object].setdefault(edge.subject, "narrower")
    return links


# --- the rules

_HOW = {"related": ", a related concept", "broader": ", a broader concept", "narrower": ", a narrower concept"}


@register("opposite-stance", "claims about the same or a neighbouring concept (related, broader or narrower), "
          "held by different holders, one pro and one con")
def opposite_stance(graph: KnowledgeGraph) -> Iterator[Suggestion]:
    """A con claim and a pro claim about the same concept or neighbouring concepts, with no holder in
    common. Within one document, claims its curated tensions already cover are not paired again: that
    document's curator has read them side by side."""
    links = _concept_links(graph)
    in_tension = {side for t in graph.iter_nodes("Tension") if isinstance(t, Tension) for side in (t.a, t.b)}
    pro_about: dict[str, list[Claim]] = defaultdict(list)
    cons: list[Claim] = []
    for claim in _claims(graph):
        if claim.polarity == "con":
            cons.append(claim)
        elif claim.polarity == "pro":
            for concept in claim.about:
                if graph.nodes[concept].rdf_class == "Concept":
                    pro_about[concept].append(claim)
    for con in cons:
        con_doc = graph.owner.get(con.id)
        best: dict[str, tuple[int, str, str, str]] = {}  # pro claim -> the closest concept pair joining them
        for concept in (c for c in con.about if graph.nodes[c].rdf_class == "Concept"):
            for other, how in [(concept, ""), *links.get(concept, {}).items()]:
                for pro in pro_about.get(other, []):
                    path = (1 if how else 0, concept, other, how)
                    if pro.id not in best or path < best[pro.id]:
                        best[pro.id] = path
        for pro_id, (_, concept, other, how) in sorted(best.items()):
            pro_node = graph.nodes[pro_id]
            assert isinstance(pro_node, Claim)
            pro = pro_node
            if set(con.holders) & set(pro.holders):
                continue
            if graph.owner.get(pro.id) == con_doc and (con.id in in_tension or pro.id in in_tension):
                continue
            reason = (f"{names(graph, con.holders)} plays down {graph.nodes[concept].caption} (con) while "
                      f"{names(graph, pro.holders)} affirms {graph.nodes[other].caption} (pro){_HOW.get(how, '')}")
            yield Suggestion("opposite-stance", con.id, pro.id, "other", reason)


@register("addresses-conflict", "a claim that an organization does not address a concept, while that "
          "organization, or a source it published, is stated to address it")
def addresses_conflict(graph: KnowledgeGraph) -> Iterator[Suggestion]:
    """An ``addresses`` edge of level ``none`` backed by a claim, against a claim that the same
    organization, or a source it published or authored, addresses that concept (a non-``none`` ``addresses``
    edge backed by a claim, or a claim that source holds about the concept)."""
    published: dict[str, set[str]] = defaultdict(set)
    for edge in graph.iter_edges("published_in"):
        published[edge.object].add(edge.subject)
    for edge in graph.iter_edges("authored"):
        published[edge.subject].add(edge.object)
    addresses = list(graph.iter_edges("addresses"))
    held_about: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in _claims(graph):
        for holder in claim.holders:
            for concept in claim.about:
                held_about[(holder, concept)].append(claim)
    for denial in addresses:
        if denial.level != "none" or denial.claim is None:
            continue
        org, concept = denial.subject, denial.object
        by_org = graph.nodes[org].caption
        what = graph.nodes[concept].caption
        for actor in [org, *sorted(published.get(org, ()))]:
            whose = "itself" if actor == org else f"through {graph.nodes[actor].caption}, which it published"
            for edge in addresses:
                if edge.subject == actor and edge.object == concept and edge.level != "none" and edge.claim:
                    if edge.claim != denial.claim:
                        reason = f"{by_org} is said not to address {what}, yet addresses it ({edge.level}) {whose}"
                        yield Suggestion("addresses-conflict", denial.claim, edge.claim, "institutional", reason)
            if actor == org:
                continue
            for claim in held_about.get((actor, concept), []):
                if claim.id != denial.claim and claim.polarity != "con":
                    reason = f"{by_org} is said not to address {what}, yet addresses it {whose}"
                    yield Suggestion("addresses-conflict", denial.claim, claim.id, "institutional", reason)
