"""The ontology and SHACL shapes: loading them, checking they agree with the models, SHACL conformance.

The pydantic models are the code's view of the data and ``ontology/kg.ttl`` the published one; they must not
drift. :func:`check_alignment` compares classes, properties, property kinds, domains, ranges, symmetry and
the SHACL shapes' required fields and value lists against the models, and reports every difference.
"""

from __future__ import annotations

import typing
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from kg.errors import UsageError
from kg.model import NODE_MODELS, RELATIONS, Credibility, Link, Lit, Perspective, Record, field_specs
from kg.report import Issue, Location
from kg.vocab import KG, ONTOLOGY_DIR, SH

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["read_ontology", "read_shapes", "check_alignment", "check_shacl", "EXTRA_CLASSES"]

#: ontology classes with no node model: they are written by kg.rdf itself
EXTRA_CLASSES = {"Perspective": Perspective, "Citation": None, "Statement": None}


def _read(path: Path) -> Graph:
    if not path.is_file():
        raise UsageError(f"ontology file not found: {path}")
    return Graph().parse(path, format="turtle")


@lru_cache(maxsize=4)
def read_ontology(path: Path = ONTOLOGY_DIR / "kg.ttl") -> Graph:
    """The OWL ontology (parsed once per path)."""
    return _read(path)


@lru_cache(maxsize=4)
def read_shapes(path: Path = ONTOLOGY_DIR / "shapes.ttl") -> Graph:
    """The SHACL shapes (parsed once per path)."""
    return _read(path)


def _local(node: Any) -> str | None:
    text = str(node)
    return text[len(str(KG)):] if text.startswith(str(KG)) else None


def _models() -> dict[str, type[Record]]:
    models: dict[str, type[Record]] = dict(NODE_MODELS)
    models.update({k: v for k, v in EXTRA_CLASSES.items() if v is not None})
    return models


def _expected_properties() -> dict[str, tuple[str, set[str]]]:
    """kg property local name -> (owl kind, classes whose fields use it)."""
    from kg.rdf import STRUCTURAL_PROPERTIES

    expected: dict[str, tuple[str, set[str]]] = {}

    def use(prop: str, kind: str, cls: str | None) -> None:
        _, users = expected.setdefault(prop, (kind, set()))
        if cls:
            users.add(cls)

    for cls, model in _models().items():
        for spec in field_specs(model).values():
            if isinstance(spec, Lit):
                use(spec.prop, "DatatypeProperty", cls)
        if any(model.model_fields[f].annotation in (Credibility, Credibility | None) for f in model.model_fields):
            for spec in field_specs(Credibility).values():
                if isinstance(spec, Lit):
                    use(spec.prop, "DatatypeProperty", cls)
        for spec in field_specs(model).values():
            if isinstance(spec, Link):
                use(RELATIONS[spec.relation].prop, "ObjectProperty", None)
    for relation in RELATIONS.values():
        use(relation.prop, "ObjectProperty", None)
    for prop in STRUCTURAL_PROPERTIES:
        expected.setdefault(prop, ("any", set()))
    return expected


