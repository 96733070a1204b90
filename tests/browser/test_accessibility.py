"""Keyboard use of the map and axe-core (vendored) on every practitioner page, nl and en."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
NETWORK_DRAWN = "document.body.getAttribute('data-network-drawn') === '1'"
PAGES = [
    "/",
    "/network",
    "/factors/detention",
    "/constructs/perceived_discrimination",
    "/profile",
    "/profile?driver=justice_seeker&sex=sex_male",
    "/gaps",
    "/about/population-evidence",
]
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""


def _source_path(page_server) -> str:
    return "/sources/" + page_server.get_json("/api/v1/sources")["items"][0]["id"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pages_have_no_serious_or_critical_axe_violation(chromium, page_server, lang):
    # the pages forbid inline scripts (Content-Security-Policy); only this checking context
    # may add axe to them
    context = chromium.new_context(bypass_csp=True)
    found = {}
    try:
        page = context.new_page()
        for path in [*PAGES, _source_path(page_server), "/factors/detentoin"]:
            sep = "&" if "?" in path else "?"
            response = page.goto(f"{page_server.url}{path}{sep}lang={lang}")
            assert response is not None and response.status in (200, 404)
            if path.startswith("/network"):
                page.wait_for_function(NETWORK_DRAWN, timeout=20_000)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(RUN_AXE)
            if violations:
                found[path] = violations
    finally:
        context.close()
    assert found == {}


def test_map_is_a_grid_with_one_tab_stop_and_arrow_keys(watch, page_server):
    page = watch.page
    page.goto(page_server.url + "/?lang=nl")
    assert page.locator("#evidence-map").get_attribute("role") == "grid"
    assert page.locator('#evidence-map [tabindex="0"]').count() == 1
    page.locator("#map-filters select").last.focus()
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('role')") == "gridcell":
            break
    first = page.evaluate(
        "() => [document.activeElement.dataset.factor, document.activeElement.dataset.column]"
    )
    assert first[1] == "any"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    moved = page.evaluate(
        "() => [document.activeElement.dataset.factor, document.activeElement.dataset.column]"
    )
    assert moved[0] != first[0] and moved[1] != "any"
    assert page.locator('#evidence-map [tabindex="0"]').count() == 1
    page.keyboard.press("Enter")
    panel = page.locator("#cell-details")
    panel.wait_for(state="visible")
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    back = page.evaluate(
        "() => [document.activeElement.dataset.factor, document.activeElement.dataset.column]"
    )
    assert back == moved
    # one Tab leaves the grid: the cells are one tab stop, not 234
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('role')") != "gridcell"
    watch.assert_clean()
