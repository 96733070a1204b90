"""Tests of the vocabulary read from the ontology files."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from triggergraph.config import get_settings
from triggergraph.exceptions import ConfigError, NotFoundError
from triggergraph.vocabulary import (
    add_concept_types,
    load_vocabulary,
    ontology_files,
    read_ontology_graph,
    suggest,
)


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def test_load_vocabulary_has_report_factors_on_three_levels(vocab):
    levels = {c.level for c in vocab.factors.values()}
    assert levels == {"micro", "meso", "macro"}
    assert vocab.factors["detention"].report_section == "3.2.4"
    assert vocab.factors["detention"].report_page == 42


def test_load_vocabulary_every_concept_bilingual(vocab):
    for kind, table in vocab.concepts.items():
        for concept in table.values():
            assert set(concept.labels) == {"nl", "en"}, (kind, concept.id)


def test_load_vocabulary_four_drivers_in_order(vocab):
    assert [c.id for c in vocab.ordered("driver")] == [
        "identity_seeker",
        "justice_seeker",
        "meaning_seeker",
        "sensation_seeker",
    ]


def test_load_vocabulary_demographic_values_by_dimension(vocab):
    assert [c.id for c in vocab.values_of("sex")] == ["sex_male", "sex_female"]
    assert [c.id for c in vocab.values_of("age")] == ["age_under_18", "age_18_25", "age_over_25"]
    assert len(vocab.values_of("education")) == 3


def test_load_vocabulary_unverified_items_carry_notes(vocab):
    for ident in (
        "job_loss_or_school_dropout",
        "macro_section_5_1",
        "policy_or_public_debate",
        "calls_to_action",
    ):
        factor = vocab.factors[ident]
        assert factor.verified is False
        assert factor.notes.get("en") or factor.definitions.get("en")


def test_load_vocabulary_custom_base_rebases_iris():
    vocab = load_vocabulary(base_iri="https://example.org/tg/")
    assert vocab.factors["detention"].iri == "https://example.org/tg/factor/detention"


def test_triggers_for_narrower_factor_counts_for_broader(vocab):
    assert vocab.triggers_for("meeting_radical_person_friends") == [
        ("meeting_radical_person_friends", True),
        ("meeting_radical_person", True),
    ]


def test_triggers_for_construct_is_indirect(vocab):
    for construct in vocab.constructs.values():
        for factor_id, direct in vocab.triggers_for(construct.id):
            assert direct is False
            assert factor_id in vocab.factors


def test_concept_unknown_id_raises_with_suggestion(vocab):
    with pytest.raises(NotFoundError) as info:
        vocab.concept("driver", "justice_seekr")
    assert "justice_seeker" in info.value.suggestions


def test_suggest_falls_back_to_substring():
    assert suggest("propaganda", ["confrontation_with_propaganda", "detention"]) == [
        "confrontation_with_propaganda"
    ]


def test_triggers_for_construct_reaches_broader_factor(vocab):
    mapped_to_narrower = [
        c
        for c in vocab.constructs.values()
        if any(vocab.factors[f].broader for f, _ in c.maps_to if f in vocab.factors)
    ]
    assert mapped_to_narrower, "expected a construct mapped to a narrower trigger factor"
    for construct in mapped_to_narrower:
        targets = {factor_id for factor_id, _ in vocab.triggers_for(construct.id)}
        for factor_id, _ in construct.maps_to:
            broader = vocab.factors[factor_id].broader
            if broader:
                assert broader in targets


def test_every_scheme_member_is_typed_skos_concept():
    graph = load_vocabulary().graph
    members = set(graph.subjects(SKOS.inScheme, None))
    assert members
    assert {c for c in members if (c, RDF.type, SKOS.Concept) not in graph} == set()
    # the subclass type is kept beside it
    factor = next(iter(load_vocabulary().factors.values()))
    types = set(graph.objects(URIRef(factor.iri), RDF.type))
    assert SKOS.Concept in types and len(types) >= 2


def test_routes_are_one_object_per_route(vocab):
    """The read model holds a route per routed finding: equal routes are one object."""
    seen: dict[tuple, int] = {}
    for ident in [*vocab.factors, *vocab.constructs]:
        first, again = vocab.routes_for(ident), vocab.routes_for(ident)
        assert first == again and all(a is b for a, b in zip(first, again, strict=True))
        for route in first:
            assert seen.setdefault(tuple(route), id(route)) == id(route)
    assert len(seen) > 10


def test_routes_for_protective_opposite_is_inverted(vocab):
    (route,) = vocab.routes_for("school_attachment")
    assert (route.factor, route.direct, route.inverted, route.bundle) == (
        "job_loss_or_school_dropout",
        False,
        True,
        False,
    )
    assert ("job_loss_or_school_dropout", "oppositeOf") in vocab.constructs[
        "school_attachment"
    ].maps_to


def test_routes_for_several_narrower_events_is_a_bundle(vocab):
    routes = vocab.routes_for("adverse_life_events")
    assert len(routes) > 1 and all(r.bundle for r in routes)
    assert vocab.triggers_for("adverse_life_events") == []


def test_routes_for_trigger_factor_is_direct_and_not_inverted(vocab):
    assert [tuple(r) for r in vocab.routes_for("detention")] == [("detention", True, False, False)]


def test_mapping_notes_are_read(vocab):
    assert "opposite" in vocab.constructs["school_attachment"].mapping_notes["en"]


def test_ontology_graph_equals_what_rdflib_parses(tmp_path):
    settings = get_settings()
    base = "https://example.org/tg/"
    read = read_ontology_graph(settings.ontology_dir, base)
    parsed = Graph()
    for path in ontology_files(settings.ontology_dir):
        parsed.parse(path, format="turtle", publicID=base)
    parsed = add_concept_types(parsed)
    # the same triples in the same order (concept tables keep the ontology's order) and the
    # same prefixes, so serialisations of the vocabulary do not change either
    assert list(read) == list(parsed)
    assert sorted(read.namespaces()) == sorted(parsed.namespaces())
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.ttl"):
        read_ontology_graph(tmp_path, base)
