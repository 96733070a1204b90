"""``/api/v1/findings``: the findings, filtered and paged."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import MAX_OFFSET, FindingOut, FindingsPage, errors, json_ok

router = APIRouter(prefix="/api/v1", tags=["findings"])

Lang = Annotated[Literal["en", "nl"], Query(description="Label language.")]


@router.get(
    "/findings",
    response_class=Response,
    responses={**json_ok(FindingsPage, "A page of findings."), **errors(404, 422)},
)
def list_findings(
    service: ServiceDep,
    factor: Annotated[
        str | None, Query(description="Factor or construct id.", examples=["detention"])
    ] = None,
    driver: Annotated[
        str | None, Query(description="Driver id.", examples=["justice_seeker"])
    ] = None,
    demographic: Annotated[
        str | None, Query(description="Demographic group id.", examples=["age_under_18"])
    ] = None,
    source: Annotated[str | None, Query(description="Source id.", examples=["jasko17"])] = None,
    direction: Annotated[
        str | None, Query(description="increases, decreases, no_association or mixed.")
    ] = None,
    certainty: Annotated[str | None, Query(description="A, B, C or D.")] = None,
    outcome_stage: Annotated[
        str | None, Query(description="attitude, intention or behaviour.")
    ] = None,
    lang: Lang = "en",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """Findings matching every filter given; ``total`` counts every match."""
    page = service.findings(
        factor=factor,
        driver=driver,
        demographic=demographic,
        source=source,
        direction=direction,
        certainty=certainty,
        outcome_stage=outcome_stage,
        lang=lang,
        offset=offset,
        limit=limit,
    )
    return Response(orjson.dumps(page), media_type="application/json")


@router.get(
    "/findings/{finding_id}",
    response_class=Response,
    responses={**json_ok(FindingOut, "One finding with all its fields."), **errors(404, 422)},
)
def read_finding(
    service: ServiceDep,
    finding_id: Annotated[str, Path(max_length=100, examples=["F088"])],
    lang: Lang = "en",
) -> Response:
    """One finding: factor, drivers (stated or proposed), groups, grading, effect and source."""
    return Response(orjson.dumps(service.finding(finding_id, lang)), media_type="application/json")
