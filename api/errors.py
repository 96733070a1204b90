"""The one mapping from triggergraph errors (and request validation) to HTTP status and JSON."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from triggergraph.exceptions import (
    AuthError,
    ConfigError,
    ConflictError,
    EntryError,
    NotFoundError,
    PreconditionFailedError,
    QueryError,
    QueryTimeoutError,
    QueryUriTooLongError,
    SnapshotError,
    StoreError,
    StoreUnavailableError,
    TooManyQueriesError,
    TriggergraphError,
)

#: Status per error class; the first class in this order that matches wins.
#: A query past its time limit is the server refusing to spend more, not the client waiting too
#: long, so it is 503 (with Retry-After) rather than 408. A saved read model that cannot be
#: used is rebuilt where it is read and never reaches a client; were it to, it is 503 (not ready). An answer over the result limit would
#: be over it again: 400 without Retry-After, so polite clients do not retry it.
STATUS_BY_ERROR: tuple[tuple[type[TriggergraphError], int], ...] = (
    (EntryError, 422),
    (NotFoundError, 404),
    (PreconditionFailedError, 412),
    (ConflictError, 409),
    (QueryUriTooLongError, 414),
    (TooManyQueriesError, 429),
    (QueryTimeoutError, 503),
    (QueryError, 400),
    (StoreUnavailableError, 503),
    (StoreError, 503),
    (SnapshotError, 503),
    (ConfigError, 500),
)


class NotAcceptableError(StarletteHTTPException):
    """An ``Accept`` header that names nothing the route can answer in: 406, listing what it can."""

    def __init__(self, offered: list[str]):
        super().__init__(
            406,
            "none of the media types in Accept is offered here; choose one of "
            + ", ".join(offered),
        )


class ForbiddenRequestError(AuthError):
    """A request refused whatever its credentials: a missing or wrong CSRF token, or a
    form posted from another origin: 403."""


class WriteForbiddenError(ForbiddenRequestError):
    """Writes are not enabled on this server (no token configured): 403."""


def status_of(error: TriggergraphError) -> int:
    """Return the HTTP status for one triggergraph error.

    Examples
    --------
    >>> status_of(NotFoundError("factor", "x"))
    404
    >>> status_of(QueryTimeoutError("too slow"))
    503
    """
    if isinstance(error, ForbiddenRequestError):
        return 403
    if isinstance(error, AuthError):
        return 401
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 500


def error_body(error: TriggergraphError) -> dict:
    """Return the JSON body for an error: ``{"error", "detail", ...}`` with problems or suggestions."""
    body: dict = {"error": type(error).__name__, "detail": str(error)}
    if isinstance(error, EntryError):
        body["problems"] = [p.as_dict() for p in error.problems]
    if isinstance(error, NotFoundError):
        body.update(kind=error.kind, id=error.ident, suggestions=error.suggestions)
    return body


async def handle_triggergraph_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, TriggergraphError)
    status = status_of(error)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status in (429, 503):
        headers["Retry-After"] = "5"
    return JSONResponse(error_body(error), status_code=status, headers=headers)


def _field_name(loc: tuple | list) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


async def handle_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = []
    for item in error.errors():
        field = _field_name(item.get("loc", ()))
        value = item.get("input")
        message = item.get("msg", "invalid value")
        if value is not None and not isinstance(value, dict | list):
            message = f"{value!r}: {message}"
        problems.append(
            {
                "file": None,
                "line": None,
                "field": field,
                "message": message,
                "suggestions": [],
            }
        )
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems) or "invalid request"
    return JSONResponse(
        {"error": "RequestValidationError", "detail": detail, "problems": problems},
        status_code=422,
    )


async def handle_http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    detail = error.detail if isinstance(error.detail, str) else str(error.detail)
    return JSONResponse(
        {"error": "HTTPError", "detail": detail},
        status_code=error.status_code,
        headers=getattr(error, "headers", None),
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(TriggergraphError, handle_triggergraph_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
