"""``/api/v1/profile``: factors ranked by evidence for a driver and/or demographic profile."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import get_service
from api.schemas import ProfileOut, errors, json_ok

router = APIRouter(prefix="/api/v1", tags=["profile"])


@router.get(
    "/profile",
    response_class=Response,
    responses={
        **json_ok(ProfileOut, "Ranked factors with the population-level notice."),
        **errors(404, 422),
    },
)
async def read_profile(
    request: Request,
    driver: Annotated[str | None, Query(examples=["justice_seeker"])] = None,
    sex: Annotated[str | None, Query(examples=["sex_male"])] = None,
    age: Annotated[str | None, Query(examples=["age_18_25"])] = None,
    education: Annotated[str | None, Query(examples=["education_low"])] = None,
    lang: Annotated[Literal["en", "nl"], Query(description="Label language.")] = "en",
) -> Response:
    """Trigger factors ranked by the evidence for this profile; population-level, never a person."""
    service = get_service(request)
    filters = {"driver": driver, "sex": sex, "age": age, "education": education, "lang": lang}
    body = service.cached_answer("profile", filters)
    if body is None:
        body = await run_in_threadpool(service.profile_json, **filters)
    return Response(body, media_type="application/json")
