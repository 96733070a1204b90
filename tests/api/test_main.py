"""Tests of the app itself: error mapping, body limit, offline docs and the OpenAPI document."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from triggergraph.config import Settings
from triggergraph.exceptions import ConfigError


def test_unknown_path_is_json_404(read_client):
    response = read_client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"] == "HTTPError"


def test_bad_query_parameter_is_422_naming_the_field(read_client):
    response = read_client.get("/api/v1/factors", params={"limit": "many"})
    assert response.status_code == 422
    body = response.json()
    assert body["problems"][0]["field"] == "limit"
    assert "many" in body["problems"][0]["message"]


def test_bad_language_is_422_naming_the_field(read_client):
    response = read_client.get("/api/v1/drivers", params={"lang": "de"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "lang"


def test_body_over_limit_by_content_length_is_413(read_client, auth):
    response = read_client.post(
        "/api/v1/sources",
        content=b"x" * 30_000,
        headers={**auth, "Content-Type": "application/yaml"},
    )
    assert response.status_code == 413
    assert "20000" in response.json()["detail"]


def test_streamed_body_over_limit_is_413(read_client, auth):
    def chunks():
        for _ in range(30):
            yield b"y" * 1_000

    response = read_client.post(
        "/api/v1/sources", content=chunks(), headers={**auth, "Content-Type": "application/yaml"}
    )
    assert response.status_code == 413


def test_streamed_sparql_form_over_limit_is_413(read_client):
    def chunks():
        yield b"query="
        for _ in range(30):
            yield b"%20" * 400

    response = read_client.post(
        "/sparql",
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_docs_page_loads_only_local_assets(read_client):
    response = read_client.get("/docs")
    assert response.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    urls += re.findall(r"url: '([^']+)'", response.text)
    assert urls, response.text
    assert not [u for u in urls if u.startswith(("http://", "https://", "//"))]
    for url in urls:
        if url.startswith("/static/docs/"):
            assert read_client.get(url).status_code == 200, url
    assert "cdn" not in response.text.lower()


def test_redoc_is_not_served_from_a_cdn(read_client):
    assert read_client.get("/redoc").status_code == 404


def test_openapi_documents_every_route_with_responses(read_client):
    spec = read_client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in [
        "/health",
        "/sparql",
        "/api/v1/factors",
        "/api/v1/factors/{factor_id}",
        "/api/v1/drivers",
        "/api/v1/drivers/{driver_id}",
        "/api/v1/demographics",
        "/api/v1/findings",
        "/api/v1/findings/{finding_id}",
        "/api/v1/sources",
        "/api/v1/sources/{source_id}",
        "/api/v1/matrix",
        "/api/v1/gaps",
        "/api/v1/profile",
        "/api/v1/export",
        "/factor/{ident}",
        "/source/{ident}",
    ]:
        assert path in paths, path
        for operation in paths[path].values():
            assert operation.get("description") or operation.get("summary"), path
            ok = operation["responses"].get("200") or operation["responses"].get("201")
            assert ok and ok.get("content"), (path, operation["responses"])


def test_openapi_write_routes_document_body_examples_and_security(read_client):
    spec = read_client.get("/openapi.json").json()
    post = spec["paths"]["/api/v1/sources"]["post"]
    content = post["requestBody"]["content"]
    assert "example" in content["application/yaml"] and "example" in content["application/json"]
    assert post["security"]
    assert {"401", "403", "409", "413", "422"} <= set(post["responses"])


def test_config_error_at_startup_stops_the_app(tmp_path):
    settings = Settings(
        store="memory", ontology_dir=tmp_path / "no-ontology", literature_dir=tmp_path
    )
    with pytest.raises(ConfigError), TestClient(create_app(settings)):
        pass


@pytest.mark.browser
@pytest.mark.server
def test_docs_render_in_chromium_without_network(module_server, chromium):
    from urllib.parse import urlparse

    foreign: list[str] = []
    errors: list[str] = []
    page = chromium.new_page()
    try:

        def only_local(route):
            host = urlparse(route.request.url).hostname
            if host == "127.0.0.1":
                route.continue_()
            else:
                foreign.append(route.request.url)
                route.abort()

        page.route("**/*", only_local)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(module_server.url + "/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
    finally:
        page.close()
    assert foreign == []
    assert errors == []
    assert any("/api/v1/factors" in p for p in paths)
    assert any("/sparql" in p for p in paths)


@pytest.mark.parametrize(
    "path", ["/health", "/api/v1/matrix", "/", "/no/such/path", "/sparql?query=ASK{}"]
)
def test_every_answer_forbids_content_sniffing(read_client, path):
    response = read_client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
