"""Tests of the write-token check: 403 without a configured token, 401 without or with a wrong one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app


def dump(client) -> str:
    return client.app.state.service.store.dump_nquads()


YAML = {"Content-Type": "application/yaml"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/sources"),
        ("put", "/api/v1/sources/fixture_beta"),
        ("delete", "/api/v1/sources/fixture_beta"),
    ],
)
def test_write_without_token_is_401_and_changes_nothing(read_client, entry_yaml, method, path):
    before = dump(read_client)
    body = entry_yaml("fixture_beta", ["x-1"]) if method != "delete" else None
    response = read_client.request(method.upper(), path, content=body, headers=YAML)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert dump(read_client) == before


def test_write_with_wrong_token_is_401_and_changes_nothing(read_client, entry_yaml):
    before = dump(read_client)
    response = read_client.post(
        "/api/v1/sources",
        content=entry_yaml("added_one", ["a-1"]),
        headers={**YAML, "Authorization": "Bearer wrong-token"},
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "wrong write token"
    assert dump(read_client) == before


def test_write_with_token_in_query_string_is_refused(read_client, entry_yaml, token):
    before = dump(read_client)
    for name in ("token", "access_token", "api_token"):
        response = read_client.post(
            "/api/v1/sources",
            params={name: token},
            content=entry_yaml("added_one", ["a-1"]),
            headers=YAML,
        )
        assert response.status_code == 401
    assert dump(read_client) == before


def test_write_with_basic_scheme_is_401(read_client, token):
    response = read_client.delete(
        "/api/v1/sources/fixture_beta", headers={"Authorization": f"Basic {token}"}
    )
    assert response.status_code == 401


def test_write_without_configured_token_is_403_saying_how_to_enable(settings, auth):
    settings = settings.model_copy(update={"api_token": None})
    with TestClient(create_app(settings)) as client:
        before = dump(client)
        response = client.delete("/api/v1/sources/fixture_beta", headers=auth)
        assert response.status_code == 403
        assert "TRIGGERGRAPH_API_TOKEN" in response.json()["detail"]
        assert dump(client) == before


def test_write_with_right_token_is_accepted(client, auth):
    response = client.delete("/api/v1/sources/fixture_beta", headers=auth)
    assert response.status_code == 200


def test_non_ascii_token_matches_as_utf8(settings, entry_yaml):
    secret = "geheim-wachtwoord-ë"
    utf8 = settings.model_copy(update={"api_token": SecretStr(secret)})
    body = entry_yaml("utf8_token_one", ["utf8-token-1"])
    with TestClient(create_app(utf8)) as client:

        def post(token: bytes) -> int:
            headers = {"Authorization": b"Bearer " + token, "Content-Type": "application/yaml"}
            return client.post("/api/v1/sources", content=body, headers=headers).status_code

        assert post("geheim-wachtwoord-é".encode()) == 401
        assert post(secret.encode("utf-8")) == 201


def test_token_sent_as_latin1_bytes_does_not_match_its_utf8_twin(settings):
    from fastapi.security import HTTPAuthorizationCredentials

    from api.deps import require_write_token
    from triggergraph.exceptions import AuthError

    secret = "geheim-wachtwoord-ë"
    chosen = settings.model_copy(update={"api_token": SecretStr(secret)})
    # the server decodes header bytes as Latin-1: the byte 0xEB arrives as "ë"
    latin1 = HTTPAuthorizationCredentials(scheme="Bearer", credentials=secret)
    with pytest.raises(AuthError, match="wrong write token"):
        require_write_token(chosen, latin1)
    utf8 = secret.encode("utf-8").decode("latin-1")
    require_write_token(chosen, HTTPAuthorizationCredentials(scheme="Bearer", credentials=utf8))
