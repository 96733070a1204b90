"""Tests of /curate: sign-in by token into a cookie, CSRF on every POST, drafts, checks, submit."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from triggergraph.config import Settings

BIBTEX = (
    "@article{Curate2026, author={Fixture, Curator}, title={A curation test fixture "
    "(not a real study)}, journal={Journal of Fixtures}, year={2026}, doi={10.5555/curate.1}}"
)


def sign_in(client: TestClient, token: str) -> str:
    """Sign in and return the CSRF token the form page carries."""
    response = client.post("/curate/login", data={"token": token}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get("/curate")
    assert page.status_code == 200
    return re.search(r'data-csrf="([0-9a-f]+)"', page.text).group(1)


@pytest.fixture
def csrf(client, token) -> str:
    return sign_in(client, token)


def finding(fid: str, factor: str = "detention", **extra) -> dict:
    return {
        "id": fid,
        "factor": factor,
        "direction": "increases",
        "certainty": "C",
        "certainty_reasons": ["test fixture; not evidence"],
        "locator": "p. 1",
        **extra,
    }


def draft(client, csrf) -> dict:
    response = client.post(
        "/curate/draft",
        json={"paste": BIBTEX, "added_by": "a curator"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_curate_without_session_shows_sign_in(client):
    page = client.get("/curate")
    assert page.status_code == 200
    assert 'name="token"' in page.text and "data-csrf" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_sign_in_sets_strict_httponly_cookie_without_the_token(client, token):
    response = client.post("/curate/login", data={"token": token}, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/curate" in cookie
    assert token not in cookie


def test_sign_in_wrong_token_is_401_and_sets_nothing(client):
    response = client.post("/curate/login", data={"token": "wrong"}, follow_redirects=False)
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert "Wrong write token." in response.text


def test_sign_in_from_another_origin_is_403(client, token):
    response = client.post(
        "/curate/login",
        data={"token": token},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_curate_with_writes_disabled_says_so(tmp_path, literature):
    settings = Settings(store="memory", store_path=tmp_path / "s", literature_dir=literature)
    with TestClient(create_app(settings)) as client:
        page = client.get("/curate")
        assert page.status_code == 403 and "Writes are disabled" in page.text
        assert client.post("/curate/login", data={"token": "x"}).status_code == 403


@pytest.mark.parametrize("path", ["/curate/draft", "/curate/check", "/curate/submit"])
def test_post_without_csrf_token_is_403_and_writes_nothing(client, csrf, path):
    before = client.get("/api/v1/sources").json()["total"]
    body = {"paste": BIBTEX} if path.endswith("draft") else {"id": "x"}
    for headers in ({}, {"X-CSRF-Token": "0" * 64}):
        assert client.post(path, json=body, headers=headers).status_code == 403
    assert client.get("/api/v1/sources").json()["total"] == before


@pytest.mark.parametrize("path", ["/curate/draft", "/curate/check", "/curate/submit"])
def test_post_without_session_is_401(client, path):
    assert client.post(path, json={}, headers={"X-CSRF-Token": "x"}).status_code == 401


def test_post_from_another_origin_is_403(client, csrf):
    response = client.post(
        "/curate/check",
        json={},
        headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"},
    )
    assert response.status_code == 403


def test_draft_from_bibtex_uses_key_and_fields(client, csrf):
    body = draft(client, csrf)
    assert body["id"] == "curate2026"
    assert body["doi"] == "10.5555/curate.1"
    assert body["added_by"] == "a curator"


def test_draft_from_unknown_paste_names_the_field(client, csrf):
    response = client.post("/curate/draft", json={"paste": "hello"}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "paste"


def test_check_gives_validate_errors_by_field_and_no_cell_warning(client, csrf):
    entry = draft(client, csrf)
    entry["findings"] = [
        finding("curate-1", factor="detentoin"),
        finding("curate-2", factor="institutional_trust", direction="decreases"),
    ]
    body = client.post("/curate/check", json=entry, headers={"X-CSRF-Token": csrf}).json()
    assert body["ok"] is False
    assert [(p["field"], p["suggestions"]) for p in body["problems"]] == [
        ("findings[0].factor", ["detention"])
    ]
    assert [w["field"] for w in body["warnings"]] == ["findings[1].factor"]


def test_check_finds_duplicates_by_doi_and_title(client, csrf):
    entry = draft(client, csrf)
    entry["title"] = "API test fixture ALPHA (not a real study!)"
    body = client.post("/curate/check", json=entry, headers={"X-CSRF-Token": csrf}).json()
    assert {"source_id": "fixture_alpha", "by": "title"}.items() <= body["duplicates"][0].items()


def test_submit_proposes_the_source_until_a_curator_publishes_it(client, csrf, auth):
    entry = draft(client, csrf)
    entry["findings"] = [finding("curate-1")]
    before = client.get("/api/v1/matrix").json()
    response = client.post("/curate/submit", json=entry, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.text
    assert response.json()["id"] == "curate2026"
    # proposed: no public answer changes until review
    assert client.get("/api/v1/findings/curate-1").status_code == 404
    assert client.get("/api/v1/matrix").json()["cells"] == before["cells"]
    assert client.get("/api/v1/proposed/curate2026", headers=auth).status_code == 200
    published = client.post("/api/v1/sources/curate2026/publish", headers=auth)
    assert published.status_code == 200, published.text
    assert client.get("/api/v1/findings/curate-1").status_code == 200


def test_submit_invalid_draft_is_422_and_writes_nothing(client, csrf):
    entry = draft(client, csrf)
    entry["findings"] = [finding("curate-1", certainty="E")]
    response = client.post("/curate/submit", json=entry, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "findings[0].certainty"
    assert client.get("/api/v1/sources/curate2026").status_code == 404


def test_terms_search_both_languages(client, csrf):
    terms = client.get("/curate/terms", params={"q": "detentie", "lang": "nl"}).json()
    assert terms[0]["id"] == "detention" and terms[0]["kind"] == "factor"


def test_logout_needs_csrf_and_clears_cookie(client, csrf):
    assert client.post("/curate/logout", json={}).status_code == 403
    response = client.post("/curate/logout", json={}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200
    assert 'tg_curate=""' in response.headers["set-cookie"]
