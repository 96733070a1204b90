"""``/api/v1/factors``: trigger factors with their evidence verdicts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import get_service
from api.schemas import MAX_OFFSET, FactorOut, FactorsPage, errors, json_ok

router = APIRouter(prefix="/api/v1", tags=["factors"])

Lang = Annotated[Literal["en", "nl"], Query(description="Label language.")]


@router.get(
    "/factors",
    response_class=Response,
    responses={**json_ok(FactorsPage, "A page of trigger factors."), **errors(404, 422)},
)
async def list_factors(
    request: Request,
    level: Annotated[
        str | None, Query(description="micro, meso or macro.", examples=["meso"])
    ] = None,
    driver: Annotated[
        str | None,
        Query(description="Driver id; cells for this driver.", examples=["justice_seeker"]),
    ] = None,
    sex: Annotated[str | None, Query(description="Sex group id.", examples=["sex_male"])] = None,
    age: Annotated[str | None, Query(description="Age group id.", examples=["age_18_25"])] = None,
    education: Annotated[
        str | None, Query(description="Education group id.", examples=["education_low"])
    ] = None,
    min_verdict: Annotated[
        str | None, Query(description="Only factors at or above this verdict.")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in the label or definition.")
    ] = None,
    lang: Lang = "en",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """Trigger factors, filtered and paged; ``total`` counts every match."""
    service = get_service(request)
    filters = {
        "level": level,
        "driver": driver,
        "sex": sex,
        "age": age,
        "education": education,
        "min_verdict": min_verdict,
        "q": q,
        "lang": lang,
        "offset": offset,
        "limit": limit,
    }
    body = service.cached_answer("factors", filters)
    if body is None:
        body = await run_in_threadpool(service.factors_json, **filters)
    return Response(body, media_type="application/json")


@router.get(
    "/factors/{factor_id}",
    response_class=Response,
    responses={**json_ok(FactorOut, "One factor with cells and findings."), **errors(404, 422)},
)
async def read_factor(
    request: Request,
    factor_id: Annotated[str, Path(max_length=100, examples=["detention"])],
    lang: Lang = "en",
) -> Response:
    """One trigger factor or construct: definitions, related constructs, cells and findings."""
    service = get_service(request)
    body = service.cached_answer("factor", {"id": factor_id, "lang": lang})
    if body is None:
        body = await run_in_threadpool(service.factor_json, factor_id, lang)
    return Response(body, media_type="application/json")
