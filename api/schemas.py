"""Error and write models of the HTTP API, the error responses of the routes, and JSON bodies.

The answers themselves (matrix, factor, findings, ...) are defined once, in
:mod:`triggergraph.answers`, and the routes use those models as their response models.
"""

from __future__ import annotations

from typing import Literal

import orjson
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from triggergraph.answers import ProblemAnswer
from triggergraph.answers.builders import answer_json


class ErrorOut(BaseModel):
    """Every error answer: the error class, a readable detail, and problems or suggestions."""

    error: str = Field(examples=["NotFoundError"])
    detail: str = Field(examples=["unknown factor 'detentoin'; did you mean 'detention'?"])
    problems: list[ProblemAnswer] | None = None
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
    412: {
        "model": ErrorOut,
        "description": "If-Match names an ETag the source no longer has; read it again.",
    },
    413: {"model": ErrorOut, "description": "Request body over the size limit."},
    414: {"model": ErrorOut, "description": "A GET query too long for a URL; send it with POST."},
    429: {
        "model": ErrorOut,
        "description": "This client already has the most SPARQL queries running or waiting.",
    },
    422: {"model": ErrorOut, "description": "Invalid parameter or entry; every problem is listed."},
    503: {
        "model": ErrorOut,
        "description": "The store cannot be reached, or the query ran past its limits.",
    },
}


def errors(*codes: int) -> dict[int, dict]:
    """The error responses of one route."""
    return {code: ERRORS[code] for code in codes}


def json_response(
    body: bytes | BaseModel | dict | list, status: int = 200, headers: dict | None = None
) -> Response:
    """A JSON answer from pre-serialised bytes (hot routes), an answer model, or plain data.

    The route's ``response_model`` documents the answer; the body is not validated again on
    every request (see :mod:`triggergraph.answers`).
    """
    if isinstance(body, bytes):
        content = body
    elif isinstance(body, BaseModel):
        content = answer_json(body)
    else:
        content = orjson.dumps(body)
    return Response(content, status_code=status, media_type="application/json", headers=headers)
