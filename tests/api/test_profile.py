"""Tests of /api/v1/profile."""

from __future__ import annotations


def test_profile_ranks_factor_for_driver(read_client):
    body = read_client.get("/api/v1/profile", params={"driver": "justice_seeker"}).json()
    assert body["items"][0]["factor"]["id"] == "detention"


def test_profile_carries_notice(read_client):
    body = read_client.get("/api/v1/profile", params={"sex": "sex_female"}).json()
    assert body["notice"]


def test_profile_unknown_group_is_error_with_suggestion(read_client):
    response = read_client.get("/api/v1/profile", params={"age": "age_18_24"})
    assert response.status_code in (404, 422)
    assert "age_18_25" in response.text


def test_profile_group_of_wrong_dimension_is_error(read_client):
    response = read_client.get("/api/v1/profile", params={"sex": "age_18_25"})
    assert response.status_code in (404, 422)
