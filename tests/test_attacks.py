"""HTTP-level attacks: forged writes, SPARQL updates, runaway queries, filter injection, huge bodies.

Every attack must end in a clear 4xx (never a 5xx) and leave the store exactly as it was.
The in-process tests use the embedded Oxigraph store; the ``server`` tests repeat the
attacks against a real uvicorn process.
"""

from __future__ import annotations

import base64
import shutil
import socket
import statistics
import threading
import time
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset
from rdflib.namespace import DCTERMS

from api.deps import open_curator_session
from api.main import create_app
from tests.api.conftest import (
    FIXTURES,
    TOKEN,
    ApiProcess,
    api_server_process,
    entry_yaml,
    make_entry,
)
from triggergraph.config import Settings

ALPHA, BETA = "fixture_alpha", "fixture_beta"
ALPHA_FINDING, BETA_FINDING = "fixture-alpha-1", "fixture-beta-1"
#: The write token, for the curator-only reads an injection sweep must also reach.
CURATOR = {"Authorization": f"Bearer {TOKEN}"}


# ---- fixtures ------------------------------------------------------------------------------
def _literature(root):
    folder = root / "literature"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture(scope="module")
def attack_client(tmp_path_factory):
    """The app in process on the embedded Oxigraph store, with a write token."""
    root = tmp_path_factory.mktemp("attacks")
    settings = Settings(
        store="oxigraph",
        store_path=root / "store",
        literature_dir=_literature(root),
        api_token=TOKEN,
        version_check_interval_s=60,
        max_body_bytes=20_000,
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module", params=[None, ""], ids=["unset", "empty"])
def tokenless_client(request, tmp_path_factory):
    """The app with no write token configured (writes are off)."""
    root = tmp_path_factory.mktemp("tokenless")
    settings = Settings(
        store="memory",
        literature_dir=_literature(root),
        api_token=request.param,
        version_check_interval_s=60,
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def attack_server(tmp_path_factory):
    """The app under a real uvicorn process with the embedded Oxigraph store and a write token."""
    root = tmp_path_factory.mktemp("attack-server")
    env = {
        "TRIGGERGRAPH_STORE": "oxigraph",
        "TRIGGERGRAPH_STORE_PATH": str(root / "store"),
        "TRIGGERGRAPH_LITERATURE_DIR": str(_literature(root)),
        "TRIGGERGRAPH_MAX_BODY_BYTES": "20000",
        "TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S": "0.2",
    }
    server = api_server_process(env, root / "server.log").start()
    try:
        yield server
    finally:
        server.stop()


def snapshot(client: TestClient) -> tuple[str, str]:
    """The stored dataset and the data version, read from the store itself."""
    store = client.app.state.service.store
    return store.dump_nquads(), store.version()


def server_snapshot(server: ApiProcess) -> tuple[bytes, str]:
    """The dataset and data version a real server reports (export and /health)."""
    dump = httpx.get(server.url + "/api/v1/export", params={"format": "nquads"}, timeout=30)
    health = httpx.get(server.url + "/health", timeout=30)
    assert dump.status_code == 200 and health.status_code == 200
    return dump.content, health.json()["version"]


def assert_json_error(response: httpx.Response, *statuses: int) -> dict:
    """A JSON error body with one of ``statuses``; never HTML, never a 5xx."""
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert body["error"] and isinstance(body["detail"], str)
    return body


# ---- forged and misdirected writes ---------------------------------------------------------
def _basic(value: str) -> str:
    return "Basic " + base64.b64encode(value.encode()).decode()


#: Authorization headers that must not allow a write (None: no header at all).
BAD_AUTH: dict[str, str | None] = {
    "missing": None,
    "empty-header": "",
    "bearer-empty": "Bearer",
    "bearer-wrong": "Bearer wrong-token",
    "bearer-1mb": "Bearer " + "A" * 1_000_000,
    "bearer-upper-case-token": "Bearer " + TOKEN.upper(),
    "bearer-prefix-of-token": "Bearer " + TOKEN[:-1],
    "bearer-token-plus-char": "Bearer " + TOKEN + "0",
    "bearer-token-twice": f"Bearer {TOKEN} {TOKEN}",
    "bearer-space-inside-token": "Bearer " + TOKEN[:4] + " " + TOKEN[4:],
    "bearer-no-space": "Bearer" + TOKEN,
    "token-alone": TOKEN,
    "basic-base64": _basic(TOKEN),
    "basic-user-pass": _basic(f"admin:{TOKEN}"),
    "basic-raw": "Basic " + TOKEN,
    "token-scheme": "Token " + TOKEN,
    "digest-scheme": f'Digest username="admin", response="{TOKEN}"',
}

#: Other places a client might try to put the token; the server never looks there.
TOKEN_ELSEWHERE: dict[str, dict] = {
    "query-token": {"params": {"token": TOKEN}},
    "query-access-token": {"params": {"access_token": TOKEN}},
    "query-api-token": {"params": {"api_token": TOKEN}},
    "x-api-token-header": {"headers": {"X-API-Token": TOKEN}},
    "x-auth-token-header": {"headers": {"X-Auth-Token": TOKEN}},
    "cookie": {"headers": {"Cookie": f"token={TOKEN}; access_token={TOKEN}"}},
}


#: A valid construct proposal (see tests/api/test_constructs.py).
CONSTRUCT_PROPOSAL = (
    b'{"id": "attack_construct", "label": {"en": "A", "nl": "B"}, '
    b'"definition": {"en": "C", "nl": "D"}, "level": "micro", "reason": "E", "proposed_by": "F"}'
)


def write_requests() -> list[tuple[str, str, bytes | None]]:
    """One request per write route (and curator-only read): a valid new source (proposed and
    published at once), a valid replacement, a delete, a review, a publish, a restore, the
    review queue, a proposed version, and a construct proposal, its review and the curators'
    list of them."""
    return [
        ("POST", "/api/v1/sources", entry_yaml("attack_new", ["attack-new-1"])),
        ("POST", "/api/v1/sources?publish=true", entry_yaml("attack_new", ["attack-new-1"])),
        ("PUT", f"/api/v1/sources/{ALPHA}", entry_yaml(ALPHA, [ALPHA_FINDING])),
        ("PUT", f"/api/v1/sources/{ALPHA}?publish=true", entry_yaml(ALPHA, [ALPHA_FINDING])),
        ("DELETE", f"/api/v1/sources/{ALPHA}", None),
        ("POST", f"/api/v1/sources/{ALPHA}/review", b'{"decision": "publish"}'),
        ("POST", f"/api/v1/sources/{ALPHA}/publish", None),
        ("POST", f"/api/v1/sources/{ALPHA}/restore", None),
        ("GET", "/api/v1/proposed", None),
        ("GET", f"/api/v1/proposed/{ALPHA}", None),
        ("GET", "/api/v1/matrix/proposed", None),
        ("POST", "/api/v1/construct-proposals", CONSTRUCT_PROPOSAL),
        ("POST", "/api/v1/construct-proposals/attack_construct/review", b'{"decision": "publish"}'),
        ("GET", "/api/v1/construct-proposals", None),
    ]


WRITE_IDS = [
    "post",
    "post-publish",
    "put",
    "put-publish",
    "delete",
    "review",
    "publish",
    "restore",
    "proposed-list",
    "proposed-entry",
    "matrix-proposed",
    "construct-propose",
    "construct-review",
    "construct-proposals",
]


def send_write(client, method: str, path: str, body: bytes | None, **extra) -> httpx.Response:
    kind = "application/json" if body and body.startswith(b"{") else "application/yaml"
    headers = {"Content-Type": kind, **extra.pop("headers", {})}
    return client.request(method, path, content=body, headers=headers, **extra)


@pytest.mark.parametrize("write", write_requests(), ids=WRITE_IDS)
@pytest.mark.parametrize("auth_name", list(BAD_AUTH))
def test_write_with_bad_authorization_is_401_store_unchanged(attack_client, write, auth_name):
    value = BAD_AUTH[auth_name]
    headers = {} if value is None else {"Authorization": value}
    before = snapshot(attack_client)
    response = send_write(attack_client, *write, headers=headers)
    body = assert_json_error(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert TOKEN not in response.text
    assert "Bearer" in body["detail"] or "token" in body["detail"]
    assert snapshot(attack_client) == before


@pytest.mark.parametrize("write", write_requests(), ids=WRITE_IDS)
@pytest.mark.parametrize("place", list(TOKEN_ELSEWHERE))
def test_write_with_token_outside_the_header_is_401_store_unchanged(attack_client, write, place):
    before = snapshot(attack_client)
    response = send_write(attack_client, *write, **dict(TOKEN_ELSEWHERE[place]))
    assert_json_error(response, 401)
    assert snapshot(attack_client) == before


@pytest.mark.parametrize("write", write_requests(), ids=WRITE_IDS)
@pytest.mark.parametrize(
    "auth_value", [None, f"Bearer {TOKEN}", "Bearer", "Bearer anything"], ids=str
)
def test_write_without_configured_token_is_403_store_unchanged(tokenless_client, write, auth_value):
    headers = {} if auth_value is None else {"Authorization": auth_value}
    before = snapshot(tokenless_client)
    response = send_write(tokenless_client, *write, headers=headers)
    body = assert_json_error(response, 403)
    assert "TRIGGERGRAPH_API_TOKEN" in body["detail"]
    assert snapshot(tokenless_client) == before


# ---- the curation form: cookie session and CSRF token -----------------------------------------
def _curate_session(client: TestClient) -> tuple[str, str]:
    """Sign in with the write token; return (cookie value, CSRF token)."""
    client.cookies.clear()
    response = client.post("/curate/login", data={"token": TOKEN}, follow_redirects=False)
    cookie = response.cookies["tg_curate"]
    page = client.get("/curate", cookies={"tg_curate": cookie})
    csrf = page.text.split('data-csrf="', 1)[1].split('"', 1)[0]
    client.cookies.clear()
    return cookie, csrf


def _forged_cookie(cookie: str) -> str:
    nonce, mac = cookie.rsplit(".", 1)
    return f"{nonce}.{'0' * len(mac)}"


def _expired_cookie(_cookie: str) -> str:
    """A correctly signed session cookie issued nine hours ago (sessions last eight)."""
    cookie, _ = open_curator_session(Settings(api_token=TOKEN), TOKEN, now=time.time() - 9 * 3600)
    return cookie


def _later_issue_cookie(cookie: str) -> str:
    """The cookie with its issue time moved forward without re-signing it."""
    random, _issued, mac = cookie.split(".")
    return f"{random}.{int(time.time()) + 3600}.{mac}"


#: a session cookie (or none) and the headers of a forged curation POST, with the status due
CURATE_FORGERIES = {
    "no-cookie": (lambda c: None, lambda t: {"X-CSRF-Token": t}, 401),
    "forged-cookie-mac": (_forged_cookie, lambda t: {"X-CSRF-Token": t}, 401),
    "cookie-is-the-token": (lambda c: TOKEN, lambda t: {"X-CSRF-Token": t}, 401),
    "expired-session": (_expired_cookie, lambda t: {"X-CSRF-Token": t}, 401),
    "issue-time-moved": (_later_issue_cookie, lambda t: {"X-CSRF-Token": t}, 401),
    "no-csrf-token": (lambda c: c, lambda t: {}, 403),
    "wrong-csrf-token": (lambda c: c, lambda t: {"X-CSRF-Token": "0" * len(t)}, 403),
    "csrf-token-in-query-only": (lambda c: c, lambda t: {}, 403),
    "other-origin": (
        lambda c: c,
        lambda t: {"X-CSRF-Token": t, "Origin": "https://evil.example"},
        403,
    ),
    "bearer-token-instead-of-session": (
        lambda c: None,
        lambda t: {"Authorization": f"Bearer {TOKEN}", "X-CSRF-Token": t},
        401,
    ),
}


@pytest.mark.parametrize("name", list(CURATE_FORGERIES))
def test_curate_submit_forged_is_refused_store_unchanged(attack_client, name):
    make_cookie, make_headers, status = CURATE_FORGERIES[name]
    cookie, csrf = _curate_session(attack_client)
    sent = make_cookie(cookie)
    body = make_entry("curate_attack", ["curate-attack-1"])
    before = snapshot(attack_client)
    response = attack_client.post(
        "/curate/submit",
        json=body,
        headers=make_headers(csrf),
        cookies={"tg_curate": sent} if sent else {},
        params={"csrf": csrf} if name == "csrf-token-in-query-only" else {},
    )
    assert_json_error(response, status)
    assert TOKEN not in response.text
    assert snapshot(attack_client) == before


def test_curate_submit_without_configured_token_is_403(tokenless_client):
    before = snapshot(tokenless_client)
    response = tokenless_client.post(
        "/curate/submit",
        json=make_entry("curate_attack", ["curate-attack-1"]),
        cookies={"tg_curate": "abc.def"},
        headers={"X-CSRF-Token": "x"},
    )
    assert_json_error(response, 403)
    assert snapshot(tokenless_client) == before


def test_curate_submit_with_session_and_csrf_passes(attack_client):
    cookie, csrf = _curate_session(attack_client)
    response = attack_client.post(
        "/curate/submit",
        json=make_entry("curate_ok", ["curate-ok-1"]),
        headers={"X-CSRF-Token": csrf},
        cookies={"tg_curate": cookie},
    )
    assert response.status_code == 201, response.text
    assert (
        attack_client.delete(
            "/api/v1/sources/curate_ok", headers={"Authorization": f"Bearer {TOKEN}"}
        ).status_code
        == 200
    )


#: the form posts added for edit, second coding and reconcile, with a well-formed body each
NEW_CURATE_POSTS = {
    "edit": (
        f"/curate/edit/{ALPHA}",
        {"draft": make_entry(ALPHA, [ALPHA_FINDING]), "revision": "x", "by": "m"},
    ),
    "code": (
        f"/curate/code/{ALPHA}",
        {"draft": make_entry(ALPHA, [ALPHA_FINDING]), "revision": "x", "by": "m"},
    ),
    "reconcile": (f"/curate/reconcile/{ALPHA}", {"picks": {}, "revision": "x", "by": "m"}),
}
#: a handful of representative forgeries per new path (the full set runs on /curate/submit)
NEW_PATH_FORGERIES = ["no-cookie", "expired-session", "wrong-csrf-token", "other-origin"]


@pytest.mark.parametrize("name", NEW_PATH_FORGERIES)
@pytest.mark.parametrize("post", list(NEW_CURATE_POSTS))
def test_new_curate_posts_forged_are_refused_store_unchanged(attack_client, post, name):
    make_cookie, make_headers, status = CURATE_FORGERIES[name]
    path, body = NEW_CURATE_POSTS[post]
    cookie, csrf = _curate_session(attack_client)
    sent = make_cookie(cookie)
    before = snapshot(attack_client)
    response = attack_client.post(
        path, json=body, headers=make_headers(csrf), cookies={"tg_curate": sent} if sent else {}
    )
    assert_json_error(response, status)
    assert snapshot(attack_client) == before


@pytest.mark.parametrize("page", ["/curate", f"/curate/edit/{ALPHA}", f"/curate/reconcile/{ALPHA}"])
def test_curate_pages_with_expired_session_ask_to_sign_in_again(attack_client, page):
    response = attack_client.get(page, cookies={"tg_curate": _expired_cookie("")})
    attack_client.cookies.clear()
    assert response.status_code == 200
    assert 'name="token"' in response.text and "data-csrf" not in response.text
    assert "Your session has ended; sign in again." in response.text


def test_markup_in_every_new_form_field_is_served_escaped(attack_client):
    """Markup typed into the form (entry fields, coder, reason, a second coder's finding) is
    stored as text and shown escaped on the edit, code and reconcile pages."""
    cookie, csrf = _curate_session(attack_client)
    attack_client.cookies.set("tg_curate", cookie, path="/curate")
    headers = {"X-CSRF-Token": csrf}
    entry = make_entry("curate_xss", ["curate-xss-1"])
    entry["title"] = XSS
    entry["venue"] = XSS
    entry["context_notes"] = [{"text": XSS, "locator": XSS}]
    finding = entry["findings"][0]
    finding.update(locator=XSS, note=XSS, population=XSS, outcome=XSS)
    finding["certainty_reasons"] = [XSS]
    finding["drivers"][0]["term_in_source"] = XSS
    finding["effect"] = {"measure": "odds_ratio", "value": 1.2, "text": XSS}
    try:
        submitted = attack_client.post("/curate/submit", json=entry, headers=headers)
        assert submitted.status_code == 201, submitted.text
        edit = attack_client.get("/curate/edit/curate_xss")
        revision = edit.text.split('data-revision="', 1)[1].split('"', 1)[0]
        saved = attack_client.post(
            "/curate/edit/curate_xss",
            json={"draft": entry, "revision": revision, "by": XSS, "why": XSS},
            headers=headers,
        )
        assert saved.status_code == 200, saved.text
        code = attack_client.get("/curate/code/curate_xss")
        revision = code.text.split('data-revision="', 1)[1].split('"', 1)[0]
        second = {**entry, "added_by": XSS}
        second["findings"] = [{**finding, "id": "curate-xss-2", "locator": XSS + "2"}]
        coded = attack_client.post(
            "/curate/code/curate_xss",
            json={"draft": second, "revision": revision, "by": XSS},
            headers=headers,
        )
        assert coded.status_code == 200, coded.text
        for page in ("/curate/edit/curate_xss", "/curate/code/curate_xss"):
            text = attack_client.get(page).text
            assert "<script>alert" not in text and "<img src=x" not in text
        reconcile = attack_client.get("/curate/reconcile/curate_xss").text
        assert "<script>alert" not in reconcile and "<img src=x" not in reconcile
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reconcile  # coder B and the locator
    finally:
        attack_client.cookies.clear()
        auth = {"Authorization": f"Bearer {TOKEN}"}
        attack_client.delete("/api/v1/sources/curate_xss", headers=auth)


def _entry(source_id: str, finding_ids: list[str]) -> bytes:
    return entry_yaml(source_id, finding_ids)


#: Writes with the right token that try to overwrite something they must not.
OVERWRITES = {
    "put-url-a-body-b": ("PUT", f"/api/v1/sources/{ALPHA}", _entry(BETA, [BETA_FINDING]), 409),
    "put-url-new-body-existing": ("PUT", "/api/v1/sources/brand_new", _entry(BETA, ["x-1"]), 409),
    "put-url-a-body-new": ("PUT", f"/api/v1/sources/{ALPHA}", _entry("brand_new", ["x-2"]), 409),
    "put-unknown-id": ("PUT", "/api/v1/sources/brand_new", _entry("brand_new", ["x-3"]), 404),
    "put-other-case-id": ("PUT", "/api/v1/sources/Fixture_Alpha", _entry(ALPHA, ["x-4"]), 409),
    "put-steals-finding": (
        "PUT",
        f"/api/v1/sources/{ALPHA}",
        _entry(ALPHA, [ALPHA_FINDING, BETA_FINDING]),
        409,
    ),
    "post-existing-id": ("POST", "/api/v1/sources", _entry(ALPHA, ["x-5"]), 409),
    "post-steals-finding": ("POST", "/api/v1/sources", _entry("thief", [BETA_FINDING]), 409),
    "post-reserved-vocabulary": ("POST", "/api/v1/sources", _entry("vocabulary", ["x-6"]), 409),
    "post-reserved-meta": ("POST", "/api/v1/sources", _entry("meta", ["x-7"]), 409),
    "post-path-traversal-id": ("POST", "/api/v1/sources", _entry("../meta", ["x-8"]), 422),
    "post-iri-breaking-id": ("POST", "/api/v1/sources", _entry("a> <b", ["x-9"]), 422),
    "post-duplicate-finding-in-body": (
        "POST",
        "/api/v1/sources",
        _entry("dup_inside", ["x-10", "x-10"]),
        422,
    ),
    "put-proposed-steals-finding": (
        "PUT",
        f"/api/v1/sources/{BETA}",
        _entry(BETA, [BETA_FINDING, ALPHA_FINDING]),
        409,
    ),
    "publish-nothing-proposed": ("POST", f"/api/v1/sources/{ALPHA}/publish", None, 404),
    "review-nothing-proposed": (
        "POST",
        f"/api/v1/sources/{ALPHA}/review",
        b'{"decision": "publish"}',
        404,
    ),
    "review-unknown-decision": (
        "POST",
        f"/api/v1/sources/{ALPHA}/review",
        b'{"decision": "approve"}',
        422,
    ),
    "restore-not-deleted": ("POST", f"/api/v1/sources/{ALPHA}/restore", None, 409),
    "restore-never-there": ("POST", "/api/v1/sources/no_such_source/restore", None, 404),
    "delete-unknown": ("DELETE", "/api/v1/sources/no_such_source", None, 404),
    "delete-reserved-meta": ("DELETE", "/api/v1/sources/meta", None, 404),
    "delete-encoded-traversal": ("DELETE", "/api/v1/sources/..%2Fmeta", None, 404),
}


@pytest.mark.parametrize("name", list(OVERWRITES))
def test_write_that_would_overwrite_other_data_is_refused_store_unchanged(attack_client, name):
    method, path, body, status = OVERWRITES[name]
    before = snapshot(attack_client)
    response = send_write(
        attack_client, method, path, body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert_json_error(response, status)
    assert snapshot(attack_client) == before


def test_refusals_are_not_a_blanket_block_valid_write_passes(attack_client):
    """The refusals above are meaningful only if the same route accepts a proper write."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    created = send_write(
        attack_client, "POST", "/api/v1/sources", _entry("attack_ok", ["ok-1"]), headers=auth
    )
    assert created.status_code == 201, created.text
    published = attack_client.post("/api/v1/sources/attack_ok/publish", headers=auth)
    assert published.status_code == 200, published.text
    deleted = attack_client.delete("/api/v1/sources/attack_ok", headers=auth)
    assert deleted.status_code == 200
    restored = attack_client.post("/api/v1/sources/attack_ok/restore", headers=auth)
    assert restored.status_code == 200, restored.text
    assert attack_client.delete("/api/v1/sources/attack_ok", headers=auth).status_code == 200


XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_markup_in_who_and_why_comes_back_as_inert_json(attack_client):
    """``by`` and ``why`` are stored as given and only ever served as JSON (nosniff)."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = _entry("attack_xss", ["xss-1"])
    params = {"by": XSS, "why": XSS}
    created = send_write(
        attack_client, "POST", "/api/v1/sources", body, headers=auth, params=params
    )
    assert created.status_code == 201, created.text
    history = attack_client.get("/api/v1/sources/attack_xss/history", headers=auth)
    assert history.headers["content-type"] == "application/json"
    assert history.headers["x-content-type-options"] == "nosniff"
    newest = history.json()["items"][0]
    assert (newest["by"], newest["why"]) == (XSS, XSS)
    rejected = attack_client.post(
        "/api/v1/sources/attack_xss/review", json={"decision": "reject", "why": XSS}, headers=auth
    )
    assert rejected.status_code == 200


@pytest.mark.server
def test_refused_writes_on_real_server_leave_store_unchanged(attack_server):
    before = server_snapshot(attack_server)
    seen: list[int] = []
    with httpx.Client(base_url=attack_server.url, timeout=30) as http:
        for write in write_requests():
            for value in BAD_AUTH.values():
                headers = {} if value is None else {"Authorization": value}
                seen.append(send_write(http, *write, headers=headers).status_code)
            for extra in TOKEN_ELSEWHERE.values():
                seen.append(send_write(http, *write, **dict(extra)).status_code)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        for method, path, body, status in OVERWRITES.values():
            response = send_write(http, method, path, body, headers=auth)
            assert response.status_code == status, (method, path, response.text[:300])
            seen.append(response.status_code)
    # a 1 MB header may be cut off by the HTTP server itself; that is still a 4xx
    assert all(400 <= code < 500 for code in seen), sorted(set(seen))
    assert seen.count(401) >= len(write_requests()) * (len(BAD_AUTH) + len(TOKEN_ELSEWHERE)) - 3
    assert server_snapshot(attack_server) == before


# ---- SPARQL: updates, SERVICE, dataset clauses -------------------------------------------
UPDATES = {
    "insert-data": "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }",
    "delete-data": "DELETE DATA { GRAPH <http://127.0.0.1:8000/graph/fixture_alpha> "
    "{ <urn:a> <urn:b> <urn:c> } }",
    "delete-where": "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "modify": "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p 1 } } "
    "WHERE { GRAPH ?g { ?s ?p ?o } }",
    "load": "LOAD <http://127.0.0.1:1/data.ttl>",
    "load-file": "LOAD <file:///etc/passwd> INTO GRAPH <urn:x>",
    "clear-all": "CLEAR ALL",
    "clear-default": "CLEAR DEFAULT",
    "drop-all": "DROP ALL",
    "drop-graph": "DROP GRAPH <http://127.0.0.1:8000/graph/fixture_alpha>",
    "create": "CREATE GRAPH <urn:x>",
    "add": "ADD <http://127.0.0.1:8000/graph/fixture_alpha> TO <urn:x>",
    "move": "MOVE <http://127.0.0.1:8000/graph/fixture_alpha> TO <urn:x>",
    "copy": "COPY <http://127.0.0.1:8000/graph/fixture_beta> TO "
    "<http://127.0.0.1:8000/graph/fixture_alpha>",
    "two-ops": "CLEAR ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "lowercase": "drop all",
    "prefixed": "PREFIX x: <urn:x#> DROP SILENT GRAPH x:g",
}


def _sparql_request(client, transport: str, text: str) -> httpx.Response:
    if transport == "get-query":
        return client.get("/sparql", params={"query": text})
    if transport == "get-update":
        return client.get("/sparql", params={"update": text})
    if transport == "post-form-query":
        return client.post("/sparql", data={"query": text})
    if transport == "post-form-update":
        return client.post("/sparql", data={"update": text})
    if transport == "post-form-both":
        return client.post("/sparql", data={"query": "ASK {}", "update": text})
    if transport == "post-sparql-update":
        return client.post(
            "/sparql", content=text, headers={"Content-Type": "application/sparql-update"}
        )
    if transport == "post-sparql-query":
        return client.post(
            "/sparql", content=text, headers={"Content-Type": "application/sparql-query"}
        )
    raise AssertionError(transport)


SPARQL_TRANSPORTS = [
    "get-query",
    "get-update",
    "post-form-query",
    "post-form-update",
    "post-form-both",
    "post-sparql-update",
    "post-sparql-query",
]
READ_TRANSPORTS = ["get-query", "post-form-query", "post-sparql-query"]


@pytest.mark.parametrize("transport", SPARQL_TRANSPORTS)
@pytest.mark.parametrize("update", list(UPDATES))
def test_sparql_update_is_400_store_unchanged(attack_client, update, transport):
    before = snapshot(attack_client)
    response = _sparql_request(attack_client, transport, UPDATES[update])
    body = assert_json_error(response, 400)
    assert "read-only" in body["detail"] or "update" in body["detail"].lower()
    assert snapshot(attack_client) == before


class Listener:
    """A TCP socket on 127.0.0.1 that records whether anything connected to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                return count
            conn.close()
            count += 1

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener():
    probe = Listener()
    yield probe
    probe.close()


FEDERATED = {
    "service": "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "service-silent": "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "service-lowercase": "select * where { service <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "service-in-optional": "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE <http://127.0.0.1:{port}/>"
    " { ?a ?p ?o } } } LIMIT 1",
    "service-in-subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:{port}/>"
    " { ?s ?p ?o } } } }",
    "service-variable": "SELECT * WHERE { VALUES ?e { <http://127.0.0.1:{port}/> } "
    "SERVICE ?e { ?s ?p ?o } }",
    "service-in-ask": "ASK { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "service-in-construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:{port}/> "
    "{ ?s ?p ?o } }",
}


@pytest.mark.parametrize("transport", READ_TRANSPORTS)
@pytest.mark.parametrize("name", list(FEDERATED))
def test_sparql_service_clause_is_400_and_nothing_is_contacted(
    attack_client, listener, name, transport
):
    query = FEDERATED[name].replace("{port}", str(listener.port))
    response = _sparql_request(attack_client, transport, query)
    body = assert_json_error(response, 400)
    assert "SERVICE" in body["detail"]
    assert listener.connections() == 0


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://127.0.0.1:{port}/x.ttl> WHERE { ?s ?p ?o } LIMIT 1",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/x.ttl> WHERE { GRAPH ?g { ?s ?p ?o } } "
        "LIMIT 1",
        "DESCRIBE <http://127.0.0.1:{port}/x>",
    ],
    ids=["from", "from-named", "describe-remote-iri"],
)
def test_sparql_remote_iri_in_query_is_never_fetched(tmp_path, listener, store, query):
    settings = Settings(store=store, store_path=tmp_path / "store", literature_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        response = client.get(
            "/sparql", params={"query": query.replace("{port}", str(listener.port))}
        )
    assert response.status_code in (200, 400), response.text[:300]
    assert listener.connections() == 0


# ---- runaway queries against a real server --------------------------------------------------
#: Queries that would run for hours over the vocabulary graph (thousands of triples).
RUNAWAY = {
    "cartesian-4": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "path-star": "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:p>|!<urn:p>)* ?o . ?x ?y ?z }",
    "cartesian-order": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1",
}
RUNAWAY_TIMEOUT_S = 1.0


@pytest.fixture(scope="module")
def runaway_server(tmp_path_factory):
    """A real server with a short query time limit and a small result limit."""
    root = tmp_path_factory.mktemp("runaway")
    env = {
        "TRIGGERGRAPH_STORE": "oxigraph",
        "TRIGGERGRAPH_STORE_PATH": str(root / "store"),
        "TRIGGERGRAPH_LITERATURE_DIR": str(_literature(root)),
        "TRIGGERGRAPH_SPARQL_TIMEOUT_S": str(RUNAWAY_TIMEOUT_S),
        "TRIGGERGRAPH_SPARQL_RESULT_LIMIT": "100",
        "TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S": "0.2",
    }
    server = api_server_process(env, root / "server.log").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.server
@pytest.mark.parametrize("transport", READ_TRANSPORTS)
def test_result_over_limit_is_refused_naming_the_limit(runaway_server, transport):
    with httpx.Client(base_url=runaway_server.url, timeout=30) as http:
        response = _sparql_request(http, transport, "SELECT * WHERE { ?s ?p ?o }")
        body = assert_json_error(response, 400)
        assert "result limit of 100" in body["detail"] and "LIMIT" in body["detail"]
        assert body["error"] == "ResultLimitError" and "retry-after" not in response.headers
        capped = _sparql_request(http, transport, "SELECT * WHERE { ?s ?p ?o } LIMIT 100")
        assert capped.status_code == 200
        assert len(capped.json()["results"]["bindings"]) == 100


#: Measured figures, printed by the runaway test (see docs/reliability-attacks.md).
FIGURES: dict[str, object] = {}


def _poll(url: str, stop: threading.Event, latencies: list[float], statuses: list[int]) -> None:
    with httpx.Client(timeout=30) as http:
        while not stop.is_set():
            started = time.perf_counter()
            response = http.get(url)
            latencies.append(time.perf_counter() - started)
            statuses.append(response.status_code)
            time.sleep(0.02)


@pytest.mark.server
def test_runaway_queries_are_cut_off_while_other_requests_are_answered(runaway_server):
    url = runaway_server.url
    baseline: list[float] = []
    with httpx.Client(timeout=30) as http:
        for _ in range(20):
            started = time.perf_counter()
            assert http.get(url + "/api/v1/matrix").status_code == 200
            baseline.append(time.perf_counter() - started)
    before = server_snapshot(runaway_server)

    stop = threading.Event()
    polls = {path: ([], []) for path in ("/health", "/api/v1/matrix")}
    pollers = [
        threading.Thread(target=_poll, args=(url + path, stop, *polls[path]), daemon=True)
        for path in polls
    ]
    for thread in pollers:
        thread.start()
    cutoffs: dict[str, float] = {}
    try:
        for name, query in RUNAWAY.items():
            started = time.perf_counter()
            response = httpx.get(url + "/sparql", params={"query": query}, timeout=60)
            cutoffs[name] = time.perf_counter() - started
            # stopped at the time limit (503), or earlier by the worker's memory cap (400)
            body = assert_json_error(response, 503, 400)
            assert "time limit" in body["detail"] or "memory cap" in body["detail"], body
    finally:
        stop.set()
        for thread in pollers:
            thread.join(timeout=30)

    # the runaway's process was killed at the limit: the endpoint answers at once again
    after = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert after.status_code == 200, after.text
    csv = httpx.get(url + "/api/v1/export", params={"format": "csv"}, timeout=30)
    assert csv.status_code == 200, csv.text[:300]
    for name, seconds in cutoffs.items():
        assert seconds < RUNAWAY_TIMEOUT_S + 2.0, (name, seconds)
    for path, (latencies, statuses) in polls.items():
        assert len(latencies) >= 10, path
        assert set(statuses) == {200}, (path, sorted(set(statuses)))
        assert max(latencies) < 1.0, (path, max(latencies))
    assert server_snapshot(runaway_server) == before
    FIGURES.update(
        sparql_status_right_after=after.status_code,
        cutoff_s={k: round(v, 3) for k, v in cutoffs.items()},
        matrix_baseline_median_ms=round(statistics.median(baseline) * 1000, 1),
        **{
            f"{path}_during": {
                "requests": len(lat),
                "median_ms": round(statistics.median(lat) * 1000, 1),
                "max_ms": round(max(lat) * 1000, 1),
            }
            for path, (lat, _) in polls.items()
        },
    )
    print(f"\nrunaway figures: {FIGURES}")


# ---- REST filter injection -----------------------------------------------------------------
INJECTIONS: dict[str, str] = {
    "sparql-break-out": '"} ; DROP ALL ; #',
    "sparql-iri-break-out": "> } DROP ALL ; SELECT * WHERE { <x",
    "sparql-triple-pattern": "?s ?p ?o",
    "sparql-iri": "<http://x>",
    "sparql-values": "x } VALUES ?factor { <http://127.0.0.1:8000/factor/detention> ",
    "html-script": "<script>alert(1)</script>",
    "html-img": '<img src=x onerror="alert(1)">',
    "attr-break-out": '" autofocus onfocus="alert(1)',
    "path-traversal": "../../etc/passwd",
    "encoded-traversal": "..%2F..%2Fetc%2Fpasswd",
    "nul": "detention\x00",
    "control-chars": "\x01\x02\x1b[31m\r\n\t\x7f",
    # the longest that fits a URL (about 64 KiB); 100 kB is sent to a real server below
    "long-60k": "x" * 60_000,
    "unicode": "détentión ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e\ufeff",
    "rtl-and-zero-width": "dete\u200bntion\u2066",
    "negative": "-1",
    "huge-number": "9" * 40,
    "float": "1e309",
    "empty": "",
    "json-break-out": '","admin":true,"x":"',
    "template-literal": "${7*7}{{7*7}}`",
}

FILTER_PARAMS = [
    "level",
    "driver",
    "sex",
    "age",
    "education",
    "min_verdict",
    "q",
    "lang",
    "offset",
    "limit",
    "factor",
    "demographic",
    "source",
    "direction",
    "certainty",
    "outcome_stage",
    "cols",
    "rows",
    "format",
]


def _get_routes() -> list[tuple[str, list[str], list[str]]]:
    """Every documented GET route with its query and path parameter names."""
    openapi = create_app(Settings(store="memory")).openapi()
    routes = []
    for path, item in sorted(openapi["paths"].items()):
        operation = item.get("get")
        if operation is None:
            continue
        params = operation.get("parameters", [])
        routes.append(
            (
                path,
                [p["name"] for p in params if p["in"] == "query"],
                [p["name"] for p in params if p["in"] == "path"],
            )
        )
    return routes


GET_ROUTES = _get_routes()
QUERY_CASES = [(path, name) for path, query, _ in GET_ROUTES for name in query]
PATH_ROUTES = [(path, names[0]) for path, _, names in GET_ROUTES if names]


def test_every_filter_parameter_of_the_brief_is_swept():
    swept = {name for _, name in QUERY_CASES}
    assert set(FILTER_PARAMS) <= swept, set(FILTER_PARAMS) - swept


def _field_named(body: dict, name: str) -> bool:
    fields = {p.get("field") for p in body.get("problems") or []}
    return name in fields or name in body["detail"] or body.get("kind") == name


def _check_injection_answer(response: httpx.Response, param: str, payload: str) -> None:
    assert response.status_code < 500, (param, payload[:60], response.text[:300])
    content_type = response.headers.get("content-type", "")
    if response.status_code >= 400:
        body = assert_json_error(response, 400, 404, 414, 422)
        # 404 for an unknown id names the kind of id (driver, level, ...), 422 the parameter,
        # 414 a SPARQL query too long for GET
        kinds = {"min_verdict": "verdict", "outcome_stage": "outcome_stage"}
        assert _field_named(body, param) or body.get("kind") in (kinds.get(param), param), body
    elif content_type.startswith("application/json"):
        response.json()
    assert "text/html" not in content_type


@pytest.mark.parametrize(("path", "param"), QUERY_CASES, ids=[f"{p}?{n}" for p, n in QUERY_CASES])
def test_filter_injection_is_answered_or_refused_with_4xx(attack_client, path, param):
    before = snapshot(attack_client)
    concrete = path
    for route_path, _, names in GET_ROUTES:
        if route_path == path:
            for name in names:
                concrete = concrete.replace("{" + name + "}", _existing_id(path))
    for payload in INJECTIONS.values():
        # with the token, so the curator-only reads are swept too
        response = attack_client.get(concrete, params={param: payload}, headers=CURATOR)
        _check_injection_answer(response, param, payload)
    assert snapshot(attack_client) == before


def _existing_id(path: str) -> str:
    for prefix, ident in (
        ("/api/v1/factors", "detention"),
        ("/factor", "detention"),
        ("/api/v1/drivers", "justice_seeker"),
        ("/driver", "justice_seeker"),
        ("/api/v1/findings", ALPHA_FINDING),
        ("/finding", ALPHA_FINDING),
        ("/api/v1/sources", ALPHA),
        ("/source", ALPHA),
        ("/demographic", "age"),
        ("/construct", "x"),
    ):
        if path.startswith(prefix):
            return ident
    return "x"


@pytest.mark.parametrize(("path", "param"), PATH_ROUTES, ids=[p for p, _ in PATH_ROUTES])
def test_path_injection_is_refused_with_json_4xx(attack_client, path, param):
    before = snapshot(attack_client)
    for payload in INJECTIONS.values():
        if not payload:
            continue
        url = path.replace("{" + param + "}", quote(payload, safe=""))
        response = attack_client.get(url, headers={"Accept": "text/turtle", **CURATOR})
        assert response.status_code < 500, (url[:120], response.text[:300])
        assert response.status_code in (200, 404, 422), (url[:120], response.status_code)
        if response.status_code >= 400:
            assert_json_error(response, 404, 422)
    assert snapshot(attack_client) == before


@pytest.mark.server
def test_100kb_filter_value_is_4xx_on_real_server(attack_server):
    """A 100 kB value does not fit a URL: the HTTP server refuses it before the app (400)."""
    before = server_snapshot(attack_server)
    for path, param in QUERY_CASES[:: max(1, len(QUERY_CASES) // 12)]:
        concrete = path.replace("{", "").replace("}", "")
        head = (
            f"GET {concrete}?{param}={'x' * 100_000} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Connection: close\r\n\r\n"
        )
        status, _, raw = _raw_request(attack_server.port, head)
        code = int(status.split()[1])
        assert 400 <= code < 500, (path, param, raw[:300])
    assert server_snapshot(attack_server) == before


PAGE_PARAMS = {
    "/": ["level", "cols", "min_verdict", "outcome_stage", "lang"],
    "/network": ["level", "driver", "min_verdict", "lang"],
    "/profile": ["driver", "sex", "age", "education", "lang"],
}
PAGE_PAYLOADS = ["html-script", "html-img", "attr-break-out", "template-literal", "control-chars"]


@pytest.mark.parametrize("page", list(PAGE_PARAMS))
def test_page_parameter_injection_is_escaped_in_html(attack_client, page):
    for param in PAGE_PARAMS[page]:
        for name in PAGE_PAYLOADS:
            payload = INJECTIONS[name]
            response = attack_client.get(page, params={param: payload})
            assert response.status_code in (200, 400, 404, 422), (param, name, response.status_code)
            assert response.headers["content-type"].startswith("text/html")
            if any(c in payload for c in '<>"'):
                assert payload not in response.text, (page, param, name)
            for raw in ("<script>alert", "<img src=x", 'onfocus="alert'):
                assert raw not in response.text, (page, param, name, raw)


@pytest.mark.parametrize("name", PAGE_PAYLOADS)
def test_page_path_injection_is_escaped_in_html(attack_client, name):
    payload = INJECTIONS[name]
    for page in ("/factors/", "/sources/", "/no-such-page/"):
        response = attack_client.get(page + quote(payload, safe=""))
        assert response.status_code == 404, (page, name, response.status_code)
        for raw in ("<script>alert", "<img src=x", 'onfocus="alert'):
            assert raw not in response.text, (page, name, raw)


# ---- request size limits -------------------------------------------------------------------
def _raw_request(port: int, head: str, chunks=(), read_timeout_s: float = 10.0):
    """Send ``head`` and ``chunks`` on a raw socket; return (status line, seconds, raw answer)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=read_timeout_s)
    started = time.perf_counter()
    try:
        sock.sendall(head.encode("latin-1"))
        for chunk in chunks:
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server refused and closed while we were still sending
        data = sock.recv(65536)
        answered = time.perf_counter() - started
        while True:  # the server closes the connection after a refusal
            try:
                part = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not part:
                break
            data += part
        return data.split(b"\r\n", 1)[0].decode("latin-1"), answered, data
    finally:
        sock.close()


LIMIT = 20_000


@pytest.mark.server
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/sources", "application/yaml"),
        (f"/api/v1/sources/{ALPHA}", "application/json"),
        ("/sparql", "application/x-www-form-urlencoded"),
        ("/sparql", "application/sparql-query"),
    ],
)
def test_declared_oversized_body_is_413_before_the_body_is_sent(attack_server, path, content_type):
    before = server_snapshot(attack_server)
    method = "PUT" if path.endswith(ALPHA) else "POST"
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {LIMIT + 1}\r\n\r\n"
    )
    # No body byte is ever sent: an answer can only come from the declared length.
    status, seconds, raw = _raw_request(attack_server.port, head)
    assert status.split()[1] == "413", raw[:300]
    assert b"larger than the limit of 20000 bytes" in raw
    assert seconds < 1.0
    assert server_snapshot(attack_server) == before


