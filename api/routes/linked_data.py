"""The IRI paths (``/factor/{id}``, ``/source/{id}``, ...): Turtle or JSON-LD, or 303 to the page.

A request for ``text/turtle`` or ``application/ld+json`` gets the description at the IRI itself
(200, ``Vary: Accept``); a browser (``text/html``) is sent on with 303 See Other to the human page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep
from api.schemas import errors
from triggergraph.service import DESCRIBE_FORMATS, negotiate

router = APIRouter(tags=["linked data"])

HTML = "text/html"
OFFERED = [*DESCRIBE_FORMATS, HTML, "application/xhtml+xml"]

RESPONSES = {
    200: {
        "description": "The resource's triples.",
        "content": {"text/turtle": {}, "application/ld+json": {}},
    },
    303: {"description": "For text/html: the human page (Location)."},
    **errors(404, 422),
}

Ident = Annotated[str, Path(max_length=100)]


async def _resolve(request: Request, service, kind: str, ident: str) -> Response:
    wanted = negotiate(request.headers.get("accept"), OFFERED, "text/turtle")
    if wanted in (HTML, "application/xhtml+xml"):
        page = await run_in_threadpool(service.human_page, kind, ident)
        return RedirectResponse(page, status_code=303, headers={"Vary": "Accept"})
    body, media_type = await run_in_threadpool(service.describe, kind, ident, wanted)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


@router.get("/factor/{ident}", response_class=Response, responses=RESPONSES)
async def factor_resource(request: Request, service: ServiceDep, ident: Ident) -> Response:
    """A trigger factor."""
    return await _resolve(request, service, "factor", ident)


@router.get("/construct/{ident}", response_class=Response, responses=RESPONSES)
async def construct_resource(request: Request, service: ServiceDep, ident: Ident) -> Response:
    """A related risk-factor construct."""
    return await _resolve(request, service, "construct", ident)


@router.get("/driver/{ident}", response_class=Response, responses=RESPONSES)
async def driver_resource(request: Request, service: ServiceDep, ident: Ident) -> Response:
    """A driver."""
    return await _resolve(request, service, "driver", ident)


@router.get("/demographic/{ident}", response_class=Response, responses=RESPONSES)
async def demographic_resource(request: Request, service: ServiceDep, ident: Ident) -> Response:
    """A demographic dimension or group."""
    return await _resolve(request, service, "demographic", ident)


@router.get("/finding/{ident}", response_class=Response, responses=RESPONSES)
async def finding_resource(request: Request, service: ServiceDep, ident: Ident) -> Response:
    """A finding."""
    return await _resolve(request, service, "finding", ident)


@router.get("/source/{ident}", response_class=Response, responses=RESPONSES)
async def source_resource(request: Request, service: ServiceDep, ident: Ident) -> Response:
    """A literature source."""
    return await _resolve(request, service, "source", ident)
