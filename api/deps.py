"""Dependencies of the routes: settings, the evidence service and the write-token check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import WriteForbiddenError
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


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ServiceDep = Annotated[EvidenceService, Depends(get_service)]
WriteAuthDep = Annotated[None, Depends(require_write_token)]
