"""``/health``: backend, base IRI, data version, counts, the stale flag and literature problems."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import json_response
from triggergraph.answers import HealthAnswer

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthAnswer, response_description="The server's state.")
def read_health(service: ServiceDep, request: Request) -> Response:
    """Backend, base IRI, data version, counts, whether answers are stale, literature problems."""
    return json_response(service.health(served_at=str(request.base_url)))
