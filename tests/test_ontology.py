"""Drift tests: pydantic fields, ontology properties, triggergraph.rdf and shapes.ttl stay in agreement."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS

from triggergraph.config import PROJECT_ROOT
from triggergraph.models import CitedWork, ContextNote, DriverLink, Effect, Finding, Source
from triggergraph.namespaces import BIBO, CITO, TG, TG_IRI
from triggergraph.rdf import FIELD_PROPERTIES, source_graph
from triggergraph.shapes import read_shapes
from triggergraph.vocabulary import load_vocabulary

BASE = "http://127.0.0.1:8000/"
MODELS = {
    "Source": Source,
    "Finding": Finding,
    "Effect": Effect,
    "DriverLink": DriverLink,
    "CitedWork": CitedWork,
    "ContextNote": ContextNote,
}
#: Namespaces outside tg: that the mapping may use (all established vocabularies).
EXTERNAL = (str(DCTERMS), str(PROV), str(RDF), str(BIBO), str(CITO))


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(base_iri=BASE)


@pytest.fixture(scope="module")
def shape_paths() -> set[URIRef]:
    shapes = read_shapes(BASE)
    return {o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(
        PROJECT_ROOT / "ontology" / "triggergraph.ttl", format="turtle", publicID=BASE
    )


def every_field_entry() -> dict:
    """An entry in which every field of every model holds a value (not its default)."""
    return {
        "id": "drift",
        "type": "journal_article",
        "authors": ["Doe, J."],
        "year": 2020,
        "title": "Drift",
        "venue": "Journal",
        "doi": "10.1234/drift.1",
        "url": "https://example.org/drift",
        "language": "nl",
        "design": "survey",
        "study_design": "longitudinal",
        "citation_note": "checked",
        "citation_flags": ["pages_unverified"],
        "overlaps_with": ["other"],
        "context_notes": [
            {"id": "F1", "text": "ctx", "locator": "p. 1", "verified_from": "https://example.org/c"}
        ],
        "cites": [
            {
                "first_author": "Smith",
                "year": 2001,
                "co_authors": "Jones",
                "note": "n",
                "locator": "p. 2",
                "factor": "detention",
            }
        ],
        "added_by": "curators",
        "added_on": "2026-11-28",
        "findings": [
            {
                "id": "D1",
                "factor": "detention",
                "drivers": [
                    {
                        "driver": "justice_seeker",
                        "basis": "proposed",
                        "term_in_source": "grievance",
                    },
                    {"driver": "meaning_seeker", "basis": "stated"},
                ],
                "demographics": ["sex_male"],
                "direction": "mixed",
                "certainty": "B",
                "certainty_reasons": ["r"],
                "caveats": ["small_sample"],
                "indirectness": ["other_population"],
                "effect": {
                    "measure": "r",
                    "value": 0.2,
                    "ci": [0.1, 0.3],
                    "k": 5,
                    "n": 500,
                    "p": "< .05",
                    "text": "t",
                    "magnitude_in_source": "moderate",
                },
                "outcome_stages": ["intention"],
                "outcome": "o",
                "population": "p",
                "region": "worldwide",
                "locator": "p. 3",
                "verified_from": "https://example.org/f",
                "trigger_role": "catalyst",
                "outcome_kind": "within_extremists",
                "note": "n",
                "added_by": "someone",
                "added_on": "2026-11-27",
            }
        ],
    }


def instances(source: Source) -> dict[str, object]:
    finding = source.findings[0]
    return {
        "Source": source,
        "Finding": finding,
        "Effect": finding.effect,
        "DriverLink": finding.drivers[0],
        "CitedWork": source.cites[0],
        "ContextNote": source.context_notes[0],
    }


@pytest.mark.parametrize("name", sorted(MODELS))
def test_field_table_covers_every_model_field(name):
    assert set(FIELD_PROPERTIES[name]) == set(MODELS[name].model_fields), (
        f"{name}: every model field needs an RDF property in rdf.FIELD_PROPERTIES"
    )


@pytest.mark.parametrize("name", sorted(MODELS))
def test_field_properties_are_declared_terms(name, ontology):
    declared = {str(s) for s in ontology.subjects(RDF.type, None) if str(s).startswith(TG_IRI)}
    for field, props in FIELD_PROPERTIES[name].items():
        for prop in props:
            assert str(prop) in declared or str(prop).startswith(EXTERNAL), (
                f"{name}.{field}: {prop}"
            )


def test_drift_entry_sets_every_field(vocab):
    source = Source.model_validate(every_field_entry(), context={"vocabulary": vocab})
    for name, instance in instances(source).items():
        for field, info in MODELS[name].model_fields.items():
            value = getattr(instance, field)
            default = info.get_default(call_default_factory=True)
            assert value is not None and value != default or field == "measure", (
                f"the drift entry leaves {name}.{field} unset; give it a value so its mapping is tested"
            )


def test_every_mapped_property_is_used_by_rdf(vocab):
    source = Source.model_validate(every_field_entry(), context={"vocabulary": vocab})
    used = set(source_graph(source, vocab).predicates())
    used |= {RDF.type}
    for name, table in FIELD_PROPERTIES.items():
        for field, props in table.items():
            for prop in props:
                assert prop in used, (
                    f"{name}.{field} maps to {prop}, which triggergraph.rdf never writes"
                )


def test_every_mapped_property_is_constrained_in_shapes(shape_paths):
    for name, table in FIELD_PROPERTIES.items():
        for field, props in table.items():
            for prop in props:
                if prop == RDF.type:
                    continue  # classes are shape targets, not paths
                assert prop in shape_paths, (
                    f"{name}.{field} -> {prop} has no constraint in shapes.ttl"
                )


def test_finding_and_source_properties_of_ontology_are_constrained(ontology, shape_paths):
    for cls in (TG.Finding, TG.Source, TG.CitedWork):
        for prop in ontology.subjects(RDFS.domain, cls):
            assert prop in shape_paths, f"{prop} (domain {cls}) has no constraint in shapes.ttl"


def test_shape_paths_are_written_by_rdf(vocab, shape_paths):
    source = Source.model_validate(every_field_entry(), context={"vocabulary": vocab})
    written = set(source_graph(source, vocab).predicates()) | {SKOS.inScheme}
    # the construct shape checks the vocabulary (validate_vocabulary), not entry data
    vocabulary_paths = {TG.oppositeOf, TG.mappingNote}
    assert shape_paths - written - vocabulary_paths == set()


def test_every_concept_has_dutch_and_english_label(vocab):
    tables = list(vocab.concepts.items()) + list(vocab.scales.items())
    missing = [
        f"{kind}:{concept.id}"
        for kind, table in tables
        for concept in table.values()
        if not {"nl", "en"} <= set(concept.labels)
    ]
    assert not missing, f"concepts without both an nl and an en skos:prefLabel: {missing}"


@pytest.mark.parametrize("kind", ["factor", "driver", "demographic"])
def test_concepts_have_definitions_in_both_languages(vocab, kind):
    missing = [
        c.id for c in vocab.concepts[kind].values() if not {"nl", "en"} <= set(c.definitions)
    ]
    assert not missing, f"{kind} concepts without nl and en skos:definition: {missing}"


def test_concept_schemes_have_labels_in_both_languages(ontology):
    for scheme in ontology.subjects(RDF.type, SKOS.ConceptScheme):
        languages = {label.language for label in ontology.objects(scheme, SKOS.prefLabel)}
        assert {"nl", "en"} <= languages, scheme
