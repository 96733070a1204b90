"""The practitioner pages in real headless Chromium against a real uvicorn process."""

from __future__ import annotations

import pytest
from browser_payloads import XSS_ATTR, XSS_IMG, XSS_SCRIPT, XSS_SOURCE_ID

pytestmark = [pytest.mark.browser, pytest.mark.server]

NETWORK_DRAWN = "document.body.getAttribute('data-network-drawn') === '1'"

VISIBLE_CELLS_JS = """() => Array.from(document.querySelectorAll('tbody[data-level]'))
  .filter(tb => !tb.hidden)
  .flatMap(tb => Array.from(tb.querySelectorAll('td.cell')))
  .filter(td => !td.classList.contains('off'))
  .map(td => [td.dataset.factor, td.dataset.column, td.dataset.verdict])"""


def open_page(watch, server, path: str):
    page = watch.page
    response = page.goto(server.url + path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    if path.startswith("/network"):
        page.wait_for_function(NETWORK_DRAWN, timeout=20_000)
    return page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?lang=nl",
        "/network",
        "/network?lang=nl&level=micro",
        "/factors/detention",
        "/sources/jasko17",
        "/profile",
        "/profile?driver=justice_seeker&lang=nl",
    ],
)
def test_page_loads_cleanly_offline(watch, page_server, path):
    page = open_page(watch, page_server, path)
    page.wait_for_load_state("load")
    assert page.locator("main h1").count() == 1
    assert any(r.startswith(page_server.url) for r in watch.requests)
    watch.assert_clean()


def api_matrix_all(server, **params) -> dict:
    """The API's matrix over every column kind the map shows (drivers, sex, age, education)."""
    merged: dict = {"rows": None, "columns": [], "cells": {}}
    for cols in ("driver", "sex", "age", "education"):
        part = server.api("/api/v1/matrix", cols=cols, **params)
        merged["rows"] = part["rows"]
        merged["columns"] += part["columns"]
        for factor, cells in part["cells"].items():
            merged["cells"].setdefault(factor, {}).update(cells)
    return merged


def first_cell_with(matrix: dict, minimum: int) -> tuple[str, str, dict]:
    for row in matrix["rows"]:
        for column in matrix["columns"]:
            cell = matrix["cells"][row["id"]][column["id"]]
            if cell["n_findings"] >= minimum:
                return row["id"], column["id"], cell
    raise AssertionError(f"no cell with {minimum} findings in the matrix")


def test_cell_click_shows_findings_matching_api(watch, page_server):
    matrix = page_server.api("/api/v1/matrix", cols="driver")
    factor, column, cell = first_cell_with(matrix, 2)
    page = open_page(watch, page_server, "/")
    page.click(f'td.cell[data-factor="{factor}"][data-column="{column}"]')
    panel = page.locator("#cell-details")
    panel.wait_for(state="visible")
    shown = panel.locator("li[data-finding]").evaluate_all("els => els.map(e => e.dataset.finding)")
    assert shown == [f["id"] for f in cell["findings"]]
    assert panel.locator(".verdict-line").get_attribute("data-verdict") == cell["verdict"]
    assert cell["explanation"]["en"] in panel.locator(".explanation").inner_text()
    for finding_id in shown:
        finding = page_server.api(f"/api/v1/findings/{finding_id}")
        item = panel.locator(f'li[data-finding="{finding_id}"]')
        text = item.inner_text()
        assert finding["source"]["citation"] in text
        assert finding["locator"] in text
        assert finding["certainty"] in text
    watch.assert_clean()


def test_cell_enter_key_opens_empty_cell_notice(watch, page_server):
    matrix = page_server.api("/api/v1/matrix", cols="driver")
    empty = next(
        (r["id"], c["id"])
        for r in matrix["rows"]
        for c in matrix["columns"]
        if matrix["cells"][r["id"]][c["id"]]["verdict"] == "no_evidence"
    )
    page = open_page(watch, page_server, "/")
    cell = page.locator(f'td.cell[data-factor="{empty[0]}"][data-column="{empty[1]}"]')
    cell.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#cell-details")
    panel.wait_for(state="visible")
    assert panel.locator("li[data-finding]").count() == 0
    assert "not evidence that there is no link" in panel.locator(".empty-note").inner_text()
    watch.assert_clean()


