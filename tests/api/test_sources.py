"""Tests of /api/v1/sources: reading, and authenticated writes on TestClient and real servers."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from triggergraph.store import VirtuosoStore

YAML = {"Content-Type": "application/yaml"}
#: Writes that publish at once (without it a write is proposed and waits for review).
PUBLISH = {"publish": "true"}


def dump(client) -> str:
    return client.app.state.service.store.dump_nquads()


# ---- reads --------------------------------------------------------------------------------
def test_list_sources_paginates_with_total(read_client):
    first = read_client.get("/api/v1/sources", params={"limit": 1}).json()
    assert first["total"] == 2 and len(first["items"]) == 1
    second = read_client.get("/api/v1/sources", params={"limit": 1, "offset": 1}).json()
    assert second["total"] == 2
    ids = {first["items"][0]["id"], second["items"][0]["id"]}
    assert ids == {"fixture_alpha", "fixture_beta"}


def test_list_sources_negative_offset_is_422(read_client):
    response = read_client.get("/api/v1/sources", params={"offset": -1})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "offset"


def test_read_source_returns_findings(read_client):
    body = read_client.get("/api/v1/sources/fixture_alpha").json()
    assert body["id"] == "fixture_alpha"
    assert "fixture-alpha-1" in json.dumps(body)


def test_read_unknown_source_is_404_with_suggestions(read_client):
    response = read_client.get("/api/v1/sources/fixture_alfa")
    assert response.status_code == 404
    body = response.json()
    assert body["id"] == "fixture_alfa"
    assert "fixture_alpha" in body["suggestions"]


# ---- writes -------------------------------------------------------------------------------
def test_post_yaml_creates_source(client, auth, entry_yaml):
    response = client.post(
        "/api/v1/sources",
        content=entry_yaml("added_one", ["a-1"]),
        headers={**auth, **YAML},
        params=PUBLISH,
    )
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/v1/sources/added_one"
    assert response.json()["action"] == "created"
    assert client.get("/api/v1/sources/added_one").status_code == 200
    assert client.get("/api/v1/findings/a-1").status_code == 200


def test_post_json_creates_source(client, auth, make_entry):
    response = client.post(
        "/api/v1/sources", json=make_entry("added_json", ["j-1"]), headers=auth, params=PUBLISH
    )
    assert response.status_code == 201
    assert client.get("/api/v1/sources", params={"limit": 500}).json()["total"] == 3


def test_post_existing_id_is_409_and_changes_nothing(read_client, auth, entry_yaml):
    before = dump(read_client)
    response = read_client.post(
        "/api/v1/sources", content=entry_yaml("fixture_alpha", ["n-1"]), headers={**auth, **YAML}
    )
    assert response.status_code == 409
    assert dump(read_client) == before


def test_post_reused_finding_id_is_409(read_client, auth, entry_yaml):
    before = dump(read_client)
    response = read_client.post(
        "/api/v1/sources",
        content=entry_yaml("added_one", ["fixture-beta-1"]),
        headers={**auth, **YAML},
    )
    assert response.status_code == 409
    assert "fixture-beta-1" in response.json()["detail"]
    assert dump(read_client) == before


def test_post_invalid_entry_is_422_with_every_problem(read_client, auth, make_entry):
    before = dump(read_client)
    bad = make_entry("added_bad", ["b-1"], factor="detentoin")
    bad["findings"][0]["direction"] = "upwards"
    response = read_client.post("/api/v1/sources", json=bad, headers=auth)
    assert response.status_code == 422
    problems = response.json()["problems"]
    fields = {p["field"] for p in problems}
    assert "findings[0].factor" in fields and "findings[0].direction" in fields
    factor = next(p for p in problems if p["field"] == "findings[0].factor")
    assert factor["suggestions"] == ["detention"]
    assert dump(read_client) == before


def test_post_malformed_yaml_is_422_with_line(read_client, auth):
    response = read_client.post(
        "/api/v1/sources", content=b"id: x\ntitle: a: b\n", headers={**auth, **YAML}
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["line"] == 2


def test_post_non_utf8_body_is_422(read_client, auth):
    response = read_client.post(
        "/api/v1/sources", content=b"id: \xff\xfe\n", headers={**auth, **YAML}
    )
    assert response.status_code == 422


def test_post_unsupported_content_type_is_422(read_client, auth):
    response = read_client.post(
        "/api/v1/sources", content=b"<entry/>", headers={**auth, "Content-Type": "application/xml"}
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "Content-Type"


def test_put_replaces_source(client, auth, entry_yaml):
    response = client.put(
        "/api/v1/sources/fixture_beta",
        content=entry_yaml("fixture_beta", ["beta-2"]),
        headers={**auth, **YAML},
        params=PUBLISH,
    )
    assert response.status_code == 200
    assert response.json()["action"] == "replaced"
    assert client.get("/api/v1/findings/fixture-beta-1").status_code == 404
    assert client.get("/api/v1/findings/beta-2").status_code == 200


def test_put_with_other_body_id_is_409_and_changes_nothing(read_client, auth, entry_yaml):
    before = dump(read_client)
    response = read_client.put(
        "/api/v1/sources/fixture_beta",
        content=entry_yaml("fixture_alpha", ["x-1"]),
        headers={**auth, **YAML},
    )
    assert response.status_code == 409
    assert "differs" in response.json()["detail"]
    assert dump(read_client) == before


def test_put_unknown_id_is_404(read_client, auth, entry_yaml):
    response = read_client.put(
        "/api/v1/sources/added_new",
        content=entry_yaml("added_new", ["x-1"]),
        headers={**auth, **YAML},
    )
    assert response.status_code == 404


def test_delete_removes_source(client, auth):
    response = client.delete("/api/v1/sources/fixture_beta", headers=auth)
    assert response.status_code == 200
    assert client.get("/api/v1/sources/fixture_beta").status_code == 404
    assert client.delete("/api/v1/sources/fixture_beta", headers=auth).status_code == 404


# ---- ETag and If-Match --------------------------------------------------------------------
def test_source_etag_is_its_revision_and_changes_with_a_write(client, auth, entry_yaml):
    etag = client.get("/api/v1/sources/fixture_beta").headers["etag"]
    body = entry_yaml("fixture_beta", ["b-etag-1"])
    response = client.put(
        "/api/v1/sources/fixture_beta", content=body, headers={**auth, **YAML}, params=PUBLISH
    )
    assert response.status_code == 200
    new = client.get("/api/v1/sources/fixture_beta").headers["etag"]
    assert new != etag
    assert response.headers["etag"] == new == f'"{response.json()["version"]}"'


def test_put_with_current_if_match_writes(client, auth, entry_yaml):
    etag = client.get("/api/v1/sources/fixture_beta").headers["etag"]
    response = client.put(
        "/api/v1/sources/fixture_beta",
        content=entry_yaml("fixture_beta", ["b-match-1"]),
        headers={**auth, **YAML, "If-Match": etag},
        params=PUBLISH,
    )
    assert response.status_code == 200


def test_put_and_delete_with_stale_if_match_are_412_and_change_nothing(client, auth, entry_yaml):
    stale = client.get("/api/v1/sources/fixture_beta").headers["etag"]
    assert (
        client.put(
            "/api/v1/sources/fixture_beta",
            content=entry_yaml("fixture_beta", ["b-first"]),
            headers={**auth, **YAML},
            params=PUBLISH,
        ).status_code
        == 200
    )
    before = dump(client)
    response = client.put(
        "/api/v1/sources/fixture_beta",
        content=entry_yaml("fixture_beta", ["b-second"]),
        headers={**auth, **YAML, "If-Match": stale},
        params=PUBLISH,
    )
    assert response.status_code == 412
    assert response.json()["error"] == "PreconditionFailedError"
    assert "ETag" in response.json()["detail"]
    response = client.delete("/api/v1/sources/fixture_beta", headers={**auth, "If-Match": stale})
    assert response.status_code == 412
    assert dump(client) == before


def test_delete_with_star_if_match_deletes(client, auth):
    response = client.delete("/api/v1/sources/fixture_beta", headers={**auth, "If-Match": "*"})
    assert response.status_code == 200


def test_concurrent_creates_of_one_id_on_embedded_store_one_wins(tmp_path, settings, entry_yaml):
    """The embedded Oxigraph backend, with threads: of two creates of one id exactly one wins."""
    from fastapi.testclient import TestClient

    from api.main import create_app

    embedded = settings.model_copy(update={"store": "oxigraph", "store_path": tmp_path / "ox"})
    rounds = 50
    with TestClient(create_app(embedded)) as client:
        headers = {"Authorization": f"Bearer {embedded.api_token.get_secret_value()}", **YAML}
        outcomes = []
        for number in range(rounds):
            barrier = threading.Barrier(2)
            statuses: dict[str, int] = {}

            def post(tag: str, number: int = number, barrier=barrier, statuses=statuses) -> None:
                body = entry_yaml(f"race_{number}", [f"race-{number}-{tag}"])
                barrier.wait()
                response = client.post(
                    "/api/v1/sources", content=body, headers=headers, params=PUBLISH
                )
                statuses[tag] = response.status_code

            threads = [threading.Thread(target=post, args=(tag,)) for tag in "ab"]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            outcomes.append(sorted(statuses.values()))
            winner = next(tag for tag, status in statuses.items() if status == 201)
            findings = client.get(f"/api/v1/sources/race_{number}").json()["findings"]
            assert [f["id"] for f in findings] == [f"race-{number}-{winner}"]
        assert outcomes == [[201, 409]] * rounds


# ---- real servers -------------------------------------------------------------------------
@pytest.mark.server
def test_concurrent_posts_all_persist_and_survive_restart(api_server, auth, entry_yaml):
    server = api_server()
    count = 50

    def post(number: int) -> int:
        body = entry_yaml(f"concurrent_{number:02d}", [f"concurrent-{number:02d}"])
        response = httpx.post(
            server.url + "/api/v1/sources",
            content=body,
            headers={**auth, **YAML},
            params=PUBLISH,
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(post, range(count)))
    assert statuses == [201] * count
    assert (
        httpx.delete(server.url + "/api/v1/sources/fixture_beta", headers=auth).status_code == 200
    )
    listed = httpx.get(server.url + "/api/v1/sources", params={"limit": 500}).json()
    assert listed["total"] == count + 1
    before = httpx.get(server.url + "/api/v1/export", params={"format": "nquads"}).content
    server.stop()
    server.start()
    listed = httpx.get(server.url + "/api/v1/sources", params={"limit": 500}).json()
    ids = {s["id"] for s in listed["items"]}
    assert ids == {"fixture_alpha"} | {f"concurrent_{n:02d}" for n in range(count)}
    after = httpx.get(server.url + "/api/v1/export", params={"format": "nquads"}).content
    assert after == before


@pytest.mark.server
def test_write_acknowledged_survives_kill_9(api_server, auth, entry_yaml):
    server = api_server()
    response = httpx.post(
        server.url + "/api/v1/sources",
        content=entry_yaml("durable_one", ["durable-1"]),
        headers={**auth, **YAML},
        params=PUBLISH,
    )
    assert response.status_code == 201
    server.kill()
    server.start()
    assert httpx.get(server.url + "/api/v1/sources/durable_one").status_code == 200
    assert httpx.get(server.url + "/api/v1/findings/durable-1").status_code == 200


#: the base IRI the test API servers run with
BASE_IRI = "http://127.0.0.1:8000/"
#: rounds of the two-server race per shared store (Virtuoso answers each request slower)
RACE_ROUNDS = {"oxigraph-serve": (50, 10), "virtuoso": (10, 3)}


@pytest.fixture(params=["oxigraph-serve", "virtuoso"])
def shared_store(request) -> tuple[str, dict[str, str]]:
    """``(kind, TRIGGERGRAPH_* variables)`` of an empty shared store: a fresh ``oxigraph
    serve``, or the session's Virtuoso emptied (API servers then load the fixture literature)."""
    env = {"TRIGGERGRAPH_STORE": "sparql"}
    if request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        store = VirtuosoStore(server.query_url, server.update_url, BASE_IRI, auth=server.auth)
        store.replace_all("")
        store.close()
        user, password = server.auth
        env.update(
            TRIGGERGRAPH_SPARQL_DIALECT="virtuoso",
            TRIGGERGRAPH_SPARQL_USER=user,
            TRIGGERGRAPH_SPARQL_PASSWORD=password,
        )
    else:
        server = request.getfixturevalue("start_oxigraph_server")()
    env.update(TRIGGERGRAPH_SPARQL_URL=server.query_url)
    env.update(TRIGGERGRAPH_SPARQL_UPDATE_URL=server.update_url)
    return request.param, env


