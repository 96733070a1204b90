"""Store backends behind one interface, and ``open_store(settings)`` that picks one."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from triggergraph.config import Settings
from triggergraph.exceptions import ConfigError
from triggergraph.store.base import (
    GRAPH_FORMATS,
    SELECT_FORMATS,
    QueryDataset,
    QueryResult,
    Store,
)
from triggergraph.store.guard import QueryInfo, check_read_only
from triggergraph.store.memory import MemoryStore
from triggergraph.store.oxigraph import OxigraphStore
from triggergraph.store.precheck import QueryLimits, QueryShape, precheck

if TYPE_CHECKING:
    from triggergraph.store.sparql import SparqlStore
    from triggergraph.store.virtuoso import VirtuosoStore, remote_store

#: the remote stores, imported on first use: their HTTP client (httpx) takes about 60 ms to
#: import, which a service on an embedded store would pay at every start for nothing
_REMOTE = {
    "SparqlStore": "triggergraph.store.sparql",
    "VirtuosoStore": "triggergraph.store.virtuoso",
    "remote_store": "triggergraph.store.virtuoso",
}

__all__ = [
    "GRAPH_FORMATS",
    "SELECT_FORMATS",
    "MemoryStore",
    "OxigraphStore",
    "QueryDataset",
    "QueryInfo",
    "QueryLimits",
    "QueryResult",
    "QueryShape",
    "SparqlStore",
    "Store",
    "VirtuosoStore",
    "check_read_only",
    "open_store",
    "precheck",
    "query_limits",
    "remote_store",
]


def __getattr__(name: str):
    if name in _REMOTE:
        return getattr(import_module(_REMOTE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def query_limits(settings: Settings) -> QueryLimits:
    """The :class:`QueryLimits` the settings give (``sparql_max_*``).

    Examples
    --------
    >>> query_limits(Settings(sparql_max_depth=8)).max_depth
    8
    """
    return QueryLimits(
        max_chars=settings.sparql_max_chars,
        max_depth=settings.sparql_max_depth,
        max_chain=settings.sparql_max_chain,
        max_triple_patterns=settings.sparql_max_triple_patterns,
        max_path_closures=settings.sparql_max_path_closures,
    )


def open_store(settings: Settings) -> Store:
    """Open the backend ``settings.store`` names, with the settings' limits.

    Parameters
    ----------
    settings : Settings
        ``store`` (``oxigraph`` at ``store_path``, ``memory``, or ``sparql`` at
        ``sparql_url``/``sparql_update_url`` with ``sparql_user``/``sparql_password``, on a
        server of ``sparql_dialect``: ``standard`` or ``virtuoso``),
        ``base_iri``, ``sparql_timeout_s`` and ``sparql_result_limit``.

    Returns
    -------
    Store
        The open store; call ``close()`` when done.

    Raises
    ------
    ConfigError
        When the sparql backend has no ``sparql_url`` or credentials are half given.

    Examples
    --------
    >>> store = open_store(Settings(store="memory"))
    >>> store.backend, store.version()
    ('memory', '0')
    """
    limits = {
        "timeout_s": settings.sparql_timeout_s,
        "result_limit": settings.sparql_result_limit,
        "query_limits": query_limits(settings),
    }
    if settings.store == "memory":
        return MemoryStore(settings.base_iri, **limits)
    if settings.store == "oxigraph":
        return OxigraphStore(settings.store_path, settings.base_iri, **limits)
    if not settings.sparql_url:
        raise ConfigError("store 'sparql' needs sparql_url (TRIGGERGRAPH_SPARQL_URL)")
    auth = None
    if settings.sparql_user or settings.sparql_password:
        if not (settings.sparql_user and settings.sparql_password):
            raise ConfigError("give both sparql_user and sparql_password, or neither")
        auth = (settings.sparql_user, settings.sparql_password.get_secret_value())
    from triggergraph.store.virtuoso import remote_store

    return remote_store(
        settings.sparql_dialect,
        settings.sparql_url,
        settings.sparql_update_url,
        settings.base_iri,
        auth=auth,
        **limits,
    )
