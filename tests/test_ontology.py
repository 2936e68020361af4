"""The models, the OWL ontology and the SHACL shapes agree, and the check that says so can fail."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.model import NODE_MODELS, RELATIONS
from kg.ontology import check_alignment, read_ontology, read_shapes
from kg.vocab import KG, SH


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def test_models_and_ontology_agree():
    assert check_alignment() == []


def test_every_class_and_property_has_label_and_comment():
    onto = read_ontology()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for subject in onto.subjects(RDF.type, kind):
            assert onto.value(subject, RDFS.label) is not None, subject
            assert onto.value(subject, RDFS.comment) is not None, subject


def test_classes_and_edges_are_aligned_to_standard_vocabularies():
    onto = read_ontology()
    parents = {str(o) for cls in NODE_MODELS.values() for o in onto.objects(KG[cls.rdf_class], RDFS.subClassOf)}
    for prefix in ("http://xmlns.com/foaf/0.1/", "https://schema.org/", "http://www.w3.org/2004/02/skos/core#",
                   "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/"):
        assert any(p.startswith(prefix) for p in parents), prefix
    assert (KG.broader, RDFS.subPropertyOf, SKOS.broader) in onto
    assert any(str(o).startswith("http://purl.org/spar/cito/")
               for o in onto.objects(KG.cites, RDFS.subPropertyOf))


def test_removed_class_is_reported():
    onto = _copy(read_ontology())
    onto.remove((KG.Tension, None, None))
    issues = [i.message for i in check_alignment(onto, read_shapes())]
    assert "model class Tension has no ontology class kg:Tension" in issues


def test_extra_class_and_property_are_reported():
    onto = _copy(read_ontology())
    onto.add((KG.Rumour, RDF.type, OWL.Class))
    onto.add((KG.colour, RDF.type, OWL.DatatypeProperty))
    issues = [i.message for i in check_alignment(onto, read_shapes())]
    assert "ontology class kg:Rumour has no model" in issues
    assert "ontology property kg:colour is not used by the models" in issues


def test_missing_property_and_wrong_kind_are_reported():
    onto = _copy(read_ontology())
    onto.remove((KG.statement, None, None))
    onto.remove((KG.mitigates, RDF.type, OWL.ObjectProperty))
    onto.add((KG.mitigates, RDF.type, OWL.DatatypeProperty))
    issues = [i.message for i in check_alignment(onto, read_shapes())]
    assert "property kg:statement used by the models is not in the ontology" in issues
    assert any(m.startswith("kg:mitigates is an owl:DatatypeProperty") for m in issues)


def test_domain_range_and_symmetry_drift_are_reported():
    onto = _copy(read_ontology())
    onto.set((KG.statement, RDFS.domain, KG.Person))
    onto.set((KG.broader, RDFS.range, KG.Person))
    onto.remove((KG.relatedTo, RDF.type, OWL.SymmetricProperty))
    issues = [i.message for i in check_alignment(onto, read_shapes())]
    assert "kg:statement has domain kg:Person but the models use it on Claim" in issues
    assert any(m.startswith("kg:broader has range kg:Person") for m in issues)
    assert "kg:relatedTo symmetry differs: ontology False, models True" in issues


def test_shape_drift_is_reported():
    shapes = _copy(read_shapes())
    # drop the node shape of Event, the minCount of Claim.statement, and change an allowed value list
    event_shape = next(shapes.subjects(SH.targetClass, KG.Event))
    shapes.remove((event_shape, SH.targetClass, KG.Event))
    claim_shape = next(shapes.subjects(SH.targetClass, KG.Claim))
    for prop in shapes.objects(claim_shape, SH.property):
        if shapes.value(prop, SH.path) == KG.statement:
            shapes.remove((prop, SH.minCount, None))
        if shapes.value(prop, SH.path) == KG.status:
            shapes.set((prop, SH["in"], RDF.nil))
    issues = [i.message for i in check_alignment(read_ontology(), shapes)]
    assert "no SHACL shape targets kg:Event" in issues
    assert "kg:Claim statement is required but its shape has no sh:minCount 1" in issues
    assert any(m.startswith("kg:Claim status: shape allows []") for m in issues)


@pytest.mark.parametrize("relation", sorted(RELATIONS))
def test_every_relation_has_an_edge_shape(relation):
    shapes = read_shapes()
    assert next(shapes.subjects(SH.targetSubjectsOf, KG[RELATIONS[relation].prop]), None) is not None


def test_labels_are_language_tagged_english():
    onto = read_ontology()
    label = onto.value(KG.Claim, RDFS.label)
    assert isinstance(label, Literal) and label.language == "en"
