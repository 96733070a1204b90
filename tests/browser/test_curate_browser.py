"""The entry form in Chromium: sign in, DOI paste, an error corrected with the picker, submit."""

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


def test_form_from_doi_paste_to_stored_source_with_error_corrected(watch, curate_server):
    page = watch.page
    before = detention_count(curate_server)
    sign_in(watch, curate_server)

    page.fill("#added-by", "a curator")
    page.fill("#paste", DOI)
    page.click("#start")
    expect(page.locator("[data-field=doi]")).to_have_value("10.5555/curate.browser.1")

    page.fill("[data-field=id]", "curate_browser")
    page.select_option("[data-field=type]", "journal_article")
    page.fill("[data-field=authors]", "Fixture, C.")
    page.fill("[data-field=year]", "2026")
    page.fill("[data-field=title]", "Curation form test " + PAYLOAD)

    box = page.locator("fieldset.finding").first
    box.locator("[data-key=id]").fill("curate-browser-1")
    box.locator("[data-key=factor]").fill("detentoin")  # the error to correct
    box.locator("[data-key=direction]").select_option("increases")
    box.locator("[data-key=certainty]").select_option("C")
    box.locator("[data-key=certainty_reasons]").fill("test fixture; not evidence")
    box.locator("[data-key=locator]").fill("p. 1")

    error = box.locator("[data-error-key=factor]")
    error.locator("text=is not a factor or construct").wait_for()
    assert "detention" in error.inner_text()  # the closest valid id is suggested

    box.locator(".picker-query").fill("detentie")
    box.locator("button.pick[data-id=detention]").click()
    expect(box.locator("[data-error-key=factor]")).to_have_text("")
    assert box.locator("[data-key=factor]").input_value() == "detention"
    page.locator("#check-status", has_text="No problems.").wait_for()

    page.click("#submit")
    page.locator("#saved-link").wait_for()
    assert page.locator("#saved-link").inner_text() == "curate_browser"

    # proposed: the public answers stay as they were until a curator publishes it
    public = httpx.get(curate_server.url + "/api/v1/sources/curate_browser", timeout=10)
    assert public.status_code == 404
    assert detention_count(curate_server) == before
    auth = {"Authorization": f"Bearer {CURATE_TOKEN}"}
    proposed = httpx.get(curate_server.url + "/api/v1/proposed/curate_browser", headers=auth)
    assert proposed.status_code == 200
    published = httpx.post(
        curate_server.url + "/api/v1/sources/curate_browser/publish", headers=auth, timeout=10
    )
    assert published.status_code == 200, published.text
    stored = httpx.get(curate_server.url + "/api/v1/sources/curate_browser", timeout=10)
    assert stored.status_code == 200
    assert stored.json()["title"] == "Curation form test " + PAYLOAD
    assert detention_count(curate_server) == before + 1
    assert page.evaluate("window.__xss === undefined")
    assert page.locator("img[src=x]").count() == 0
    watch.assert_clean()


def test_form_warns_on_no_cell_and_duplicate_and_escapes_payloads(watch, curate_server):
    page = watch.page
    sign_in(watch, curate_server)
    page.fill("[data-field=title]", "API test fixture alpha (not a real study)")
    box = page.locator("fieldset.finding").first
    box.locator("[data-key=factor]").fill("institutional_trust")
    box.locator("[data-key=id]").fill(PAYLOAD)
    box.locator("[data-warning-key=factor]", has_text="no cell").wait_for()
    page.locator("#duplicates a", has_text="fixture_alpha").wait_for()
    # the bad finding id comes back in an error message, as text
    box.locator("[data-error-key=id]", has_text="onerror").wait_for()
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
