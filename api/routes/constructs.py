"""``/api/v1/constructs``: related risk-factor constructs with their mappings to trigger factors."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import MAX_OFFSET, ConstructOut, ConstructsPage, errors, json_ok

router = APIRouter(prefix="/api/v1", tags=["constructs"])

Lang = Annotated[Literal["en", "nl"], Query(description="Label language.")]


@router.get(
    "/constructs",
    response_class=Response,
    responses={**json_ok(ConstructsPage, "A page of constructs."), **errors(422)},
)
def list_constructs(
    service: ServiceDep,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words in the id, Dutch or English label or definition.",
            examples=["discriminatie"],
        ),
    ] = None,
    lang: Lang = "en",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Constructs with labels, definitions and the trigger factors they map to."""
    body = service.constructs(q, lang, offset, limit)
    return Response(orjson.dumps(body), media_type="application/json")


@router.get(
    "/constructs/{construct_id}",
    response_class=Response,
    responses={**json_ok(ConstructOut, "One construct with its findings."), **errors(404, 422)},
)
def read_construct(
    service: ServiceDep,
    construct_id: Annotated[str, Path(max_length=100, examples=["perceived_discrimination"])],
    lang: Lang = "en",
) -> Response:
    """One construct: labels, definitions, mappings and the findings coded on it."""
    body = service.construct(construct_id, lang)
    return Response(orjson.dumps(body), media_type="application/json")
