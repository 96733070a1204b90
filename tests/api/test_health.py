"""Tests of /health."""

from __future__ import annotations

import httpx
import pytest


def test_health_reports_backend_version_counts(read_client):
    body = read_client.get("/health").json()
    assert body["status"] == "ok"
    assert body["backend"] == "memory"
    assert body["version"]
    assert body["stale"] is False
    assert body["store_counts"] == {"sources": 2, "findings": 3}
    assert body["index"]["findings"] == 3
    assert body["literature_problems"] == []


def test_health_reports_literature_problem_while_serving(client, literature):
    path = literature / "fixture_beta.yaml"
    path.write_text(path.read_text().replace("certainty: D", "certainty: Z"))
    body = client.get("/health").json()
    assert body["status"] == "degraded"
    problem = body["literature_problems"][0]
    assert problem["file"].endswith("fixture_beta.yaml")
    assert problem["line"] and "certainty" in problem["field"]
    assert client.get("/api/v1/findings/fixture-beta-1").status_code == 200


def test_health_version_changes_after_write(client, auth, entry_yaml):
    before = client.get("/health").json()["version"]
    client.post(
        "/api/v1/sources",
        content=entry_yaml("added_one", ["a-1"]),
        headers={**auth, "Content-Type": "text/yaml"},
    )
    after = client.get("/health").json()
    assert after["version"] != before
    assert after["sources_added"] == 1


@pytest.mark.server
def test_store_down_serves_stale_reads_and_refuses_writes(
    api_server, start_oxigraph_server, auth, entry_yaml
):
    store = start_oxigraph_server()
    server = api_server(
        TRIGGERGRAPH_STORE="sparql",
        TRIGGERGRAPH_SPARQL_URL=store.query_url,
        TRIGGERGRAPH_SPARQL_UPDATE_URL=store.update_url,
        TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S="0",
    )
    assert httpx.get(server.url + "/health").json()["stale"] is False
    store.stop()
    health = httpx.get(server.url + "/health", timeout=30).json()
    assert health["stale"] is True and health["status"] == "degraded"
    response = httpx.get(server.url + "/api/v1/findings/fixture-alpha-1", timeout=30)
    assert response.status_code == 200
    response = httpx.post(
        server.url + "/api/v1/sources",
        content=entry_yaml("added_one", ["a-1"]),
        headers={**auth, "Content-Type": "text/yaml"},
        timeout=30,
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    response = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert response.status_code == 503


def test_health_shows_the_base_iri(read_client):
    body = read_client.get("/health").json()
    assert body["base_iri"] == "http://127.0.0.1:8000/"


def test_health_names_a_default_base_iri_that_is_not_where_the_server_answers(settings):
    from fastapi.testclient import TestClient

    from api.main import create_app

    with TestClient(create_app(settings), base_url="http://127.0.0.1:8123") as client:
        body = client.get("/health").json()
    assert "127.0.0.1:8123" in body["base_iri_problem"]
    assert "TRIGGERGRAPH_BASE_IRI" in body["base_iri_problem"]


def test_health_has_no_base_problem_when_the_base_is_chosen(settings):
    from fastapi.testclient import TestClient

    from api.main import create_app

    chosen = settings.model_copy(update={"base_iri": "https://tg.example.org/"})
    chosen.model_fields_set.add("base_iri")
    with TestClient(create_app(chosen), base_url="http://127.0.0.1:8123") as client:
        body = client.get("/health").json()
    assert body["base_iri"] == "https://tg.example.org/"
    assert body["base_iri_problem"] is None
