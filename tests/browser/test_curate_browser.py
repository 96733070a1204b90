"""The curation pages in Chromium: a paper from a DOI paste through a second coder and reconcile."""

from __future__ import annotations

import httpx
import pytest
from conftest import CURATE_TOKEN
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.server]

DOI = "https://doi.org/10.5555/Curate.Browser.1"
#: would set window.__xss if the page ever put it into the DOM as HTML
PAYLOAD = '<img src=x onerror="window.__xss=1">'


def sign_in(watch, server) -> None:
    page = watch.page
    page.goto(server.url + "/curate")
    page.fill("#token", CURATE_TOKEN)
    page.click("#sign-in")
    page.wait_for_selector("#start")


def detention_count(server) -> int:
    factor = httpx.get(server.url + "/api/v1/factors/detention", timeout=10).json()
    return factor["overall"]["n_findings"]


def test_paper_from_doi_paste_through_second_coder_and_reconcile_to_published(watch, curate_server):
    page = watch.page
    before = detention_count(curate_server)
    sign_in(watch, curate_server)

    # first coder: DOI paste, the form generated from the schema, one error corrected
    page.fill("#added-by", "a curator")
    page.fill("#paste", DOI)
    page.click("#start")
    expect(page.locator("[data-path=doi]")).to_have_value("10.5555/curate.browser.1")
    page.fill("[data-path=id]", "curate_browser")
    page.select_option("[data-path=type]", "journal_article")
    page.fill("[data-path=authors]", "Fixture, C.")
    page.fill("[data-path=year]", "2026")
    page.fill("[data-path=title]", "Curation form test " + PAYLOAD)

    box = page.locator("fieldset.finding").first
    box.locator("[data-path='findings[0].id']").fill("curate-browser-1")
    box.locator("[data-path='findings[0].factor']").fill("detentoin")  # the error to correct
    box.locator("[data-path='findings[0].direction']").select_option("increases")
    box.locator("[data-path='findings[0].certainty']").select_option("C")
    box.locator("[data-path='findings[0].certainty_reasons']").fill("test fixture; not evidence")
    box.locator("[data-path='findings[0].locator']").fill("p. 1")
    box.locator("[data-path='findings[0].effect.measure']").select_option("odds_ratio")
    box.locator("[data-path='findings[0].effect.value']").fill("1.8")
    box.locator("[data-name=caveats] input[value=cross_sectional]").check()

    error = box.locator("[data-error-path='findings[0].factor']")
    error.locator("text=is not a factor or construct").wait_for()
    assert "detention" in error.inner_text()  # the closest valid id is suggested
    box.locator(".picker-query").fill("detentie")
    box.locator("button.pick[data-id=detention]").click()
    expect(error).to_have_text("")
    page.locator("#check-status", has_text="No problems.").wait_for()
    page.click("#submit")
    page.locator("#saved-link", has_text="curate_browser").wait_for()
    assert detention_count(curate_server) == before  # proposed: the map stays as it was

    # second coder: the same source blind, one disagreement (direction)
    page.goto(curate_server.url + "/curate/code/curate_browser")
    assert page.locator("[data-path='findings[0].factor']").input_value() == ""
    expect(page.locator("[data-path=title]")).to_have_value("Curation form test " + PAYLOAD)
    page.fill("#coder", "a second coder")
    box = page.locator("fieldset.finding").first
    box.locator("[data-path='findings[0].id']").fill("curate-browser-1")
    box.locator("[data-path='findings[0].factor']").fill("detention")
    box.locator("[data-path='findings[0].direction']").select_option("mixed")
    box.locator("[data-path='findings[0].certainty']").select_option("C")
    box.locator("[data-path='findings[0].certainty_reasons']").fill("second reading")
    box.locator("[data-path='findings[0].locator']").fill("p. 1")
    page.locator("#check-status", has_text="No problems.").wait_for()
    page.click("#submit")
    page.locator("#saved-link").click()
    assert detention_count(curate_server) == before

    # reconcile: agreement per field, one difference, publish
    page.locator("#reconcile").wait_for()
    direction = page.locator("tr[data-field=Direction]")
    expect(direction.locator(".percent")).to_have_text("0 %")
    expect(page.locator("tr[data-field=Factor\\ or\\ construct] .percent")).to_have_text("100 %")
    assert page.locator("tr.difference").count() == 1
    page.locator("tr.difference input[value=a]").check()
    page.fill("#reconciler", "a reconciler")
    page.click("#publish")
    page.locator("#saved-link", has_text="curate_browser").wait_for()

    stored = httpx.get(curate_server.url + "/api/v1/sources/curate_browser", timeout=10)
    assert stored.status_code == 200
    assert stored.json()["title"] == "Curation form test " + PAYLOAD
    assert detention_count(curate_server) == before + 1  # the map changes on publication
    assert page.evaluate("window.__xss === undefined")
    assert page.locator("img[src=x]").count() == 0
    watch.assert_clean()


def test_form_warns_on_no_cell_and_duplicate_and_escapes_payloads(watch, curate_server):
    page = watch.page
    sign_in(watch, curate_server)
    page.fill("[data-path=title]", "API test fixture alpha (not a real study)")
    box = page.locator("fieldset.finding").first
    box.locator("[data-path='findings[0].factor']").fill("institutional_trust")
    box.locator("[data-path='findings[0].id']").fill(PAYLOAD)
    box.locator("[data-warning-path='findings[0].factor']", has_text="no cell").wait_for()
    page.locator("#duplicates a", has_text="fixture_alpha").wait_for()
    # the bad finding id comes back in an error message, as text
    box.locator("[data-error-path='findings[0].id']", has_text="onerror").wait_for()
    assert page.evaluate("window.__xss === undefined")
    assert page.locator("img[src=x]").count() == 0
    watch.assert_clean()


def test_form_without_session_shows_only_sign_in(watch, curate_server):
    page = watch.page
    page.goto(curate_server.url + "/curate")
    assert page.locator("#token").count() == 1 and page.locator("#entry").count() == 0
    page.fill("#token", "wrong")
    page.click("#sign-in")
    page.locator("#login-error").wait_for()
    assert page.locator("#entry").count() == 0
    cookies = watch.context.cookies()
    assert cookies == []
