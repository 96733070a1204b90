"""Tests of /api/v1/findings."""

from __future__ import annotations

import pytest


def ids(response) -> list[str]:
    return [f["id"] for f in response.json()["items"]]


def test_list_findings_paginates_with_total(read_client):
    first = read_client.get("/api/v1/findings", params={"limit": 2})
    second = read_client.get("/api/v1/findings", params={"limit": 2, "offset": 2})
    assert first.json()["total"] == second.json()["total"] == 3
    assert len(set(ids(first) + ids(second))) == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"factor": "marriage"}, ["fixture-beta-1"]),
        ({"driver": "justice_seeker"}, ["fixture-alpha-1"]),
        ({"demographic": "sex_female"}, ["fixture-beta-1"]),
        ({"source": "fixture_alpha"}, ["fixture-alpha-1", "fixture-alpha-2"]),
        ({"direction": "no_association"}, ["fixture-alpha-2"]),
        ({"certainty": "C"}, ["fixture-alpha-1"]),
        ({"outcome_stage": "behaviour"}, ["fixture-alpha-1"]),
        ({"factor": "detention", "certainty": "D"}, ["fixture-alpha-2"]),
    ],
)
def test_list_findings_filters(read_client, params, expected):
    response = read_client.get("/api/v1/findings", params=params)
    assert sorted(ids(response)) == expected
    assert response.json()["total"] == len(expected)


def test_list_findings_bad_certainty_is_422(read_client):
    response = read_client.get("/api/v1/findings", params={"certainty": "E"})
    assert response.status_code == 422


def test_read_finding(read_client):
    body = read_client.get("/api/v1/findings/fixture-alpha-1").json()
    assert body["factor"]["id"] == "detention"
    assert body["drivers_stated"] == ["justice_seeker"]
    assert body["region"]["id"] == "netherlands"


def test_read_finding_region_labelled_in_the_language_or_null(read_client):
    dutch = read_client.get("/api/v1/findings/fixture-alpha-1", params={"lang": "nl"}).json()
    assert dutch["region"]["label"] == "Nederland"
    assert read_client.get("/api/v1/findings/fixture-alpha-2").json()["region"] is None


def test_read_unknown_finding_is_404_with_suggestion(read_client):
    response = read_client.get("/api/v1/findings/fixture-alpha-9")
    assert response.status_code == 404
    assert "fixture-alpha-1" in response.json()["suggestions"]
