"""``/api/v1/sources``: literature sources; reading is open, writing needs the Bearer token."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep, WriteAuthDep
from api.headers import etag_header, parse_if_match
from api.schemas import ChangeQuery, WriteOut, WriteQuery, errors, json_response
from triggergraph.answers import SourceAnswer, SourcesPage, SourcesQuery
from triggergraph.service import PUBLISHED, WriteResult, entry_rendering

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


def _public_etag(result: WriteResult) -> dict[str, str]:
    """The new ETag of the public version; a proposed version leaves the public one as it was."""
    return etag_header(result.version) if result.state == PUBLISHED else {}


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
    response_description="One source with its findings; with format=entry (or as=, or an "
    "Accept header preferring YAML) the entry itself, which PUT takes back unchanged.",
    responses={
        200: {
            "content": {
                "application/yaml": {"schema": {"type": "string"}, "example": ENTRY_TEMPLATE_YAML}
            }
        },
        **errors(404, 422),
    },
)
def read_source(
    request: Request,
    service: ServiceDep,
    source_id: SourceId,
    format: Annotated[
        Literal["entry"] | None,
        Query(description="'entry': the entry format of literature/ files, to edit and PUT back."),
    ] = None,
    as_: Annotated[
        Literal["yaml", "json"] | None,
        Query(alias="as", description="Entry rendering (implies format=entry)."),
    ] = None,
) -> Response:
    """One source: record, citation notes, flags, findings, cited works and context notes.

    The ``ETag`` is the source's revision in the store; send it back in ``If-Match`` to
    update or delete the source only if nobody changed it since.
    """
    rendering = entry_rendering(format, as_, request.headers.get("accept"))
    etag = etag_header(service.source_revision(source_id))
    if rendering is None:
        return json_response(service.source(source_id), headers=etag)
    body, media_type = service.source_entry(source_id, rendering)
    return Response(body, media_type=media_type, headers=etag)


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
async def create_source(
    request: Request,
    service: ServiceDep,
    _auth: WriteAuthDep,
    query: Annotated[WriteQuery, Query()],
) -> Response:
    """Add a source (YAML or JSON entry). Validated in full before anything is written.

    The source is *proposed* (it changes no public answer) until it is published, here with
    ``publish=true`` or later with ``POST /api/v1/sources/{id}/publish``.
    """
    body = await request.body()
    result = await run_in_threadpool(
        lambda: service.create_source(
            body,
            request.headers.get("content-type"),
            by=query.by,
            why=query.why,
            publish=query.publish,
        )
    )
    headers = {"Location": f"/api/v1/sources/{result.id}", **_public_etag(result)}
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
    query: Annotated[WriteQuery, Query()],
    if_match: IfMatch = None,
) -> Response:
    """Replace an existing (or deleted) source; the entry's ``id`` must equal the id in the URL.

    The new version is proposed unless ``publish=true``. ``added_by``/``added_on`` of the
    first version are kept; the editor (``by``) and ``why`` go into the history.
    """
    body = await request.body()
    result = await run_in_threadpool(
        lambda: service.replace_source(
            source_id,
            body,
            request.headers.get("content-type"),
            parse_if_match(if_match),
            by=query.by,
            why=query.why,
            publish=query.publish,
        )
    )
    return json_response(result.as_dict(), headers=_public_etag(result))


@router.delete(
    "/sources/{source_id}",
    response_class=Response,
    responses={
        200: {"model": WriteOut, "description": "Deleted."},
        **errors(401, 403, 404, 412, 422, 503),
    },
)
async def delete_source(
    service: ServiceDep,
    _auth: WriteAuthDep,
    source_id: SourceId,
    query: Annotated[ChangeQuery, Query()],
    if_match: IfMatch = None,
) -> Response:
    """Delete a source with all its findings (only while it has the ``If-Match`` ETag, if
    sent); it stays deleted (also when its file in literature/ changes) until
    ``POST /api/v1/sources/{id}/restore`` or a PUT."""
    result = await run_in_threadpool(
        lambda: service.delete_source(
            source_id, parse_if_match(if_match), by=query.by, why=query.why
        )
    )
    return json_response(result.as_dict())
