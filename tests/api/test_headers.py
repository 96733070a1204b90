"""Tests of the HTTP hygiene every route shares: HEAD, OPTIONS, Allow, ETag/304, CSP, CORS."""

from __future__ import annotations

import pytest

ORIGIN = "https://elsewhere.example"


# ---- HEAD, OPTIONS and Allow -----------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    ["/health", "/api/v1/factors", "/api/v1/sources/fixture_alpha", "/", "/factor/detention"],
)
def test_head_gives_get_headers_without_body(read_client, path):
    get = read_client.get(path)
    head = read_client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["etag"] == get.headers["etag"]


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/health", "GET, HEAD, OPTIONS"),
        ("/api/v1/sources", "GET, HEAD, POST, OPTIONS"),
        ("/api/v1/sources/fixture_alpha", "GET, HEAD, PUT, DELETE, OPTIONS"),
        ("/sparql", "GET, HEAD, POST, OPTIONS"),
        ("/scale/certainty/D", "GET, HEAD, OPTIONS"),
    ],
)
def test_options_answers_204_with_the_paths_allow(read_client, path, allow):
    response = read_client.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allow


def test_options_on_unknown_path_is_404(read_client):
    assert read_client.options("/no/such/path/at/all").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/sources", "GET, HEAD, POST, OPTIONS"),
        ("PATCH", "/api/v1/sources/fixture_alpha", "GET, HEAD, PUT, DELETE, OPTIONS"),
        ("PUT", "/health", "GET, HEAD, OPTIONS"),
    ],
)
def test_405_names_every_method_of_the_path(read_client, method, path, allow):
    response = read_client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow


# ---- ETag, Cache-Control and 304 -----------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/factors", "/api/v1/matrix", "/", "/factor/detention"])
def test_read_answers_carry_etag_and_cache_control_and_revalidate_with_304(read_client, path):
    first = read_client.get(path)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = read_client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak = read_client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    assert read_client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_etag_changes_when_the_data_changes(client, auth, entry_yaml):
    before = client.get("/api/v1/sources").headers["etag"]
    response = client.post(
        "/api/v1/sources",
        content=entry_yaml("etag_new_one", ["etag-new-1"]),
        params={"publish": "true"},
        headers={**auth, "Content-Type": "application/yaml"},
    )
    assert response.status_code == 201
    after = client.get("/api/v1/sources", headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["etag"] != before


def test_static_assets_keep_their_own_cache_control(read_client):
    response = read_client.get("/static/viewer/viewer.css")
    assert response.headers["cache-control"] == "public, max-age=3600"


def test_errors_and_writes_get_no_etag(read_client, auth):
    assert "etag" not in read_client.get("/api/v1/factors/nope").headers
    assert "etag" not in read_client.delete("/api/v1/sources/nope", headers=auth).headers


# ---- pages: CSP and framing ----------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/network", "/profile", "/sources/fixture_alpha", "/docs"])
def test_pages_forbid_framing_and_foreign_scripts(read_client, path):
    response = read_client.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "script-src 'self' 'unsafe-inline'" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-frame-options"] == "DENY"


def test_api_json_needs_no_page_policy(read_client):
    assert "content-security-policy" not in read_client.get("/api/v1/factors").headers


def test_docs_policy_allows_exactly_its_inline_script(read_client):
    from api.headers import script_hashes

    response = read_client.get("/docs")
    hashes = script_hashes(response.content)
    assert len(hashes) == 1
    assert hashes[0] in response.headers["content-security-policy"]


# ---- CORS ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/api/v1/factors", "/sparql?query=ASK%7B%7D", "/factor/detention"]
)
def test_cross_site_reads_are_allowed_for_any_origin_by_default(read_client, path):
    response = read_client.get(path, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]


def test_cross_site_sparql_post_is_allowed(read_client):
    response = read_client.post(
        "/sparql",
        content="ASK {}",
        headers={"Origin": ORIGIN, "Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_preflight_allows_reads_and_never_writes(read_client):
    read = read_client.options(
        "/sparql",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert read.status_code == 204
    assert read.headers["access-control-allow-origin"] == "*"
    assert read.headers["access-control-allow-methods"] == "GET, HEAD, POST"
    for method in ("POST", "PUT", "DELETE"):
        write = read_client.options(
            "/api/v1/sources/fixture_alpha" if method != "POST" else "/api/v1/sources",
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": method},
        )
        assert "access-control-allow-origin" not in write.headers
        assert "access-control-allow-methods" not in write.headers


def test_write_answers_carry_no_cors_headers(read_client, auth, entry_yaml):
    response = read_client.post(
        "/api/v1/sources",
        content=entry_yaml("fixture_alpha", ["fixture-alpha-1"]),
        headers={**auth, "Origin": ORIGIN, "Content-Type": "application/yaml"},
    )
    assert response.status_code == 409
    assert "access-control-allow-origin" not in response.headers


def test_cors_origins_come_from_settings(settings):
    from fastapi.testclient import TestClient

    from api.main import create_app

    chosen = settings.model_copy(update={"cors_origins": [ORIGIN]})
    with TestClient(create_app(chosen)) as client:
        allowed = client.get("/api/v1/factors", headers={"Origin": ORIGIN})
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        assert "Origin" in allowed.headers["vary"]
        other = client.get("/api/v1/factors", headers={"Origin": "https://other.example"})
        assert "access-control-allow-origin" not in other.headers
