"""``/api/v1/demographics``: the demographic dimensions (sex, age, education) and their groups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import errors, json_response
from triggergraph.answers import DemographicsAnswer, LangQuery

router = APIRouter(prefix="/api/v1", tags=["demographics"])


@router.get(
    "/demographics",
    response_model=DemographicsAnswer,
    response_description="Dimensions and their groups.",
    responses=errors(422),
)
def list_demographics(service: ServiceDep, query: Annotated[LangQuery, Query()]) -> Response:
    """Sex, age and education with their groups, in scale order."""
    return json_response(service.demographics(query))
