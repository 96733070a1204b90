"""Four everyday questions of a Dutch prevention worker, walked through the pages in Chromium.

The answers depend on the curated corpus, so each test asks the API what the answer is and
checks that the page says it: the evidence when there is some, and a plain sentence when
there is none (the "none" and "no combination" cases).
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_question_discrimination_justice_seeking_young_men(watch, page_server):
    """'Wat is het bewijs dat discriminatie rechtvaardigheidszoeken triggert bij jonge mannen?'"""
    page = watch.page
    page.goto(page_server.url + "/?lang=nl")
    page.get_by_role("link", name="Profiel").click()
    page.select_option("select[name=driver]", "justice_seeker")
    page.select_option("select[name=sex]", "sex_male")
    page.select_option("select[name=age]", "age_18_25")
    page.wait_for_url("**age=age_18_25**")
    assert "Keuzes worden gecombineerd met EN" in page.locator("main .intro").inner_text()
    expected = page_server.get_json(
        "/api/v1/profile", driver="justice_seeker", sex="sex_male", age="age_18_25"
    )
    factor = "direct_discrimination_racism_exclusion"
    carried = [i["factor"]["id"] for i in expected["items"]]
    if factor in carried:
        row = page.locator(f'#ranking li[data-factor="{factor}"]')
        assert row.count() == 1
    else:
        assert page.locator(f'#ranking li[data-factor="{factor}"]').count() == 0
    if not carried:
        assert "voldoet aan al deze keuzes samen" in page.locator("#no-combination").inner_text()
    # each choice on its own is shown below and named as such, never as the profile
    assert page.locator("section.per-choice h2").count() == 3
    assert "geen risicotaxatie" in page.locator("#notice").inner_text()
    watch.assert_clean()


def test_question_meso_factors_with_strong_evidence(watch, page_server):
    """'Welke mesofactoren hebben sterk bewijs?'"""
    page = watch.page
    page.goto(page_server.url + "/?lang=nl")
    page.select_option("select[name=level]", "meso")
    page.select_option("select[name=verdict]", "strong")
    shown = int(page.locator("#shown-count").inner_text())
    strong_meso = page.locator(
        'tbody[data-level="meso"] td.cell[data-verdict="strong"]:not(.off)'
    ).count()
    assert shown == strong_meso
    page.reload()  # the filter lives in the URL; the server says whether anything is left
    if shown == 0:
        text = page.locator("#map-empty").inner_text()
        assert text.startswith("Geen cellen met oordeel ‘sterk’ op Mesoniveau")
        page.locator("#map-empty a").click()
        assert int(page.locator("#shown-count").inner_text()) > 0
    else:
        assert page.locator("#map-empty").count() == 0
    watch.assert_clean()


def test_question_what_the_report_says_about_detention(watch, page_server):
    """'Wat zegt het rapport over detentie?'"""
    page = watch.page
    page.goto(page_server.url + "/?lang=nl")
    page.get_by_role("link", name="Detentie", exact=True).click()
    page.wait_for_url("**/factors/detention**")
    facts = page.locator("main table.facts").inner_text()
    assert "§ 3.2.4" in facts and "p. 42" in facts
    said = page.locator("#report-says").inner_text()
    assert said.startswith("Wat het rapport zegt")
    assert "overzichtstabel" in said and "niet vastgelegd" in said
    act = page.locator("#who-can-act").inner_text()
    assert "gemeentelijk contactpunt radicalisering" in act
    assert "geen handreiking voor specifiek deze factor" in act
    # empty cells say why they are empty, not just "geen bewijs"
    row = page.locator('tr[data-column="sex_male"]')
    if row.locator(".verdict-line").get_attribute("data-verdict") == "no_evidence":
        assert "beoordeeld door het rapport, maar de tabel is niet vastgelegd" in row.inner_text()
    watch.assert_clean()


def test_question_where_are_the_gaps(watch, page_server):
    """'Waar zitten de lacunes?'"""
    page = watch.page
    page.goto(page_server.url + "/?lang=nl")
    page.get_by_role("link", name="Lacunes").click()
    page.wait_for_url("**/gaps**")
    headings = page.locator("section.gap-kind h2").all_inner_texts()
    assert [h.split(" (")[0] for h in headings] == [
        "niet onderzocht in de literatuur in onze kennisbank",
        "beoordeeld door het rapport, maar de tabel is niet vastgelegd",
        "weggefilterd",
    ]
    link = page.locator("#gaps-not_encoded li a[href*='#cell=']").first
    target = link.get_attribute("href").split("#cell=")[1]
    link.click()
    panel = page.locator("#cell-details")
    panel.wait_for(state="visible")
    assert page.locator("#cell-details .empty-kind").get_attribute("data-empty") == "not_encoded"
    assert page.url.endswith("#cell=" + target)
    watch.assert_clean()
