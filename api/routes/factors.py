"""``/api/v1/factors``: trigger factors with their evidence verdicts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import ServiceDep, get_service
from api.schemas import errors, json_response
from triggergraph.answers import (
    FactorAnswer,
    FactorHistoryAnswer,
    FactorsPage,
    FactorsQuery,
    LangQuery,
)

router = APIRouter(prefix="/api/v1", tags=["factors"])


@router.get(
    "/factors",
    response_model=FactorsPage,
    response_description="A page of trigger factors.",
    responses=errors(404, 422),
)
async def list_factors(request: Request, query: Annotated[FactorsQuery, Query()]) -> Response:
    """Trigger factors, filtered and paged; ``total`` counts every match."""
    service = get_service(request)
    body = service.cached_answer("factors", query)
    if body is None:
        body = await run_in_threadpool(service.factors_json, query)
    return json_response(body)


@router.get(
    "/factors/{factor_id}",
    response_model=FactorAnswer,
    response_description="One factor with cells and findings.",
    responses=errors(404, 422),
)
async def read_factor(
    request: Request,
    factor_id: Annotated[str, Path(max_length=100, examples=["detention"])],
    query: Annotated[LangQuery, Query()],
) -> Response:
    """One trigger factor: definitions, related constructs, cells and findings."""
    service = get_service(request)
    body = service.cached_answer("factor", (factor_id, query))
    if body is None:
        body = await run_in_threadpool(service.factor_json, factor_id, query)
    return json_response(body)


@router.get(
    "/factors/{factor_id}/history",
    response_model=FactorHistoryAnswer,
    response_description="Each cell of one factor with its verdicts across the releases.",
    responses=errors(404, 422),
)
def read_factor_history(
    service: ServiceDep,
    factor_id: Annotated[str, Path(max_length=100, examples=["detention"])],
    query: Annotated[LangQuery, Query()],
) -> Response:
    """Each cell of one factor: its verdict now, in the latest release, and the verdicts it held
    from release to release (``releases`` is empty until the first release)."""
    return json_response(service.factor_history(factor_id, query))