def check_alignment(ontology: Graph | None = None, shapes: Graph | None = None) -> list[Issue]:
    """Every disagreement between the models and the ontology/shapes, as issues (empty when aligned)."""
    ontology = read_ontology() if ontology is None else ontology
    shapes = read_shapes() if shapes is None else shapes
    where = Location("ontology/kg.ttl")
    issues: list[Issue] = []

    def add(message: str, location: Location = where) -> None:
        issues.append(Issue("ontology", message, location))

    classes = {name for s in ontology.subjects(RDF.type, OWL.Class) if (name := _local(s)) is not None}
    for cls in sorted((set(_models()) | set(EXTRA_CLASSES)) - classes):
        add(f"model class {cls} has no ontology class kg:{cls}")
    for cls in sorted(classes - set(_models()) - set(EXTRA_CLASSES)):
        add(f"ontology class kg:{cls} has no model")

    declared: dict[str, str] = {}
    for kind in ("ObjectProperty", "DatatypeProperty"):
        for subject in ontology.subjects(RDF.type, OWL[kind]):
            if (name := _local(subject)) is not None:
                declared[name] = kind
    expected = _expected_properties()
    for prop, (kind, users) in sorted(expected.items()):
        if prop not in declared:
            add(f"property kg:{prop} used by the models is not in the ontology")
            continue
        if kind != "any" and declared[prop] != kind:
            add(f"kg:{prop} is an owl:{declared[prop]} in the ontology but the models use it as owl:{kind}")
        for domain in ontology.objects(KG[prop], RDFS.domain):
            if (owner := _local(domain)) and users - {owner}:
                add(f"kg:{prop} has domain kg:{owner} but the models use it on {', '.join(sorted(users - {owner}))}")
    for prop in sorted(set(declared) - set(expected)):
        add(f"ontology property kg:{prop} is not used by the models")
    for relation in RELATIONS.values():
        prop = KG[relation.prop]
        if relation.prop not in declared:
            continue
        symmetric = (prop, RDF.type, OWL.SymmetricProperty) in ontology
        if symmetric != relation.symmetric:
            add(f"kg:{relation.prop} symmetry differs: ontology {symmetric}, models {relation.symmetric}")
        for axis, allowed in (("domain", relation.domain), ("range", relation.range)):
            for bound in (_local(o) for o in ontology.objects(prop, RDFS[axis])):
                if bound and tuple(allowed) != (bound,):
                    add(f"kg:{relation.prop} has {axis} kg:{bound} but the models allow {allowed or 'any type'}")
    issues.extend(_check_shapes(shapes))
    return issues


def _check_shapes(shapes: Graph) -> list[Issue]:
    """Each node class has a shape; required fields have minCount 1; value lists match the models'."""
    where = Location("ontology/shapes.ttl")
    issues: list[Issue] = []
    for cls, model in _models().items():
        shape = next(shapes.subjects(SH.targetClass, KG[cls]), None)
        if shape is None:
            issues.append(Issue("ontology", f"no SHACL shape targets kg:{cls}", where))
            continue
        by_path = {prop_path: node for node in shapes.objects(shape, SH.property)
                   for prop_path in shapes.objects(node, SH.path)}
        for name, spec in field_specs(model).items():
            if not isinstance(spec, Lit):
                continue
            info = model.model_fields[name]
            node = by_path.get(KG[spec.prop])
            if node is None:
                issues.append(Issue("ontology", f"shape of kg:{cls} has no property kg:{spec.prop}", where))
                continue
            min_count = shapes.value(node, SH.minCount)
            if info.is_required() and not (isinstance(min_count, Literal) and int(min_count) >= 1):
                issues.append(Issue("ontology", f"kg:{cls} {name} is required but its shape has no sh:minCount 1",
                                    where))
            choices = _literal_choices(info.annotation)
            if choices:
                listed = shapes.value(node, SH["in"])
                values = sorted(str(v) for v in _collection(shapes, listed))
                if values != sorted(choices):
                    issues.append(Issue("ontology", f"kg:{cls} {name}: shape allows {values}, models allow "
                                        f"{sorted(choices)}", where))
    for relation in RELATIONS.values():
        if next(shapes.subjects(SH.targetSubjectsOf, KG[relation.prop]), None) is None:
            issues.append(Issue("ontology", f"no SHACL shape targets the subjects of kg:{relation.prop}", where))
    return issues


def _collection(graph: Graph, head: Any) -> list[Any]:
    """The members of the RDF list starting at ``head`` (none when there is no list)."""
    return [] if head is None else list(Collection(graph, head))


def _literal_choices(annotation: Any) -> list[str]:
    for arg in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(arg) is typing.Literal:
            return [str(a) for a in typing.get_args(arg)]
    return []


def check_shacl(kg: KnowledgeGraph, shapes: Graph | None = None, ontology: Graph | None = None,
                engine: str | None = None) -> list[Issue]:
    """SHACL violations of the RDF view, each located at the record it is about when possible.

    ``engine`` is ``"shacl-rust"`` (the default: fast, worded by pySHACL) or ``"pyshacl"`` (pySHACL alone, on
    the whole graph); ``$KG_SHACL_ENGINE`` sets the default. Both report the same issues.
    """
    from kg._shacl import check

    return check(kg, read_shapes() if shapes is None else shapes, read_ontology() if ontology is None else ontology,
                 engine)
