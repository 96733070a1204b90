"""In-memory store on an rdflib ``Dataset``, for tests and small scripts (nothing persists)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib import Literal as RdfLiteral

from triggergraph.exceptions import QueryError
from triggergraph.namespaces import TG
from triggergraph.store.base import (
    ABSENT,
    Answer,
    QueryRun,
    QueryRunner,
    Store,
    check_deadline,
    limit_error,
    named_node,
    new_version,
    ox_from_rdflib,
    parse_nquads,
    parse_ntriples,
)
from triggergraph.store.guard import PARSE_LOCK
from triggergraph.store.precheck import QueryLimits, precheck
from triggergraph.store.terms import rdflib_from_ox

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

Graphs = dict[str, tuple[ox.Triple, ...]]
#: The data version and the revision of each graph, published together as one object.
Revisions = tuple[str, dict[str, str]]


@lru_cache(maxsize=256)
def _prepare(sparql: str) -> Query:
    # the SPARQL grammar is imported by the first query, not by every process start
    from rdflib.plugins.sparql import prepareQuery

    with PARSE_LOCK:
        return prepareQuery(sparql)


def _fresh_blank_nodes(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Give the blank nodes of one write new labels, so writes never share a blank node."""
    fresh: dict[str, ox.BlankNode] = {}

    def swap(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode())
        return term

    return [ox.Triple(swap(t.subject), t.predicate, swap(t.object)) for t in triples]