def test_map_filters_change_rendered_cells(watch, page_server):
    matrix = api_matrix_all(page_server)
    page = open_page(watch, page_server, "/")
    before = page.evaluate(VISIBLE_CELLS_JS)
    assert len(before) == len(matrix["rows"]) * len(matrix["columns"])

    page.select_option("select[name=verdict]", "limited")
    after = page.evaluate(VISIBLE_CELLS_JS)
    expected = sum(
        1
        for r in matrix["rows"]
        for c in matrix["columns"]
        if matrix["cells"][r["id"]][c["id"]]["verdict"]
        in ("strong", "moderate", "limited", "contested")
    )
    assert 0 < len(after) == expected < len(before)
    assert "verdict=limited" in page.url
    assert page.locator("#shown-count").inner_text() == str(expected)

    page.select_option("select[name=level]", "macro")
    macro = {r["id"] for r in matrix["rows"] if r["level"] == "macro"}
    visible = page.evaluate(VISIBLE_CELLS_JS)
    assert {f for f, _, _ in visible} <= macro and "level=macro" in page.url

    # the URL keeps the filter state: a reload shows the same cells
    page.reload()
    assert page.evaluate(VISIBLE_CELLS_JS) == visible
    watch.assert_clean()


def test_map_direct_only_filter_matches_api(watch, page_server):
    direct = api_matrix_all(page_server, direct_only="true")
    page = open_page(watch, page_server, "/?direct=1")
    shown = {(f, c): v for f, c, v in page.evaluate(VISIBLE_CELLS_JS)}
    expected = {
        (r["id"], c["id"]): direct["cells"][r["id"]][c["id"]]["verdict"]
        for r in direct["rows"]
        for c in direct["columns"]
    }
    assert shown == expected
    watch.assert_clean()


def test_language_switch_changes_labels(watch, page_server):
    page = open_page(watch, page_server, "/?verdict=limited")
    assert page.locator("th[scope=row] a", has_text="Detention").count() == 1
    page.click("header a.lang")
    page.wait_for_url("**lang=nl**")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("th[scope=row] a", has_text="Detentie").count() == 1
    assert "verdict=limited" in page.url
    assert page.locator("text=Bewijskaart").count() >= 1
    page.click("header a.lang")
    page.wait_for_url("**lang=en**")
    assert page.locator("th[scope=row] a", has_text="Detention").count() == 1
    watch.assert_clean()


@pytest.mark.parametrize(
    "query", [{"driver": "justice_seeker"}, {"sex": "sex_female", "age": "age_under_18"}]
)
def test_profile_ranks_like_api(watch, page_server, query):
    expected = page_server.api("/api/v1/profile", **query)
    path = "/profile?" + "&".join(f"{k}={v}" for k, v in query.items())
    page = open_page(watch, page_server, path)
    ranked = page.locator("#ranking li").evaluate_all("els => els.map(e => e.dataset.factor)")
    assert ranked == [item["factor"]["id"] for item in expected["items"]]
    assert expected["notice"]["en"] in page.locator("#notice").inner_text()
    watch.assert_clean()


def test_profile_notice_shown_in_dutch_without_choice(watch, page_server):
    page = open_page(watch, page_server, "/profile?lang=nl")
    notice = page.locator("#notice").inner_text()
    assert "geen risicotaxatie" in notice
    assert page.locator("#choose-one").is_visible()
    watch.assert_clean()


def node_ids(page) -> list[str]:
    return page.evaluate("() => window.tgNetwork.body.nodeIndices.slice()")


def test_network_filters_change_nodes(watch, page_server):
    page = open_page(watch, page_server, "/network")
    everything = node_ids(page)
    page.select_option("select[name=level]", "macro")
    page.wait_for_url("**level=macro**")
    page.wait_for_function(NETWORK_DRAWN)
    macro = node_ids(page)
    factors = [n for n in macro if n.startswith("factor/")]
    assert 0 < len(macro) < len(everything)
    levels = page.evaluate(
        "ids => ids.map(id => JSON.parse(document.getElementById('tg-data').textContent).network.nodes.find(n => n.id === id).level)",
        factors,
    )
    assert set(levels) == {"macro"}
    page.goto(page_server.url + "/network?driver=justice_seeker&min_verdict=limited")
    page.wait_for_function(NETWORK_DRAWN)
    only = node_ids(page)
    assert "driver/justice_seeker" in only and "driver/identity_seeker" not in only
    watch.assert_clean()


def test_network_search_details_and_neighbourhood(watch, page_server):
    page = open_page(watch, page_server, "/network")
    total = len(node_ids(page))
    page.fill("#net-search", "Justice seeker")
    page.press("#net-search", "Enter")
    panel = page.locator("#net-details")
    assert panel.get_attribute("data-node") == "driver/justice_seeker"
    neighbours = panel.locator("ul.neighbours li").count()
    assert neighbours > 0
    page.click("#net-details button.neighbourhood")
    visible = int(page.locator("#network").get_attribute("data-visible-nodes"))
    assert visible == neighbours + 1 < total
    page.click("#net-all")
    assert int(page.locator("#network").get_attribute("data-visible-nodes")) == total
    watch.assert_clean()


