"""``/api/v1/matrix``: the evidence map, trigger factors by driver, sex, age or education."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import WriteAuthDep, get_service
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


@router.get(
    "/matrix/proposed",
    response_model=MatrixAnswer,
    response_description="The map as it would be with every proposed version published.",
    responses=errors(401, 403, 404, 422),
)
async def read_matrix_including_proposed(
    request: Request, _auth: WriteAuthDep, query: Annotated[MatrixQuery, Query()]
) -> Response:
    """The evidence map counting proposed versions too, for curators (the write token).

    The public map (``/api/v1/matrix``) changes only when a proposed version is published.
    """
    body = await run_in_threadpool(get_service(request).matrix_including_proposed, query)
    return json_response(body)
