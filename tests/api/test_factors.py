"""Tests of /api/v1/factors."""

from __future__ import annotations


def test_list_factors_paginates_with_total(read_client):
    first = read_client.get("/api/v1/factors", params={"limit": 5}).json()
    assert len(first["items"]) == 5
    rest = read_client.get("/api/v1/factors", params={"offset": 5, "limit": 500}).json()
    assert rest["total"] == first["total"]
    assert len(rest["items"]) == first["total"] - 5
    ids = [f["id"] for f in first["items"] + rest["items"]]
    assert len(set(ids)) == first["total"]


def test_list_factors_filters_by_level(read_client):
    body = read_client.get("/api/v1/factors", params={"level": "macro", "limit": 500}).json()
    assert body["total"] > 0
    assert {f["level"] for f in body["items"]} == {"macro"}


def test_list_factors_query_text(read_client):
    body = read_client.get("/api/v1/factors", params={"q": "detention"}).json()
    assert [f["id"] for f in body["items"]] == ["detention"]


def test_list_factors_in_dutch(read_client):
    body = read_client.get("/api/v1/factors", params={"q": "detention", "lang": "nl"}).json()
    assert body["items"][0]["label"] == "Detentie"


def test_list_factors_unknown_driver_is_404_with_suggestion(read_client):
    response = read_client.get("/api/v1/factors", params={"driver": "justice_seekr"})
    assert response.status_code == 404
    assert "justice_seeker" in response.json()["suggestions"]


def test_list_factors_limit_over_max_is_422(read_client):
    response = read_client.get("/api/v1/factors", params={"limit": 501})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "limit"


def test_read_factor_has_findings(read_client):
    body = read_client.get("/api/v1/factors/detention").json()
    assert body["id"] == "detention"
    assert body["overall"]["n_findings"] == 2


def test_read_unknown_factor_is_404_with_suggestion(read_client):
    response = read_client.get("/api/v1/factors/detentoin")
    assert response.status_code == 404
    body = response.json()
    assert body["id"] == "detentoin"
    assert body["suggestions"] == ["detention"]


GAMMA_YAML = """\
id: history_gamma
type: report
authors: ["Fixture, G."]
year: 2026
title: History test fixture gamma (not a real study)
added_by: triggergraph tests
added_on: 2026-12-01
findings:
  - id: history-gamma-1
    factor: training
    drivers: [{driver: sensation_seeker, basis: proposed}]
    direction: decreases
    certainty: C
    certainty_reasons: ["test fixture; not evidence"]
    locator: n/a (test fixture)
"""


def _history_row(html: str, column: str) -> str:
    """The text of the History cell of one column's row on the factor page."""
    row = html.split(f'<tr data-column="{column}">', 1)[1].split("</tr>", 1)[0]
    return row.split('<td class="history">', 1)[1].split("</td>", 1)[0]


def test_factor_history_release_change_release_on_page_and_rest(tmp_path, settings, literature):
    from datetime import date

    from fastapi.testclient import TestClient

    from api.main import create_app
    from triggergraph.loader import load_literature
    from triggergraph.release import write_release
    from triggergraph.vocabulary import load_vocabulary

    releases = tmp_path / "releases"
    settings = settings.model_copy(update={"release_dir": releases})
    vocabulary = load_vocabulary()
    with TestClient(create_app(settings)) as client:
        # before any release: no history, and the page says where it will start
        body = client.get("/api/v1/factors/training/history").json()
        assert body["releases"] == [] and all(c["spans"] == [] for c in body["cells"])
        page = client.get("/factors/training", params={"lang": "nl"}).text
        assert "de geschiedenis van elk oordeel begint bij de eerste versie" in page

        write_release(
            load_literature(literature, vocabulary), vocabulary, "1.0", releases, date(2026, 12, 1)
        )
        (literature / "history_gamma.yaml").write_text(GAMMA_YAML, encoding="utf-8")
        second = write_release(
            load_literature(literature, vocabulary), vocabulary, "1.1", releases, date(2026, 12, 4)
        )
        now = next(
            c["now"]
            for c in second.changes
            if (c["factor"], c["column"]) == ("training", "sensation_seeker")
        )

        body = client.get("/api/v1/factors/training/history").json()
        assert [r["version"] for r in body["releases"]] == ["1.0", "1.1"]
        seeker = next(c for c in body["cells"] if c["column"] == "sensation_seeker")
        assert [(s["verdict"], s["since"]["issued"]) for s in seeker["spans"]] == [
            ("no_evidence", "2026-12-01"),
            (now, "2026-12-04"),
        ]
        assert seeker["verdict"] == now and seeker["unreleased_change"] is False

        words = {"limited": "beperkt", "moderate": "redelijk", "strong": "sterk"}
        page = client.get("/factors/training", params={"lang": "nl"}).text
        assert "begint bij de eerste uitgave" not in page
        assert _history_row(page, "sensation_seeker") == (
            f"{words.get(now, now)} sinds versie 1.1 van 2026-12-04; was: geen bewijs"
        )
        page = client.get("/factors/training").text
        assert _history_row(page, "sensation_seeker") == (
            f"{now} since release 1.1 of 2026-12-04; was: no evidence"
        )
        overall = next(
            c for c in second.changes if c["factor"] == "training" and c["column"] == "any"
        )
        assert _history_row(page, "any") == (
            f"{overall['now']} since release 1.1 of 2026-12-04; was: no evidence"
        )
        assert _history_row(page, "justice_seeker") == "no evidence since release 1.0 of 2026-12-01"


def test_factor_history_unknown_factor_is_404(read_client):
    response = read_client.get("/api/v1/factors/detentoin/history")
    assert response.status_code == 404
    assert "detention" in response.json()["suggestions"]
