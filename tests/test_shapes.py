"""Tests of triggergraph.shapes: SHACL validation of sources and findings."""

from __future__ import annotations

import sys
import threading

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from triggergraph import shapes as shapes_module
from triggergraph.config import PROJECT_ROOT
from triggergraph.models import Source
from triggergraph.namespaces import TG
from triggergraph.rdf import source_graph
from triggergraph.shapes import read_shapes, validate_graph, validate_sources
from triggergraph.vocabulary import load_vocabulary

BASE = "http://127.0.0.1:8000/"
LITERATURE = PROJECT_ROOT / "literature"
FINDING = URIRef(BASE + "finding/S1")
SOURCE = URIRef(BASE + "source/shape_test")


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(base_iri=BASE)


def entry() -> dict:
    return {
        "id": "shape_test",
        "type": "journal_article",
        "authors": ["Doe, J.", "Roe, R."],
        "year": 2020,
        "title": "Shapes",
        "doi": "10.1234/abc.1",
        "url": "https://example.org/x",
        "study_design": "meta_analysis",
        "citation_flags": ["doi_unverified"],
        "context_notes": [{"id": "F001", "text": "context", "locator": "abstract"}],
        "cites": [{"first_author": "Smith", "year": 2001, "factor": "detention"}],
        "added_by": "triggergraph curators",
        "added_on": "2026-11-28",
        "findings": [
            {
                "id": "S1",
                "factor": "detention",
                "drivers": [
                    {"driver": "justice_seeker", "basis": "stated", "term_in_source": "injustice"}
                ],
                "demographics": ["sex_female"],
                "direction": "increases",
                "certainty": "B",
                "certainty_reasons": ["twelve samples"],
                "caveats": ["youth_only"],
                "effect": {
                    "measure": "odds_ratio",
                    "value": 2.5,
                    "ci": [1.2, 4.1],
                    "k": 12,
                    "n": 5000,
                },
                "outcome_stages": ["behaviour"],
                "locator": "Table 2",
                "verified_from": "https://example.org/x",
                "trigger_role": "turning_point",
                "region": "europe",
            }
        ],
    }


@pytest.fixture()
def graph(vocab):
    source = Source.model_validate(entry(), context={"vocabulary": vocab})
    return source_graph(source, vocab)


def fields(problems) -> list[str]:
    return [p.field for p in problems]


def test_validate_graph_valid_entry_conforms(vocab, graph):
    assert validate_graph(graph, vocab) == []


