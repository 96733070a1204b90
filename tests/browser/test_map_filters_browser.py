"""A Dutch prevention officer filters the map by region, study design and year in Chromium;
the counts change, and the URL opens the same filtered view again."""

from __future__ import annotations

import pytest

from triggergraph.loader import load_literature
from triggergraph.readmodel import EvidenceIndex
from triggergraph.viewer import build_map_page
from triggergraph.vocabulary import load_vocabulary

pytestmark = [pytest.mark.browser, pytest.mark.server]

CELLS_JS = """() => Array.from(document.querySelectorAll('td.cell, td.anycell'))
  .map(td => [td.dataset.factor, td.dataset.column, td.dataset.verdict, td.dataset.empty || ''])"""


@pytest.fixture(scope="module")
def expected(browser_literature):
    """What the map holds with no filter, a design, a design and a first year, and a region."""
    vocabulary = load_vocabulary()
    index = EvidenceIndex.build(load_literature(browser_literature, vocabulary), vocabulary)
    steps = [{}, {"design": "cross_sectional_survey"}]
    steps.append({**steps[1], "year_from": "2016"})
    steps.append({"region": "netherlands"})
    return [build_map_page(index, lang="nl", params=p).map.with_evidence for p in steps]


def evidence_count(page) -> int:
    return int(page.locator("#evidence-count").inner_text())


def test_dutch_walk_filters_by_design_and_year_and_deep_link_reproduces(
    watch, page_server, expected
):
    page = watch.page
    page.goto(page_server.url + "/?lang=nl")
    assert evidence_count(page) == expected[0]
    assert "Vastgelegd bij" in page.locator("#filter-region-hint").inner_text()

    # the region filter keeps only findings recorded as living in the Netherlands
    page.get_by_label("Regio van de populatie").select_option(label="Nederland")
    page.wait_for_url("**region=netherlands**")
    assert evidence_count(page) == expected[3] < expected[0]
    assert "regio: Nederland" in page.locator("#map-filtered").inner_text()
    page.goto(page_server.url + "/?lang=nl")

    page.get_by_label("Onderzoeksopzet").select_option(label="cross-sectionele survey")
    page.wait_for_url("**design=cross_sectional_survey**")
    assert evidence_count(page) == expected[1] < expected[0]
    assert "onderzoeksopzet: cross-sectionele survey" in page.locator("#map-filtered").inner_text()
    assert page.locator("td.e-filtered").count() > 0

    page.get_by_label("Gepubliceerd vanaf").fill("2016")
    page.get_by_label("Gepubliceerd vanaf").press("Enter")
    page.wait_for_url("**year_from=2016**")
    assert evidence_count(page) == expected[2] < expected[1]
    # only chosen filters travel in the link, so it reads as what was chosen
    query = page.url.split("?", 1)[1]
    assert sorted(p.split("=")[0] for p in query.split("&")) == ["design", "lang", "year_from"]
    cells = page.evaluate(CELLS_JS)

    # the deep link, opened fresh, reproduces the filtered view and its form
    other = watch.context.new_page()
    other.goto(page.url)
    assert int(other.locator("#evidence-count").inner_text()) == expected[2]
    assert other.evaluate(CELLS_JS) == cells
    assert other.get_by_label("Gepubliceerd vanaf").input_value() == "2016"
    assert other.get_by_label("Onderzoeksopzet").input_value() == "cross_sectional_survey"

    # a cell opened in the filtered view lists only what the filters keep
    cell = other.locator("td.cell:not(.v-no_evidence)").first
    n = int(cell.get_attribute("data-n"))
    cell.click()
    panel = other.locator("#cell-details")
    panel.wait_for(state="visible")
    panel.locator("li[data-finding]").first.wait_for()
    assert panel.locator("li[data-finding]").count() == min(n, 20)
    other.close()
    watch.assert_clean()
