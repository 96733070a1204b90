"""The human pages (evidence map, network, factor, source, profile, about) and their static assets."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import ServiceDep
from triggergraph.answers.map_query import MapQuery
from triggergraph.exceptions import EntryError, NotFoundError

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

router = APIRouter(include_in_schema=False)


def _viewer() -> ModuleType:
    """The viewer, imported by the first page (or the map warmer) rather than with the app:
    with Jinja2 and Babel it takes about 100 ms to import, which a start need not wait for."""
    import triggergraph.viewer

    return triggergraph.viewer


@cache  # one per language of the viewer: ``view.lang`` is always one of them
def _templates(lang: str) -> Jinja2Templates:
    """The viewer's templates with the catalogue of ``lang`` installed."""
    from fastapi.templating import Jinja2Templates

    return Jinja2Templates(env=_viewer().environment(lang))


def map_warmer(service) -> Callable:
    """A warmer (:meth:`~triggergraph.service.EvidenceService.warm_with`) that makes the
    evidence map, Dutch and English, of each data version before anyone asks.

    The first visitor of a new data version then gets the remembered view model, and the
    templates are compiled already (Jinja2 keeps them per environment).
    """

    def warm(index) -> None:
        viewer = _viewer()
        for lang in viewer.LANGUAGES:
            view = service.warm_page(
                index, viewer.build_map_page, lang, {}, query=MapQuery(lang=lang)
            )
            _templates(lang).env.get_template(view.template).render(view=view)

    return warm


def _page(
    build: str, service, request: Request, parse: Callable | None = None, **kwargs
) -> HTMLResponse:
    """Build one page's view model from the current index and render its template.

    ``build`` names the viewer's builder. With ``parse``, the query string becomes one typed
    query that travels to the builder as ``query``. The view model is built once per data
    version, language and parameters. Bad parameters and unknown ids become an HTML 4xx page
    in the asked language.
    """
    viewer = _viewer()
    lang = request.query_params.get("lang", "en")
    params = dict(request.query_params)
    try:
        if parse is not None:
            kwargs["query"] = parse(params)
            params = {}
        view = service.page(getattr(viewer, build), lang, params, **kwargs)
        status = 200
    except (NotFoundError, EntryError) as error:
        view = viewer.build_error_page(
            error, lang=lang if lang in viewer.LANGUAGES else "en", path=request.url.path
        )
        status = viewer.status_for(error)
    return _templates(view.lang).TemplateResponse(
        request, view.template, {"view": view}, status_code=status
    )


@router.get("/", response_class=HTMLResponse)
def evidence_map(service: ServiceDep, request: Request) -> HTMLResponse:
    """The evidence map: trigger factors × drivers, sex, age and education, filtered."""
    return _page("build_map_page", service, request, parse=MapQuery.from_params)


@router.get("/network", response_class=HTMLResponse)
def network(service: ServiceDep, request: Request) -> HTMLResponse:
    """The network of factors, drivers and demographic groups."""
    return _page("build_network_page", service, request)


@router.get("/factors/{factor_id}", response_class=HTMLResponse)
def factor_page(factor_id: str, service: ServiceDep, request: Request) -> HTMLResponse:
    """One trigger factor with its verdicts and findings."""
    return _page(
        "build_factor_page",
        service,
        request,
        factor_id=factor_id,
        releases=service.release_log(),
    )


@router.get("/constructs/{construct_id}", response_class=HTMLResponse)
def construct_page(construct_id: str, service: ServiceDep, request: Request) -> HTMLResponse:
    """One related construct with the trigger factors it informs and its findings."""
    return _page("build_construct_page", service, request, construct_id=construct_id)


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(source_id: str, service: ServiceDep, request: Request) -> HTMLResponse:
    """One literature source with its findings."""
    return _page("build_source_page", service, request, source_id=source_id)


@router.get("/profile", response_class=HTMLResponse)
def profile_page(service: ServiceDep, request: Request) -> HTMLResponse:
    """The profile lens: factors ranked for a chosen driver and/or group."""
    return _page("build_profile_page", service, request)


@router.get("/gaps", response_class=HTMLResponse)
def gaps_page(service: ServiceDep, request: Request) -> HTMLResponse:
    """The empty cells of the map by kind: not studied, not encoded, filtered away."""
    return _page("build_gaps_page", service, request)


@router.get("/about/population-evidence", response_class=HTMLResponse)
def about_page(service: ServiceDep, request: Request) -> HTMLResponse:
    """Why population evidence cannot predict a person, and what individual assessment needs."""
    return _page("build_about_page", service, request)


@router.get("/static/viewer/{name:path}")
def static_asset(name: str) -> Response:
    """The viewer's CSS/JS and the vis-network bundle shipped inside pyvis."""
    found = _viewer().read_static(name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    content, media_type = found
    return Response(
        content, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get("/map/cell")
def map_cell(service: ServiceDep, request: Request) -> Response:
    """One map cell's findings, a page at a time (the map fetches them when a cell opens)."""
    service.ensure_fresh()
    # bad parameters and unknown ids go to the app's one error handler (JSON 4xx)
    return JSONResponse(_viewer().build_cell_findings(service.index, dict(request.query_params)))


@router.get("/map/download")
def map_download(service: ServiceDep, request: Request) -> Response:
    """What the map shows with the given filters: cells as CSV, their sources as RIS or BibTeX."""
    service.ensure_fresh()
    name, media_type, text = _viewer().build_map_download(service.index, dict(request.query_params))
    return Response(
        text,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