def test_validate_sources_shipped_literature_conforms(vocab):
    sources = [Source.model_validate(entry(), context={"vocabulary": vocab})]
    for path in sorted(LITERATURE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sources.append(Source.model_validate(data, context={"vocabulary": vocab}))
    # speed belongs in bench/, not in a timed assertion
    problems = validate_sources(sources, vocab)
    assert problems == [], "\n".join(str(p) for p in problems)


def test_validate_graph_missing_locator_names_finding(vocab, graph):
    graph.remove((FINDING, TG.locator, None))
    problems = validate_graph(graph, vocab)
    assert fields(problems) == ["sources[shape_test].findings[S1].locator"]
    assert "locator" in problems[0].message and "page" in problems[0].message


def test_validate_graph_blank_locator_rejected(vocab, graph):
    graph.set((FINDING, TG.locator, Literal("   ")))
    assert fields(validate_graph(graph, vocab)) == ["sources[shape_test].findings[S1].locator"]


def test_validate_graph_factor_pointing_at_driver(vocab, graph):
    graph.set((FINDING, TG.factor, URIRef(BASE + "driver/justice_seeker")))
    problems = validate_graph(graph, vocab)
    assert fields(problems) == ["sources[shape_test].findings[S1].factor"]
    assert "driver/justice_seeker" in problems[0].message


def test_validate_graph_construct_accepted_as_factor(vocab, graph):
    construct = next(iter(vocab.constructs.values()), None)
    assert construct is not None, "the ontology defines no related constructs"
    graph.set((FINDING, TG.factor, URIRef(construct.iri)))
    assert validate_graph(graph, vocab) == []


def test_validate_graph_finding_without_source(vocab, graph):
    graph.remove((FINDING, TG.reportedIn, None))
    problems = validate_graph(graph, vocab)
    assert "findings[S1].reportedIn" not in fields(problems)
    assert "findings[S1].findings" in fields(problems)
    assert any("S1" in str(p) and "source" in p.message for p in problems)


def test_validate_graph_certainty_outside_scheme(vocab, graph):
    graph.set((FINDING, TG.certainty, URIRef(BASE + "scale/direction/increases")))
    problems = validate_graph(graph, vocab)
    assert fields(problems) == ["sources[shape_test].findings[S1].certainty"]
    assert "A, B, C, D" in problems[0].message


def test_validate_graph_region_outside_scheme_or_twice(vocab, graph):
    graph.set((FINDING, TG.region, URIRef(BASE + "scale/outcome-kind/radicalisation")))
    problems = validate_graph(graph, vocab)
    assert fields(problems) == ["sources[shape_test].findings[S1].region"]
    assert "netherlands, europe, north_america" in problems[0].message
    graph.set((FINDING, TG.region, URIRef(BASE + "scale/region/europe")))
    graph.add((FINDING, TG.region, URIRef(BASE + "scale/region/worldwide")))
    assert fields(validate_graph(graph, vocab)) == ["sources[shape_test].findings[S1].region"]


def test_validate_graph_demographic_must_be_demographic_value(vocab, graph):
    graph.add((FINDING, TG.demographic, URIRef(BASE + "demographic/sex")))
    assert fields(validate_graph(graph, vocab)) == ["sources[shape_test].findings[S1].demographics"]


def test_validate_graph_ci_lower_above_upper(vocab, graph):
    graph.set(
        (
            FINDING,
            TG.ciLower,
            Literal("5.0", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
        )
    )
    assert fields(validate_graph(graph, vocab)) == ["sources[shape_test].findings[S1].effect.ci"]


def test_validate_graph_effect_value_not_decimal(vocab, graph):
    graph.set((FINDING, TG.effectValue, Literal("large")))
    assert fields(validate_graph(graph, vocab)) == ["sources[shape_test].findings[S1].effect.value"]


def test_validate_graph_source_without_title(vocab, graph):
    graph.remove((SOURCE, DCTERMS.title, None))
    problems = validate_graph(graph, vocab)
    assert fields(problems) == ["sources[shape_test].title"]
    assert "title" in problems[0].message


def test_validate_graph_cited_work_without_author(vocab, graph):
    graph.remove((URIRef(BASE + "source/shape_test/cites/1"), TG.firstAuthor, None))
    assert fields(validate_graph(graph, vocab)) == ["sources[shape_test].cites"]


def test_validate_graph_problems_render_with_node_and_path(vocab, graph):
    graph.remove((FINDING, TG.certaintyReason, None))
    (problem,) = validate_graph(graph, vocab)
    assert str(problem).startswith("<entry> sources[shape_test].findings[S1].certainty_reasons: ")


def test_read_shapes_resolves_relative_iris_under_base():
    shapes = read_shapes("https://example.org/tg/")
    objects = {str(o) for o in shapes.objects() if isinstance(o, URIRef)}
    assert "https://example.org/tg/scheme/direction" in objects
    assert not any(o.startswith(BASE) for o in objects)


def test_validations_in_many_threads_at_once_all_conform(vocab):
    """pyshacl changes the shared shapes graph while it validates: writes in several threads
    validated at once broke rdflib's store (KeyError) before validation took a lock. The
    first validations on a fresh shapes graph are the ones that collide."""
    source = Source.model_validate(entry(), context={"vocabulary": vocab})
    results: list[object] = []

    def validate_often() -> None:
        for _ in range(3):
            try:
                results.append(validate_sources([source], vocab))
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                results.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often, as under load
    try:
        for _ in range(8):
            shapes_module._shapes_graph.cache_clear()  # a fresh shapes graph, as at start
            threads = [threading.Thread(target=validate_often) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
    finally:
        sys.setswitchinterval(interval)
    assert results == [[]] * (8 * 8 * 3)