class MemoryStore(Store):
    """A store kept in process memory.

    Each write builds a new immutable snapshot and swaps it in, so a write is atomic and
    queries never see half of one; queries run on rdflib's engine in a worker thread that
    is interrupted when the time limit passes. Bound values are bound the same way as on
    the other backends (:func:`~triggergraph.store.base.bind_values`).

    Examples
    --------
    >>> store = MemoryStore("http://127.0.0.1:8000/")
    >>> _ = store.replace_graph("http://127.0.0.1:8000/graph/s1",
    ...     '<http://127.0.0.1:8000/finding/t1> <http://purl.org/dc/terms/identifier> "t1" .')
    >>> store.graph_names()
    ['http://127.0.0.1:8000/graph/s1']
    >>> store.query("ASK { ?f ?p 't1' }").boolean
    True
    """

    backend = "memory"

    def __init__(
        self,
        base_iri: str,
        timeout_s: float = 10.0,
        result_limit: int = 10_000,
        query_workers: int = 2,
        query_limits: QueryLimits | None = None,
    ):
        super().__init__(base_iri, timeout_s, result_limit, query_limits)
        self._write_lock = threading.Lock()
        self._graphs: Graphs = {}
        self._version = "0"
        self._hash: str | None = None
        self._revisions: Revisions = (self._version, {})
        self._dataset = self._build_dataset(self._graphs, self._version, self._hash, {})
        self._runner = QueryRunner(query_workers, interruptible=True)

    # ---- writes --------------------------------------------------------------------
    def replace_all(self, nquads: str, content_hash: str | None = None) -> str:
        graphs = parse_nquads(nquads, self.meta_graph)
        fresh = _fresh_blank_nodes([t for triples in graphs.values() for t in triples])
        new: Graphs = {}
        position = 0
        for graph, triples in graphs.items():
            new[graph] = tuple(fresh[position : position + len(triples)])
            position += len(triples)
        with self._write_lock:
            return self._publish(new, content_hash, set(new), clear_all=True)

    def write_graphs(
        self,
        replace: Mapping[str, str | None],
        add: Mapping[str, str] | None = None,
        *,
        expected: Mapping[str, str | None] | None = None,
        owner: str | None = None,
        owned: Iterable[str] = (),
    ) -> str:
        # parsed and checked before the lock, so a bad write changes nothing
        replacing = {
            self._check_graph_iri(graph).value: _fresh_blank_nodes(parse_ntriples(text or ""))
            for graph, text in replace.items()
        }
        adding = {
            self._check_graph_iri(graph).value: _fresh_blank_nodes(parse_ntriples(text))
            for graph, text in (add or {}).items()
        }
        expecting = {
            named_node(g, "expected").value: r for g, r in (expected or {}).items() if r is not None
        }
        owner_iri = named_node(owner, "owner").value if owner is not None else None
        owned_nodes = {named_node(str(iri), "owned") for iri in owned}
        with self._write_lock:
            for graph, revision in expecting.items():
                self._check_precondition(graph, revision, set())
            if owned_nodes:
                self._check_precondition(owner_iri, None, owned_nodes)
            new = dict(self._graphs)
            for graph, triples in replacing.items():
                new[graph] = tuple(triples)
            for graph, triples in adding.items():
                new[graph] = tuple(dict.fromkeys((*new.get(graph, ()), *triples)))
            written = {graph for graph, triples in new.items() if triples} & (
                set(replacing) | set(adding)
            )
            new = {graph: triples for graph, triples in new.items() if triples}
            return self._publish(new, self._hash, written, set(replacing))

    def _check_precondition(
        self, graph: str, expected: str | None, owned: set[ox.NamedNode]
    ) -> None:
        """The gate of :func:`~triggergraph.store.update.gated_update`, checked in Python
        under the write lock (this store lives in one process)."""
        revision = self._revisions[1].get(graph)
        if expected is not None and (revision or ABSENT) != expected:
            raise self._refused(graph, expected)
        if owned and any(
            t.subject in owned for other, ts in self._graphs.items() if other != graph for t in ts
        ):
            raise self._refused(graph, None)

    def _publish(
        self,
        graphs: Graphs,
        content_hash: str | None,
        set_graphs: Iterable[str],
        clear_graphs: Iterable[str] = (),
        clear_all: bool = False,
    ) -> str:
        """Swap in a new snapshot; ``set_graphs`` get the new version as their revision."""
        version = new_version()
        revisions = {} if clear_all else dict(self._revisions[1])
        for graph in clear_graphs:
            revisions.pop(graph, None)
        revisions.update(dict.fromkeys(set_graphs, version))
        dataset = self._build_dataset(graphs, version, content_hash, revisions)
        # One tuple assignment: readers take either the old or the new snapshot whole.
        self._graphs, self._version, self._hash, self._dataset, self._revisions = (
            graphs,
            version,
            content_hash,
            dataset,
            (version, revisions),
        )
        return version

    def _build_dataset(
        self, graphs: Graphs, version: str, content_hash: str | None, revisions: dict[str, str]
    ) -> Dataset:
        dataset = Dataset(default_union=True)
        for graph, triples in graphs.items():
            target = dataset.graph(URIRef(graph))
            for t in triples:
                target.add(
                    (
                        rdflib_from_ox(t.subject),
                        rdflib_from_ox(t.predicate),
                        rdflib_from_ox(t.object),
                    )
                )
        meta = dataset.graph(URIRef(self.meta_graph))
        meta.add((URIRef(self.meta_graph), TG.dataVersion, RdfLiteral(version)))
        if content_hash is not None:
            meta.add((URIRef(self.meta_graph), TG.contentHash, RdfLiteral(content_hash)))
        for graph, revision in revisions.items():
            meta.add((URIRef(graph), TG.graphVersion, RdfLiteral(revision)))
        return dataset

    # ---- reads ---------------------------------------------------------------------
    def graph_names(self) -> list[str]:
        return sorted(self._graphs)

    def graph_ntriples(self, graph_iri: str) -> str:
        triples = self._graphs.get(str(graph_iri), ())
        return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")

    def dump_nquads(self) -> str:
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
            for graph, triples in sorted(self._graphs.items())
            for t in triples
        ]
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")

    def version(self) -> str:
        return self._version

    def content_hash(self) -> str | None:
        return self._hash

    def graph_versions(self) -> tuple[str, dict[str, str]]:
        version, revisions = self._revisions  # one attribute: version and revisions agree
        return version, dict(revisions)

    def _run(self, run: QueryRun) -> Answer:
        if run.dataset is not None:
            raise QueryError(
                "the memory store takes its dataset from FROM clauses only, "
                "not from default-graph-uri or named-graph-uri"
            )
        dataset = self._dataset
        graphs = self._graphs
        if run.own_dataset:
            for iri in precheck(run.text, self.query_limits).default_graphs:
                # rdflib fetches FROM graphs it does not hold over the network; refuse instead.
                if iri not in graphs:
                    raise QueryError(f"FROM <{iri}>: the store has no such graph")
        try:
            prepared = _prepare(run.text)
        except RecursionError:
            raise QueryError("rdflib's parser ran out of stack on this query") from None
        timeout, limit = run.timeout_s, run.max_rows

        def work(deadline: float) -> Answer:
            result = dataset.query(prepared)
            if result.type == "ASK":
                return Answer("ask", boolean=bool(result.askAnswer))
            if result.type == "SELECT":
                variables = [str(v) for v in result.vars or []]
                rows = []
                for count, row in enumerate(result, start=1):
                    check_deadline(count, deadline, timeout)
                    if count > limit:
                        raise limit_error(limit)
                    rows.append(
                        {v: ox_from_rdflib(row[v]) for v in variables if row[v] is not None}
                    )
                return Answer("select", variables, rows)
            triples = []
            for count, (s, p, o) in enumerate(result.graph, start=1):
                check_deadline(count, deadline, timeout)
                if count > limit:
                    raise limit_error(limit, "triples")
                triples.append(ox.Triple(ox_from_rdflib(s), ox_from_rdflib(p), ox_from_rdflib(o)))
            return Answer("graph", triples=triples)

        return self._runner.run(work, timeout)
