"""``/api/v1/findings``: the findings, filtered and paged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import errors, json_response
from triggergraph.answers import FindingAnswer, FindingsPage, FindingsQuery, LangQuery

router = APIRouter(prefix="/api/v1", tags=["findings"])


@router.get(
    "/findings",
    response_model=FindingsPage,
    response_description="A page of findings.",
    responses=errors(404, 422),
)
def list_findings(service: ServiceDep, query: Annotated[FindingsQuery, Query()]) -> Response:
    """Findings matching every filter given; ``total`` counts every match."""
    return json_response(service.findings(query))


@router.get(
    "/findings/{finding_id}",
    response_model=FindingAnswer,
    response_description="One finding with all its fields.",
    responses=errors(404, 422),
)
def read_finding(
    service: ServiceDep,
    finding_id: Annotated[str, Path(max_length=100, examples=["F088"])],
    query: Annotated[LangQuery, Query()],
) -> Response:
    """One finding: factor, drivers (stated or proposed), groups, grading, effect and source."""
    return json_response(service.finding(finding_id, query))
