"""The map's typed query: parsing the query string, which findings it keeps, its errors."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from triggergraph.answers.map_query import MapQuery
from triggergraph.exceptions import EntryError

FINDING = NS(
    outcome_kind="radicalisation", population="Dutch secondary school pupils", region="netherlands"
)
SOURCE = NS(study_design="cross_sectional_survey", year=2012)


def test_from_params_empty_form_fields_mean_unfiltered():
    query = MapQuery.from_params({"lang": "nl", "design": "", "year_from": " ", "direct": "0"})
    assert query == MapQuery(lang="nl")
    assert not query.narrows and not query.selects


def test_from_params_parses_years_and_direct():
    query = MapQuery.from_params({"year_from": "2010", "year_to": "2015", "direct": "1"})
    assert (query.year_from, query.year_to, query.direct) == (2010, 2015, True)
    assert query.narrows and query.selects


def test_params_round_trip_through_from_params():
    query = MapQuery(lang="nl", level="meso", design="meta_analysis", direct=True, year_to=2019)
    assert MapQuery.from_params(query.params()) == query


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"country": "NL"}, "country", "valid: lang, level, verdict, stage, direct, design"),
        ({"region": "x" * 61}, "region", "60"),
        ({"year_from": "last year"}, "year_from", "last year"),
        ({"year_from": "1700"}, "year_from", "1700"),
        ({"year_from": "2016", "year_to": "2012"}, "year_to", "before year_from 2016"),
        ({"outcome": "exit"}, "outcome", "radicalisation, within_extremists, disengagement"),
        ({"population": "x" * 101}, "population", "100"),
    ],
)
def test_from_params_bad_value_names_field_and_what_is_valid(params, field, says):
    with pytest.raises(EntryError) as caught:
        MapQuery.from_params(params)
    problem = caught.value.problems[0]
    assert problem.field == field
    assert says in problem.message


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        (MapQuery(), True),
        (MapQuery(design="cross_sectional_survey"), True),
        (MapQuery(design="meta_analysis"), False),
        (MapQuery(outcome="within_extremists"), False),
        (MapQuery(year_from=2012, year_to=2012), True),
        (MapQuery(year_from=2013), False),
        (MapQuery(year_to=2011), False),
        (MapQuery(population="PUPILS dutch"), True),
        (MapQuery(population="pupils german"), False),
        (MapQuery(region="netherlands"), True),
        (MapQuery(region="europe"), False),
    ],
)
def test_keeps_applies_every_finding_filter(query, kept):
    assert query.keeps(FINDING, SOURCE) is kept


def test_keeps_finding_without_population_fails_a_population_filter():
    assert not MapQuery(population="youth").keeps(
        NS(outcome_kind="radicalisation", population=None, region=None), SOURCE
    )


def test_keeps_finding_without_region_fails_a_region_filter():
    unrecorded = NS(outcome_kind="radicalisation", population="pupils", region=None)
    assert MapQuery().keeps(unrecorded, SOURCE)
    assert not MapQuery(region="netherlands").keeps(unrecorded, SOURCE)


def test_region_narrows_selects_and_round_trips_through_the_url():
    query = MapQuery.from_params({"lang": "nl", "region": "north_america"})
    assert query.narrows and query.selects
    assert query.params() == {"lang": "nl", "region": "north_america"}
    assert MapQuery.from_params(query.params()) == query
