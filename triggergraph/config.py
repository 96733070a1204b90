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
    sparql_timeout_s: float = Field(default=10.0, gt=0)
    sparql_result_limit: int = Field(default=10_000, gt=0)
    # /sparql: limits checked on the text before any store sees it (store/precheck.py)
    sparql_max_chars: int = Field(default=100_000, gt=0)
    sparql_max_get_chars: int = Field(default=8_000, gt=0)
    sparql_max_depth: int = Field(default=64, gt=0)
    sparql_max_chain: int = Field(default=256, gt=0)
    sparql_max_triple_patterns: int = Field(default=1_000, gt=0)
    sparql_max_path_closures: int = Field(default=8, ge=0)
    # /sparql: query worker processes (triggergraph/sparql/pool.py)
    sparql_workers: int = Field(default=2, gt=0)
    sparql_worker_memory_mb: int = Field(default=1_024, gt=0)
    sparql_queue_per_client: int = Field(default=4, gt=0)
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
