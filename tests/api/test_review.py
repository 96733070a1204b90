"""Tests of review over HTTP: proposed writes, publish, reject, restore, history, entry format."""

from __future__ import annotations

import httpx
import pytest
import yaml

YAML = {"Content-Type": "application/yaml"}


def verdicts(client, **params) -> dict:
    cells = client.get("/api/v1/matrix", params=params).json()["cells"]
    return {(f, c): cell["verdict"] for f, row in cells.items() for c, cell in row.items()}


def test_post_without_publish_is_proposed_and_changes_no_public_answer(client, auth, entry_yaml):
    before = verdicts(client)
    response = client.post(
        "/api/v1/sources",
        content=entry_yaml("added_one", ["a-1", "a-2"], factor="marriage"),
        headers={**auth, **YAML},
        params={"why": "new paper", "by": "Curator, A."},
    )
    assert response.status_code == 201
    assert (response.json()["action"], response.json()["state"]) == ("proposed", "proposed")
    assert client.get("/api/v1/sources/added_one").status_code == 404
    assert client.get("/api/v1/findings/a-1").status_code == 404
    assert verdicts(client) == before
    listed = client.get("/api/v1/proposed", headers=auth).json()
    assert [i["id"] for i in listed["items"]] == ["added_one"]
    including = client.get("/api/v1/matrix/proposed", headers=auth).json()
    assert including["cells"] != client.get("/api/v1/matrix").json()["cells"]

    published = client.post(
        "/api/v1/sources/added_one/publish", params={"by": "Reviewer, B."}, headers=auth
    )
    assert published.status_code == 200 and published.json()["state"] == "published"
    assert client.get("/api/v1/findings/a-1").status_code == 200
    assert verdicts(client) != before


def test_including_proposed_map_needs_the_token(client, auth):
    assert client.get("/api/v1/matrix/proposed").status_code == 401
    wrong = {"Authorization": "Bearer wrong"}
    assert client.get("/api/v1/matrix/proposed", headers=wrong).status_code == 401
    assert client.get("/api/v1/matrix/proposed", headers=auth).status_code == 200


def test_review_reject_keeps_public_version_and_records_why(client, auth, make_entry):
    body = make_entry("fixture_beta", ["fixture-beta-1"], factor="marriage")
    body["title"] = "A proposed title"
    put = client.put("/api/v1/sources/fixture_beta", json=body, headers=auth, params={"by": "c"})
    assert put.json()["state"] == "proposed"
    proposed = client.get("/api/v1/proposed/fixture_beta", headers=auth)
    assert proposed.headers["content-type"].startswith("application/yaml")
    assert yaml.safe_load(proposed.text)["title"] == "A proposed title"
    rejected = client.post(
        "/api/v1/sources/fixture_beta/review",
        json={"decision": "reject", "by": "Reviewer, B.", "why": "the old title is right"},
        headers=auth,
    )
    assert rejected.status_code == 200 and rejected.json()["action"] == "rejected"
    assert client.get("/api/v1/sources/fixture_beta").json()["title"] != "A proposed title"
    history = client.get("/api/v1/sources/fixture_beta/history").json()
    assert [i["action"] for i in history["items"]] == ["rejected", "proposed", "loaded"]
    assert history["items"][0]["why"] == "the old title is right"
    # the rejected proposal stays readable in the history, and counts nowhere
    assert "+title: A proposed title" in history["items"][1]["diff"]


def test_review_with_bad_decision_is_422(client, auth):
    response = client.post(
        "/api/v1/sources/fixture_beta/review", json={"decision": "maybe"}, headers=auth
    )
    assert response.status_code == 422


def test_review_without_proposed_version_is_404(client, auth):
    response = client.post(
        "/api/v1/sources/fixture_beta/review", json={"decision": "publish"}, headers=auth
    )
    assert response.status_code == 404


