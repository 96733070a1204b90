"""Tests of /api/v1/constructs."""

from __future__ import annotations

CONSTRUCT = "perceived_discrimination"


def test_list_constructs_searches_dutch_and_english(read_client):
    dutch = read_client.get("/api/v1/constructs", params={"q": "discriminatie", "lang": "nl"})
    english = read_client.get("/api/v1/constructs", params={"q": "discrimination"})
    assert dutch.status_code == english.status_code == 200
    assert CONSTRUCT in [c["id"] for c in dutch.json()["items"]]
    assert CONSTRUCT in [c["id"] for c in english.json()["items"]]
    item = next(c for c in dutch.json()["items"] if c["id"] == CONSTRUCT)
    assert item["label"] == item["labels"]["nl"]
    assert {"en", "nl"} <= set(item["definitions"])
    assert all(m["polarity"] in ("same", "opposite") for m in item["maps_to"])


def test_list_constructs_pages_and_counts(read_client):
    every = read_client.get("/api/v1/constructs", params={"limit": 500}).json()
    page = read_client.get("/api/v1/constructs", params={"offset": 1, "limit": 2}).json()
    assert page["total"] == every["total"] == len(every["items"])
    assert [c["id"] for c in page["items"]] == [c["id"] for c in every["items"][1:3]]


def test_list_constructs_bad_language_is_422(read_client):
    assert read_client.get("/api/v1/constructs", params={"lang": "de"}).status_code == 422


def test_read_construct_lists_findings_coded_on_it(client, auth, entry_yaml):
    body = entry_yaml("construct_src", ["construct-f1"], factor=CONSTRUCT)
    posted = client.post(
        "/api/v1/sources",
        content=body,
        params={"publish": "true"},
        headers={**auth, "Content-Type": "application/yaml"},
    )
    assert posted.status_code == 201, posted.text
    answer = client.get(f"/api/v1/constructs/{CONSTRUCT}", params={"lang": "nl"}).json()
    assert answer["id"] == CONSTRUCT
    assert [f["id"] for f in answer["findings"]] == ["construct-f1"]
    assert answer["maps_to"]


def test_read_unknown_construct_is_404_with_suggestion(read_client):
    response = read_client.get("/api/v1/constructs/perceived_discriminaton")
    assert response.status_code == 404
    assert CONSTRUCT in response.json()["suggestions"]


def test_list_constructs_shows_protective_opposites_inverted(read_client):
    page = read_client.get("/api/v1/constructs", params={"limit": 500}).json()
    opposite = [
        (c["id"], m["id"])
        for c in page["items"]
        for m in c["maps_to"]
        if m["mapping"] == "oppositeOf"
    ]
    assert opposite, "the vocabulary has protective opposites"
    assert all(
        m["polarity"] == ("opposite" if m["mapping"] == "oppositeOf" else "same")
        for c in page["items"]
        for m in c["maps_to"]
    )


def test_list_constructs_unknown_parameter_is_422(read_client):
    response = read_client.get("/api/v1/constructs", params={"qq": "x"})
    assert response.status_code == 422
