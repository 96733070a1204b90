"""``/api/v1/profile``: factors ranked by evidence for a driver and/or demographic profile."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import get_service
from api.schemas import errors, json_response
from triggergraph.answers import ProfileAnswer, ProfileQuery

router = APIRouter(prefix="/api/v1", tags=["profile"])


@router.get(
    "/profile",
    response_model=ProfileAnswer,
    response_description="Ranked factors with the population-level notice.",
    responses=errors(404, 422),
)
async def read_profile(request: Request, query: Annotated[ProfileQuery, Query()]) -> Response:
    """Trigger factors ranked by the evidence for this profile; population-level, never a person."""
    service = get_service(request)
    body = service.cached_answer("profile", query)
    if body is None:
        body = await run_in_threadpool(service.profile_json, query)
    return json_response(body)
