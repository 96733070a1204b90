"""Review of sources: what waits for review, publish or reject, restore, and the history."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep, WriteAuthDep
from api.schemas import (
    ChangeQuery,
    HistoryOut,
    ProposedPage,
    ReviewIn,
    WriteOut,
    errors,
    json_response,
)

router = APIRouter(prefix="/api/v1", tags=["review"])

SourceId = Annotated[str, Path(max_length=100, examples=["jasko17"])]
WRITTEN = {200: {"model": WriteOut, "description": "Done; the change is in the history."}}


@router.get(
    "/proposed",
    response_model=ProposedPage,
    response_description="Sources with a version waiting for review.",
    responses=errors(401, 403),
)
def list_proposed(service: ServiceDep, _auth: WriteAuthDep) -> Response:
    """Proposed sources and edits, for curators (the write token)."""
    return json_response(service.proposed_sources())


@router.get(
    "/proposed/{source_id}",
    response_class=Response,
    responses={
        200: {"description": "The proposed version in entry format."},
        **errors(401, 403, 404, 422),
    },
)
def read_proposed(
    service: ServiceDep,
    _auth: WriteAuthDep,
    source_id: SourceId,
    as_: Annotated[Literal["yaml", "json"], Query(alias="as")] = "yaml",
) -> Response:
    """The version of a source that waits for review, in entry format (curators only)."""
    body, media_type = service.source_entry(source_id, as_, state="proposed")
    return Response(body, media_type=media_type)


@router.post(
    "/sources/{source_id}/review",
    response_class=Response,
    responses={**WRITTEN, **errors(400, 401, 403, 404, 409, 422, 503)},
)
async def review_source(
    service: ServiceDep, _auth: WriteAuthDep, source_id: SourceId, review: ReviewIn
) -> Response:
    """Publish (it then counts in every public answer) or reject a proposed version."""
    result = await run_in_threadpool(
        lambda: service.review_source(source_id, review.decision, by=review.by, why=review.why)
    )
    return json_response(result.as_dict())


@router.post(
    "/sources/{source_id}/publish",
    response_class=Response,
    responses={**WRITTEN, **errors(401, 403, 404, 409, 422, 503)},
)
async def publish_source(
    service: ServiceDep,
    _auth: WriteAuthDep,
    source_id: SourceId,
    query: Annotated[ChangeQuery, Query()],
) -> Response:
    """Publish the proposed version of a source (a review that publishes)."""
    result = await run_in_threadpool(
        lambda: service.publish_source(source_id, by=query.by, why=query.why)
    )
    return json_response(result.as_dict())


@router.post(
    "/sources/{source_id}/restore",
    response_class=Response,
    responses={**WRITTEN, **errors(401, 403, 404, 409, 422, 503)},
)
async def restore_source(
    service: ServiceDep,
    _auth: WriteAuthDep,
    source_id: SourceId,
    query: Annotated[ChangeQuery, Query()],
) -> Response:
    """Make the last public version of a deleted source public again."""
    result = await run_in_threadpool(
        lambda: service.restore_source(source_id, by=query.by, why=query.why)
    )
    return json_response(result.as_dict())


@router.get(
    "/sources/{source_id}/history",
    response_model=HistoryOut,
    response_description="Every change, newest first, with a diff.",
    responses=errors(404, 422),
)
def read_history(service: ServiceDep, source_id: SourceId) -> Response:
    """Who changed the source, when, what (a diff of the entry) and why.

    Open to all, like the graph it is read from; proposed and rejected versions are listed
    too and count in no verdict.
    """
    return json_response(service.source_history(source_id))
