"""Tests of triggergraph.namespaces: the closed TG vocabulary agrees with the ontology file."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from triggergraph.config import PROJECT_ROOT
from triggergraph.namespaces import (
    PREFIXES,
    SCALE_SCHEMES,
    TG,
    TG_IRI,
    iri_for,
    scale_iri,
    source_graph_iri,
)

ONTOLOGY = PROJECT_ROOT / "ontology"
DECLARING_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
}


def tg_terms_in_namespace_class() -> set[str]:
    return {name for name in TG.__annotations__ if not name.startswith("_")}


def declared_tg_terms(graph: Graph) -> set[str]:
    return {
        str(s)[len(TG_IRI) :]
        for s, _, o in graph.triples((None, RDF.type, None))
        if o in DECLARING_TYPES and str(s).startswith(TG_IRI)
    }


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY / "triggergraph.ttl", format="turtle", publicID="http://127.0.0.1:8000/")
    return graph


def test_tg_terms_declared_in_ontology_are_in_namespace(ontology):
    missing = declared_tg_terms(ontology) - tg_terms_in_namespace_class()
    assert not missing, f"declared in ontology/triggergraph.ttl but not in TG: {sorted(missing)}"


def test_tg_namespace_terms_are_declared_in_ontology(ontology):
    extra = tg_terms_in_namespace_class() - declared_tg_terms(ontology)
    assert not extra, f"in TG but not declared in ontology/triggergraph.ttl: {sorted(extra)}"


def test_tg_terms_used_anywhere_are_declared(ontology):
    """Every tg: IRI in any ontology file or the shapes is a declared term (catches typos)."""
    declared = declared_tg_terms(ontology)
    used: set[str] = set()
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        graph = Graph().parse(path, format="turtle", publicID="http://127.0.0.1:8000/")
        used |= {
            str(term)[len(TG_IRI) :]
            for triple in graph
            for term in triple
            if isinstance(term, URIRef) and str(term).startswith(TG_IRI)
        }
    assert used - declared == set()


def test_context_terms_point_at_declared_tg_terms(ontology):
    context = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    declared = declared_tg_terms(ontology)
    targets = set()
    for value in context.values():
        iri = value["@id"] if isinstance(value, dict) else value
        if isinstance(iri, str) and iri.startswith("tg:"):
            targets.add(iri[3:])
    assert targets - declared == set()
    assert declared - targets == set(), "every tg: term has a readable JSON-LD key"


def test_tg_unknown_term_fails():
    with pytest.raises(AttributeError):
        TG.notATerm  # noqa: B018 - the attribute access is the test


def test_iri_for_builds_under_base():
    assert iri_for("https://example.org/tg/", "finding", "F001") == URIRef(
        "https://example.org/tg/finding/F001"
    )


def test_scale_iri_rejects_unknown_scheme():
    assert scale_iri("https://example.org/", "certainty", "A") == URIRef(
        "https://example.org/scale/certainty/A"
    )
    with pytest.raises(KeyError):
        scale_iri("https://example.org/", "certainty-level", "A")


def test_source_graph_iri_is_graph_kind():
    assert source_graph_iri("https://example.org/", "jasko17") == URIRef(
        "https://example.org/graph/jasko17"
    )


def test_scale_schemes_exist_in_ontology(ontology):
    schemes = {
        str(s) for s in ontology.subjects(RDF.type, URIRef(PREFIXES["skos"] + "ConceptScheme"))
    }
    assert {f"http://127.0.0.1:8000/scheme/{name}" for name in SCALE_SCHEMES} <= schemes
