"""The answer models describe what the read model returns; typed queries refuse bad input."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from triggergraph import answers
from triggergraph.answers import FactorsQuery, FindingsQuery, LangQuery, MatrixQuery, ProfileQuery
from triggergraph.answers import builders as build
from triggergraph.exceptions import EntryError
from triggergraph.loader import load_literature
from triggergraph.readmodel import EvidenceIndex
from triggergraph.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent / "data" / "api"


@pytest.fixture(scope="module")
def index() -> EvidenceIndex:
    vocabulary = load_vocabulary()
    return EvidenceIndex.build(load_literature(FIXTURES, vocabulary), vocabulary, "v1")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_builder_returns_its_model_and_serves_what_it_validates(index, lang):
    vocabulary = index.vocabulary
    query = LangQuery(lang=lang)
    some_finding = next(iter(index.findings))
    some_source = next(iter(index.sources))
    checks = [
        (answers.MatrixAnswer, build.build_matrix(index, MatrixQuery(cols="all", lang=lang))),
        (
            answers.FactorsPage,
            build.build_factors(index, FactorsQuery(driver="justice_seeker", lang=lang)),
        ),
        (answers.GapsAnswer, build.build_gaps(index, query)),
        (
            answers.ProfileAnswer,
            build.build_profile(index, ProfileQuery(driver="justice_seeker", lang=lang)),
        ),
        (answers.FindingsPage, build.build_findings(index, FindingsQuery(lang=lang))),
        (answers.FindingAnswer, build.build_finding(index, some_finding, query)),
        (answers.SourcesPage, build.build_sources(index, answers.SourcesQuery())),
        (answers.SourceAnswer, build.build_source(index, some_source)),
        (answers.DriversAnswer, build.build_drivers(index, query)),
        (answers.DriverAnswer, build.build_driver(index, "justice_seeker", query)),
        (answers.DemographicsAnswer, build.build_demographics(index, query)),
        (answers.IndexHealth, build.build_index_health(index)),
        (answers.ConstructsPage, build.build_constructs(vocabulary, answers.ConstructsQuery())),
    ]
    checks += [
        (answers.FactorAnswer, build.build_factor(index, f, query)) for f in vocabulary.factors
    ]
    checks += [
        (answers.ConstructAnswer, build.build_construct(index, c, query))
        for c in vocabulary.constructs
    ]
    for model, answer in checks:
        assert type(answer) is model, model.__name__
        served = orjson.loads(build.answer_json(answer))
        assert model.model_validate(served).model_dump(mode="json") == served, model.__name__


def test_answer_keeps_fields_the_read_model_adds():
    cell = answers.FindingRef.model_validate({"id": "f1", "direct": True, "tie": False})
    assert cell.model_dump() == {"id": "f1", "direct": True, "tie": False}


def test_query_unknown_parameter_names_the_valid_ones():
    with pytest.raises(EntryError) as err:
        MatrixQuery(colums="sex")
    problem = err.value.problems[0]
    assert problem.field == "colums"
    assert "valid: cols, rows, level" in problem.message
    assert problem.suggestions == ("cols",)


@pytest.mark.parametrize(
    ("query", "values", "field"),
    [
        (MatrixQuery, {"cols": "drivers"}, "cols"),
        (FactorsQuery, {"lang": "de"}, "lang"),
        (FactorsQuery, {"limit": 0}, "limit"),
        (FindingsQuery, {"offset": -1}, "offset"),
        (ProfileQuery, {"lang": "fr"}, "lang"),
    ],
)
def test_query_bad_value_entry_error_names_the_field(query, values, field):
    with pytest.raises(EntryError) as err:
        query(**values)
    assert err.value.problems[0].field == field
    assert repr(next(iter(values.values()))) in err.value.problems[0].message


def test_query_closed_set_lists_what_is_valid():
    with pytest.raises(EntryError) as err:
        MatrixQuery(cols="drivers")
    assert "valid: driver, sex, age, education, all" in err.value.problems[0].message
    assert err.value.problems[0].suggestions[0] == "driver"


def test_query_is_frozen_and_equal_by_value():
    assert MatrixQuery(cols="sex") == MatrixQuery(cols="sex")
    assert hash(MatrixQuery(cols="sex")) == hash(MatrixQuery(cols="sex"))
    assert MatrixQuery(cols="sex") != MatrixQuery(cols="age")
