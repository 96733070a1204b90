"""The map's finding filters: verdicts over the kept findings, the third kind of empty, the
nearest non-empty view, and the panel, downloads, gaps page and route following the filters."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from triggergraph.config import Settings
from triggergraph.loader import load_literature
from triggergraph.readmodel import EvidenceIndex
from triggergraph.viewer import (
    MapQuery,
    build_cell_findings,
    build_gaps_page,
    build_map_data,
    build_map_download,
    build_map_page,
)
from triggergraph.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent / "data" / "map_filters"


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


@pytest.fixture(scope="module")
def index(vocabulary):
    return EvidenceIndex.build(load_literature(FIXTURES, vocabulary), vocabulary)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("map-filters")
    shutil.copytree(FIXTURES, folder / "literature")
    settings = Settings(
        store="memory",
        store_path=folder / "store",
        literature_dir=folder / "literature",
        version_check_interval_s=0,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def verdicts(data: dict) -> dict:
    return {
        (factor, column): (cell["verdict"], cell["n_findings"])
        for factor, row in data["cells"].items()
        for column, cell in row.items()
    }


def test_design_filter_gives_the_verdicts_of_the_kept_findings_alone(index, vocabulary):
    sources = [
        s for s in load_literature(FIXTURES, vocabulary) if s.study_design == "meta_analysis"
    ]
    alone = EvidenceIndex.build(sources, vocabulary)
    filtered = build_map_data(index, MapQuery(design="meta_analysis"), with_findings=False)
    expected = build_map_data(alone, MapQuery(), with_findings=False)
    assert verdicts(filtered) == verdicts(expected)
    assert verdicts(filtered) != verdicts(build_map_data(index, MapQuery(), with_findings=False))


@pytest.mark.parametrize(
    ("params", "verdict"),
    [
        ({}, "strong"),
        ({"year_to": "2015"}, "moderate"),
        ({"population": "dutch pupils"}, "moderate"),
        ({"region": "netherlands"}, "moderate"),
        ({"region": "europe"}, "strong"),
    ],
)
def test_filters_recompute_a_cell_verdict(index, params, verdict):
    data = build_map_data(index, MapQuery.from_params(params), with_findings=False)
    assert data["cells"]["detention"]["justice_seeker"]["verdict"] == verdict


def test_cell_emptied_by_a_filter_is_filtered_away_not_unstudied(index):
    page = build_map_page(index, lang="nl", params={"design": "meta_analysis"})
    cells = {(c.factor, c.column): c for lv in page.map.levels for r in lv.rows for c in r.cells}
    assert cells[("detention", "sex_male")].empty == "filtered"
    assert "weggefilterd" in cells[("detention", "sex_male")].aria
    assert cells[("detention", "sex_female")].empty != "filtered"
    assert page.map.with_evidence == 4  # detention and marriage: any + one driver each
    assert page.map.filtered.startswith(
        "Alleen bevindingen geteld met: onderzoeksopzet: meta-analyse"
    )


def test_no_evidence_left_says_so_and_links_one_filter_fewer(index):
    params = {"design": "cross_sectional_survey", "year_from": "2013"}
    section = build_map_page(index, lang="nl", params=params).map
    assert section.with_evidence == 0
    assert section.empty.startswith("Geen bevinding in de literatuur in onze kennisbank past")
    assert "gepubliceerd vanaf 2013" in section.empty
    nearer = MapQuery.from_params(dict(p.split("=") for p in section.nearest.href[2:].split("&")))
    assert sum(bool(v) for v in (nearer.design, nearer.year_from)) == 1
    assert build_map_page(index, query=nearer).map.with_evidence > 0


def test_no_evidence_under_a_single_filter_links_the_unfiltered_map(index):
    section = build_map_page(index, lang="nl", params={"outcome": "within_extremists"}).map
    assert section.nearest.href == "/?lang=nl"
    assert section.nearest.text == "Toon 5 cellen met bewijs zonder filters"


def test_cell_panel_counts_only_the_kept_findings(index):
    base = {"factor": "detention", "lang": "nl", "year_to": "2015"}
    for column in ("justice_seeker", "any"):
        page = build_cell_findings(index, {**base, "column": column})
        assert page["total"] == 1 and list(page["findings"]) == ["filter-survey-1"]
    assert build_cell_findings(index, {**base, "column": "any", "year_to": ""})["total"] == 2


def test_downloads_follow_the_finding_filters(index):
    _, _, ris = build_map_download(index, {"format": "ris", "design": "meta_analysis"})
    assert "ID  - filter_meta" in ris and "filter_survey" not in ris
    _, _, text = build_map_download(index, {"format": "csv", "lang": "nl", "year_to": "2015"})
    rows = {(r["factor"], r["column"]): r for r in csv.DictReader(io.StringIO(text))}
    assert rows[("detention", "justice_seeker")]["verdict"] == "redelijk"
    assert rows[("marriage", "identity_seeker")]["findings"] == "0"


def test_gaps_page_lists_cells_the_filters_empty(index):
    page = build_gaps_page(index, lang="nl", params={"year_from": "2015"})
    filtered = next(g for g in page.groups if g.kind == "filtered")
    assert [(f.id, [c.text for c in f.cells]) for f in filtered.factors] == [("detention", ["Man"])]
    assert "year_from=2015" in filtered.factors[0].cells[0].href


def test_map_route_deep_link_applies_filters_in_dutch(client):
    response = client.get("/?lang=nl&design=meta_analysis&year_from=2019")
    assert response.status_code == 200
    html = response.text
    assert '<option value="meta_analysis" selected>meta-analyse</option>' in html
    assert 'name="year_from" value="2019"' in html
    assert (
        "Alleen bevindingen geteld met: onderzoeksopzet: meta-analyse; gepubliceerd vanaf 2019"
        in html
    )
    assert "Niet beschikbaar" not in html
    assert (
        'href="/map/download?lang=nl&amp;design=meta_analysis&amp;year_from=2019&amp;format=csv"'
        in html
    )


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("design=metaanalysis", "meta_analysis"),
        ("region=NL", "netherlands, europe, north_america, western_democracies"),
        ("year_to=soon", "year_to"),
    ],
)
def test_map_route_bad_filter_is_a_4xx_page_naming_it(client, query, says):
    response = client.get(f"/?lang=nl&{query}")
    assert 400 <= response.status_code < 500
    assert says in response.text


def test_map_route_escapes_the_population_text(client):
    response = client.get("/", params={"population": '"><script>alert(1)</script>', "lang": "nl"})
    assert response.status_code == 200
    body = response.text.split("</head>")[1]
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)" in body


def test_region_filter_empties_other_regions_cells_as_filtered_away(index):
    page = build_map_page(index, lang="nl", params={"region": "netherlands"})
    cells = {(c.factor, c.column): c for lv in page.map.levels for r in lv.rows for c in r.cells}
    # marriage's one finding records no region: left out while a region is chosen
    assert cells[("marriage", "identity_seeker")].empty == "filtered"
    assert cells[("detention", "sex_male")].verdict != "no_evidence"
    assert page.map.filtered.startswith("Alleen bevindingen geteld met: regio: Nederland")


def test_map_route_region_filter_in_dutch_says_how_many_findings_record_one(client):
    html = client.get("/?lang=nl&region=netherlands").text
    assert '<option value="netherlands" selected>Nederland</option>' in html
    assert '<option value="north_america">Noord-Amerika</option>' in html
    assert "Regio van de populatie" in html
    hint = html.split('id="filter-region-hint">')[1].split("</span>")[0]
    assert hint.startswith("Vastgelegd bij 2 van de 3 bevindingen")
    assert 'aria-describedby="filter-region-hint"' in html


def test_region_with_no_findings_links_the_nearest_view(index):
    section = build_map_page(index, lang="nl", params={"region": "north_america"}).map
    assert section.with_evidence == 0
    assert "regio: Noord-Amerika" in section.empty
    assert section.nearest.href == "/?lang=nl"
    both = build_map_page(
        index, lang="nl", params={"region": "north_america", "design": "meta_analysis"}
    ).map
    nearer = MapQuery.from_params(dict(p.split("=") for p in both.nearest.href[2:].split("&")))
    assert (nearer.region, nearer.design) == (None, "meta_analysis")


def test_cell_panel_and_downloads_follow_the_region_filter(index):
    page = build_cell_findings(
        index, {"factor": "detention", "column": "any", "lang": "nl", "region": "europe"}
    )
    assert list(page["findings"]) == ["filter-meta-1"]
    _, _, ris = build_map_download(index, {"format": "ris", "region": "netherlands"})
    assert "ID  - filter_survey" in ris and "filter_meta" not in ris


def test_finding_cards_name_the_region_in_dutch_or_say_not_recorded(index):
    page = build_cell_findings(index, {"factor": "marriage", "column": "any", "lang": "nl"})
    cards = {fid: dict(card["facts"]) for fid, card in page["findings"].items()}
    assert cards["filter-meta-2"]["Regio van de populatie"] == "niet vastgelegd"
    page = build_cell_findings(index, {"factor": "detention", "column": "any", "lang": "nl"})
    facts = {fid: dict(card["facts"]) for fid, card in page["findings"].items()}
    assert facts["filter-survey-1"]["Regio van de populatie"] == "Nederland"
    assert facts["filter-meta-1"]["Regio van de populatie"] == "Europa"
