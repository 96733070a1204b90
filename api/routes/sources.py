"""``/api/v1/sources``: literature sources; reading is open, writing needs the Bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep, WriteAuthDep
from api.headers import etag_header, parse_if_match
from api.schemas import WriteOut, errors, json_response
from triggergraph.answers import SourceAnswer, SourcesPage, SourcesQuery

router = APIRouter(prefix="/api/v1", tags=["sources"])

#: A template of the entry format (the same as a ``literature/<id>.yaml`` file); every value is a
#: placeholder to replace with what the source itself says.
ENTRY_TEMPLATE_YAML = """\
id: example-source
type: journal_article
authors: ["Surname, A."]
year: 2020
title: "Title of the work as published"
added_by: "your name"
added_on: 2026-11-28
findings:
  - id: example-source-1
    factor: detention
    drivers:
      - {driver: justice_seeker, basis: proposed}
    direction: increases
    certainty: D
    certainty_reasons: ["why this certainty"]
    locator: "page or section where the finding stands"
"""

ENTRY_TEMPLATE_JSON = {
    "id": "example-source",
    "type": "journal_article",
    "authors": ["Surname, A."],
    "year": 2020,
    "title": "Title of the work as published",
    "added_by": "your name",
    "added_on": "2026-11-28",
    "findings": [
        {
            "id": "example-source-1",
            "factor": "detention",
            "drivers": [{"driver": "justice_seeker", "basis": "proposed"}],
            "direction": "increases",
            "certainty": "D",
            "certainty_reasons": ["why this certainty"],
            "locator": "page or section where the finding stands",
        }
    ],
}

ENTRY_BODY = {
    "requestBody": {
        "required": True,
        "description": "One literature entry in the format of the files in literature/.",
        "content": {
            "application/yaml": {"schema": {"type": "string"}, "example": ENTRY_TEMPLATE_YAML},
            "text/yaml": {"schema": {"type": "string"}, "example": ENTRY_TEMPLATE_YAML},
            "application/json": {"schema": {"type": "object"}, "example": ENTRY_TEMPLATE_JSON},
        },
    }
}

SourceId = Annotated[str, Path(max_length=100, examples=["jasko17"])]
IfMatch = Annotated[
    str | None,
    Header(
        max_length=2000,
        description='ETag(s) of the source as last read (`"..."`, or `*`); the write happens '
        "only while the source still has one of them, else 412.",
    ),
]


@router.get(
    "/sources",
    response_model=SourcesPage,
    response_description="A page of sources.",
    responses=errors(422),
)
def list_sources(service: ServiceDep, query: Annotated[SourcesQuery, Query()]) -> Response:
    """Sources, paged; ``total`` counts every match."""
    return json_response(service.sources(query))


@router.get(
    "/sources/{source_id}",
    response_model=SourceAnswer,
    response_description="One source with its findings.",
    responses=errors(404, 422),
)
def read_source(service: ServiceDep, source_id: SourceId) -> Response:
    """One source: record, citation notes, flags, findings, cited works and context notes.

    The ``ETag`` is the source's revision in the store; send it back in ``If-Match`` to
    update or delete the source only if nobody changed it since.
    """
    body = service.source(source_id)
    return json_response(body, headers=etag_header(service.source_revision(source_id)))


@router.post(
    "/sources",
    status_code=201,
    response_class=Response,
    openapi_extra=ENTRY_BODY,
    responses={
        201: {"model": WriteOut, "description": "Created; Location names the new source."},
        **errors(401, 403, 409, 413, 422, 503),
    },
)
async def create_source(request: Request, service: ServiceDep, _auth: WriteAuthDep) -> Response:
    """Add a source (YAML or JSON entry). Validated in full before anything is written."""
    body = await request.body()
    result = await run_in_threadpool(
        service.create_source, body, request.headers.get("content-type")
    )
    headers = {"Location": f"/api/v1/sources/{result.id}", **etag_header(result.version)}
    return json_response(result.as_dict(), 201, headers)


@router.put(
    "/sources/{source_id}",
    response_class=Response,
    openapi_extra=ENTRY_BODY,
    responses={
        200: {"model": WriteOut, "description": "Replaced."},
        **errors(401, 403, 404, 409, 412, 413, 422, 503),
    },
)
async def replace_source(
    request: Request,
    service: ServiceDep,
    _auth: WriteAuthDep,
    source_id: SourceId,
    if_match: IfMatch = None,
) -> Response:
    """Replace an existing source; the entry's ``id`` must equal the id in the URL."""
    body = await request.body()
    result = await run_in_threadpool(
        service.replace_source,
        source_id,
        body,
        request.headers.get("content-type"),
        parse_if_match(if_match),
    )
    return json_response(result.as_dict(), headers=etag_header(result.version))


@router.delete(
    "/sources/{source_id}",
    response_class=Response,
    responses={
        200: {"model": WriteOut, "description": "Deleted."},
        **errors(401, 403, 404, 412, 422, 503),
    },
)
async def delete_source(
    service: ServiceDep, _auth: WriteAuthDep, source_id: SourceId, if_match: IfMatch = None
) -> Response:
    """Delete a source with all its findings (only while it has the ``If-Match`` ETag, if sent)."""
    result = await run_in_threadpool(service.delete_source, source_id, parse_if_match(if_match))
    return json_response(result.as_dict())
