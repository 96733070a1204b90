"""``/api/v1/matrix``: the evidence map, trigger factors by driver, sex, age or education."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import CuratorDep, get_service
from api.schemas import MatrixOut, errors, json_ok
from triggergraph.exceptions import AuthError

router = APIRouter(prefix="/api/v1", tags=["matrix"])


@router.get(
    "/matrix",
    response_class=Response,
    responses={
        **json_ok(MatrixOut, "Rows (factors), columns and a verdict per cell."),
        **errors(401, 404, 422),
    },
)
async def read_matrix(
    request: Request,
    curator: CuratorDep,
    cols: Annotated[
        Literal["driver", "sex", "age", "education"], Query(description="Columns.")
    ] = "driver",
    rows: Annotated[Literal["factor"], Query(description="Rows: trigger factors.")] = "factor",
    level: Annotated[str | None, Query(description="micro, meso or macro.")] = None,
    min_verdict: Annotated[str | None, Query(description="Hide cells below this verdict.")] = None,
    outcome_stage: Annotated[
        str | None, Query(description="attitude, intention or behaviour.")
    ] = None,
    direct_only: Annotated[
        bool, Query(description="Leave out construct (indirect) evidence.")
    ] = False,
    lang: Annotated[Literal["en", "nl"], Query(description="Label language.")] = "en",
    include_proposed: Annotated[
        bool,
        Query(description="Count proposed versions too (curators only: the write token)."),
    ] = False,
) -> Response:
    """One verdict per factor and column, with counts and the reasons for it."""
    service = get_service(request)
    filters: dict = {"cols": cols, "lang": lang}
    if level is not None:
        filters["level"] = level
    if min_verdict is not None:
        filters["min_verdict"] = min_verdict
    if outcome_stage is not None:
        filters["outcome_stage"] = outcome_stage
    if direct_only:
        filters["direct_only"] = True
    if include_proposed:
        if not curator:
            raise AuthError(
                "the map including proposed versions is for curators: "
                "send 'Authorization: Bearer <token>'"
            )
        body = await run_in_threadpool(service.matrix_including_proposed, **filters)
        return Response(body, media_type="application/json")
    body = service.cached_answer("matrix", filters)
    if body is None:
        body = await run_in_threadpool(service.matrix_json, **filters)
    return Response(body, media_type="application/json")
