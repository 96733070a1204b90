"""Client SPARQL of the service: a client's read-only query in the worker pool, and the endpoint's description."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..exceptions import QueryError, TriggergraphError
from ..sparql import PoolLimits, QueryPool, service_description
from ..store import precheck
from ..store.base import GRAPH_FORMATS, SELECT_FORMATS, QueryDataset
from .formats import negotiate

if TYPE_CHECKING:
    from ..config import Settings
    from ..store.base import Store


class ClientSparql:
    """``/sparql`` of :class:`~triggergraph.service.EvidenceService`: queries run in capped
    worker processes (:class:`~triggergraph.sparql.QueryPool`), never in the API process."""

    settings: Settings
    store: Store
    _version: str
    _pool: QueryPool | None
    _pool_lock: threading.Lock

    def sparql(
        self,
        query: str,
        accept: str | None,
        client: str = "",
        dataset: QueryDataset | None = None,
    ) -> tuple[bytes, str]:
        """Run a client's read-only SPARQL query in a worker process, in the format ``accept`` prefers.

        The query is scanned against the limits first, then runs in a capped child process of
        the :class:`~triggergraph.sparql.QueryPool` on a copy of the data graphs; the default
        graph is the union of the data graphs, never the bookkeeping graphs.

        Parameters
        ----------
        query : str
            SPARQL 1.1 query text (no updates, no SERVICE).
        accept : str or None
            The HTTP ``Accept`` header.
        client : str
            The client's address, for admission (``sparql_queue_per_client``).
        dataset : QueryDataset, optional
            ``default-graph-uri``/``named-graph-uri`` of the request; they replace FROM.

        Returns
        -------
        tuple of (bytes, str)
            Body and media type.

        Raises
        ------
        QueryError
            For a malformed, forbidden or failed query (``QueryLimitError`` over a limit,
            ``ResultLimitError`` over the row limit); ``QueryTimeoutError`` past the time
            limit; ``TooManyQueriesError`` when the client has too many queries waiting.
        """
        if not query or not query.strip():
            raise QueryError("empty query; pass the SPARQL text as 'query'")
        form = precheck(query, self.store.query_limits).kind.upper()
        if form in ("CONSTRUCT", "DESCRIBE"):
            media_type = negotiate(accept, list(GRAPH_FORMATS), "text/turtle")
        else:
            offered = list(SELECT_FORMATS)
            if form == "ASK":
                offered = ["application/sparql-results+json", "application/sparql-results+xml"]
            media_type = negotiate(accept, offered, "application/sparql-results+json")
        try:
            return self.query_pool.run(query, media_type, self._version, client, dataset)
        except TriggergraphError:
            raise
        except Exception as error:
            # an engine bug on an odd but valid query is still the query failing, never a 500
            raise QueryError(f"the query failed: {type(error).__name__}: {error}") from error

    @property
    def query_pool(self) -> QueryPool:
        """The worker processes of client SPARQL, started with the first client query."""
        with self._pool_lock:
            if self._pool is None:
                settings = self.settings
                self._pool = QueryPool(
                    self.store,
                    PoolLimits(
                        timeout_s=settings.sparql_timeout_s,
                        max_rows=settings.sparql_result_limit,
                        workers=settings.sparql_workers,
                        memory_cap_mb=settings.sparql_worker_memory_mb,
                        queue_per_client=settings.sparql_queue_per_client,
                        query=self.store.query_limits,
                    ),
                )
            return self._pool

    def sparql_description(self, accept: str | None) -> tuple[bytes, str]:
        """The endpoint's SPARQL 1.1 Service Description, in the RDF format ``accept`` prefers."""
        media_type = negotiate(accept, list(GRAPH_FORMATS), "text/turtle")
        body = service_description(
            self.settings.base_iri + "sparql",
            self.store.query_limits,
            self.settings.sparql_timeout_s,
            self.settings.sparql_result_limit,
            media_type,
        )
        return body, media_type
