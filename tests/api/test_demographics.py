"""Tests of /api/v1/demographics."""

from __future__ import annotations


def test_demographics_lists_dimensions_and_groups(read_client):
    body = read_client.get("/api/v1/demographics").json()
    assert body["total"] == 3
    dimensions = {d["id"]: [v["id"] for v in d["values"]] for d in body["dimensions"]}
    assert dimensions["sex"] == ["sex_male", "sex_female"]
    assert "age_18_25" in dimensions["age"]
    assert set(dimensions) == {"sex", "age", "education"}


def test_demographics_in_dutch(read_client):
    body = read_client.get("/api/v1/demographics", params={"lang": "nl"}).json()
    assert body["dimensions"][0]["label"] == "Geslacht"
