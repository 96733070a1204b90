"""``/api/v1/gaps``: cells with no evidence, only indirect evidence, or contested evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import errors, json_response
from triggergraph.answers import GapsAnswer, LangQuery

router = APIRouter(prefix="/api/v1", tags=["gaps"])


@router.get(
    "/gaps",
    response_model=GapsAnswer,
    response_description="The gaps.",
    responses=errors(422),
)
def read_gaps(service: ServiceDep, query: Annotated[LangQuery, Query()]) -> Response:
    """Where the evidence is missing, indirect only, or contested."""
    return json_response(service.gaps(query))