def test_network_click_on_node_opens_details(watch, page_server):
    page = open_page(watch, page_server, "/network")
    target = page.evaluate(
        """() => { const net = window.tgNetwork; const id = 'driver/justice_seeker';
        const d = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.getElementById('network').getBoundingClientRect();
        return {x: box.left + d.x, y: box.top + d.y}; }"""
    )
    page.mouse.click(target["x"], target["y"])
    assert page.locator("#net-details").get_attribute("data-node") == "driver/justice_seeker"
    watch.assert_clean()


def test_network_exports_png_and_graphml(watch, page_server):
    page = open_page(watch, page_server, "/network")
    with page.expect_download() as png:
        page.click("#net-png")
    assert png.value.suggested_filename.endswith(".png")
    assert png.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as gml:
        page.click("#net-graphml")
    import networkx as nx

    graph = nx.read_graphml(gml.value.path())
    assert graph.number_of_nodes() == len(node_ids(page))
    watch.assert_clean()


XSS_PAGES = [
    f"/sources/{XSS_SOURCE_ID}",
    "/factors/detention",
    "/profile?driver=justice_seeker&sex=sex_female&age=age_under_18",
    "/network",
]


@pytest.mark.parametrize("path", XSS_PAGES)
def test_xss_payloads_show_as_text_and_run_nothing(watch, page_server, path):
    page = open_page(watch, page_server, path)
    page.mouse.move(5, 5)
    for element in page.locator("main a, main li").all()[:40]:
        element.hover(timeout=2000, force=True)
    injected = page.evaluate(
        "() => document.querySelectorAll('img, [onerror], [onmouseover], a[href^=\"javascript\"]').length"
    )
    assert injected == 0
    if path.startswith("/sources/") or path.startswith("/factors/"):
        text = page.locator("main").inner_text()
        assert XSS_IMG in text and XSS_SCRIPT in text and XSS_ATTR in text
    watch.assert_clean()


def test_xss_payloads_in_cell_details_stay_text(watch, page_server):
    page = open_page(watch, page_server, "/")
    page.click('td.cell[data-factor="detention"][data-column="age_under_18"]')
    panel = page.locator("#cell-details")
    panel.wait_for(state="visible")
    item = panel.locator('li[data-finding="XSS1"]')
    assert XSS_IMG in item.inner_text()
    assert (
        page.evaluate(
            "() => document.querySelectorAll('#cell-details img, [onerror], [onmouseover]').length"
        )
        == 0
    )
    watch.assert_clean()


def test_unknown_factor_page_suggests_escaped(watch, page_server):
    page = watch.page
    response = page.goto(page_server.url + "/factors/detentoin")
    assert response.status == 404
    assert page.locator("ul.suggestions a", has_text="detention").count() == 1
    response = page.goto(page_server.url + "/factors/%3Cimg%20src=x%20onerror=alert(1)%3E")
    assert response.status == 404
    assert XSS_IMG in page.locator("main").inner_text()
    # the only console errors are Chromium's notes that the documents came with status 404
    assert all("404" in message for message in watch.console_errors)
    watch.console_errors.clear()
    watch.assert_clean()


