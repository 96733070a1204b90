"""Tests of /curate: sign-in by token into a cookie, CSRF on every POST, drafts, checks, submit."""

from __future__ import annotations

import json
import re
import time

import pytest
from fastapi.testclient import TestClient

from api.deps import open_curator_session, read_curator_session
from api.main import create_app
from tests.api.conftest import TOKEN
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


# ---- edit, second coder, reconcile --------------------------------------------------------
def page_state(client, path: str) -> tuple[str, dict | None]:
    """The revision a curation page was opened at, and the entry it loads (None if none)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    revision = re.search(r'data-revision="([0-9a-f]*)"', page.text).group(1)
    loaded = re.search(
        r'<script type="application/json" id="initial-entry">(.*?)</script>', page.text
    )
    return revision, json.loads(loaded.group(1)) if loaded else None


def proposed_source(client, csrf, directions: list[str]) -> dict:
    """A source entered with the form (proposed, by 'a curator'), one finding per direction."""
    entry = draft(client, csrf)
    entry["findings"] = [
        finding(f"curate-{n}", direction=d, locator=f"p. {n}") for n, d in enumerate(directions, 1)
    ]
    response = client.post("/curate/submit", json=entry, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.text
    return entry


def test_edit_loads_the_source_and_proposes_a_new_revision(client, csrf, auth):
    entry = proposed_source(client, csrf, ["increases"])
    assert client.post("/api/v1/sources/curate2026/publish", headers=auth).status_code == 200
    revision, loaded = page_state(client, "/curate/edit/curate2026")
    assert loaded["title"] == entry["title"] and loaded["findings"][0]["id"] == "curate-1"
    loaded["title"] = "An edited curation fixture (not a real study)"
    saved = client.post(
        "/curate/edit/curate2026",
        json={"draft": loaded, "revision": revision, "by": "an editor", "why": "typo"},
        headers={"X-CSRF-Token": csrf},
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["state"] == "proposed"
    # the public version stays until the edit is published
    assert client.get("/api/v1/sources/curate2026").json()["title"] == entry["title"]
    newest = client.get("/api/v1/sources/curate2026/history", headers=auth).json()["items"][0]
    assert (newest["action"], newest["by"], newest["why"]) == ("proposed", "an editor", "typo")
    assert client.post("/api/v1/sources/curate2026/publish", headers=auth).status_code == 200
    public = client.get("/api/v1/sources/curate2026").json()
    assert public["title"] == loaded["title"] and public["added_by"] == "a curator"


def test_edit_of_a_stale_form_is_412_and_writes_nothing(client, csrf, auth):
    proposed_source(client, csrf, ["increases"])
    revision, loaded = page_state(client, "/curate/edit/curate2026")
    body = {"draft": {**loaded, "title": "First edit (fixture)"}, "revision": revision, "by": "x"}
    headers = {"X-CSRF-Token": csrf}
    assert client.post("/curate/edit/curate2026", json=body, headers=headers).status_code == 200
    before = client.get("/api/v1/sources/curate2026/history", headers=auth).json()["total"]
    body["draft"]["title"] = "Second edit on the old form (fixture)"
    stale = client.post("/curate/edit/curate2026", json=body, headers=headers)
    assert stale.status_code == 412
    assert "changed by someone else since you opened it" in stale.json()["detail"]
    assert client.get("/api/v1/sources/curate2026/history", headers=auth).json()["total"] == before


def test_edit_with_errors_is_422_by_field(client, csrf):
    proposed_source(client, csrf, ["increases"])
    revision, loaded = page_state(client, "/curate/edit/curate2026")
    loaded["findings"][0]["effect"] = {"measure": "odds_ratio", "value": "big"}
    response = client.post(
        "/curate/edit/curate2026",
        json={"draft": loaded, "revision": revision, "by": "x"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["findings[0].effect.value"]


def detention_findings(client) -> int:
    return client.get("/api/v1/factors/detention").json()["overall"]["n_findings"]


def code_blind(client, csrf, directions: list[str], by: str = "a second coder", **finding_extra):
    revision, blind = page_state(client, "/curate/code/curate2026")
    blind["added_by"] = by
    blind["findings"] = [
        finding(f"second-{n}", direction=d, locator=f"p. {n}", **finding_extra)
        for n, d in enumerate(directions, 1)
    ]
    return client.post(
        "/curate/code/curate2026",
        json={"draft": blind, "revision": revision, "by": by},
        headers={"X-CSRF-Token": csrf},
    )


def test_second_coder_codes_blind_and_agreement_is_reported_per_field(client, csrf):
    proposed_source(client, csrf, ["increases", "increases", "decreases", "decreases"])
    _, blind = page_state(client, "/curate/code/curate2026")
    assert blind["findings"] == [] and "added_by" not in blind
    assert "curate-1" not in client.get("/curate/code/curate2026").text
    coded = code_blind(client, csrf, ["increases", "decreases", "decreases", "decreases"])
    assert coded.status_code == 200, coded.text
    assert coded.json()["state"] == "coding"
    report = client.get("/curate/agreement/curate2026").json()
    assert (report["coder_a"], report["coder_b"], report["paired"]) == (
        "a curator",
        "a second coder",
        4,
    )
    direction = next(f for f in report["fields"] if f["field"] == "direction")
    # hand-worked: p_o = 3/4, p_e = (2*1 + 2*3)/16 = 1/2, kappa = (3/4 - 1/2)/(1 - 1/2)
    assert (direction["agreed"], direction["percent"], direction["kappa"]) == (3, 75.0, 0.5)
    assert [
        (d["finding_a"], d["field"], d["value_a"], d["value_b"]) for d in report["differences"]
    ] == [("curate-2", "direction", "increases", "decreases")]


def test_second_coder_must_not_be_the_first_coder(client, csrf):
    proposed_source(client, csrf, ["increases"])
    response = code_blind(client, csrf, ["increases"], by="A Curator")
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "added_by"


def test_reconcile_publishes_the_picks_and_ends_proposal_and_coding(client, csrf, auth):
    proposed_source(client, csrf, ["increases", "increases"])
    extra = {"drivers": [{"driver": "meaning_seeker", "basis": "proposed"}]}
    assert code_blind(client, csrf, ["increases", "mixed"], **extra).status_code == 200
    before = detention_findings(client)
    report = client.get("/curate/agreement/curate2026").json()
    picks = {d["key"]: "a" for d in report["differences"]}
    missing = dict(list(picks.items())[1:])
    body = {"picks": missing, "revision": report["revision"], "by": "a reconciler"}
    headers = {"X-CSRF-Token": csrf}
    refused = client.post("/curate/reconcile/curate2026", json=body, headers=headers)
    assert refused.status_code == 422 and "pick coder A's or coder B's" in refused.text
    assert detention_findings(client) == before  # nothing published yet
    picks["curate-2|second-2|direction"] = "b"
    body["picks"] = picks
    done = client.post("/curate/reconcile/curate2026", json=body, headers=headers)
    assert done.status_code == 200, done.text
    assert (done.json()["action"], done.json()["state"]) == ("reconciled", "published")
    public = client.get("/api/v1/sources/curate2026", params={"format": "entry", "as": "json"})
    findings = public.json()["findings"]
    assert [f["direction"] for f in findings] == ["increases", "mixed"]
    assert all("drivers" not in f for f in findings)  # coder A's (no driver links) kept
    assert detention_findings(client) == before + 2
    assert client.get("/api/v1/proposed/curate2026", headers=auth).status_code == 404
    assert client.get("/curate/agreement/curate2026").status_code == 404  # coding reconciled
    actions = [
        c["action"]
        for c in client.get("/api/v1/sources/curate2026/history", headers=auth).json()["items"]
    ]
    assert actions == ["reconciled", "coded", "proposed"]
    again = client.post("/curate/reconcile/curate2026", json=body, headers=headers)
    assert again.status_code == 412


def test_session_ends_after_the_configured_hours(settings):
    cookie, _ = open_curator_session(settings, TOKEN, now=time.time() - 7 * 3600)
    assert read_curator_session(settings, cookie) is not None
    short = settings.model_copy(update={"curate_session_hours": 6.0})
    assert read_curator_session(short, cookie) is None
    assert Settings().curate_session_hours == 8.0
