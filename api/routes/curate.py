"""``/curate``: the entry form for curators, signed in with the write token (cookie + CSRF token)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from api.deps import (
    CURATE_COOKIE,
    CuratorDep,
    CuratorPostDep,
    CuratorSession,
    ServiceDep,
    SettingsDep,
    check_same_origin,
    open_curator_session,
    read_curator_session,
)
from api.errors import WriteForbiddenError
from triggergraph.config import Settings
from triggergraph.exceptions import AuthError
from triggergraph.models import SOURCE_ID_PATTERN

if TYPE_CHECKING:
    from triggergraph.service import EvidenceService

router = APIRouter(include_in_schema=False)

Lang = Annotated[Literal["en", "nl"], Query()]
SourceIdPath = Annotated[str, Path(pattern=SOURCE_ID_PATTERN, max_length=64)]
#: where the sign-in form may send a curator back to (nothing outside /curate)
NEXT_PATTERN = r"^/curate(/(edit|code|reconcile)/[a-z0-9][a-z0-9_\-]{0,63})?$"


class EditBody(BaseModel):
    """A save from the form in edit mode: the entry, the revision it was opened at, who, why."""

    model_config = ConfigDict(extra="forbid")
    draft: dict[str, Any]
    revision: str = Field(max_length=64)
    by: str = Field(min_length=1, max_length=200)
    why: str = Field(default="", max_length=2000)


class CodingBody(BaseModel):
    """A second coder's blind coding: the entry, the revision it was opened at, the coder."""

    model_config = ConfigDict(extra="forbid")
    draft: dict[str, Any]
    revision: str = Field(max_length=64)
    by: str = Field(min_length=1, max_length=200)


class ReconcileBody(BaseModel):
    """One pick (``a`` or ``b``) per difference, the revision the page showed, who, why."""

    model_config = ConfigDict(extra="forbid")
    picks: dict[str, str] = Field(max_length=10_000)
    revision: str = Field(max_length=64)
    by: str = Field(min_length=1, max_length=200)
    why: str = Field(default="", max_length=2000)


#: the curation pages load only their own scripts and styles and post only to this server
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
}


def _curate_views() -> ModuleType:
    """The curation pages, imported by the first one rather than with the app: the viewer
    (Jinja2, Babel) takes about 100 ms to import, which a start need not wait for."""
    import triggergraph.viewer.curate

    return triggergraph.viewer.curate


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def _login(
    lang: str, error: str | None, status: int, writes_enabled: bool = True, next: str = "/curate"
) -> HTMLResponse:
    page = _curate_views().render_login_page(
        lang=lang, error=error, writes_enabled=writes_enabled, next=next
    )
    return HTMLResponse(page, status_code=status, headers=PAGE_HEADERS)


def _session_or_login(
    request: Request, settings: Settings, lang: str
) -> CuratorSession | HTMLResponse:
    """The curator's session, or the sign-in page (saying so when a session has ended)."""
    cookie = request.cookies.get(CURATE_COOKIE)
    try:
        session = read_curator_session(settings, cookie)
    except WriteForbiddenError:
        return _login(lang, None, 403, writes_enabled=False)
    if session is None:
        return _login(lang, "expired" if cookie else None, 200, next=request.url.path)
    return session


def _html(page: str) -> HTMLResponse:
    return HTMLResponse(page, headers=PAGE_HEADERS)


@router.get("/curate", response_class=HTMLResponse)
def curate_page(
    request: Request, service: ServiceDep, settings: SettingsDep, lang: Lang = "en"
) -> HTMLResponse:
    """The entry form for a signed-in curator; the sign-in form otherwise."""
    session = _session_or_login(request, settings, lang)
    if isinstance(session, HTMLResponse):
        return session
    return _html(
        _curate_views().render_curate_page(service.vocabulary, lang=lang, csrf=session.csrf)
    )


def _form_page(
    request: Request,
    settings: Settings,
    service: EvidenceService,
    source_id: str,
    lang: str,
    mode: str,
    load: Callable[[str], Any],
) -> HTMLResponse:
    """The entry form in ``mode`` for one source, filled by ``load`` (after the login check)."""
    session = _session_or_login(request, settings, lang)
    if isinstance(session, HTMLResponse):
        return session
    return _html(
        _curate_views().render_curate_page(
            service.vocabulary,
            lang=lang,
            csrf=session.csrf,
            mode=mode,
            source_id=source_id,
            loaded=load(source_id),
        )
    )


@router.get("/curate/edit/{source_id}", response_class=HTMLResponse)
def edit_page(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    source_id: SourceIdPath,
    lang: Lang = "en",
) -> HTMLResponse:
    """The entry form filled with the source (its proposed version if one waits for review)."""
    return _form_page(request, settings, service, source_id, lang, "edit", service.editable_entry)


