"""Dependencies of the routes: settings, the evidence service and the write-token check."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ForbiddenRequestError, WriteForbiddenError
from triggergraph.config import Settings
from triggergraph.exceptions import AuthError, StoreUnavailableError
from triggergraph.service import EvidenceService

_BEARER = HTTPBearer(
    auto_error=False,
    description="The write token set in TRIGGERGRAPH_API_TOKEN, sent as 'Authorization: Bearer <token>'.",
)


def get_settings_dep(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


def get_service(request: Request) -> EvidenceService:
    """The evidence service opened at startup."""
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise StoreUnavailableError(
            "the evidence service is not open (the server is starting or stopping)"
        )
    return service


def require_write_token(
    settings: Annotated[Settings, Depends(get_settings_dep)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
) -> None:
    """Allow a write only with the configured Bearer token.

    A token in the query string is never looked at: URLs end up in logs.

    Raises
    ------
    WriteForbiddenError
        No token is configured, so writes are off (403).
    AuthError
        The request has no token or a wrong one (401).
    """
    if settings.api_token is None or not settings.api_token.get_secret_value():
        raise WriteForbiddenError(
            "writes are disabled on this server; set TRIGGERGRAPH_API_TOKEN to enable them"
        )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthError("this write needs the header 'Authorization: Bearer <token>'")
    expected = settings.api_token.get_secret_value().encode("utf-8")
    if not hmac.compare_digest(header_bytes(credentials.credentials), expected):
        raise AuthError("wrong write token")


def header_bytes(value: str) -> bytes:
    """The bytes a client sent for one header value.

    The server hands header values over decoded as Latin-1 (one character per byte), so
    encoding them back as Latin-1 gives the bytes on the wire: a token sent as UTF-8 is then
    compared as UTF-8.

    Examples
    --------
    >>> header_bytes("geheim-\u00c3\u00ab") == "geheim-\u00eb".encode("utf-8")
    True
    """
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:  # not from a header: compare the text as UTF-8
        return value.encode("utf-8")


#: the curation form's session cookie: ``<nonce>.<issued, unix seconds>.<HMAC of both under
#: the write token>``
CURATE_COOKIE = "tg_curate"
#: header (for fetch) or form field that carries the session's CSRF token on every POST
CSRF_HEADER = "X-CSRF-Token"


def _write_key(settings: Settings) -> bytes:
    if settings.api_token is None or not settings.api_token.get_secret_value():
        raise WriteForbiddenError(
            "writes are disabled on this server; set TRIGGERGRAPH_API_TOKEN to enable them"
        )
    return settings.api_token.get_secret_value().encode("utf-8")


def _mac(key: bytes, purpose: str, nonce: str) -> str:
    return hmac.new(key, f"{purpose}:{nonce}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CuratorSession:
    """A signed-in curator: the session nonce and the CSRF token every POST must carry."""

    nonce: str
    csrf: str


def open_curator_session(
    settings: Settings, token: str, now: float | None = None
) -> tuple[str, CuratorSession]:
    """Check a write token typed into the login form; return the cookie value and the session.

    The cookie holds a random nonce, the time it was issued and their HMAC under the write
    token, never the token itself; changing the token ends every session, and a session ends
    ``curate_session_hours`` after sign-in.

    Raises
    ------
    WriteForbiddenError
        Writes are disabled (403).
    AuthError
        Wrong token (401).
    """
    key = _write_key(settings)
    if not hmac.compare_digest(token.encode("utf-8"), key):
        raise AuthError("wrong write token")
    nonce = f"{secrets.token_urlsafe(24)}.{int(time.time() if now is None else now)}"
    cookie = f"{nonce}.{_mac(key, 'session', nonce)}"
    return cookie, CuratorSession(nonce, _mac(key, "csrf", nonce))


def read_curator_session(
    settings: Settings, cookie: str | None, now: float | None = None
) -> CuratorSession | None:
    """The session a cookie proves, or None (no cookie, forged, from another token, or
    older than ``curate_session_hours``)."""
    key = _write_key(settings)
    if not cookie or cookie.count(".") != 2:
        return None
    random, issued, mac = cookie.split(".")
    nonce = f"{random}.{issued}"
    if not random or not hmac.compare_digest(mac.encode(), _mac(key, "session", nonce).encode()):
        return None
    age = (time.time() if now is None else now) - int(issued)
    if not 0 <= age <= settings.curate_session_hours * 3600:
        return None
    return CuratorSession(nonce, _mac(key, "csrf", nonce))


def require_curator(
    request: Request, settings: Annotated[Settings, Depends(get_settings_dep)]
) -> CuratorSession:
    """A signed-in curator, or 401 (403 when writes are disabled)."""
    session = read_curator_session(settings, request.cookies.get(CURATE_COOKIE))
    if session is None:
        raise AuthError(
            "sign in at /curate with the write token first (a session ends "
            f"{settings.curate_session_hours:g} h after sign-in)"
        )
    return session


def check_same_origin(request: Request) -> None:
    """Refuse a POST whose Origin header names another site (403)."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin != own:
        raise ForbiddenRequestError(f"a form from {origin!r} may not post here")


def require_curator_post(
    request: Request, session: Annotated[CuratorSession, Depends(require_curator)]
) -> CuratorSession:
    """A signed-in curator whose POST carries the session's CSRF token from this origin."""
    check_same_origin(request)
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        raise ForbiddenRequestError(f"missing or wrong {CSRF_HEADER}; reload /curate")
    return session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ServiceDep = Annotated[EvidenceService, Depends(get_service)]
WriteAuthDep = Annotated[None, Depends(require_write_token)]
CuratorDep = Annotated[CuratorSession, Depends(require_curator)]
CuratorPostDep = Annotated[CuratorSession, Depends(require_curator_post)]
