"""``/api/v1/export``: the whole evidence base as TriG, N-Quads, Turtle, JSON-LD, CSV or GraphML."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.schemas import errors

router = APIRouter(prefix="/api/v1", tags=["export"])


def _graphml(service) -> tuple[bytes, str, str]:
    # graph.py sits a layer above the service, so the service cannot call it; the app can.
    from triggergraph.graph import project_graph, write_graphml

    return (
        write_graphml(project_graph(service.ensure_fresh())),
        "application/graphml+xml",
        "triggergraph.graphml",
    )


ExportFormat = Literal["trig", "nquads", "turtle", "jsonld", "csv", "graphml"]


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "description": "The file, as an attachment.",
            "content": {
                "application/trig": {"example": "<http://127.0.0.1:8000/graph/jasko17> { ... }"},
                "application/n-quads": {},
                "text/turtle": {},
                "application/ld+json": {},
                "text/csv": {"example": "finding_id,source_id,factor,direction,certainty,...\n"},
                "application/graphml+xml": {},
            },
        },
        **errors(422, 503),
    },
)
def export(
    service: ServiceDep,
    format: Annotated[
        ExportFormat, Query(description="File format; csv is the findings table.")
    ] = "trig",
) -> Response:
    """Every source, finding and the vocabulary, for download."""
    if format == "graphml":
        body, media_type, filename = _graphml(service)
    else:
        body, media_type, filename = service.export(format)
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
