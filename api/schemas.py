"""Response and error models of the HTTP API, with the examples shown in the OpenAPI document.

Hot routes return pre-serialised JSON bytes, so these models document the answers (through
``responses=``) rather than re-validate them on every request.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    """A documented object that may carry more fields than listed."""

    model_config = ConfigDict(extra="allow")


class ProblemOut(BaseModel):
    file: str | None = Field(description="File or '<request body>'.")
    line: int | None = Field(description="Line in the YAML/JSON, when known.")
    field: str = Field(description="Path of the field, e.g. 'findings[0].factor'.")
    message: str
    suggestions: list[str] = Field(default_factory=list)


class ErrorOut(BaseModel):
    """Every error answer: the error class, a readable detail, and problems or suggestions."""

    error: str = Field(examples=["NotFoundError"])
    detail: str = Field(examples=["unknown factor 'detentoin'; did you mean 'detention'?"])
    problems: list[ProblemOut] | None = None
    kind: str | None = None
    id: str | None = None
    suggestions: list[str] | None = None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": "NotFoundError",
                    "detail": "unknown factor 'detentoin'; did you mean 'detention'?",
                    "kind": "factor",
                    "id": "detentoin",
                    "suggestions": ["detention"],
                },
                {
                    "error": "EntryError",
                    "detail": "<request body>:12 findings[0].factor: 'detentoin' is not a factor or construct; did you mean 'detention'?",
                    "problems": [
                        {
                            "file": "<request body>",
                            "line": 12,
                            "field": "findings[0].factor",
                            "message": "'detentoin' is not a factor or construct",
                            "suggestions": ["detention"],
                        }
                    ],
                },
            ]
        }
    )


class Page(Open):
    """A page of a list: ``total`` counts every match, ``items`` holds ``offset``..``offset+limit``."""

    total: int
    offset: int
    limit: int
    items: list[dict[str, Any]]


class FactorsPage(Page):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "total": 1,
                    "offset": 0,
                    "limit": 50,
                    "items": [
                        {
                            "id": "detention",
                            "iri": "http://127.0.0.1:8000/factor/detention",
                            "label": "Detention",
                            "level": "meso",
                            "overall": {"verdict": "..."},
                        }
                    ],
                }
            ]
        },
    )


class FactorOut(Open):
    id: str = Field(examples=["detention"])
    iri: str = Field(examples=["http://127.0.0.1:8000/factor/detention"])
    label: str | None = None


class ConstructsPage(Page):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "total": 1,
                    "offset": 0,
                    "limit": 100,
                    "items": [
                        {
                            "id": "perceived_discrimination",
                            "label": "Perceived discrimination",
                            "labels": {"en": "Perceived discrimination", "nl": "..."},
                            "maps_to": [
                                {
                                    "id": "direct_discrimination_racism_exclusion",
                                    "mapping": "closeMatch",
                                }
                            ],
                            "counts_for_a_cell": True,
                        }
                    ],
                }
            ]
        },
    )


class ConstructOut(Open):
    id: str = Field(examples=["perceived_discrimination"])
    maps_to: list[dict[str, Any]] = Field(default_factory=list)
    findings: list[dict[str, Any]] = Field(default_factory=list)


class DriversOut(Open):
    items: list[dict[str, Any]] = Field(
        examples=[[{"id": "justice_seeker", "iri": "http://127.0.0.1:8000/driver/justice_seeker"}]]
    )


class DriverOut(Open):
    id: str = Field(examples=["justice_seeker"])
    factors: list[dict[str, Any]] | None = None


class DemographicsOut(Open):
    dimensions: list[dict[str, Any]] = Field(
        examples=[[{"id": "age", "values": [{"id": "age_under_18"}, {"id": "age_18_25"}]}]]
    )


class FindingsPage(Page):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "total": 1,
                    "offset": 0,
                    "limit": 50,
                    "items": [
                        {
                            "id": "F088",
                            "factor": "significance_loss_economic",
                            "source": "jasko17",
                            "direction": "increases",
                            "certainty": "C",
                        }
                    ],
                }
            ]
        },
    )


class FindingOut(Open):
    id: str = Field(examples=["F088"])


class SourcesPage(Page):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "total": 1,
                    "offset": 0,
                    "limit": 50,
                    "items": [
                        {
                            "id": "jasko17",
                            "year": 2017,
                            "title": "Quest for significance and violent extremism: the case of domestic radicalization",
                        }
                    ],
                }
            ]
        },
    )


class SourceOut(Open):
    id: str = Field(examples=["jasko17"])


class MatrixOut(Open):
    rows: list[Any] = Field(examples=[["detention"]])
    columns: list[Any] = Field(
        examples=[["identity_seeker", "justice_seeker", "meaning_seeker", "sensation_seeker"]]
    )
    cells: dict[str, Any] = Field(examples=[{"detention": {"justice_seeker": {"verdict": "..."}}}])


class GapsOut(Open):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"examples": [{"empty": [], "indirect_only": [], "contested": []}]},
    )


class ProfileOut(Open):
    notice: dict[str, str] | str = Field(
        examples=[
            {"en": "Population-level evidence, not a judgement about any person.", "nl": "..."}
        ]
    )
    items: list[dict[str, Any]] | None = None


class HealthOut(Open):
    status: str = Field(
        examples=["ok"], description="'ok', or 'degraded' when stale or literature has problems."
    )
    backend: str = Field(examples=["oxigraph"])
    version: str = Field(examples=["3f2a9c"])
    stale: bool = Field(
        examples=[False],
        description="True when the store could not be reached and answers come from the last index.",
    )
    literature_problems: list[ProblemOut] = Field(default_factory=list)
    store_counts: dict[str, int] = Field(
        default_factory=dict, examples=[{"sources": 1, "findings": 1}]
    )


class WriteOut(BaseModel):
    id: str = Field(examples=["jasko17"])
    iri: str = Field(examples=["http://127.0.0.1:8000/source/jasko17"])
    findings: int = Field(examples=[1])
    version: str = Field(examples=["3f2a9c"])
    action: str = Field(examples=["created"], description="'created', 'replaced' or 'deleted'.")


#: The largest ``offset`` a list accepts: past it a page is empty anyway, and a bigger number
#: would not fit the 64-bit integers of the JSON answer (a 500 instead of a 422).
MAX_OFFSET = 1_000_000_000

#: The query shown in the OpenAPI document of /sparql.
SPARQL_QUERY_EXAMPLE = (
    "PREFIX tg: <https://w3id.org/triggergraph/ontology#>\n"
    "SELECT ?finding ?factor WHERE { GRAPH ?g { ?finding a tg:Finding ; tg:factor ?factor } } LIMIT 10"
)

#: Error responses shared by the routes, for the OpenAPI document.
ERRORS = {
    400: {"model": ErrorOut, "description": "Malformed or forbidden query."},
    401: {"model": ErrorOut, "description": "No or wrong write token."},
    403: {"model": ErrorOut, "description": "Writes are not enabled on this server."},
    404: {"model": ErrorOut, "description": "Unknown id; close ids in 'suggestions'."},
    409: {"model": ErrorOut, "description": "The write would overwrite something it must not."},
    413: {"model": ErrorOut, "description": "Request body over the size limit."},
    422: {"model": ErrorOut, "description": "Invalid parameter or entry; every problem is listed."},
    503: {
        "model": ErrorOut,
        "description": "The store cannot be reached, or the query ran past its limits.",
    },
}


def errors(*codes: int) -> dict[int, dict]:
    """The error responses of one route."""
    return {code: ERRORS[code] for code in codes}


def json_ok(model: type[BaseModel], description: str) -> dict[int, dict]:
    """A 200 answer documented by ``model`` (the route returns pre-serialised bytes)."""
    return {200: {"model": model, "description": description, "content": {"application/json": {}}}}
