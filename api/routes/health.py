"""``/health``: backend, data version, counts, the stale flag and literature problems."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import HealthOut, json_ok

router = APIRouter(tags=["health"])


@router.get("/health", response_class=Response, responses=json_ok(HealthOut, "The server's state."))
def read_health(service: ServiceDep, request: Request) -> Response:
    """Backend, base IRI, data version, counts, whether answers are stale, literature problems."""
    health = service.health(served_at=str(request.base_url))
    return Response(orjson.dumps(health), media_type="application/json")
