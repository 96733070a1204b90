"""``/api/v1/constructs``: related risk-factor constructs with their mappings to trigger factors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import errors, json_response
from triggergraph.answers import ConstructAnswer, ConstructsPage, ConstructsQuery, LangQuery

router = APIRouter(prefix="/api/v1", tags=["constructs"])


@router.get(
    "/constructs",
    response_model=ConstructsPage,
    response_description="A page of constructs.",
    responses=errors(422),
)
def list_constructs(service: ServiceDep, query: Annotated[ConstructsQuery, Query()]) -> Response:
    """Constructs with labels, definitions and the trigger factors they map to; ``q`` searches
    ids, Dutch and English labels and definitions."""
    return json_response(service.constructs(query))


@router.get(
    "/constructs/{construct_id}",
    response_model=ConstructAnswer,
    response_description="One construct with its findings.",
    responses=errors(404, 422),
)
def read_construct(
    service: ServiceDep,
    construct_id: Annotated[str, Path(max_length=100, examples=["perceived_discrimination"])],
    query: Annotated[LangQuery, Query()],
) -> Response:
    """One construct: labels, definitions, mappings and the findings coded on it."""
    return json_response(service.construct(construct_id, query))
