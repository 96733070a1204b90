"""The human pages (evidence map, network, factor, source, profile) and their static assets."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import ServiceDep
from triggergraph.exceptions import EntryError, NotFoundError
from triggergraph.viewer import (
    read_static,
    render_construct_page,
    render_error_page,
    render_evidence_map,
    render_factor_page,
    render_network_page,
    render_profile_page,
    render_source_page,
    status_for,
)

router = APIRouter(include_in_schema=False)


def _page(render, service, request: Request, **kwargs) -> HTMLResponse:
    """One page of the current index (rendered once per data version); bad parameters become
    an HTML 4xx page."""
    lang = request.query_params.get("lang", "en")
    try:
        return HTMLResponse(service.page(render, lang, dict(request.query_params), **kwargs))
    except (NotFoundError, EntryError) as error:
        return HTMLResponse(
            render_error_page(
                error, lang=lang if lang in ("nl", "en") else "en", path=request.url.path
            ),
            status_code=status_for(error),
        )


@router.get("/", response_class=HTMLResponse)
def evidence_map(service: ServiceDep, request: Request) -> HTMLResponse:
    """The evidence map: trigger factors × drivers, sex, age and education."""
    return _page(render_evidence_map, service, request)


@router.get("/network", response_class=HTMLResponse)
def network(service: ServiceDep, request: Request) -> HTMLResponse:
    """The network of factors, drivers and demographic groups."""
    return _page(render_network_page, service, request)


@router.get("/factors/{factor_id}", response_class=HTMLResponse)
def factor_page(factor_id: str, service: ServiceDep, request: Request) -> HTMLResponse:
    """One trigger factor with its verdicts and findings."""
    return _page(render_factor_page, service, request, factor_id=factor_id)


@router.get("/constructs/{construct_id}", response_class=HTMLResponse)
def construct_page(construct_id: str, service: ServiceDep, request: Request) -> HTMLResponse:
    """One related construct with the trigger factors it informs and its findings."""
    return _page(render_construct_page, service, request, construct_id=construct_id)


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(source_id: str, service: ServiceDep, request: Request) -> HTMLResponse:
    """One literature source with its findings."""
    return _page(render_source_page, service, request, source_id=source_id)


@router.get("/profile", response_class=HTMLResponse)
def profile_page(service: ServiceDep, request: Request) -> HTMLResponse:
    """The profile lens: factors ranked for a chosen driver and/or group."""
    return _page(render_profile_page, service, request)


@router.get("/static/viewer/{name:path}")
def static_asset(name: str) -> Response:
    """The viewer's CSS/JS and the vis-network bundle shipped inside pyvis."""
    found = read_static(name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    content, media_type = found
    return Response(
        content, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"}
    )
