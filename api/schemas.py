"""Response and error models of the HTTP API, with the examples shown in the OpenAPI document.

Hot routes return pre-serialised JSON bytes, so these models document the answers (through
``responses=``) rather than re-validate them on every request.
"""

from __future__ import annotations

from typing import Any, Literal

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
    action: str = Field(
        examples=["proposed"],
        description="'created', 'replaced', 'proposed', 'published', 'rejected', 'deleted' or 'restored'.",
    )
    state: str = Field(
        examples=["proposed"],
        description="'published' (counts in public answers), 'proposed' (waits for review) or 'deleted'.",
    )
    change: str | None = Field(
        default=None, description="IRI of the recorded change (a prov:Activity) in the history."
    )


class ChangeOut(BaseModel):
    change: str = Field(description="IRI of the change, a prov:Activity.")
    action: str = Field(examples=["replaced"])
    by: str = Field(description="Who made the change.", examples=["Jansen, K."])
    at: str = Field(description="When (UTC).", examples=["2026-12-04T15:00:00+00:00"])
    why: str = Field(description="Why, as the curator wrote it.")
    used: list[str] = Field(description="Revisions the change replaced (kept in the history).")
    generated: str | None = Field(description="The revision it made, if any.")
    state: str | None = Field(description="'published', 'proposed' or 'loaded'.")
    diff: str = Field(description="Unified diff of the entry (YAML) from the revision it replaced.")


class HistoryOut(BaseModel):
    id: str
    state: str = Field(description="'published', 'published+proposed', 'proposed' or 'deleted'.")
    total: int
    items: list[ChangeOut]


class ProposedItem(BaseModel):
    id: str
    title: str
    findings: int
    edit_of_public: bool = Field(description="True when a public version exists (an edit).")


class ProposedPage(BaseModel):
    total: int
    items: list[ProposedItem]


class ChangeQuery(BaseModel):
    """Who makes a change and why: both go into the source's history."""

    by: str | None = Field(
        default=None,
        max_length=200,
        description="Who makes the change (default: the entry's added_by, or the token holder).",
    )
    why: str = Field(default="", max_length=2000, description="Why, kept in the history.")


class WriteQuery(ChangeQuery):
    """A POST or PUT of an entry: who, why, and whether it is published at once."""

    publish: bool = Field(
        default=False,
        description="Publish at once; otherwise the version is proposed and changes no public "
        "answer until POST /api/v1/sources/{id}/publish (or /review).",
    )


class ReviewIn(BaseModel):
    decision: Literal["publish", "reject"]
    by: str | None = Field(default=None, max_length=200, description="The reviewer.")
    why: str = Field(default="", max_length=2000, description="The reason, kept in the history.")


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
