"""Tests of /api/v1/gaps."""

from __future__ import annotations


def test_gaps_lists_empty_factors(read_client):
    body = read_client.get("/api/v1/gaps").json()
    empty = {g["factor"] for g in body["empty"]}
    assert "confrontation_with_death" in empty
    assert "detention" not in {g["factor"] for g in body["empty"] if g["column"] == "any"}


def test_gaps_bad_lang_is_422(read_client):
    assert read_client.get("/api/v1/gaps", params={"lang": "fr"}).status_code == 422
