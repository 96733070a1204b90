"""Tests of the settings: environment prefix, .env file and validation."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from triggergraph.config import Settings


def test_settings_read_prefixed_environment(monkeypatch):
    monkeypatch.setenv("TRIGGERGRAPH_STORE", "memory")
    monkeypatch.setenv("TRIGGERGRAPH_BASE_IRI", "https://example.org/tg")
    settings = Settings()
    assert settings.store == "memory"
    assert settings.base_iri == "https://example.org/tg/"  # a trailing slash is added


def test_settings_read_dotenv_file(tmp_path: Path, monkeypatch):
    (tmp_path / ".env").write_text("TRIGGERGRAPH_API_TOKEN=s3cret\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRIGGERGRAPH_API_TOKEN", raising=False)
    assert Settings().api_token.get_secret_value() == "s3cret"


def test_settings_reject_unknown_store():
    with pytest.raises(pydantic.ValidationError) as info:
        Settings(store="mongodb")
    assert "oxigraph" in str(info.value)


def test_settings_reject_non_http_base():
    with pytest.raises(pydantic.ValidationError, match="http"):
        Settings(base_iri="urn:x:")


def test_settings_default_writes_disabled(monkeypatch):
    monkeypatch.delenv("TRIGGERGRAPH_API_TOKEN", raising=False)
    assert Settings(_env_file=None).api_token is None
