"""The FastAPI app: REST under ``/api/v1``, ``/sparql``, Linked Data IRIs, pages and offline docs."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import install_error_handlers
from api.headers import PAGE_CSP, HttpHygieneMiddleware, script_hashes
from api.routes import (
    constructs,
    curate,
    demographics,
    drivers,
    export,
    factors,
    findings,
    gaps,
    health,
    linked_data,
    matrix,
    pages,
    profile,
    review,
    sources,
    sparql,
)
from triggergraph.answers.builders import warm_factor_lists
from triggergraph.config import Settings, get_settings
from triggergraph.exceptions import ConfigError
from triggergraph.service import (
    EvidenceService,
    freeze_loaded_heap,
    limit_heap_arenas,
    thaw_heap,
)

DESCRIPTION = """
Findings on trigger factors of radicalisation (Feddes, Nickolson & Doosje 2015, kept alive):
each finding links a trigger factor or related construct to a driver and/or demographic group,
with direction, certainty A-D, effect, source, page locator and provenance.

* REST under `/api/v1` (every list is paged and reports `total`).
* A read-only SPARQL 1.1 endpoint at `/sparql`.
* Linked Data: every IRI (`/factor/{id}`, `/source/{id}`, ...) answers Turtle or JSON-LD.
* Writes (`POST`, `PUT`, `DELETE` on `/api/v1/sources`, review, publish and restore) need
  `Authorization: Bearer <token>` with the token set in `TRIGGERGRAPH_API_TOKEN`.
* A source added or edited over the API is *proposed*: it changes no public answer until it
  is published (`POST /api/v1/sources/{id}/publish`). Every change is kept in the source's
  history (`GET /api/v1/sources/{id}/history`).

Evidence is population-level, never a judgement about a person.
"""


class BodyTooLargeError(StarletteHTTPException):
    """A request body over ``max_body_bytes`` (counted while it streams in)."""

    def __init__(self, limit: int):
        # close the connection: the rest of an endless streamed body is never read
        super().__init__(
            413,
            f"request body is larger than the limit of {limit} bytes",
            headers={"Connection": "close"},
        )


class ActivityMiddleware:
    """Tells the service when a request starts and ends, so the answers it makes ahead for a
    new data version wait for a lull instead of slowing requests (``warm_after_quiet_s``)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = scope.get("app")
        service = getattr(app.state, "service", None) if app is not None else None
        if scope["type"] != "http" or service is None:
            await self.app(scope, receive, send)
            return
        activity = service.activity
        activity.begin()
        try:
            await self.app(scope, receive, send)
        finally:
            activity.end()


class NoSniffMiddleware:
    """Adds ``X-Content-Type-Options: nosniff`` so a browser never runs a JSON or text answer as HTML."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_header)


class BodyLimitMiddleware:
    """Refuse bodies over ``limit`` bytes with 413 before anything parses them.

    The declared ``Content-Length`` is checked first; the bytes that actually arrive are
    counted too, so a chunked or lying request cannot get past the limit.
    """

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.limit or declared < 0:
                    await self._refuse(send, declared)
                    return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLargeError(self.limit)
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, send: Send, declared: int) -> None:
        detail = (
            f"request body is larger than the limit of {self.limit} bytes"
            if declared >= 0
            else "invalid Content-Length header"
        )
        response = JSONResponse(
            {"error": "BodyTooLargeError" if declared >= 0 else "HTTPError", "detail": detail},
            status_code=413 if declared >= 0 else 400,
            headers={"Connection": "close"},
        )
        await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def swagger_ui_dir() -> Path:
    """Folder of the Swagger UI files shipped by the ``swagger-ui-bundle-v2`` package."""
    try:
        import swagger_ui_bundle
    except ImportError as error:
        raise ConfigError(
            "the API docs need Swagger UI: pip install 'swagger-ui-bundle-v2>=5'"
        ) from error
    return Path(swagger_ui_bundle.swagger_ui_path)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (the environment's when omitted).

    Parameters
    ----------
    settings : Settings, optional
        Tests pass their own; the service is opened when the app starts (lifespan).

    Returns
    -------
    FastAPI
        The app, with routes, error handlers, body limit and offline docs.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # before any worker thread exists: request threads share two heaps, not one each
        limit_heap_arenas()
        app.state.service = EvidenceService.open(settings)
        # literature and store-version checks run on a thread of their own, so hot
        # requests only read the current index
        app.state.service.start_refresher()
        # the factor lists and the map of each data version are made (and the map's templates
        # compiled) on a thread, off the request path and after the start
        app.state.warming = app.state.service.warm_with(
            warm_factor_lists, pages.map_warmer(app.state.service)
        )
        freeze_loaded_heap()
        try:
            yield
        finally:
            thaw_heap()
            service, app.state.service = app.state.service, None
            service.close()

    app = FastAPI(
        title="triggergraph",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        license_info={"name": "EUPL-1.2"},
    )
    app.state.settings = settings
    app.state.service = None
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(NoSniffMiddleware)
    app.add_middleware(ActivityMiddleware)
    app.add_middleware(HttpHygieneMiddleware, router=app.router, cors_origins=settings.cors_origins)

    app.mount("/static/docs", StaticFiles(directory=swagger_ui_dir()), name="docs-static")

    docs_page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title="triggergraph API",
        swagger_js_url="/static/docs/swagger-ui-bundle.js",
        swagger_css_url="/static/docs/swagger-ui.css",
        swagger_favicon_url="/static/docs/favicon-32x32.png",
    )
    # Swagger UI starts from one inline script: the page policy allows exactly that script
    docs_csp = PAGE_CSP.replace(
        "script-src 'self'", "script-src 'self' " + " ".join(script_hashes(docs_page.body))
    )

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page.body, headers={"Content-Security-Policy": docs_csp})

    for module in (
        health,
        sparql,
        factors,
        constructs,
        drivers,
        demographics,
        findings,
        sources,
        review,
        matrix,
        gaps,
        profile,
        export,
        linked_data,
        pages,
        curate,
    ):
        app.include_router(module.router)
    return app


app = create_app()
