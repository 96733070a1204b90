"""``/api/v1/drivers``: the four drivers and the factors ranked for each."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import DriverOut, DriversOut, errors, json_ok

router = APIRouter(prefix="/api/v1", tags=["drivers"])

Lang = Annotated[Literal["en", "nl"], Query(description="Label language.")]


@router.get(
    "/drivers",
    response_class=Response,
    responses={**json_ok(DriversOut, "The drivers."), **errors(422)},
)
def list_drivers(service: ServiceDep, lang: Lang = "en") -> Response:
    """The identity, justice, meaning and sensation seeker."""
    return Response(orjson.dumps(service.drivers(lang)), media_type="application/json")


@router.get(
    "/drivers/{driver_id}",
    response_class=Response,
    responses={**json_ok(DriverOut, "One driver with its factors ranked."), **errors(404, 422)},
)
def read_driver(
    service: ServiceDep,
    driver_id: Annotated[str, Path(max_length=100, examples=["justice_seeker"])],
    lang: Lang = "en",
) -> Response:
    """One driver with the trigger factors ranked by their evidence for it."""
    return Response(orjson.dumps(service.driver(driver_id, lang)), media_type="application/json")
