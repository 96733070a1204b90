"""Settings: the one place that reads the environment (``TRIGGERGRAPH_*`` and ``.env``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


class Settings(BaseSettings):
    """Runtime settings. Tests build their own instance instead of patching globals.

    Examples
    --------
    >>> Settings(base_iri="https://example.org/tg/").base_iri
    'https://example.org/tg/'
    """

    model_config = SettingsConfigDict(env_prefix="TRIGGERGRAPH_", env_file=".env", extra="ignore")

    store: Literal["oxigraph", "memory", "sparql"] = "oxigraph"
    store_path: Path = PROJECT_ROOT / "var" / "store"
    sparql_url: str | None = None
    sparql_update_url: str | None = None
    sparql_user: str | None = None
    sparql_password: SecretStr | None = None
    api_token: SecretStr | None = None
    base_iri: str = "http://127.0.0.1:8000/"
    literature_dir: Path = PROJECT_ROOT / "literature"
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    dist_dir: Path = PROJECT_ROOT / "dist"
    release_dir: Path = PROJECT_ROOT / "releases"
    sparql_timeout_s: float = Field(default=10.0, gt=0)
    sparql_result_limit: int = Field(default=10_000, gt=0)
    max_body_bytes: int = Field(default=1_000_000, gt=0)
    version_check_interval_s: float = Field(default=1.0, ge=0)

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base_iri must be an http(s) IRI, got {value!r}")
        return value if value.endswith("/") else value + "/"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings read from the environment."""
    return Settings()
