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
