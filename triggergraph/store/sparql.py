"""Remote store: any SPARQL 1.1 Query + Update endpoint over HTTP (Oxigraph server, Fuseki, ...)."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pyoxigraph as ox
from rdflib import URIRef

from triggergraph.exceptions import (
    ConfigError,
    QueryTimeoutError,
    StoreError,
)
from triggergraph.namespaces import TG
from triggergraph.store.base import (
    OX_GRAPH_FORMATS,
    OX_RESULT_FORMATS,
    Answer,
    QueryDataset,
    QueryResult,
    bind_values,
    check_media_type,
    graph_version_update,
    insert_data,
    limit_error,
    meta_update,
    new_version,
    parse_nquads,
)
from triggergraph.store.guard import check_read_only
from triggergraph.store.http import SparqlHttp
from triggergraph.store.precheck import QueryLimits, precheck
from triggergraph.store.update import UpdateStore
from triggergraph.store.write_lock import SharedWriteLock

JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
#: Bytes allowed per result row before an answer counts as too long to hold in memory.
BYTES_PER_ROW = 4096
META_QUERY = (
    f"SELECT ?v ?h WHERE {{ GRAPH ?m {{ ?m <{TG.dataVersion}> ?v "
    f"OPTIONAL {{ ?m <{TG.contentHash}> ?h }} }} }}"
)
#: The data version and every graph's revision in one request (one read on the server).
GRAPH_VERSIONS_QUERY = (
    f"SELECT ?v ?g ?r WHERE {{ GRAPH ?m {{ {{ ?m <{TG.dataVersion}> ?v }} "
    f"UNION {{ ?g <{TG.graphVersion}> ?r }} }} }}"
)
GRAPHS_QUERY = "SELECT ?g WHERE { GRAPH ?g { } }"
GRAPH_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
DUMP_QUERY = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


class SparqlStore(SparqlHttp, SharedWriteLock, UpdateStore):
    """A store behind SPARQL 1.1 Protocol endpoints, shared with other processes.

    Each write is one Update request (``DROP SILENT GRAPH``, ``INSERT DATA``, the graph's
    revision and the meta version), which Oxigraph server and Fuseki apply as one
    transaction; the server acknowledges only after it committed. Other processes see a
    write through :meth:`version` (one tiny query on the meta graph) and which graphs it
    touched through :meth:`graph_versions`.

    Queries are passed through as text with bound values injected as an escaped VALUES
    block. With ``union_default_graph`` the request carries Oxigraph's
    ``union-default-graph`` parameter so the default graph is the union of the named
    graphs; other servers need that set in their own configuration (Fuseki:
    ``tdb2:unionDefaultGraph true``). The time limit is enforced on the client (the
    request is dropped); a server-side timeout (``oxigraph serve --timeout-s``) also stops
    the server's work.

    Parameters
    ----------
    query_url, update_url : str
        Endpoint URLs; ``update_url`` defaults to ``query_url`` with ``/query`` replaced by
        ``/update`` (Oxigraph's layout).
    base_iri : str
        Base IRI of the deployment (places the meta graph).
    auth : tuple of (user, password), optional
        HTTP basic credentials for both endpoints.
    """

    backend = "sparql"
    #: which server's ways this class speaks (:mod:`triggergraph.store.virtuoso` adds one)
    dialect = "standard"

    def __init__(
        self,
        query_url: str,
        update_url: str | None,
        base_iri: str,
        auth: tuple[str, str] | None = None,
        timeout_s: float = 10.0,
        result_limit: int = 10_000,
        union_default_graph: bool = True,
        write_timeout_s: float = 60.0,
        query_limits: QueryLimits | None = None,
    ):
        super().__init__(base_iri, timeout_s, result_limit, query_limits)
        if update_url is None:
            if not query_url.rstrip("/").endswith("/query"):
                raise ConfigError(
                    f"no SPARQL update URL given and {query_url!r} does not end in /query; "
                    "set sparql_update_url"
                )
            update_url = query_url.rstrip("/")[: -len("/query")] + "/update"
        self.query_url = query_url
        self.update_url = update_url
        self.union_default_graph = union_default_graph
        self.write_timeout_s = write_timeout_s
        self.auth = auth
        self._client = httpx.Client(auth=auth, follow_redirects=False)
        #: the login of update requests (a dialect may log in differently there)
        self._update_auth: Any = httpx.USE_CLIENT_DEFAULT

    # ---- writes --------------------------------------------------------------------
    def replace_all(self, nquads: str, content_hash: str | None = None) -> str:
        graphs = parse_nquads(nquads, self.meta_graph)
        version = new_version()
        ops = ["DROP SILENT ALL", insert_data(graphs)]
        ops.append(graph_version_update(self.meta_graph, version, graphs, clear_all=True))
        ops.append(meta_update(self.meta_graph, version, content_hash, keep_hash=False))
        with self._write_lock():
            self._post_update(" ;\n".join(op for op in ops if op))
        return version

    def _gated(
        self, update: str, version: str, graph_iri: str, expected: str | None, emptied: list[str]
    ) -> str:
        """Send a gated update under the store's write lock, then read back its receipt:
        present means the gate opened and the write happened, absent means the
        precondition failed and nothing changed. The graphs left empty are then dropped."""
        with self._write_lock():
            self._post_update(update)
            body = self._post_query(
                self._receipt_query(version), JSON_RESULTS, self.timeout_s, None
            )
            answer = self._parse_results(body, ox.QueryResultsFormat.JSON)
            if not isinstance(answer, ox.QueryBoolean) or not bool(answer):
                raise self._refused(graph_iri, expected)
            if emptied:
                # still under the lock: nobody can have written the graphs since
                self._post_update(
                    " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in emptied)
                )
        return version

    # ---- internal reads (no result limit) --------------------------------------------
    def _select(
        self, sparql: str, bindings: dict[str, Any] | None = None, timeout_s: float | None = None
    ) -> list[Any]:
        text = bind_values(sparql, "select", bindings)
        body = self._post_query(text, JSON_RESULTS, timeout_s or self.write_timeout_s, None)
        results = self._parse_results(body, ox.QueryResultsFormat.JSON)
        # Rows are parsed lazily, so an answer the server cut short (Oxigraph writes its late
        # timeout into an already started 200 response) fails here, not in _parse_results.
        # The parser must be dropped on this thread, so the error leaves without its frames.
        try:
            return list(results)
        except SyntaxError as exc:
            error = self._broken_answer(body, exc)
        finally:
            del results
        raise error

    def _parse_results(self, body: bytes, fmt: ox.QueryResultsFormat) -> Any:
        try:
            return ox.parse_query_results(body, fmt)
        except SyntaxError as exc:
            raise self._broken_answer(body, exc) from None

    def _broken_answer(self, body: bytes, exc: Exception) -> Exception:
        tail = body[-300:].decode("utf-8", "replace")
        if "cancel" in tail.lower() or "timeout" in tail.lower():
            return QueryTimeoutError(f"the SPARQL endpoint stopped the query: {tail.strip()}")
        return StoreError(f"SPARQL endpoint {self.query_url} sent an unreadable answer: {exc}")

    def graph_names(self) -> list[str]:
        names = []
        for row in self._select(GRAPHS_QUERY):
            graph = row["g"]
            if isinstance(graph, ox.NamedNode) and graph.value != self.meta_graph:
                names.append(graph.value)
        return sorted(names)

    def graph_ntriples(self, graph_iri: str) -> str:
        try:
            graph = ox.NamedNode(str(graph_iri))
        except ValueError:
            return ""
        text = bind_values(GRAPH_QUERY, "construct", {"g": _uri(graph)})
        body = self._post_query(text, N_TRIPLES, self.write_timeout_s, None)
        return body.decode("utf-8")

    def dump_nquads(self) -> str:
        quads = [
            ox.Quad(row["s"], row["p"], row["o"], row["g"])
            for row in self._select(DUMP_QUERY)
            if row["g"].value != self.meta_graph
        ]
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")

    def _meta(self) -> tuple[str | None, str | None]:
        # Polled often: bounded by the query time limit, not the longer write limit.
        rows = self._select(
            META_QUERY, {"m": _uri(ox.NamedNode(self.meta_graph))}, timeout_s=self.timeout_s
        )
        if not rows:
            return None, None
        row = rows[0]
        hash_term = row["h"]
        return row["v"].value, hash_term.value if hash_term is not None else None

    def version(self) -> str:
        return self._meta()[0] or "0"

    def content_hash(self) -> str | None:
        return self._meta()[1]

    def graph_versions(self) -> tuple[str, dict[str, str]]:
        # One SELECT, so the server answers it from one state; bounded like version().
        rows = self._select(
            GRAPH_VERSIONS_QUERY,
            {"m": _uri(ox.NamedNode(self.meta_graph))},
            timeout_s=self.timeout_s,
        )
        version = "0"
        revisions: dict[str, str] = {}
        for row in rows:
            graph, revision, data_version = row["g"], row["r"], row["v"]
            if data_version is not None:
                version = data_version.value
            elif isinstance(graph, ox.NamedNode) and graph.value != self.meta_graph:
                revisions[graph.value] = revision.value
        return version, revisions

    # ---- user queries ------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        bindings: dict[str, Any] | None = None,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        info = check_read_only(sparql)
        timeout, limit = self._limits(timeout_s, max_rows)
        text = bind_values(sparql, info.kind, bindings)
        accept = JSON_RESULTS if info.kind in ("select", "ask") else N_TRIPLES
        body = self._post_query(text, accept, timeout, limit * BYTES_PER_ROW + 65536)
        if accept == N_TRIPLES:
            triples = self._parse_triples(body, ox.RdfFormat.N_TRIPLES, limit)
            return Answer("graph", triples=triples).to_result()
        parsed = self._parse_results(body, ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            return Answer("ask", boolean=bool(parsed)).to_result()
        variables = [v.value for v in parsed.variables]
        rows = []
        try:
            for count, solution in enumerate(parsed, start=1):
                if count > limit:
                    raise limit_error(limit)
                rows.append({v: solution[v] for v in variables if solution[v] is not None})
        except SyntaxError as exc:
            raise self._broken_answer(body, exc) from None
        return Answer("select", variables, rows).to_result()

    def _parse_triples(self, body: bytes, fmt: ox.RdfFormat, limit: int) -> list[ox.Triple]:
        triples: dict[ox.Triple, None] = {}
        try:
            for quad in ox.parse(body, format=fmt):
                triples[quad.triple] = None
                if len(triples) > limit:
                    raise limit_error(limit, "triples")
        except SyntaxError as exc:
            raise self._broken_answer(body, exc) from None
        return list(triples)

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        timeout_s: float | None = None,
        max_rows: int | None = None,
        dataset: QueryDataset | None = None,
    ) -> tuple[bytes, str]:
        # the scan runs here, before the text reaches the (possibly shared) server
        info = precheck(sparql, self.query_limits)
        media = check_media_type(info.kind, media_type)
        timeout, limit = self._limits(timeout_s, max_rows)
        body = self._post_query(
            sparql, media, timeout, limit * BYTES_PER_ROW + 65536, dataset=dataset
        )
        # Parsing the server's bytes counts the rows and catches answers the server cut
        # short (Oxigraph reports a late timeout inside an already started 200 response).
        if info.kind in ("construct", "describe"):
            self._parse_triples(body, OX_GRAPH_FORMATS[media], limit)
        elif media == "text/csv":
            try:
                rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
            except (UnicodeDecodeError, csv.Error) as exc:
                raise self._broken_answer(body, exc) from None
            if len(rows) - 1 > limit:
                raise limit_error(limit)
        else:
            parsed = self._parse_results(body, OX_RESULT_FORMATS[media])
            if not isinstance(parsed, ox.QueryBoolean):
                try:
                    for count, _ in enumerate(parsed, start=1):
                        if count > limit:
                            raise limit_error(limit)
                except SyntaxError as exc:
                    raise self._broken_answer(body, exc) from None
        return body, media

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()


def _uri(node: ox.NamedNode) -> URIRef:
    return URIRef(node.value)
