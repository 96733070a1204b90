"""``/api/v1/drivers``: the four drivers and the factors ranked for each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import errors, json_response
from triggergraph.answers import DriverAnswer, DriversAnswer, LangQuery

router = APIRouter(prefix="/api/v1", tags=["drivers"])


@router.get(
    "/drivers",
    response_model=DriversAnswer,
    response_description="The drivers.",
    responses=errors(422),
)
def list_drivers(service: ServiceDep, query: Annotated[LangQuery, Query()]) -> Response:
    """The identity, justice, meaning and sensation seeker."""
    return json_response(service.drivers(query))


@router.get(
    "/drivers/{driver_id}",
    response_model=DriverAnswer,
    response_description="One driver with its factors ranked.",
    responses=errors(404, 422),
)
def read_driver(
    service: ServiceDep,
    driver_id: Annotated[str, Path(max_length=100, examples=["justice_seeker"])],
    query: Annotated[LangQuery, Query()],
) -> Response:
    """One driver with the trigger factors ranked by their evidence for it."""
    return json_response(service.driver(driver_id, query))
