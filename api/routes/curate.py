"""``/curate``: the entry form for curators, signed in with the write token (cookie + CSRF token)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import (
    CURATE_COOKIE,
    CuratorDep,
    CuratorPostDep,
    ServiceDep,
    SettingsDep,
    check_same_origin,
    open_curator_session,
    read_curator_session,
)
from api.errors import WriteForbiddenError
from triggergraph.exceptions import AuthError
from triggergraph.viewer.curate import render_curate_page, render_login_page

router = APIRouter(include_in_schema=False)

Lang = Annotated[Literal["en", "nl"], Query()]

#: the curation pages load only their own scripts and styles and post only to this server
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
}


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def _login(lang: str, error: str | None, status: int, writes_enabled: bool = True) -> HTMLResponse:
    page = render_login_page(lang=lang, error=error, writes_enabled=writes_enabled)
    return HTMLResponse(page, status_code=status, headers=PAGE_HEADERS)


@router.get("/curate", response_class=HTMLResponse)
def curate_page(
    request: Request, service: ServiceDep, settings: SettingsDep, lang: Lang = "en"
) -> HTMLResponse:
    """The entry form for a signed-in curator; the sign-in form otherwise."""
    try:
        session = read_curator_session(settings, request.cookies.get(CURATE_COOKIE))
    except WriteForbiddenError:
        return _login(lang, None, 403, writes_enabled=False)
    if session is None:
        return _login(lang, None, 200)
    page = render_curate_page(service.vocabulary, lang=lang, csrf=session.csrf)
    return HTMLResponse(page, headers=PAGE_HEADERS)


@router.post("/curate/login")
def login(
    request: Request,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=1000)],
    lang: Lang = "en",
) -> Response:
    """Check the write token and set the session cookie (HTTP-only, same-site strict)."""
    check_same_origin(request)
    try:
        cookie, _session = open_curator_session(settings, token)
    except WriteForbiddenError:
        return _login(lang, None, 403, writes_enabled=False)
    except AuthError:
        return _login(lang, "wrong_token", 401)
    response = RedirectResponse(f"/curate?lang={lang}", status_code=303)
    response.set_cookie(
        CURATE_COOKIE,
        cookie,
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
    _session: CuratorPostDep, service: ServiceDep, draft: Annotated[dict[str, Any], Body()]
) -> Response:
    """The draft's problems (as ``validate`` reports them), no-cell warnings and duplicates."""
    return _json(service.check_draft(draft))


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