def test_delete_then_restore_over_http(client, auth):
    deleted = client.delete(
        "/api/v1/sources/fixture_beta", params={"by": "c", "why": "duplicate"}, headers=auth
    )
    assert deleted.json()["state"] == "deleted"
    assert client.get("/api/v1/sources/fixture_beta").status_code == 404
    restored = client.post("/api/v1/sources/fixture_beta/restore", headers=auth)
    assert restored.status_code == 200
    assert client.get("/api/v1/findings/fixture-beta-1").status_code == 200
    assert client.post("/api/v1/sources/fixture_beta/restore", headers=auth).status_code == 409


@pytest.mark.parametrize(
    ("params", "accept", "media_type"),
    [
        ({"format": "entry"}, None, "application/yaml"),
        ({"format": "entry", "as": "json"}, None, "application/json"),
        ({"format": "entry"}, "application/json", "application/json"),
        ({}, "application/yaml", "application/yaml"),
    ],
)
def test_entry_get_put_round_trip_is_identity(client, auth, params, accept, media_type):
    headers = {"Accept": accept} if accept else {}
    first = client.get("/api/v1/sources/fixture_alpha", params=params, headers=headers)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith(media_type)
    put = client.put(
        "/api/v1/sources/fixture_alpha",
        content=first.content,
        headers={**auth, "Content-Type": media_type},
        params={"publish": "true"},
    )
    assert put.status_code == 200, put.text
    again = client.get("/api/v1/sources/fixture_alpha", params=params, headers=headers)
    assert again.content == first.content


def test_entry_get_unknown_source_is_404(client):
    response = client.get("/api/v1/sources/fixture_alfa", params={"format": "entry"})
    assert response.status_code == 404
    assert "fixture_alpha" in response.json()["suggestions"]


def test_put_keeps_added_by_and_records_the_editor(client, auth, make_entry):
    body = make_entry("fixture_beta", ["fixture-beta-1", "beta-2"], factor="marriage")
    body["added_by"] = "Editor, E."
    put = client.put(
        "/api/v1/sources/fixture_beta",
        json=body,
        headers=auth,
        params={"publish": "true", "why": "added a finding"},
    )
    assert put.status_code == 200
    entry = yaml.safe_load(
        client.get("/api/v1/sources/fixture_beta", params={"format": "entry"}).text
    )
    assert entry["added_by"] == "triggergraph tests"
    newest = client.get("/api/v1/sources/fixture_beta/history").json()["items"][0]
    assert (newest["by"], newest["why"], newest["action"]) == (
        "Editor, E.",
        "added a finding",
        "replaced",
    )


def test_same_doi_twice_is_409_naming_the_other_source(client, auth, make_entry):
    first = make_entry("doi_one", ["d-1"])
    first["doi"] = "10.1234/same.1"
    assert client.post("/api/v1/sources", json=first, headers=auth).status_code == 201
    second = make_entry("doi_two", ["d-2"])
    second["doi"] = "10.1234/SAME.1"
    response = client.post("/api/v1/sources", json=second, headers=auth)
    assert response.status_code == 409
    assert "doi_one" in response.json()["detail"]


@pytest.mark.server
def test_proposed_and_tombstone_survive_server_restart(api_server, auth, entry_yaml):
    server = api_server()
    url = server.url + "/api/v1/sources"
    assert httpx.delete(url + "/fixture_beta", headers=auth).status_code == 200
    response = httpx.post(url, content=entry_yaml("added_one", ["a-1"]), headers={**auth, **YAML})
    assert response.status_code == 201
    server.stop()
    server.start()
    assert httpx.get(url + "/fixture_beta").status_code == 404
    assert httpx.get(url + "/added_one").status_code == 404
    proposed = httpx.get(server.url + "/api/v1/proposed", headers=auth).json()
    assert [i["id"] for i in proposed["items"]] == ["added_one"]
    assert httpx.post(url + "/added_one/publish", headers=auth).status_code == 200
    assert httpx.get(url + "/added_one").status_code == 200
