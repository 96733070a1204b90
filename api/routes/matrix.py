"""``/api/v1/matrix``: the evidence map, trigger factors by driver, sex, age or education."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import get_service
from api.schemas import errors, json_response
from triggergraph.answers import MatrixAnswer, MatrixQuery

router = APIRouter(prefix="/api/v1", tags=["matrix"])


@router.get(
    "/matrix",
    response_model=MatrixAnswer,
    response_description="Rows (factors), columns and a verdict per cell.",
    responses=errors(404, 422),
)
async def read_matrix(request: Request, query: Annotated[MatrixQuery, Query()]) -> Response:
    """One verdict per factor and column, with counts and the reasons for it."""
    service = get_service(request)
    body = service.cached_answer("matrix", query)
    if body is None:
        body = await run_in_threadpool(service.matrix_json, query)
    return json_response(body)
