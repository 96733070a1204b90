"""``/api/v1/sources``: literature sources; reading is open, writing needs the Bearer token."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep, WriteAuthDep
from api.headers import etag_header, parse_if_match
from api.schemas import MAX_OFFSET, SourceOut, SourcesPage, WriteOut, errors, json_ok

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


def _json(data, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        orjson.dumps(data), status_code=status, media_type="application/json", headers=headers
    )


@router.get(
    "/sources",
    response_class=Response,
    responses={**json_ok(SourcesPage, "A page of sources."), **errors(422)},
)
def list_sources(
    service: ServiceDep,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in authors, title or venue.")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """Sources, paged; ``total`` counts every match."""
    return _json(service.sources(q=q, offset=offset, limit=limit))


@router.get(
    "/sources/{source_id}",
    response_class=Response,
    responses={**json_ok(SourceOut, "One source with its findings."), **errors(404, 422)},
)
def read_source(service: ServiceDep, source_id: SourceId) -> Response:
    """One source: record, citation notes, flags, findings, cited works and context notes.

    The ``ETag`` is the source's revision in the store; send it back in ``If-Match`` to
    update or delete the source only if nobody changed it since.
    """
    body = service.source(source_id)
    return _json(body, headers=etag_header(service.source_revision(source_id)))


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
    return _json(result.as_dict(), 201, headers)


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
    return _json(result.as_dict(), headers=etag_header(result.version))


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
    return _json(result.as_dict())
