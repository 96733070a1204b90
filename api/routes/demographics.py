"""``/api/v1/demographics``: the demographic dimensions (sex, age, education) and their groups."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import DemographicsOut, errors, json_ok

router = APIRouter(prefix="/api/v1", tags=["demographics"])


@router.get(
    "/demographics",
    response_class=Response,
    responses={**json_ok(DemographicsOut, "Dimensions and their groups."), **errors(422)},
)
def list_demographics(
    service: ServiceDep,
    lang: Annotated[Literal["en", "nl"], Query(description="Label language.")] = "en",
) -> Response:
    """Sex, age and education with their groups, in scale order."""
    return Response(orjson.dumps(service.demographics(lang)), media_type="application/json")