def test_pages_fit_phone_width(chromium, page_server):
    context = chromium.new_context(viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        for path in ("/", "/profile?driver=justice_seeker", "/factors/detention", "/network"):
            page.goto(page_server.url + path)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, f"{path} is {overflow}px wider than a phone"
    finally:
        context.close()


def test_print_stylesheet_hides_controls(watch, page_server):
    page = open_page(watch, page_server, "/")
    page.emulate_media(media="print")
    assert not page.locator("form#map-filters").is_visible()
    assert page.locator("table.map").is_visible()
    watch.assert_clean()


def test_export_single_file_works_from_file_url(watch, browser_literature, tmp_path):
    from triggergraph.loader import load_literature
    from triggergraph.readmodel import EvidenceIndex
    from triggergraph.viewer import write_single_file
    from triggergraph.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    index = EvidenceIndex.build(load_literature(browser_literature, vocabulary), vocabulary)
    path = write_single_file(index, tmp_path / "triggergraph.html", lang="nl")
    page = watch.page
    page.goto(path.as_uri())
    page.wait_for_function(NETWORK_DRAWN, timeout=20_000)
    assert page.locator("td.cell").count() > 0
    assert page.locator("th[scope=row]", has_text="Detentie").count() == 1
    page.click('td.cell[data-factor="detention"][data-column="age_under_18"]')
    assert page.locator('#cell-details li[data-finding="XSS1"]').count() == 1
    assert len(node_ids(page)) > 0
    assert all(r.startswith("file:") or r.startswith("data:") for r in watch.requests), (
        watch.requests
    )
    watch.assert_clean()


def _source_with_doi(page_server) -> dict:
    for item in page_server.api("/api/v1/sources", limit=200)["items"]:
        record = page_server.api(f"/api/v1/sources/{item['id']}")
        if record.get("doi") and record.get("findings"):
            return record
    pytest.fail("the browser corpus has no source with a DOI and findings")


def test_finding_cards_fit_a_390px_phone_in_dutch(chromium, page_server):
    source = _source_with_doi(page_server)
    paths = [
        "/factors/detention?lang=nl",
        f"/sources/{source['id']}?lang=nl",
        f"/sources/{XSS_SOURCE_ID}?lang=nl",
        "/about/population-evidence?lang=nl",
    ]
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        for path in paths:
            page.goto(page_server.url + path)
            for summary in page.locator("main summary").all()[:10]:
                summary.click()
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, f"{path} scrolls {overflow}px sideways on a 390px phone"
            cards = page.locator("li.card")
            if cards.count():
                box = cards.first.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 391, path
    finally:
        context.close()


def test_finding_card_links_doi_first(watch, page_server):
    source = _source_with_doi(page_server)
    page = open_page(watch, page_server, f"/sources/{source['id']}?lang=nl")
    first = page.locator("li.card ul.links a").first
    assert first.get_attribute("href").startswith("https://doi.org/")
    assert source["doi"].split("/", 1)[1] in first.get_attribute("href")
    top = page.locator("main > ul.links a").first
    assert top.get_attribute("href").startswith("https://doi.org/")
    watch.assert_clean()


def test_map_deep_link_opens_cell_and_escape_returns_focus(watch, page_server):
    page = open_page(watch, page_server, "/?lang=nl#cell=detention:justice_seeker")
    panel = page.locator("#cell-details")
    panel.wait_for(state="visible")
    assert "Detentie" in panel.locator("h2").inner_text()
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    focused = page.evaluate("() => document.activeElement.dataset.column")
    assert focused == "justice_seeker" and "#cell=" not in page.url
    watch.assert_clean()


def test_map_empty_filter_says_so_and_offers_nearest_view(watch, page_server):
    page = open_page(watch, page_server, "/?lang=nl")
    strong = set(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('tbody[data-level]'))
            .filter(tb => tb.querySelector('td.cell[data-verdict="strong"]'))
            .map(tb => tb.dataset.level)"""
        )
    )
    empty_level = next((lv for lv in ("meso", "macro", "micro") if lv not in strong), None)
    if empty_level is None:
        pytest.fail("every level has a strong cell in this corpus; the test needs one without")
    page = open_page(watch, page_server, f"/?lang=nl&verdict=strong&level={empty_level}")
    text = page.locator("#map-empty").inner_text()
    assert text.startswith("Geen cellen met oordeel ‘sterk’ op")
    page.locator("#map-empty a").click()
    assert int(page.locator("#shown-count").inner_text()) > 0
    watch.assert_clean()


def test_profile_and_of_choices_in_dutch_says_when_no_finding_carries_all(watch, page_server):
    query = {"driver": "justice_seeker", "sex": "sex_male", "age": "age_18_25"}
    expected = page_server.api("/api/v1/profile", **query)
    path = "/profile?lang=nl&" + "&".join(f"{k}={v}" for k, v in query.items())
    page = open_page(watch, page_server, path)
    if expected["items"]:
        ranked = page.locator("#ranking li").evaluate_all("els => els.map(e => e.dataset.factor)")
        assert ranked == [item["factor"]["id"] for item in expected["items"]]
    else:
        text = page.locator("#no-combination").inner_text()
        assert text.startswith("Geen bevinding in onze kennisbank voldoet aan al deze keuzes")
        assert "Rechtvaardigheidszoeker + Man + 18 tot 25" in text
    assert page.locator("section.per-choice h2").all_inner_texts() == [
        "Alleen Rechtvaardigheidszoeker",
        "Alleen Man",
        "Alleen 18 tot 25",
    ]
    watch.assert_clean()


def test_network_draws_labels_beside_nodes_and_marks_the_placeholder(watch, page_server):
    page = open_page(watch, page_server, "/network?lang=nl")
    drawn = int(page.locator("#network").get_attribute("data-labels-drawn"))
    total = len(node_ids(page))
    assert page.locator("#network").get_attribute("data-label-all") == "1"
    assert 0 < drawn <= total
    assert (
        "plaatshouder: een rapportsectie die niet gelezen is"
        in page.locator(".legend").inner_text()
    )
    watch.assert_clean()
