"""The ``serve`` command: the API under uvicorn, started by import string."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, _needs, _say


def command_serve(args: argparse.Namespace) -> int:
    """Run the HTTP API with uvicorn (by import string; this package never imports ``api``).

    Without a configured base IRI the IRIs are minted under the address served
    (``http://HOST:PORT/``), so they dereference on this server.
    """
    import os

    from ..config import Settings

    uvicorn_run = _needs("uvicorn", "run")
    settings = Settings()
    if settings.base_iri_is_default:
        base = serve_base_iri(args.host, args.port)
        # handed to the app (and any reloader child) the way every setting travels
        os.environ["TRIGGERGRAPH_BASE_IRI"] = base
        _say(f"base IRI {base} (set TRIGGERGRAPH_BASE_IRI to mint under a public address)")
    uvicorn_run("api.main:app", host=args.host, port=args.port, reload=args.reload)
    return EXIT_OK


def serve_base_iri(host: str, port: int) -> str:
    """The base IRI of a server reached at ``host:port``.

    Examples
    --------
    >>> serve_base_iri("127.0.0.1", 8000)
    'http://127.0.0.1:8000/'
    >>> serve_base_iri("0.0.0.0", 8080)
    'http://127.0.0.1:8080/'
    >>> serve_base_iri("::1", 9000)
    'http://[::1]:9000/'
    """
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"  # every address: the local one is the one known to answer
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"
