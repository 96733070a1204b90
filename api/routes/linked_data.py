"""The IRI paths: every IRI the data mints under the base answers here, by content negotiation.

``/factor/{id}``, ``/construct/{id}``, ``/driver/{id}``, ``/demographic/{id}``, ``/finding/{id}``
and ``/source/{id}`` send a browser (``text/html``) on with 303 See Other to their human page;
every other IRI under the base (scale values, concept schemes, levels, groups, named graphs,
agents, cited works, author list entries) has a plain HTML page of its statements. Turtle,
JSON-LD, N-Triples and RDF/XML are answered at the IRI itself (200, ``Vary: Accept``); an
``Accept`` that names none of these nor HTML gets 406 with the list of what is offered.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep
from api.errors import NotAcceptableError
from api.schemas import errors
from triggergraph.service import DESCRIBE_FORMATS, acceptable

router = APIRouter(tags=["linked data"])

HTML = "text/html"
OFFERED = [*DESCRIBE_FORMATS, HTML, "application/xhtml+xml"]
#: Path prefixes of IRIs minted under the base that have no kind route of their own.
MINTED_PREFIXES = ("scale", "scheme", "level", "group", "graph", "agent", "cited")

RESPONSES = {
    200: {
        "description": "The resource's triples.",
        "content": {media: {} for media in DESCRIBE_FORMATS},
    },
    303: {"description": "For text/html: the human page (Location)."},
    406: {"description": "The Accept header names no format offered here."},
    **errors(404, 422),
}

Ident = Annotated[str, Path(max_length=100)]
Rest = Annotated[str, Path(max_length=300)]


def _wanted(request: Request) -> str:
    wanted = acceptable(request.headers.get("accept"), OFFERED, "text/turtle")
    if wanted is None:
        raise NotAcceptableError(OFFERED)
    return wanted


async def _resolve(request: Request, service, kind: str, ident: str) -> Response:
    wanted = _wanted(request)
    if wanted in (HTML, "application/xhtml+xml"):
        page = await run_in_threadpool(service.human_page, kind, ident)
        return RedirectResponse(page, status_code=303, headers={"Vary": "Accept"})
    body, media_type = await run_in_threadpool(service.describe, kind, ident, wanted)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


async def _resolve_path(request: Request, service, path: str) -> Response:
    wanted = _wanted(request)
    if wanted in (HTML, "application/xhtml+xml"):
        # the viewer (Jinja2, Babel) is imported by the first page, not with the app
        from triggergraph.viewer import render_resource_page

        view = await run_in_threadpool(service.resource_view, path)
        lang = request.query_params.get("lang", "en")
        page = render_resource_page(
            view, service.settings.base_iri, lang=lang, path=request.url.path
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})
    body, media_type = await run_in_threadpool(service.describe_path, path, wanted)
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


@router.get("/source/{ident}/{rest:path}", response_class=Response, responses=RESPONSES)
async def source_part_resource(
    request: Request, service: ServiceDep, ident: Ident, rest: Rest
) -> Response:
    """A part of a source minted under its IRI (an entry of its author list)."""
    return await _resolve_path(request, service, f"source/{ident}/{rest}")


def _minted_route(prefix: str) -> None:
    async def minted_resource(request: Request, service: ServiceDep, rest: Rest) -> Response:
        return await _resolve_path(request, service, f"{prefix}/{rest}")

    minted_resource.__name__ = f"{prefix}_resource"
    minted_resource.__doc__ = f"Any IRI the data mints under ``/{prefix}/``."
    router.get(f"/{prefix}/{{rest:path}}", response_class=Response, responses=RESPONSES)(
        minted_resource
    )


for _prefix in MINTED_PREFIXES:
    _minted_route(_prefix)
