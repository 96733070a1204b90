"""HTTP hygiene for every route: HEAD, OPTIONS and ``Allow``, ETags and caching, CORS, page security.

One ASGI middleware (:class:`HttpHygieneMiddleware`) does it for all routes alike, so a new
route, ``/sparql`` included, gets the same behaviour without code of its own:

* ``HEAD`` runs the ``GET`` route and sends its headers without the body; ``OPTIONS``
  answers 204 with the path's ``Allow``; a 405 carries the full ``Allow`` of the path (all
  routes on it, not only the first one).
* A ``GET``/``HEAD`` 200 answer gets an ``ETag`` (a hash of the body, unless the route set
  its own, like a source's revision) and ``Cache-Control: no-cache`` (unless the route set
  one), and a matching ``If-None-Match`` gets 304 without a body.
* HTML answers get a Content-Security-Policy (scripts and styles from this server only, no
  framing) and ``X-Frame-Options: DENY``; a route may set a CSP of its own (the API docs
  allow their one inline script by hash).
* CORS: reads (``GET``/``HEAD``, and ``POST`` on ``/sparql``) from the configured origins
  (``*`` by default); never any write method, so a browser never sends a write cross-site.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match, Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The policy of every HTML page: nothing from elsewhere, no inline script, no framing.
#: Style attributes are allowed (``style-src-attr``): the network view's vis-network sets
#: them on the elements it draws; ``<style>`` elements and style sheets stay same-origin.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: Paths where ``POST`` is a read (a SPARQL query), so CORS allows it.
READ_POSTS = frozenset({"/sparql"})
READ_METHODS = frozenset({"GET", "HEAD"})
#: Methods a route may answer, in the order ``Allow`` lists them (HEAD and OPTIONS added).
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Answers worth an ETag: bigger bodies are streamed and passed through untouched.
MAX_HASHED_BODY = 32 * 1024 * 1024
CORS_MAX_AGE = "600"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def etag_header(revision: str | None) -> dict[str, str]:
    """The ``ETag`` header for a revision (none when the revision is unknown).

    Examples
    --------
    >>> etag_header("18ee-ab")
    {'ETag': '"18ee-ab"'}
    >>> etag_header(None)
    {}
    """
    return {"ETag": f'"{revision}"'} if revision else {}


def parse_if_match(value: str | None) -> list[str] | None:
    """The entity tags of an ``If-Match`` header, unquoted (``["*"]`` for ``*``).

    Weak tags never match in ``If-Match`` (strong comparison), so they are dropped.

    Examples
    --------
    >>> parse_if_match('"a-1", W/"b", "c"')
    ['a-1', 'c']
    >>> parse_if_match("*")
    ['*']
    >>> parse_if_match(None) is None
    True
    """
    if value is None:
        return None
    if value.strip() == "*":
        return ["*"]
    return re.findall(r'(?:^|,)\s*"([^"]*)"', value)


def _etags(value: str) -> set[str]:
    """The tags of an ``If-None-Match`` header, weak prefix dropped (weak comparison)."""
    return {tag.removeprefix("W/") for tag in re.findall(r'(?:W/)?"[^"]*"|\*', value)}


def script_hashes(html: bytes) -> list[str]:
    """CSP ``'sha256-...'`` sources of the inline scripts of one trusted page.

    Examples
    --------
    >>> script_hashes(b"<p><script>go()</script><script src='/x.js'></script>")
    ["'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"]
    """
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]


class HttpHygieneMiddleware:
    """The behaviour of the module docstring, for every route of ``router``.

    Parameters
    ----------
    app : ASGI app
        The app inside this middleware.
    router : starlette.routing.Router
        The app's router, asked which methods a path has.
    cors_origins : list of str
        Origins allowed to read cross-site; ``["*"]`` for any, ``[]`` for none.
    """

    def __init__(self, app: ASGIApp, router: Router, cors_origins: list[str]):
        self.app = app
        self.router = router
        self.cors_origins = list(cors_origins)

    def allowed(self, scope: Scope) -> list[str]:
        """The methods some route of this path answers, with ``HEAD`` and ``OPTIONS``.

        Each method is tried against the routes (included routers answer for their own
        routes), so every route on the path counts, not only the first one.
        """
        methods: set[str] = set()
        for route in self.router.routes:
            if isinstance(route, Mount):
                # static files: read only
                if route.matches({**scope, "method": "GET"})[0] == Match.FULL:
                    methods.add("GET")
                continue
            for method in METHODS:
                if route.matches({**scope, "method": method})[0] == Match.FULL:
                    methods.add(method)
        if not methods:
            return []
        if "GET" in methods:
            methods.add("HEAD")
        methods.add("OPTIONS")
        return [m for m in (*METHODS[:1], "HEAD", *METHODS[1:], "OPTIONS") if m in methods]

    def _cors(self, request: Headers, path: str, method: str) -> dict[str, str]:
        """CORS headers for a read from an allowed origin ({} otherwise)."""
        origin = request.get("origin")
        read = method in READ_METHODS or (method == "POST" and path in READ_POSTS)
        if origin is None or not read:
            return {}
        if "*" in self.cors_origins:
            return {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}
        if origin in self.cors_origins:
            return {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Expose-Headers": "ETag",
                "Vary": "Origin",
            }
        return {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        request = Headers(scope=scope)
        path = scope["path"]
        if method == "OPTIONS":
            await self._options(scope, request, send)
            return
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        cors = self._cors(request, path, method)
        sender = _Answer(self, scope, request, send, head, cors)
        await self.app(scope, receive, sender.send)

    async def _options(self, scope: Scope, request: Headers, send: Send) -> None:
        allowed = self.allowed(scope)
        headers = {"Allow": ", ".join(allowed)} if allowed else {}
        status = 204 if allowed else 404
        wanted = request.get("access-control-request-method", "").upper()
        if allowed and wanted:
            cors = self._cors(request, scope["path"], wanted)
            if cors and wanted in allowed:
                reads = [m for m in allowed if self._cors(request, scope["path"], m)]
                headers.update(cors)
                headers["Access-Control-Allow-Methods"] = ", ".join(reads)
                headers["Access-Control-Allow-Headers"] = request.get(
                    "access-control-request-headers", "Accept, Content-Type"
                )[:1000]
                headers["Access-Control-Max-Age"] = CORS_MAX_AGE
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": b""})


class _Answer:
    """One response passing through: headers fixed up, body held to hash it (or dropped for HEAD)."""

    def __init__(
        self,
        owner: HttpHygieneMiddleware,
        scope: Scope,
        request: Headers,
        send: Send,
        head: bool,
        cors: dict[str, str],
    ):
        self.owner, self.scope, self.request, self._send = owner, scope, request, send
        self.head, self.cors = head, cors
        self.start: Message | None = None
        self.streaming = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self._send(message)
            return
        if self.streaming:
            await self._send(self._body(message))
            return
        body = message.get("body", b"")
        if message.get("more_body", False) or len(body) > MAX_HASHED_BODY:
            self.streaming = True
            await self._send(self._headers(None))
            await self._send(self._body(message))
            return
        start = self._headers(body)
        if start["status"] == 304:
            body = b""
        await self._send(start)
        await self._send({**message, "body": b"" if self.head else body})

    def _body(self, message: Message) -> Message:
        return {**message, "body": b""} if self.head else message

    def _headers(self, body: bytes | None) -> Message:
        start = self.start
        assert start is not None
        status = start["status"]
        headers = MutableHeaders(raw=list(start.get("headers", [])))
        for name, value in self.cors.items():
            if name == "Vary" and "vary" in headers:
                headers["Vary"] = headers["Vary"] + ", Origin"
            else:
                headers[name] = value
        if status == 405:
            headers["Allow"] = ", ".join(self.owner.allowed(self.scope))
        media = headers.get("content-type", "")
        if media.startswith("text/html"):
            headers.setdefault("Content-Security-Policy", PAGE_CSP)
            headers.setdefault("X-Frame-Options", "DENY")
        if self.scope["method"] == "GET" and status == 200:
            headers.setdefault("Cache-Control", "no-cache")
            if "etag" not in headers and body is not None:
                digest = hashlib.sha256(body).hexdigest()[:32]
                headers["ETag"] = f'"b-{digest}"'
            match = self.request.get("if-none-match")
            if match and "etag" in headers:
                tags = _etags(match)
                if "*" in tags or headers["ETag"].removeprefix("W/") in tags:
                    status = 304
                    for name in ("content-length", "content-type"):
                        if name in headers:
                            del headers[name]
        return {**start, "status": status, "headers": headers.raw}
