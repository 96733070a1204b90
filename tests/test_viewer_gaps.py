"""The gaps page and the factor page's report parts: three kinds of empty, the report, who can act."""

from __future__ import annotations

import pytest

from triggergraph.viewer import build_factor_page, build_gaps_page, build_map_page
from triggergraph.viewer.report import factor_report


@pytest.fixture(scope="module")
def index(fixture_index):
    return fixture_index


def map_empties(index, params) -> dict:
    page = build_map_page(index, lang="en", params=params)
    return {
        (cell.factor, cell.column): cell.empty
        for level in page.map.levels
        for row in level.rows
        for cell in row.cells
        if cell.empty
    }


@pytest.mark.parametrize("params", [{}, {"stage": "behaviour"}, {"direct": "1"}])
def test_gaps_page_lists_exactly_the_map_empties_by_kind(index, params):
    gaps = build_gaps_page(index, lang="en", params=params)
    listed = {
        (factor.id, cell.href.rsplit(":", 1)[1]): group.kind
        for group in gaps.groups
        for factor in group.factors
        for cell in factor.cells
    }
    assert listed == map_empties(index, params)
    assert all(g.n_cells == sum(len(f.cells) for f in g.factors) for g in gaps.groups)


def test_empty_kind_follows_report_tables_and_filters(index):
    plain = map_empties(index, {})
    rated = {f for (f, c), kind in plain.items() if kind == "not_encoded"}
    assert rated and all(factor_report(f).get("summary_table") for f in rated)
    assert all(kind != "not_encoded" for (f, c), kind in plain.items() if c == "any")
    filtered = map_empties(index, {"stage": "behaviour"})
    newly = {key for key, kind in filtered.items() if kind == "filtered"}
    assert newly and not newly & set(plain)


def test_factor_page_shows_report_text_with_locator_and_who_can_act(index):
    page = build_factor_page(index, factor_id="breaking_social_bonds", lang="nl")
    held = factor_report("breaking_social_bonds")["report_text"]
    assert [f.text for f in page.report_facts] == held["facts"]
    assert all(f.locator == "§ 4.1 · p. 46" for f in page.report_facts)
    assert page.report_table == "§ 4.7"  # the data's "section 4.7", in the page's words
    assert page.guidance.href.startswith("https://www.socialestabiliteit.nl/triggerfactoren/")
    bare = build_factor_page(index, factor_id="detention", lang="nl")
    assert bare.report_facts == [] and bare.report_table
