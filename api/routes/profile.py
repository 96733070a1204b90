"""``/api/v1/profile``: factors ranked by evidence for a driver and/or demographic profile."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ServiceDep
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
def read_profile(
    service: ServiceDep,
    driver: Annotated[str | None, Query(examples=["justice_seeker"])] = None,
    sex: Annotated[str | None, Query(examples=["sex_male"])] = None,
    age: Annotated[str | None, Query(examples=["age_18_25"])] = None,
    education: Annotated[str | None, Query(examples=["education_low"])] = None,
    lang: Annotated[Literal["en", "nl"], Query(description="Label language.")] = "en",
) -> Response:
    """Trigger factors ranked by the evidence for this profile; population-level, never a person."""
    body = service.profile_json(driver=driver, sex=sex, age=age, education=education, lang=lang)
    return Response(body, media_type="application/json")