@pytest.mark.server
def test_two_servers_on_one_sparql_store_see_each_others_writes(
    api_server, shared_store, auth, entry_yaml
):
    _, env = shared_store
    first = api_server(**env)
    second = api_server(**env)
    response = httpx.post(
        first.url + "/api/v1/sources",
        content=entry_yaml("shared_one", ["shared-1"]),
        headers={**auth, **YAML},
        params=PUBLISH,
    )
    assert response.status_code == 201
    deadline = time.monotonic() + 2.0
    seen = False
    while time.monotonic() < deadline and not seen:
        seen = httpx.get(second.url + "/api/v1/findings/shared-1").status_code == 200
        if not seen:
            time.sleep(0.05)
    assert seen, "a write through one server was not visible through the other within 2 s"
    response = httpx.delete(second.url + "/api/v1/sources/shared_one", headers=auth)
    assert response.status_code == 200
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        if httpx.get(first.url + "/api/v1/sources/shared_one").status_code == 404:
            break
        time.sleep(0.05)
    assert httpx.get(first.url + "/api/v1/sources/shared_one").status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"[" * 5000, "application/json"),
        (b"[" * 5000, "application/yaml"),
        (b"", "application/yaml"),
        (b"[]", "application/json"),
        (b"!!python/object/apply:os.system ['true']\n", "application/yaml"),
    ],
    ids=["deep-json", "deep-yaml", "empty", "json-list", "yaml-python-tag"],
)
def test_post_hostile_body_is_422_not_500(read_client, auth, body, content_type):
    before = dump(read_client)
    response = read_client.post(
        "/api/v1/sources", content=body, headers={**auth, "Content-Type": content_type}
    )
    assert response.status_code == 422
    assert response.json()["problems"]
    assert dump(read_client) == before


