"""What a generated text covers: one document, one topic (an entity and, for a concept, its narrower
concepts), or the whole graph; and which records of the graph fall within it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx

from kg.errors import UsageError
from kg.graph import KnowledgeGraph
from kg.model import Claim, Document, Event, Node, Perspective, Question, Tension

__all__ = ["Scope", "resolve_scope", "names", "TOPIC_TYPES"]

#: node types a topic may be
TOPIC_TYPES = ("Concept", "Person", "Organization", "Source")


@dataclass
class Scope:
    """A document, a topic, or everything (both None), with the ids a topic stands for."""

    graph: KnowledgeGraph
    document: Document | None = None
    topic: Node | None = None
    topic_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        """A short human name of what is covered."""
        if self.document is not None:
            return self.document.title
        return self.topic.caption if self.topic is not None else "all documents"

    def covers(self, record: Claim | Event | Question) -> bool:
        """True when ``record`` belongs here: defined by the document, or about, held by, involving or
        citing the topic."""
        if self.document is not None:
            return self.graph.owner.get(record.id) == self.document.id
        if self.topic is None:
            return True
        linked = {*record.about, *getattr(record, "holders", ()), *getattr(record, "actors", ())}
        linked.update(ref.source for ref in self.graph.sources_of(record.id))
        return not linked.isdisjoint(self.topic_ids)

    def covers_claim(self, claim_id: str) -> bool:
        """:meth:`covers` for a claim given by id."""
        claim = self.graph.nodes[claim_id]
        return isinstance(claim, Claim) and self.covers(claim)

    def documents(self) -> list[Document]:
        """The document, or the documents about the topic (all of them for the whole graph), by id."""
        if self.document is not None:
            return [self.document]
        docs = [self.graph.documents[d] for d in sorted(self.graph.documents)]
        return [d for d in docs if self.topic is None or not self.topic_ids.isdisjoint(d.about)]

    def _items(self, key: str) -> Iterator[Claim | Event | Question | Tension]:
        docs = [self.document] if self.document else [self.graph.documents[d] for d in sorted(self.graph.documents)]
        for doc in docs:
            items: list[Claim | Event | Question | Tension] = getattr(doc, key)
            yield from (item for item in items if self.graph.nodes.get(item.id) is item)

    def tensions(self) -> list[Tension]:
        """Curated tensions: the document's own, or those with a side the topic covers, in document order."""
        found = [t for t in self._items("tensions") if isinstance(t, Tension)]
        if self.document is None and self.topic is not None:
            found = [t for t in found if self.covers_claim(t.a) or self.covers_claim(t.b)]
        return found

    def claims(self) -> list[Claim]:
        """Claims covered, in document order."""
        return [c for c in self._items("claims") if isinstance(c, Claim) and self.covers(c)]

    def questions(self) -> list[Question]:
        """Open questions covered, in document order."""
        return [q for q in self._items("questions") if isinstance(q, Question) and self.covers(q)]

    def events(self) -> list[Event]:
        """Events covered, by date (document order among equal dates)."""
        found = [e for e in self._items("events") if isinstance(e, Event) and self.covers(e)]
        return sorted(found, key=lambda e: e.date)

    def perspectives(self, people: set[str]) -> list[tuple[Document, Perspective]]:
        """The document's perspectives, or those of ``people`` in the documents within the topic."""
        if self.document is not None:
            return [(self.document, p) for p in self.document.perspectives]
        docs = {d.id for d in self.documents()} | {self.graph.owner[c.id] for c in self.claims()}
        return [(self.graph.documents[d], p) for d in sorted(docs)
                for p in self.graph.documents[d].perspectives if p.person in people]


def resolve_scope(graph: KnowledgeGraph, document: str | None, topic: str | None) -> Scope:
    """The scope named by a document or topic reference (ids, names, aliases); the whole graph for neither."""
    if document is not None and topic is not None:
        raise UsageError("give a document or a topic, not both")
    if document is not None:
        doc = graph.documents[graph.resolve(document, "Document")]
        return Scope(graph, document=doc)
    if topic is not None:
        node = graph.nodes[graph.resolve(topic, *TOPIC_TYPES)]
        return Scope(graph, topic=node, topic_ids=frozenset(_with_narrower(graph, node.id)))
    return Scope(graph)


def _with_narrower(graph: KnowledgeGraph, node_id: str) -> set[str]:
    """``node_id`` and, when it is a concept, every concept narrower than it (through ``broader``)."""
    broader = nx.DiGraph((edge.subject, edge.object) for edge in graph.iter_edges("broader"))
    return {node_id} | (nx.ancestors(broader, node_id) if node_id in broader else set())


def names(graph: KnowledgeGraph, ids: Iterable[str]) -> str:
    """The captions of ``ids`` as one English list: ``A``, ``A and B``, ``A, B and C``."""
    captions = [graph.nodes[i].caption for i in ids]
    return ", ".join(captions[:-1]) + " and " + captions[-1] if len(captions) > 1 else "".join(captions)
