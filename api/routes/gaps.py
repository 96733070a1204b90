"""``/api/v1/gaps``: cells with no evidence, only indirect evidence, or contested evidence."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import GapsOut, errors, json_ok

router = APIRouter(prefix="/api/v1", tags=["gaps"])


@router.get(
    "/gaps", response_class=Response, responses={**json_ok(GapsOut, "The gaps."), **errors(422)}
)
def read_gaps(
    service: ServiceDep,
    lang: Annotated[Literal["en", "nl"], Query(description="Label language.")] = "en",
) -> Response:
    """Where the evidence is missing, indirect only, or contested."""
    return Response(orjson.dumps(service.gaps(lang)), media_type="application/json")
