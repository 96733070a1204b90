"""Tests of /api/v1/drivers."""

from __future__ import annotations


def test_list_drivers_has_four(read_client):
    body = read_client.get("/api/v1/drivers").json()
    assert body["total"] == 4
    ids = [d["id"] for d in body["items"]]
    assert ids == ["identity_seeker", "justice_seeker", "meaning_seeker", "sensation_seeker"]


def test_read_driver_ranks_factors(read_client):
    body = read_client.get("/api/v1/drivers/justice_seeker").json()
    assert body["factors"][0]["factor"]["id"] == "detention"


def test_read_unknown_driver_is_404_with_suggestion(read_client):
    response = read_client.get("/api/v1/drivers/justice_seekr")
    assert response.status_code == 404
    assert "justice_seeker" in response.json()["suggestions"]
