"""The page routes: HTML answers, 404 with suggestions, 400 for bad parameters, static assets."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?lang=nl",
        "/network",
        "/profile",
        "/factors/detention",
        "/constructs/perceived_discrimination",
    ],
)
def test_page_route_answers_html(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<main" in response.text


def test_source_page_route_shows_fixture_source(client):
    source_id = client.get("/api/v1/sources").json()["items"][0]["id"]
    response = client.get(f"/sources/{source_id}")
    assert response.status_code == 200 and source_id in response.text


def test_factor_page_route_unknown_id_is_404_with_suggestion(client):
    response = client.get("/factors/detentoin?lang=nl")
    assert response.status_code == 404
    assert 'href="/factors/detention?lang=nl"' in response.text


def test_source_page_route_unknown_id_is_404(client):
    response = client.get("/sources/%3Cscript%3E")
    assert response.status_code == 404
    assert "<script>" not in response.text.split("</head>")[1]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/?level=mikro", "level"),
        ("/?lang=de", "lang"),
        ("/network?driver=x", "driver"),
        ("/profile?age=old", "age"),
    ],
)
def test_page_route_bad_parameter_is_400_naming_it(client, path, field):
    response = client.get(path)
    assert response.status_code == 400
    assert f"{field}:" in response.text


def test_static_route_serves_assets_and_refuses_others(client):
    css = client.get("/static/viewer/viewer.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    vis = client.get("/static/viewer/vendor/vis-network.min.js")
    assert vis.status_code == 200 and "javascript" in vis.headers["content-type"]
    assert client.get("/static/viewer/nothing.js").status_code == 404
    assert client.get("/static/viewer/..%2Fhtml.py").status_code == 404


NOTICE = {
    "nl": "Het kan niet voorspellen wat één persoon zal doen en het is geen risicotaxatie",
    "en": "It cannot predict what one person will do and it is no risk assessment",
}
PRACTITIONER_ROUTES = [
    "/",
    "/network",
    "/profile",
    "/profile?driver=justice_seeker",
    "/factors/detention",
    "/constructs/perceived_discrimination",
    "/about/population-evidence",
    "/gaps",
    "/factors/detentoin",
]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", PRACTITIONER_ROUTES)
def test_page_route_shows_population_notice_with_link(client, path, lang):
    sep = "&" if "?" in path else "?"
    response = client.get(f"{path}{sep}lang={lang}")
    assert response.status_code in (200, 404)
    main = response.text.split("<main", 1)[1]
    notice = main.split('id="notice"', 1)[1].split("</aside>", 1)[0]
    assert NOTICE[lang] in notice
    assert f'href="/about/population-evidence?lang={lang}"' in notice


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_source_page_route_shows_population_notice(client, lang):
    source_id = client.get("/api/v1/sources").json()["items"][0]["id"]
    response = client.get(f"/sources/{source_id}?lang={lang}")
    assert NOTICE[lang] in response.text.split('id="notice"', 1)[1]


def test_about_page_route_explains_population_evidence(client):
    nl = client.get("/about/population-evidence?lang=nl").text
    en = client.get("/about/population-evidence").text
    assert "<h1>Populatiebewijs is geen voorspelling</h1>" in nl
    assert "<h1>Population evidence is not a prediction</h1>" in en


def test_map_cell_route_pages_findings_as_json(client):
    response = client.get("/map/cell?factor=detention&column=any&lang=nl&limit=1")
    assert response.status_code == 200
    body = response.json()
    assert body["factor"] == "detention" and body["column"] == "any"
    assert len(body["counted"]) == min(1, body["total"])
    assert set(body["findings"]) == {c["id"] for c in body["counted"]}


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("factor=detentoin&column=any", 404),
        ("factor=detention&column=nobody", 422),
        ("factor=detention&column=any&limit=x", 422),
        ("factor=detention&column=any&lang=de", 422),
    ],
)
def test_map_cell_route_bad_query_is_json_4xx(client, query, status):
    response = client.get(f"/map/cell?{query}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")


def test_map_download_route_sends_csv_attachment(client):
    response = client.get("/map/download?format=csv&lang=nl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="triggergraph-map.csv"' in response.headers["content-disposition"]
    assert response.text.startswith("factor,factor_label,level,column")
    assert client.get("/map/download?format=xlsx").status_code == 422


def test_gaps_page_route_lists_three_kinds_linking_cells(client):
    response = client.get("/gaps?lang=nl")
    assert response.status_code == 200
    for kind in ("not_studied", "not_encoded", "filtered"):
        assert f'id="gaps-{kind}"' in response.text
    assert "#cell=detention:" in response.text
    assert client.get("/gaps?stage=x").status_code == 400
