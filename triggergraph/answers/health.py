"""The server's state as an answer: backend, version, counts, stale flag, literature problems."""

from __future__ import annotations

from pydantic import Field

from .base import Answer


class ProblemAnswer(Answer):
    """One problem of an entry or of the literature, located as precisely as known."""

    file: str | None = Field(description="File or '<request body>'.")
    line: int | None = Field(description="Line in the YAML/JSON, when known.")
    field: str = Field(description="Path of the field, e.g. 'findings[0].factor'.")
    message: str
    suggestions: list[str] = Field(default_factory=list)


class IndexHealth(Answer):
    """What the read model holds."""

    status: str
    version: str
    sources: int
    findings: int
    factors: int
    constructs: int
    drivers: int
    demographics: int


class HealthAnswer(Answer):
    """Backend, data version, counts, whether answers are stale, and literature problems."""

    status: str = Field(
        examples=["ok"], description="'ok', or 'degraded' when stale or literature has problems."
    )
    backend: str = Field(examples=["oxigraph"])
    base_iri: str = Field(
        examples=["http://127.0.0.1:8000/"], description="Every IRI the data mints starts with it."
    )
    base_iri_problem: str | None = Field(
        default=None,
        description="Set when the base IRI was left at its default and this server answers "
        "at another address (its IRIs would not dereference here).",
    )
    version: str = Field(examples=["3f2a9c"])
    stale: bool = Field(
        examples=[False],
        description="True when the store could not be reached and answers come from the last index.",
    )
    store_error: str | None
    index: IndexHealth
    store_counts: dict[str, int] = Field(examples=[{"sources": 1, "findings": 1}])
    sources_from_literature: int
    sources_added: int
    literature_problems: list[ProblemAnswer]
