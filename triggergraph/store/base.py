"""The store interface every backend implements: named graphs per source, SPARQL, a version."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from triggergraph.exceptions import (
    ConflictError,
    PreconditionFailedError,
)
from triggergraph.namespaces import META_GRAPH
from triggergraph.store.guard import check_read_only
from triggergraph.store.meta import (
    ABSENT,
    RECEIPT_KEEP_S,
    graph_version_update,
    insert_data,
    meta_update,
    new_version,
)
from triggergraph.store.precheck import QueryLimits, precheck
from triggergraph.store.quads import named_node, parse_nquads, parse_ntriples
from triggergraph.store.results import (
    ASK_FORMATS,
    GRAPH_FORMATS,
    OX_GRAPH_FORMATS,
    OX_RESULT_FORMATS,
    SELECT_FORMATS,
    Answer,
    QueryResult,
    check_media_type,
    limit_error,
    serialize_boolean,
    serialize_solutions,
    serialize_triples,
    timeout_error,
)
from triggergraph.store.runner import (
    DEADLINE_CHECK_EVERY,
    QueryDataset,
    QueryRun,
    QueryRunner,
    check_deadline,
)
from triggergraph.store.terms import (
    INTEGER_TYPES,
    RDF_LANG_STRING,
    VARIABLE_NAME,
    XSD,
    XSD_STRING,
    bind_values,
    ox_from_rdflib,
    plain_value,
    result_json_term,
    to_ox_term,
)


class Store(ABC):
    """A quad store holding one named graph per source plus the vocabulary and meta graphs.

    Every write is atomic (all of a named graph or nothing) and durable before it returns,
    and bumps :meth:`version`. The version and the content hash live in the store itself,
    in the named graph ``B graph/meta``, so processes sharing a store see each other's
    writes. The meta graph is bookkeeping: :meth:`graph_names` and :meth:`dump_nquads`
    leave it out and writes to it are refused.

    Queries see the union of all named graphs as their default graph unless they name
    their dataset (``FROM``, or a :class:`QueryDataset`), are read-only
    (:func:`triggergraph.store.guard.check_read_only`; client queries
    :func:`~triggergraph.store.precheck.precheck`), stop after ``timeout_s`` with
    :class:`QueryTimeoutError`, and refuse answers longer than the result limit with
    :class:`ResultLimitError` ("result limit of N rows exceeded") instead of truncating
    silently.
    """

    backend: str = "abstract"

    def __init__(
        self,
        base_iri: str,
        timeout_s: float = 10.0,
        result_limit: int = 10_000,
        query_limits: QueryLimits | None = None,
    ):
        self.base_iri = base_iri
        self.timeout_s = timeout_s
        self.result_limit = result_limit
        self.query_limits = query_limits or QueryLimits()
        self.meta_graph = base_iri + META_GRAPH

    # ---- writes --------------------------------------------------------------------
    @abstractmethod
    def replace_all(self, nquads: str, content_hash: str | None = None) -> str:
        """Replace the whole dataset with ``nquads`` (N-Quads text); return the new version.

        Every quad must sit in a named graph other than the meta graph; otherwise
        :class:`EntryError` and nothing changes.
        """

    def replace_graph(
        self,
        graph_iri: str,
        ntriples: str,
        expected: str | None = None,
        owned: Iterable[str] = (),
    ) -> str:
        """Atomically replace one named graph with ``ntriples``; return the new version.

        The write is compare-and-set: ``expected`` is the graph's revision the caller saw
        (:meth:`graph_versions`; :data:`ABSENT` for a graph that must not exist yet, None
        for no precondition), and no other named graph may hold a subject of ``owned``.
        Both are checked inside the same atomic update that writes, so of two writers
        racing on one graph (also in two processes sharing the store) exactly one wins;
        the other gets :class:`PreconditionFailedError` and nothing changes.

        Invalid N-Triples raise :class:`EntryError` (with line and column) and change
        nothing; the meta graph raises :class:`ConflictError`. The content hash stays.
        It is the one-graph case of :meth:`write_graphs`.
        """
        return self.write_graphs(
            {graph_iri: ntriples}, expected={graph_iri: expected}, owner=graph_iri, owned=owned
        )

    def delete_graph(self, graph_iri: str, expected: str | None = None) -> str:
        """Atomically drop one named graph; return the new version.

        ``expected`` as for :meth:`replace_graph`: a mismatch raises
        :class:`PreconditionFailedError` and nothing changes.
        """
        return self.write_graphs({graph_iri: None}, expected={graph_iri: expected})

    @abstractmethod
    def write_graphs(
        self,
        replace: Mapping[str, str | None],
        add: Mapping[str, str] | None = None,
        *,
        expected: Mapping[str, str | None] | None = None,
        owner: str | None = None,
        owned: Iterable[str] = (),
    ) -> str:
        """Apply several graph writes as one atomic, compare-and-set change; return the version.

        Parameters
        ----------
        replace : mapping of str to str or None
            Graph IRI to the N-Triples that become the whole graph; None or ``""`` drops it.
        add : mapping of str to str, optional
            Graph IRI to N-Triples added to what the graph already holds (a history that
            grows by one change per write).
        expected : mapping of str to str or None, optional
            Graph IRI to the revision it must have (:data:`ABSENT`: must not exist; None:
            no check), as for :meth:`replace_graph`.
        owner, owned
            No graph but ``owner`` may hold a subject of ``owned``. A failed precondition
            raises :class:`PreconditionFailedError` and nothing changes.

        Every graph written gets the new version as its revision; a dropped one loses its
        revision. Invalid N-Triples raise :class:`EntryError` and the meta graph
        :class:`ConflictError`, before anything changes. The content hash stays.
        """

    # ---- reads ---------------------------------------------------------------------
    @abstractmethod
    def graph_names(self) -> list[str]:
        """IRIs of the named graphs holding at least one triple, sorted, meta graph left out."""

    @abstractmethod
    def graph_ntriples(self, graph_iri: str) -> str:
        """N-Triples of one named graph ('' if it does not exist)."""

    @abstractmethod
    def dump_nquads(self) -> str:
        """The whole dataset as N-Quads, meta graph left out."""

    def query(
        self,
        sparql: str,
        bindings: dict[str, Any] | None = None,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a read-only query with bound values (never formatted into the text).

        ``bindings`` maps variable names to rdflib terms (``URIRef``, ``Literal``) or Python
        scalars (``str`` becomes a plain literal, never an IRI). ``timeout_s`` and
        ``max_rows`` default to the store's limits. For the app's own named queries: the
        text is checked by :func:`~triggergraph.store.guard.check_read_only`.
        """
        info = check_read_only(sparql)
        timeout, limit = self._limits(timeout_s, max_rows)
        text = bind_values(sparql, info.kind, bindings)
        run = QueryRun(text, info.kind, bool(info.dataset), timeout, limit)
        return self._run(run).to_result()

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        timeout_s: float | None = None,
        max_rows: int | None = None,
        dataset: QueryDataset | None = None,
    ) -> tuple[bytes, str]:
        """Run a client's read-only query; return ``(body, media type)`` in the requested format.

        The text first passes :func:`~triggergraph.store.precheck.precheck` with the
        store's :class:`QueryLimits`; ``dataset`` (from the request) replaces the query's
        own FROM clauses.
        """
        shape = precheck(sparql, self.query_limits)
        media = check_media_type(shape.kind, media_type)
        timeout, limit = self._limits(timeout_s, max_rows)
        own = bool(shape.default_graphs or shape.named_graphs)
        run = QueryRun(sparql, shape.kind, own, timeout, limit, dataset, client=True)
        return self._run(run).to_bytes(media), media

    def _run(self, run: QueryRun) -> Answer:
        """Run one checked query on the backend's engine (backends using the shared methods)."""
        raise NotImplementedError(f"the {self.backend} store runs queries its own way")

    @abstractmethod
    def version(self) -> str:
        """Opaque data version; changes on every write, also when another process wrote."""

    @abstractmethod
    def content_hash(self) -> str | None:
        """Hash of the literature last loaded with :meth:`replace_all`, if any."""

    @abstractmethod
    def graph_versions(self) -> tuple[str, dict[str, str]]:
        """The data version and the revision of every named graph, read in one snapshot.

        Each write sets the revision of the graphs it wrote to the version it returns, in
        the same atomic update (``<graph> tg:graphVersion "revision"`` in the meta graph):
        :meth:`replace_graph` that graph, :meth:`replace_all` every graph of the new
        dataset. A graph that is deleted or left empty loses its revision. A process that
        saw :meth:`version` change can so re-read only the graphs whose revision changed.

        Returns
        -------
        tuple of (str, dict of str to str)
            ``(data_version, {graph_iri: revision})``; ``data_version`` is what
            :meth:`version` returns at that moment ("0" for an empty store); the meta graph
            itself is never a key.
        """

    def ping(self) -> bool:
        """True when the store answers."""
        try:
            self.version()
        except Exception:
            return False
        return True

    def close(self) -> None:  # noqa: B027 - optional hook; backends without resources skip it
        """Release files, processes or connections."""

    # ---- shared helpers ------------------------------------------------------------
    def _refused(self, graph_iri: str, expected: str | None) -> PreconditionFailedError:
        """The error for a write whose gate did not open."""
        want = (
            "that it does not exist yet"
            if expected == ABSENT
            else f"revision {expected!r}"
            if expected is not None
            else "no finding of it in another graph"
        )
        return PreconditionFailedError(
            f"graph {graph_iri} was not written: the store no longer matches the precondition "
            f"({want}); another writer changed it first"
        )

    def _limits(self, timeout_s: float | None, max_rows: int | None) -> tuple[float, int]:
        return (
            self.timeout_s if timeout_s is None else timeout_s,
            self.result_limit if max_rows is None else max_rows,
        )

    def _check_graph_iri(self, graph_iri: str) -> ox.NamedNode:
        node = named_node(str(graph_iri), "graph_iri")
        if node.value == self.meta_graph:
            raise ConflictError(
                f"graph {graph_iri} is the store's bookkeeping graph and cannot be written directly"
            )
        return node


# The shared parts moved to modules of their own; their names stay importable from here.
__all__ = [
    "ABSENT",
    "ASK_FORMATS",
    "Answer",
    "DEADLINE_CHECK_EVERY",
    "GRAPH_FORMATS",
    "INTEGER_TYPES",
    "OX_GRAPH_FORMATS",
    "OX_RESULT_FORMATS",
    "QueryDataset",
    "QueryResult",
    "QueryRun",
    "QueryRunner",
    "RDF_LANG_STRING",
    "RECEIPT_KEEP_S",
    "SELECT_FORMATS",
    "Store",
    "VARIABLE_NAME",
    "XSD",
    "XSD_STRING",
    "bind_values",
    "check_deadline",
    "check_media_type",
    "graph_version_update",
    "insert_data",
    "limit_error",
    "meta_update",
    "named_node",
    "new_version",
    "ox_from_rdflib",
    "parse_nquads",
    "parse_ntriples",
    "plain_value",
    "result_json_term",
    "serialize_boolean",
    "serialize_solutions",
    "serialize_triples",
    "timeout_error",
    "to_ox_term",
]