def _yaml_alias_bomb(size: int) -> bytes:
    """YAML whose anchors expand to billions of nodes: slow to parse if anything parsed it."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    text = "\n".join(lines) + "\n"
    return (text + "#" + "x" * size + "\n").encode()


@pytest.mark.server
@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/sources", "application/yaml"), ("/sparql", "application/sparql-query")],
)
def test_chunked_body_over_limit_is_413_while_still_streaming(attack_server, path, content_type):
    before = server_snapshot(attack_server)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    payload = _yaml_alias_bomb(LIMIT)
    pieces = [payload[i : i + 4096] for i in range(0, len(payload), 4096)]
    # the terminating zero-length chunk is never sent: the body never ends
    chunks = [f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in pieces]
    started = time.perf_counter()
    status, seconds, raw = _raw_request(attack_server.port, head, chunks)
    assert status.split()[1] == "413", raw[:300]
    assert b"larger than the limit of 20000 bytes" in raw
    assert seconds < 2.0
    # the server hangs up instead of reading the rest of an endless body
    assert b"connection: close" in raw.lower()
    assert time.perf_counter() - started < 5.0
    assert server_snapshot(attack_server) == before


def test_alias_bomb_under_the_limit_is_422_quickly(attack_client):
    before = snapshot(attack_client)
    body = _yaml_alias_bomb(100)
    started = time.perf_counter()
    response = attack_client.post(
        "/api/v1/sources",
        content=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/yaml"},
    )
    assert_json_error(response, 422)
    assert time.perf_counter() - started < 5.0
    assert snapshot(attack_client) == before


def test_fixture_sources_read_back_intact_after_the_attacks(attack_client):
    for ident, finding in ((ALPHA, ALPHA_FINDING), (BETA, BETA_FINDING)):
        response = attack_client.get(f"/api/v1/sources/{ident}")
        assert response.status_code == 200
        assert finding in {f["id"] for f in response.json()["findings"]}


# ---- characters that other line splitters treat as line ends ------------------------------
LINE_BREAKERS = "a\u2028b\u2029c\x85d\x1ce\x1df\x1eg\x0bh\x0ci"


def test_line_separator_characters_survive_store_reload_and_trig_export(attack_client):
    """U+2028 and friends in a literal once split N-Quads lines: the source vanished on restart."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    entry = make_entry("line_breakers", ["line-breakers-1"])
    entry["title"] = f"title {LINE_BREAKERS}"
    entry["findings"][0]["note"] = f"note {LINE_BREAKERS}"
    created = attack_client.post("/api/v1/sources", json=entry, headers=auth)
    assert created.status_code == 201, created.text
    try:
        service = attack_client.app.state.service
        service.reload()  # what a restart does: read every source graph back from the store
        # the proposed version (kept as entry JSON in the graph) reads back whole too
        proposed = attack_client.get(
            "/api/v1/proposed/line_breakers", params={"as": "json"}, headers=auth
        )
        assert proposed.json()["title"] == entry["title"]
        published = attack_client.post("/api/v1/sources/line_breakers/publish", headers=auth)
        assert published.status_code == 200, published.text
        service.reload()
        assert service.health().literature_problems == []
        source = attack_client.get("/api/v1/sources/line_breakers").json()
        assert source["title"] == entry["title"]
        trig = attack_client.get("/api/v1/export", params={"format": "trig"})
        dataset = Dataset()
        dataset.parse(data=trig.text, format="trig")
        titles = {str(o) for _, _, o, _ in dataset.quads((None, DCTERMS.title, None, None))}
        assert entry["title"] in titles
    finally:
        attack_client.delete("/api/v1/sources/line_breakers", headers=auth)


@pytest.mark.server
def test_line_separator_characters_survive_reload_from_sparql_store(tmp_path, oxigraph_server):
    """The sparql backend is read back from one N-Quads dump, split into lines."""
    settings = Settings(
        store="sparql",
        sparql_url=oxigraph_server.query_url,
        sparql_update_url=oxigraph_server.update_url,
        literature_dir=_literature(tmp_path),
        api_token=TOKEN,
    )
    entry = make_entry("line_breakers_remote", ["line-breakers-remote-1"])
    entry["title"] = f"title {LINE_BREAKERS}"
    with TestClient(create_app(settings)) as client:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        client.delete("/api/v1/sources/line_breakers_remote", headers=auth)
        created = client.post(
            "/api/v1/sources", json=entry, headers=auth, params={"publish": "true"}
        )
        assert created.status_code == 201, created.text
        try:
            service = client.app.state.service
            service.reload()
            assert service.health().literature_problems == []
            source = client.get("/api/v1/sources/line_breakers_remote").json()
            assert source["title"] == entry["title"]
        finally:
            client.delete("/api/v1/sources/line_breakers_remote", headers=auth)
