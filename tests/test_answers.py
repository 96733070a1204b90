"""The answer models describe what the read model returns; typed queries refuse bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from triggergraph import answers
from triggergraph.answers import FactorsQuery, FindingsQuery, MatrixQuery, ProfileQuery
from triggergraph.exceptions import EntryError
from triggergraph.readmodel import EvidenceIndex
from triggergraph.loader import load_literature
from triggergraph.service.core import api_matrix
from triggergraph.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent / "data" / "api"


@pytest.fixture(scope="module")
def index() -> EvidenceIndex:
    vocabulary = load_vocabulary()
    return EvidenceIndex.build(load_literature(FIXTURES, vocabulary), vocabulary, "v1")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_answer_of_the_read_model_fits_its_model(index, lang):
    vocabulary = index.vocabulary
    some_finding = index.findings(FindingsQuery())["items"][0]["id"]
    some_source = index.sources(answers.SourcesQuery())["items"][0]["id"]
    checks = [
        (answers.MatrixAnswer, api_matrix(index.matrix(MatrixQuery(cols="all", lang=lang)))),
        (answers.FactorsPage, index.factors(FactorsQuery(driver="justice_seeker", lang=lang))),
        (answers.GapsAnswer, index.gaps(lang)),
        (answers.ProfileAnswer, index.profile(ProfileQuery(driver="justice_seeker", lang=lang))),
        (answers.FindingsPage, index.findings(FindingsQuery(lang=lang))),
        (answers.FindingAnswer, index.finding(some_finding, lang)),
        (answers.SourcesPage, index.sources(answers.SourcesQuery())),
        (answers.SourceAnswer, index.source(some_source)),
        (answers.DriverAnswer, index.driver("justice_seeker", lang)),
        (answers.IndexHealth, index.health()),
    ]
    checks += [(answers.FactorAnswer, index.factor(f, lang)) for f in vocabulary.factors]
    checks += [(answers.ConstructAnswer, index.construct(c, lang)) for c in vocabulary.constructs]
    for model, data in checks:
        assert model.model_validate(data).model_dump(mode="json") == data, model.__name__


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
