"""Settings: the one place that reads the environment (``TRIGGERGRAPH_*`` and ``.env``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_BASE_IRI = "http://127.0.0.1:8000/"


def bundled_dir(name: str) -> Path:
    """Return a data folder shipped inside the package: ``ontology`` or ``literature``.

    In a checkout ``triggergraph/data/<name>`` links to the researcher-facing folder at the root
    of the repository; in an installed wheel it holds a copy (package data).

    Examples
    --------
    >>> (bundled_dir("ontology") / "shapes.ttl").is_file()
    True
    """
    return Path(str(resources.files(__package__).joinpath("data", name))).resolve()


def work_dir() -> Path:
    """Return where ``var/`` and ``dist/`` go: the checkout when run from one, else the current folder.

    An installed package never writes next to its own code.
    """
    return PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else Path.cwd()


BUNDLED_ONTOLOGY = bundled_dir("ontology")
BUNDLED_LITERATURE = bundled_dir("literature")


class Settings(BaseSettings):
    """Runtime settings. Tests build their own instance instead of patching globals.

    Examples
    --------
    >>> Settings(base_iri="https://example.org/tg/").base_iri
    'https://example.org/tg/'
    """

    model_config = SettingsConfigDict(env_prefix="TRIGGERGRAPH_", env_file=".env", extra="ignore")

    store: Literal["oxigraph", "memory", "sparql"] = "oxigraph"
    store_path: Path = Field(default_factory=lambda: work_dir() / "var" / "store")
    sparql_url: str | None = None
    sparql_update_url: str | None = None
    sparql_user: str | None = None
    sparql_password: SecretStr | None = None
    #: the shared store's server: ``standard`` (oxigraph serve, Fuseki) or ``virtuoso``
    sparql_dialect: Literal["standard", "virtuoso"] = "standard"
    api_token: SecretStr | None = None
    #: How long a ``/curate`` sign-in lasts; the signed session cookie carries its start.
    curate_session_hours: float = Field(default=8.0, gt=0)
    #: Every IRI the data mints starts with it, so it must be where the server is reached;
    #: ``triggergraph serve`` derives it from ``--host``/``--port`` when it is not set.
    base_iri: str = DEFAULT_BASE_IRI
    literature_dir: Path = BUNDLED_LITERATURE
    ontology_dir: Path = BUNDLED_ONTOLOGY
    dist_dir: Path = Field(default_factory=lambda: work_dir() / "dist")
    release_dir: Path = Field(default_factory=lambda: work_dir() / "releases")
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
    #: The read model is saved so a restart need not rebuild it: inside the embedded store's
    #: folder, or at ``read_model_path`` (needed for a remote store; each process sharing
    #: that store may point at its own file or at one shared file).
    save_read_model: bool = True
    read_model_path: Path | None = None
    #: seconds without a write before the saved copy is refreshed (many writes, one save)
    read_model_save_delay_s: float = Field(default=2.0, ge=0)
    #: Answers made ahead for a new data version (factor lists, the map) wait until no
    #: request has been in flight for this many seconds (at most 10 s), so they do not slow
    #: the requests of a start or of the moments after a write.
    warm_after_quiet_s: float = Field(default=0.5, ge=0)
    #: Origins whose browser pages may read the API and /sparql cross-site ("*": any);
    #: writes are never allowed cross-site, whatever this says.
    cors_origins: list[str] = Field(default_factory=lambda: ["*"])

    @property
    def base_iri_is_default(self) -> bool:
        """True when nobody chose the base IRI (it is the ``make run`` default)."""
        return "base_iri" not in self.model_fields_set

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
