"""The HTTP side of a SPARQL 1.1 Protocol store: POST a query or an update, HTTP failures as store errors."""

from __future__ import annotations

import time
from typing import Any

import httpx

from triggergraph.exceptions import (
    QueryError,
    QueryTimeoutError,
    StoreError,
    StoreUnavailableError,
)
from triggergraph.store.base import QueryDataset, timeout_error


class SparqlHttp:
    """Requests of :class:`~triggergraph.store.sparql.SparqlStore` to its endpoints.

    An answer is streamed and dropped past its time limit or byte limit; a refused
    connection, a timeout or a 5xx is :class:`StoreUnavailableError`; 401/403 name the
    credentials; any other 4xx is the query's (:class:`QueryError`) or the update's fault.
    """

    query_url: str
    update_url: str
    union_default_graph: bool
    write_timeout_s: float
    _client: httpx.Client
    #: the login of update requests (a dialect may log in differently there)
    _update_auth: Any

    def _request(
        self,
        url: str,
        timeout_s: float,
        max_bytes: int | None,
        *,
        data: dict[str, Any] | None = None,
        content: str | None = None,
        headers: dict[str, str],
        params: dict[str, str] | None = None,
        is_query: bool,
    ) -> bytes:
        deadline = time.monotonic() + timeout_s
        timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0))
        auth = httpx.USE_CLIENT_DEFAULT if is_query else self._update_auth
        try:
            with self._client.stream(
                "POST",
                url,
                data=data,
                content=content.encode("utf-8") if content is not None else None,
                headers=headers,
                params=params,
                timeout=timeout,
                auth=auth,
            ) as response:
                if response.status_code >= 400:
                    self._raise_status(url, response.status_code, response.read(), is_query)
                self._check_headers(response.headers, timeout_s)
                chunks = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise QueryTimeoutError(
                            f"result limit exceeded: the answer is larger than {max_bytes} bytes"
                        )
                    if time.monotonic() > deadline:
                        raise timeout_error(timeout_s)
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.ConnectTimeout as exc:
            raise StoreUnavailableError(f"SPARQL endpoint {url} cannot be reached: {exc}") from None
        except httpx.TimeoutException:
            if is_query:
                raise timeout_error(timeout_s) from None
            raise StoreUnavailableError(
                f"SPARQL endpoint {url} gave no answer within {timeout_s:g} s; "
                "the write may or may not have been applied"
            ) from None
        except httpx.TransportError as exc:
            raise StoreUnavailableError(
                f"SPARQL endpoint {url} cannot be reached: {exc or type(exc).__name__}"
            ) from None

    def _check_headers(self, headers: httpx.Headers, timeout_s: float) -> None:
        """Refuse a successful answer whose headers say it is incomplete (a dialect hook)."""

    @staticmethod
    def _raise_status(url: str, status: int, body: bytes, is_query: bool) -> None:
        text = body.decode("utf-8", "replace").strip()[:500]
        if status >= 500:
            raise StoreUnavailableError(f"SPARQL endpoint {url} failed ({status}): {text}")
        if status in (401, 403):
            raise StoreError(
                f"SPARQL endpoint {url} refused access ({status}); check sparql_user and "
                f"sparql_password: {text}"
            )
        if is_query:
            raise QueryError(f"SPARQL endpoint rejected the query ({status}): {text}")
        raise StoreError(f"SPARQL endpoint {url} refused the update ({status}): {text}")

    def _post_query(
        self,
        sparql: str,
        accept: str,
        timeout_s: float,
        max_bytes: int | None,
        dataset: QueryDataset | None = None,
    ) -> bytes:
        params = {"union-default-graph": ""} if self.union_default_graph else None
        data: dict[str, Any] = {"query": sparql}
        if dataset is not None:
            # the request's dataset replaces both FROM clauses and the union default graph
            params = None
            data["default-graph-uri"] = list(dataset.default_graphs)
            data["named-graph-uri"] = list(dataset.named_graphs)
        return self._request(
            self.query_url,
            timeout_s,
            max_bytes,
            data=data,
            headers={"Accept": accept},
            params=params,
            is_query=True,
        )

    def _post_update(self, update: str) -> None:
        self._request(
            self.update_url,
            self.write_timeout_s,
            None,
            content=update,
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            is_query=False,
        )