@router.get("/curate/code/{source_id}", response_class=HTMLResponse)
def code_page(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    source_id: SourceIdPath,
    lang: Lang = "en",
) -> HTMLResponse:
    """The entry form for a second coder: the source's bibliographic fields, no findings."""
    return _form_page(request, settings, service, source_id, lang, "code", service.blind_entry)


@router.get("/curate/reconcile/{source_id}", response_class=HTMLResponse)
def reconcile_page(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    source_id: SourceIdPath,
    lang: Lang = "en",
) -> HTMLResponse:
    """The two codings compared: agreement per field and a pick per difference."""
    session = _session_or_login(request, settings, lang)
    if isinstance(session, HTMLResponse):
        return session
    agreement = service.source_agreement(source_id)
    views = _curate_views()
    return _html(
        views.render_reconcile_page(service.vocabulary, agreement, lang=lang, csrf=session.csrf)
    )


@router.post("/curate/login")
def login(
    request: Request,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(pattern=NEXT_PATTERN, max_length=100)] = "/curate",
    lang: Lang = "en",
) -> Response:
    """Check the write token and set the session cookie (HTTP-only, same-site strict, ending
    after ``curate_session_hours``); then back to the curation page ``next``."""
    check_same_origin(request)
    try:
        cookie, _session = open_curator_session(settings, token)
    except WriteForbiddenError:
        return _login(lang, None, 403, writes_enabled=False)
    except AuthError:
        return _login(lang, "wrong_token", 401)
    response = RedirectResponse(f"{next}?lang={lang}", status_code=303)
    response.set_cookie(
        CURATE_COOKIE,
        cookie,
        max_age=int(settings.curate_session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/curate",
    )
    return response


@router.post("/curate/logout")
def logout(_session: CuratorPostDep) -> Response:
    """End the session: the cookie is removed."""
    response = _json({"signed_out": True})
    response.delete_cookie(CURATE_COOKIE, path="/curate", httponly=True, samesite="strict")
    return response


@router.post("/curate/draft")
def start_draft(
    _session: CuratorPostDep,
    service: ServiceDep,
    paste: Annotated[str, Body(max_length=100_000)],
    added_by: Annotated[str, Body(max_length=200)] = "",
) -> Response:
    """A draft from a pasted DOI, BibTeX record or RIS record."""
    return _json(service.start_draft(paste, added_by))


@router.post("/curate/check")
def check_draft(
    _session: CuratorPostDep,
    service: ServiceDep,
    draft: Annotated[dict[str, Any], Body()],
    replacing: Annotated[str | None, Query(pattern=SOURCE_ID_PATTERN, max_length=64)] = None,
) -> Response:
    """The draft's problems (as ``validate`` reports them), no-cell warnings and duplicates;
    ``replacing`` names the source an edit or a second coding is of."""
    return _json(service.check_draft(draft, replacing))


@router.get("/curate/terms")
def search_terms(
    _session: CuratorDep,
    service: ServiceDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    lang: Lang = "en",
) -> Response:
    """Trigger factors and constructs for the factor picker, searched in Dutch and English."""
    return _json(service.search_terms(q, lang))


@router.post("/curate/submit")
async def submit_draft(
    _session: CuratorPostDep, service: ServiceDep, draft: Annotated[dict[str, Any], Body()]
) -> Response:
    """Add the draft as a new source through the write service (201, or the problems)."""
    result = await run_in_threadpool(service.submit_draft, draft)
    return _json(result.as_dict(), 201)


@router.post("/curate/edit/{source_id}")
async def save_edit(
    _session: CuratorPostDep, service: ServiceDep, source_id: SourceIdPath, body: EditBody
) -> Response:
    """Propose the edited version (200); 412 when the source changed since the form opened."""
    result = await run_in_threadpool(
        service.propose_edit, source_id, body.draft, body.revision, by=body.by, why=body.why
    )
    return _json(result.as_dict())


@router.post("/curate/code/{source_id}")
async def save_coding(
    _session: CuratorPostDep, service: ServiceDep, source_id: SourceIdPath, body: CodingBody
) -> Response:
    """Keep a second coder's blind coding (200); 412 when the source changed meanwhile."""
    result = await run_in_threadpool(
        service.save_coding, source_id, body.draft, body.revision, by=body.by
    )
    return _json(result.as_dict())


@router.get("/curate/agreement/{source_id}")
def agreement(_session: CuratorDep, service: ServiceDep, source_id: SourceIdPath) -> Response:
    """The two codings of a source compared: agreement per field and every difference."""
    return _json(service.source_agreement(source_id))


@router.post("/curate/reconcile/{source_id}")
async def reconcile(
    _session: CuratorPostDep, service: ServiceDep, source_id: SourceIdPath, body: ReconcileBody
) -> Response:
    """Publish the version reconciled from the two codings, one pick per difference."""
    result = await run_in_threadpool(
        service.reconcile_source, source_id, body.picks, body.revision, by=body.by, why=body.why
    )
    return _json(result.as_dict())
