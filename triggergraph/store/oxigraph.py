"""Embedded Oxigraph store (RocksDB on disk): one SPARQL Update per write, flushed before return."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from triggergraph.exceptions import QueryError, StoreError
from triggergraph.namespaces import TG
from triggergraph.store.base import (
    Answer,
    QueryRun,
    QueryRunner,
    check_deadline,
    graph_version_update,
    insert_data,
    limit_error,
    meta_update,
    new_version,
    parse_nquads,
)
from triggergraph.store.precheck import QueryLimits
from triggergraph.store.update import UpdateStore

#: N-Quads bytes given to one bulk-load call (a few times this in working memory).
BULK_BATCH_BYTES = 32 << 20


class OxigraphStore(UpdateStore):
    """A store in a local directory, opened by one process at a time.

    Writes are single SPARQL Update requests (``DROP SILENT GRAPH``, ``INSERT DATA``, the
    graph's revision and the meta version together), which Oxigraph applies as one
    transaction. The transaction is in RocksDB's write-ahead log when ``update`` returns
    (that alone survives ``kill -9``); ``flush()`` then writes it to synced table files
    before the method returns, so it also survives a power cut. Concurrent writers share flushes (group commit). Writes inside
    one process are serialised by a lock.

    Queries go to Oxigraph's own engine as text; bound values become a VALUES block at the
    start of the WHERE group built from escaped terms (:func:`~triggergraph.store.base.bind_values`;
    pyoxigraph's ``substitutions`` would refuse variables that are not projected). They run on a :class:`~triggergraph.store.base.QueryRunner`: the caller gets
    :class:`QueryTimeoutError` after the time limit, streaming answers stop at the next
    row, but an aggregate or sort that pyoxigraph computes in one native call cannot be
    cancelled and keeps its worker until it ends (it releases the GIL, so other requests,
    reads and writes go on).

    Examples
    --------
    >>> import tempfile
    >>> store = OxigraphStore(Path(tempfile.mkdtemp()), "http://127.0.0.1:8000/")
    >>> v = store.replace_graph("http://127.0.0.1:8000/graph/s1",
    ...     '<http://127.0.0.1:8000/finding/t1> <http://purl.org/dc/terms/identifier> "t1" .')
    >>> store.version() == v
    True
    >>> store.close()
    """

    backend = "oxigraph"
    #: bytes of N-Quads per bulk-load call (see :func:`bulk_load`)
    bulk_batch_bytes = BULK_BATCH_BYTES

    def __init__(
        self,
        path: Path | None,
        base_iri: str,
        timeout_s: float = 10.0,
        result_limit: int = 10_000,
        query_workers: int | None = None,
        query_limits: QueryLimits | None = None,
        read_only: bool = False,
    ):
        super().__init__(base_iri, timeout_s, result_limit, query_limits)
        # no path: an in-memory store (the query workers' copy); read_only: a second view of
        # a folder another process writes, as it was when opened
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._store: ox.Store | None = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(
                f"cannot open the Oxigraph store at {self.path}: {exc} "
                "(is another process using it?)"
            ) from None
        self._write_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._written = 0
        self._flushed = 0
        self._runner = QueryRunner(query_workers or max(2, os.cpu_count() or 2))
        # Client queries (query_serialized, the /sparql endpoint) get workers of their own: a
        # runaway one cannot be stopped and must not starve the app's named queries.
        self._client_runner = QueryRunner(query_workers or max(2, os.cpu_count() or 2))
        self._meta = ox.NamedNode(self.meta_graph)

    @property
    def store(self) -> ox.Store:
        """The open pyoxigraph store."""
        if self._store is None:
            raise StoreError(f"the Oxigraph store at {self.path} is closed")
        return self._store

    # ---- writes --------------------------------------------------------------------
    def replace_all(self, nquads: str, content_hash: str | None = None) -> str:
        """Replace the dataset: bulk-load the new quads, then drop what is stale in one update.

        A single ``INSERT DATA`` of a large dataset is slow, so the work is split in steps
        that each leave the store safe to restart from:

        1. the content hash is removed (one transaction), so any store that did not reach
           step 3 no longer matches a literature hash and is loaded again at the next start;
        2. the new quads are bulk-loaded *on top of* the old ones: only additions, so a
           crash part-way loses nothing (every kept source is in both old and new data);
        3. one transaction removes the old quads that are not in the new data and writes
           the revision of every new graph (dropping the others' revisions), the version and
           the content hash, last. Then the store is flushed.

        After a crash in steps 1-2 the store holds old plus part of new and no content hash;
        a crash never leaves a matching hash on a half store. Step 1 writes an interim data
        version of its own, so the half-loaded state never carries the version this method
        returns. Invalid input raises before step 1 and changes nothing.
        """
        return self.replace_all_chunks([nquads], content_hash)

    def replace_all_chunks(
        self, chunks: Iterable[str | bytes], content_hash: str | None = None
    ) -> str:
        """:meth:`replace_all` for N-Quads given in pieces, never held in memory as a whole.

        The pieces are spooled to a temporary file that is checked and bulk-loaded from
        there in batches of about ``bulk_batch_bytes`` (:func:`bulk_load`), so loading a
        large literature needs neither the whole text nor the bulk loader's working memory
        for all of it at once. Until the last step the store holds no content hash (a
        first fill over a store that has one removes it first), so a crash between two
        batches leaves a store that is loaded again.
        """
        blank_nodes, last = False, b""
        with tempfile.TemporaryFile() as spool:
            for chunk in chunks:
                data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
                # with the last byte of the piece before: a label split between two pieces
                blank_nodes = blank_nodes or b"_:" in last + data[:1] or b"_:" in data
                last = data[-1:] or last
                spool.write(data)
            try:
                with self._write_lock:
                    if not self.graph_names():
                        # first fill: nothing to lose, so the quads are only checked, not kept
                        check_quads(spool, self.meta_graph, keep=False)
                        if self.content_hash() is not None:
                            interim = meta_update(self.meta_graph, new_version(), None, False)
                            self.store.update(interim)
                            self.store.flush()
                        bulk_load(self.store, spool, self.bulk_batch_bytes, blank_nodes)
                        # there was no data graph before, so every graph now is a new one
                        new_graphs = {g.value for g in self.store.named_graphs()} - {
                            self.meta_graph
                        }
                        ops = []
                    else:
                        new_quads = check_quads(spool, self.meta_graph, keep=True)
                        old_quads = {q for q in self.store if q.graph_name != self._meta}
                        interim = new_version()
                        meta = meta_update(self.meta_graph, interim, None, keep_hash=False)
                        self.store.update(meta)
                        self.store.flush()
                        if new_quads - old_quads:
                            bulk_load(self.store, spool, self.bulk_batch_bytes, blank_nodes)
                        new_graphs = {q.graph_name.value for q in new_quads}
                        ops = stale_ops(old_quads, new_quads)
                        del old_quads, new_quads
                    version = new_version()  # after the interim one, so versions stay ordered
                    ops.append(
                        graph_version_update(self.meta_graph, version, new_graphs, clear_all=True)
                    )
                    ops.append(meta_update(self.meta_graph, version, content_hash, keep_hash=False))
                    self.store.update(" ;\n".join(op for op in ops if op))
                    self.store.flush()
                    self._written += 1
                    self._flushed = self._written
            except (OSError, SyntaxError) as exc:
                raise StoreError(
                    f"Oxigraph store at {self.path} refused the write: {exc}"
                ) from None
        return version

    def _gated(
        self, update: str, version: str, graph_iri: str, expected: str | None, emptied: list[str]
    ) -> str:
        """Apply a gated update (:func:`~triggergraph.store.update.gated_update`); refuse if its gate stayed shut.

        The gate and the receipt check run under the write lock, one step for this process
        (the only one that can have the store's directory open). The graphs left empty are
        then dropped, so :meth:`graph_names` no longer lists them.
        """
        receipt = ox.Quad(
            self._meta, ox.NamedNode(str(TG.writeReceipt)), ox.Literal(version), self._meta
        )
        try:
            with self._write_lock:
                self.store.update(update)
                if receipt not in self.store:
                    raise self._refused(graph_iri, expected)
                for graph in emptied:
                    self.store.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")
                self._written += 1
                mine = self._written
            # Group commit: one flush covers every update that finished before it started,
            # so concurrent writers share the (slow, fsync-bound) flush instead of queueing.
            with self._flush_lock:
                if self._flushed < mine:
                    target = self._written
                    self.store.flush()
                    self._flushed = target
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"Oxigraph store at {self.path} refused the write: {exc}") from None
        return version

    # ---- reads ---------------------------------------------------------------------
    def graph_names(self) -> list[str]:
        return sorted(
            g.value
            for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode) and g != self._meta
        )

    def graph_ntriples(self, graph_iri: str) -> str:
        try:
            graph = ox.NamedNode(str(graph_iri))
        except ValueError:
            return ""
        data = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        return data.decode("utf-8")

    def dump_nquads(self) -> str:
        quads = (q for q in self.store if q.graph_name != self._meta)
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")

    def _meta_value(self, predicate: str) -> str | None:
        for quad in self.store.quads_for_pattern(
            self._meta, ox.NamedNode(predicate), None, self._meta
        ):
            return quad.object.value
        return None

    def version(self) -> str:
        return self._meta_value(str(TG.dataVersion)) or "0"

    def content_hash(self) -> str | None:
        return self._meta_value(str(TG.contentHash))

    def graph_versions(self) -> tuple[str, dict[str, str]]:
        # One pattern read over the meta graph only (a few thousand quads at most): pyoxigraph
        # iterates it on one snapshot, so the version and the revisions come from one state.
        data_version = str(TG.dataVersion)
        graph_version = str(TG.graphVersion)
        version = "0"
        revisions: dict[str, str] = {}
        for quad in self.store.quads_for_pattern(None, None, None, self._meta):
            predicate = quad.predicate.value
            if predicate == graph_version and isinstance(quad.subject, ox.NamedNode):
                revisions[quad.subject.value] = quad.object.value
            elif predicate == data_version and quad.subject == self._meta:
                version = quad.object.value
        revisions.pop(self.meta_graph, None)
        return version, revisions

    def _run(self, run: QueryRun) -> Answer:
        store = self.store
        options: dict[str, Any] = {}
        if run.dataset is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in run.dataset.default_graphs]
            if run.dataset.named_graphs:
                options["named_graphs"] = [ox.NamedNode(g) for g in run.dataset.named_graphs]
        elif not run.own_dataset:
            # pyoxigraph's union flag would override the query's own FROM clauses
            options["use_default_graph_as_union"] = True

        def work(deadline: float) -> Answer:
            result = store.query(run.text, **options)
            error: BaseException | None = None
            try:
                return _collect(result, deadline, run.timeout_s, run.max_rows)
            except BaseException as exc:  # noqa: BLE001 - re-raised below without frames
                # pyoxigraph results must be dropped on the thread that made them, so the
                # error leaves without a traceback that would keep them alive.
                exc.__traceback__ = exc.__context__ = exc.__cause__ = None
                error = exc
            finally:
                del result
            raise error

        runner = self._client_runner if run.client else self._runner
        try:
            return runner.run(work, run.timeout_s)
        except SyntaxError as exc:
            raise QueryError(syntax_message(str(exc))) from None
        except ValueError as exc:
            raise QueryError(f"the query names a graph that is not an IRI: {exc}") from None
        except OSError as exc:
            raise StoreError(f"Oxigraph store at {self.path} failed to read: {exc}") from None

    def close(self) -> None:
        """Flush and release the directory (queries still running keep it open until they end)."""
        if self._store is not None:
            try:
                if self.path is not None and not self.read_only:
                    self._store.flush()
            finally:
                self._store = None


def bulk_load(store: ox.Store, spool: IO[bytes], batch_bytes: int, whole: bool) -> None:
    """Bulk-load the N-Quads of ``spool`` into ``store`` in batches of about ``batch_bytes``,
    whole lines each (``whole``: at once).

    Oxigraph's bulk loader holds about six times the text it is given: at 100k findings
    (541 MB of N-Quads) one call took 1.5 GiB more, 32 MB batches about 200 MiB. Blank
    node labels name one node only within one load, so text with blank nodes is loaded
    at once.
    """
    spool.seek(0)
    if whole:
        store.bulk_load(spool, format=ox.RdfFormat.N_QUADS)
        return
    while batch := spool.read(batch_bytes):
        # N-Quads has one quad per line: a batch ends at the end of a line
        batch += spool.readline()
        store.bulk_load(batch, format=ox.RdfFormat.N_QUADS)
        del batch  # freed before the next read: one batch in memory at a time


def check_quads(spool: IO[bytes], meta_graph: str, keep: bool) -> set[ox.Quad]:
    """The quads in ``spool`` (when ``keep``); the errors of :func:`parse_nquads` if bad."""
    quads: set[ox.Quad] = set()
    meta = ox.NamedNode(meta_graph)
    spool.seek(0)
    try:
        for quad in ox.parse(spool, format=ox.RdfFormat.N_QUADS):
            graph = quad.graph_name
            if graph == meta or not isinstance(graph, ox.NamedNode):
                break
            if keep:
                quads.add(quad)
        else:
            return quads
    except SyntaxError:
        pass
    spool.seek(0)
    # rare: read the text back only to name the problem exactly as parse_nquads does
    parse_nquads(spool.read().decode("utf-8", errors="replace"), meta_graph)
    raise StoreError("the N-Quads were refused")  # not reached: parse_nquads raised


def _collect(result: Any, deadline: float, timeout: float, limit: int) -> Answer:
    if isinstance(result, ox.QueryBoolean):
        return Answer("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = []
        for count, solution in enumerate(result, start=1):
            check_deadline(count, deadline, timeout)
            if count > limit:
                raise limit_error(limit)
            rows.append({v: solution[v] for v in variables if solution[v] is not None})
        return Answer("select", variables, rows)
    triples: dict[ox.Triple, None] = {}
    for count, triple in enumerate(result, start=1):
        check_deadline(count, deadline, timeout)
        triples[triple] = None
        if len(triples) > limit:
            raise limit_error(limit, "triples")
    return Answer("graph", triples=list(triples))


def syntax_message(text: str) -> str:
    """Oxigraph's parse error (``error at 3:14: expected ...``) as a short message.

    Examples
    --------
    >>> syntax_message('error at 1:25: expected one of "$", "(", FILTER')
    'malformed SPARQL at line 1, column 25: expected one of "$", "(", FILTER'
    """
    head, _, rest = text.partition(": ")
    place = head.removeprefix("error at ").split(":")
    if len(place) == 2 and all(p.isdigit() for p in place) and rest:
        where = f"line {place[0]}, column {place[1]}"
        rest = " ".join(rest.split())
        return f"malformed SPARQL at {where}: {rest[:300]}{'...' if len(rest) > 300 else ''}"
    return f"Oxigraph could not parse the query: {text[:300]}"


def stale_ops(old_quads: set[ox.Quad], new_quads: set[ox.Quad]) -> list[str]:
    """Update operations removing the old quads that are not in the new data."""
    new_graphs = {q.graph_name for q in new_quads}
    stale: dict[ox.NamedNode, list[ox.Quad]] = {}
    for quad in old_quads - new_quads:
        stale.setdefault(quad.graph_name, []).append(quad)
    ops = []
    refill: dict[str, list[ox.Triple]] = {}
    for graph, quads in stale.items():
        if graph not in new_graphs:
            ops.append(f"DROP SILENT GRAPH {graph}")
        elif any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
            # DELETE DATA takes no blank nodes: the graph is dropped and written again
            ops.append(f"DROP SILENT GRAPH {graph}")
            refill[graph.value] = [q.triple for q in new_quads if q.graph_name == graph]
        else:
            ops.append(delete_data({graph.value: [q.triple for q in quads]}))
    if refill:
        ops.append(insert_data(refill))
    return ops


def delete_data(quads_by_graph: dict[str, list[ox.Triple]]) -> str:
    """Return one ``DELETE DATA`` operation for the given triples per graph ('' if none).

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.Literal("x"))
    >>> delete_data({"http://a/g": [t]}).split("{")[0]
    'DELETE DATA '
    """
    return insert_data(quads_by_graph).replace("INSERT DATA", "DELETE DATA", 1)