@pytest.mark.server
def test_concurrent_creates_on_two_servers_sharing_one_store_one_wins(
    api_server, shared_store, auth, entry_yaml
):
    """Rounds (50 on oxigraph serve, 10 on Virtuoso): the same new id POSTed to two API
    processes at once gives one 201 and one 409, and the winner's source is what both
    processes then serve (no lost create); the same for two ids sharing one finding id."""
    kind, env = shared_store
    rounds, pair_rounds = RACE_ROUNDS[kind]
    servers = [api_server(**env), api_server(**env)]
    clients = [httpx.Client(base_url=s.url, headers={**auth, **YAML}, timeout=60) for s in servers]

    def race(bodies: list[bytes]) -> list[int]:
        barrier = threading.Barrier(2)
        statuses = [0, 0]

        def post(i: int) -> None:
            barrier.wait()
            answer = clients[i].post("/api/v1/sources", content=bodies[i], params=PUBLISH)
            statuses[i] = answer.status_code

        threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        return statuses

    same_id, winners = [], {}
    for number in range(rounds):
        statuses = race([entry_yaml(f"twin_{number}", [f"twin-{number}-{i}"]) for i in range(2)])
        same_id.append(sorted(statuses))
        if 201 in statuses:
            winners[f"twin_{number}"] = f"twin-{number}-{statuses.index(201)}"
    shared_finding = []
    for number in range(pair_rounds):
        statuses = race([entry_yaml(f"pair_{number}_{i}", [f"pair-{number}"]) for i in range(2)])
        shared_finding.append(sorted(statuses))
    assert same_id == [[201, 409]] * rounds
    assert shared_finding == [[201, 409]] * pair_rounds
    for client in clients:
        client.close()
    for server in servers:
        deadline = time.monotonic() + 5
        while True:
            listed = httpx.get(server.url + "/api/v1/sources", params={"limit": 500}).json()
            found = {s["id"] for s in listed["items"] if s["id"].startswith("twin_")}
            if found == set(winners) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert found == set(winners)
        for source_id, finding in winners.items():
            answer = httpx.get(f"{server.url}/api/v1/sources/{source_id}").json()
            assert [f["id"] for f in answer["findings"]] == [finding]
        pairs = [
            httpx.get(f"{server.url}/api/v1/findings/pair-{number}").status_code
            for number in range(pair_rounds)
        ]
        assert pairs == [200] * pair_rounds
