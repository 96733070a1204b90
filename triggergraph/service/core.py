"""EvidenceService: the store and the in-memory index kept in step, reads, writes and polling."""

from __future__ import annotations

import csv
import io
import logging
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ..answers.queries import (
    ENGLISH,
    ConstructsQuery,
    FactorsQuery,
    FindingsQuery,
    LangQuery,
    MatrixQuery,
    ProfileQuery,
    SourcesQuery,
)
from ..constructs import list_constructs
from ..exceptions import (
    EntryError,
    Problem,
    QueryError,
    QueryTimeoutError,
    StoreError,
    TriggergraphError,
)
from ..index import EvidenceIndex
from ..loader import literature_hash, load_literature
from ..query import run_query
from ..rdf import build_dataset, canonical_source, serialize_dataset
from ..sparql import PoolLimits, QueryPool, service_description
from ..store import open_store, precheck
from ..store.base import GRAPH_FORMATS, SELECT_FORMATS, QueryDataset
from ..store.oxigraph import OxigraphStore
from ..timeline import ReleaseLog, ReleaseReader, factor_history
from ..vocabulary import load_vocabulary, suggest
from .curation import Curation
from .drafting import Drafting
from .formats import EXPORT_FORMATS, api_matrix, negotiate
from .linked_data import LinkedData
from .literature import (
    LITERATURE_GRAPH,
    bookkeeping_nquads,
    dataset_chunks,
    duplicate_findings,
    entry_hash,
    graph_source_id,
    literature_ids,
    literature_stamp,
    read_source_graphs,
    read_store_sources,
)
from .process import release_free_memory, trim_heap
from .proposals import ConstructProposals
from .watch import FolderWatcher
from .writes import SourceWrites

LOG = logging.getLogger("triggergraph")

#: Bound on remembered hot answers per index, so odd filter combinations cannot grow memory.
MAX_HOT_ANSWERS = 2048
#: seconds between full scans of literature/ while file-system notifications cover the rest
FULL_SCAN_S = 60.0

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Source
    from ..store.base import Store
    from ..vocabulary import Vocabulary


class EvidenceService(LinkedData, Curation, SourceWrites, Drafting, ConstructProposals):
    """The store plus the read index, kept in step; what ``api/`` and the CLI call.

    Build with :meth:`open`. Reads answer from the in-memory :class:`EvidenceIndex` and first
    call :meth:`ensure_fresh`; writes validate, write one named graph atomically, and rebuild
    the index.
    """

    def __init__(self, settings: Settings, store: Store, vocabulary: Vocabulary):
        self.settings = settings
        self.store = store
        self.vocabulary = vocabulary
        self._write_lock = threading.RLock()
        self._refresh_lock = threading.Lock()
        self._sources: dict[str, Source] = {}
        self._finding_owner: dict[str, str] = {}
        # versions waiting for review, deleted source ids, and the revisions of their graphs
        self._proposed: dict[str, Source] = {}
        self._tombstones: set[str] = set()
        self._curation_revisions: dict[str, str] = {}
        # (public, proposed, last public) revision of each source written by this process
        self._heads: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._index: EvidenceIndex = EvidenceIndex.build([], vocabulary, "")
        self._version = ""
        self._stale = False
        self._store_counts: tuple[str, dict[str, int]] = ("", {})
        self._store_error: str | None = None
        self._last_check = 0.0
        self._literature_problems: list[Problem] = []
        # problems of source graphs that could not be read back, by source id
        self._read_problems: dict[str, Problem] = {}
        # source graph revisions the index reflects (None: unknown, read everything)
        self._revisions: dict[str, str] | None = None
        self._literature_revision: str | None = None
        self._seen_literature_hash: str | None = None
        self._seen_stamp: tuple | None = None
        self._literature_ids: set[str] = set()
        self._refresher: threading.Thread | None = None
        # tells the background refresh when literature/ may have changed (no scan each round)
        self._watcher = FolderWatcher(Path(settings.literature_dir))
        self._hot: tuple[EvidenceIndex, dict[tuple, bytes]] = (self._index, {})
        self._stop_refresher = threading.Event()
        self._pool: QueryPool | None = None
        self._pool_lock = threading.Lock()
        self._base_warned = False
        self._releases = ReleaseReader(Path(settings.release_dir))

    # ---- life cycle ------------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings) -> EvidenceService:
        """Open the store, load ``literature/`` when it is new or changed, and build the index.

        Parameters
        ----------
        settings : Settings
            Backend, paths, base IRI and limits.

        Returns
        -------
        EvidenceService
            Ready to answer; literature problems, if any, are in :meth:`health`.
        """
        vocabulary = load_vocabulary(settings.ontology_dir, settings.base_iri)
        store = open_store(settings)
        service = cls(settings, store, vocabulary)
        try:
            # a fresh load installs the index from the models it just wrote; only a store
            # kept as it is (restart) is read back
            if not service.sync_literature():
                service.reload()
            release_free_memory()
        except BaseException:
            store.close()
            raise
        return service

    def close(self) -> None:
        """Stop the background refresh (if started) and the query workers; release the store."""
        self.stop_refresher()
        if self._pool is not None:
            self._pool.close()
        self.store.close()

    # ---- background refresh -------------------------------------------------------------
    def start_refresher(self) -> bool:
        """Re-check literature and store version from a daemon thread, off the request path.

        Every ``version_check_interval_s`` the thread runs :meth:`refresh`; reads then only
        take the current index reference. With an interval of 0 ("check on every request")
        no thread is started and reads check inline, as without a refresher.

        Returns
        -------
        bool
            True when a thread is running after the call.
        """
        if self.settings.version_check_interval_s <= 0:
            return False
        if self._refresher is None or not self._refresher.is_alive():
            self._stop_refresher.clear()
            self._watcher.start()
            self._refresher = threading.Thread(
                target=self._refresh_loop, name="triggergraph-refresh", daemon=True
            )
            self._refresher.start()
        return True

    def stop_refresher(self, timeout_s: float = 10.0) -> None:
        """Stop the refresh thread and wait for a refresh in progress to end."""
        thread, self._refresher = self._refresher, None
        self._stop_refresher.set()
        self._watcher.stop()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)

    def _refresh_loop(self) -> None:
        scanned = time.monotonic()
        while not self._stop_refresher.wait(self.settings.version_check_interval_s):
            # literature/ is scanned when a notification says it changed, and once a minute
            # in case one was missed; the store's version is asked every round
            full = time.monotonic() - scanned >= FULL_SCAN_S
            if full:
                scanned = time.monotonic()
            try:
                self.refresh(full=full)
            except Exception as error:  # noqa: BLE001 - the thread must outlive any one failure
                self._stale, self._store_error = True, f"{type(error).__name__}: {error}"
            # off the request path, once per interval: what writes and re-serialised answers
            # freed since the last round goes back to the OS
            trim_heap()

    def refresh(self, full: bool = True) -> EvidenceIndex:
        """Re-check literature and store version now; return the (possibly new) index.

        When the store cannot be reached the last index is kept and ``stale`` is set. With
        ``full=False`` literature/ is only read when its watcher saw a change.
        """
        with self._refresh_lock:
            self._last_check = time.monotonic()
            try:
                self.sync_literature(full=full)
                if self.store.version() != self._version:
                    self.reload()
                self._stale, self._store_error = False, None
            except StoreError as error:
                self._stale, self._store_error = True, str(error)
        return self._index

    def current_index(self) -> EvidenceIndex:
        """The index for a hot read: the reference alone while the refresher runs."""
        if self._refresher is not None:
            return self._index
        return self.ensure_fresh()

    @property
    def index(self) -> EvidenceIndex:
        """The current read model (fresh as of the last :meth:`ensure_fresh`)."""
        return self._index

    @property
    def sources_by_id(self) -> dict[str, Source]:
        """The sources the index was built from, by id."""
        return dict(self._sources)

    # ---- literature -----------------------------------------------------------------------
    def sync_literature(self, full: bool = True) -> bool:
        """Load ``literature/`` into the store when its hash differs from the store's.

        Parameters
        ----------
        full : bool
            False: skip the folder unless its watcher saw a change since the last look (the
            background refresh); True: compare the files' names, sizes and times.

        Returns
        -------
        bool
            True when the store was replaced.
        """
        directory = Path(self.settings.literature_dir)
        if not full and self._seen_stamp is not None and not self._watcher.may_have_changed():
            return False
        self._watcher.take_change()
        try:
            # names, sizes and times first: hashing every file is only needed on a change
            stamp = literature_stamp(directory)
            if stamp == self._seen_stamp and self._seen_literature_hash is not None:
                return False
            current = literature_hash(directory)
        except (OSError, TriggergraphError) as error:
            self._literature_problems = [
                Problem(str(directory), None, "", f"cannot read literature: {error}")
            ]
            self._watcher.recheck()
            return False
        if current == self._seen_literature_hash:
            self._seen_stamp = stamp
            return False
        with self._write_lock:
            stored_hash = self.store.content_hash()
            self._literature_ids = literature_ids(self.store)
            if current == stored_hash and self.store.graph_names():
                self._seen_literature_hash = current
                self._seen_stamp = stamp
                self._literature_problems = []
                return False
            try:
                # pydantic validates every entry here; SHACL over the whole literature is
                # left to `triggergraph validate` and the tests (see the package docstring)
                literature = load_literature(directory, self.vocabulary)
                # in the order reading the store back gives (the index is built from these);
                # replaced one by one so two copies of a large literature never coexist
                for number, source in enumerate(literature):
                    literature[number] = canonical_source(source, self.vocabulary)
                stored = self._stored_sources()
                chosen, records = self._literature_to_load(literature, stored)
                new_ids = {s.id for s in chosen}
                kept = [
                    s
                    for ident, s in stored.items()
                    if ident not in new_ids and ident not in self._literature_ids
                ]
                problems = duplicate_findings(chosen + kept)
                if problems:
                    raise EntryError(problems)
            except EntryError as error:
                self._literature_problems = list(error.problems)
                self._seen_literature_hash = current
                self._seen_stamp = stamp
                return False
            except OSError as error:
                # a file removed or rewritten while being read: try again at the next check
                self._literature_problems = [
                    Problem(str(directory), None, "", f"cannot read literature: {error}")
                ]
                self._watcher.recheck()
                return False
            everything = sorted(chosen + kept, key=lambda s: s.id)
            hashes = {s.id: entry_hash(s) for s in literature if s.id in new_ids}
            chunks = dataset_chunks(
                everything, self.vocabulary, hashes, bookkeeping_nquads(self.store) + records
            )
            if isinstance(self.store, OxigraphStore):
                # pieces spooled to disk: the whole N-Quads text is never in memory at once
                version = self.store.replace_all_chunks(chunks, content_hash=current)
            else:
                version = self.store.replace_all("".join(chunks), content_hash=current)
            self._literature_ids = new_ids
            self._seen_literature_hash = current
            self._seen_stamp = stamp
            self._literature_problems = []
            # the index comes from the models just written, in the order reading the store
            # back would give them, instead of a full read-back
            self._install({s.id: s for s in everything}, version)
            self._read_problems = {}
            # every graph now carries the version of this load; read back on the next change
            self._revisions = {s.id: version for s in everything}
            self._literature_revision = version
            self._sync_curation(self.store.graph_versions()[1])
            self._heads = {}
            return True

    def _stored_sources(self) -> dict[str, Source]:
        """The store's sources: the index's own when it is at the store's version."""
        if self._version and self.store.version() == self._version:
            return dict(self._sources)
        stored, _ = read_store_sources(self.store, self.vocabulary)
        return stored

    # ---- index ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Bring the index up to the store, reading back only the source graphs that changed.

        The store keeps a revision per graph (:meth:`Store.graph_versions`): one small read
        says which graphs another process wrote or removed since the index was built, and
        only those are read and applied (:meth:`EvidenceIndex.updated`). The first time, or
        when the store has graphs without a revision (written before revisions were kept),
        every graph is read and the index built anew.
        """
        with self._write_lock:
            self._heads = {}  # another process may have written a history: read it again
            version, revisions = self.store.graph_versions()
            base = self.store.base_iri
            by_source = {
                ident: revision
                for graph, revision in revisions.items()
                if (ident := graph_source_id(base, graph)) is not None
            }
            literature_revision = revisions.get(base + LITERATURE_GRAPH)
            if literature_revision is None or literature_revision != self._literature_revision:
                self._literature_ids = literature_ids(self.store)
                self._literature_revision = literature_revision
            self._sync_curation(revisions)
            if self._revisions is None:
                self._read_everything(version, by_source)
                return
            changed = sorted(i for i, rev in by_source.items() if self._revisions.get(i) != rev)
            changes: dict[str, Source | None] = {
                i: None for i in self._revisions if i not in by_source
            }
            read, problems = read_source_graphs(self.store, self.vocabulary, changed)
            changes.update(read)
            for ident in changes:
                self._read_problems.pop(ident, None)
            self._read_problems.update(problems)
            changes = {i: s for i, s in changes.items() if s is not None or i in self._sources}
            if changes or version != self._version:
                self._apply(changes, version)
            self._revisions = by_source

    def _read_everything(self, version: str, by_source: dict[str, str]) -> None:
        sources, problems = read_store_sources(self.store, self.vocabulary)
        self._install(sources, version)
        self._read_problems = {
            graph_source_id(self.store.base_iri, p.file or "") or (p.file or ""): p
            for p in problems
        }
        # a graph without a revision (a store from before revisions were kept, or one written
        # between the two reads) means the next reload must read everything again
        complete = set(sources) | set(self._read_problems) <= set(by_source)
        self._revisions = dict(by_source) if complete else None

    def _install(self, sources: dict[str, Source], version: str) -> None:
        index = EvidenceIndex.build(list(sources.values()), self.vocabulary, version)
        owner = {f.id: s.id for s in sources.values() for f in s.findings}
        self._swap(sources, owner, index, version)

    def _apply(self, changes: dict[str, Source | None], version: str) -> None:
        """Install the index with ``changes`` (id -> new source, or None when removed) applied,
        recomputing only what those sources reach (:meth:`EvidenceIndex.updated`)."""
        sources = dict(self._sources)
        owner = dict(self._finding_owner)
        added = False
        for ident, source in changes.items():
            old = sources.pop(ident, None) if source is None else sources.get(ident)
            for finding in old.findings if old is not None else ():
                owner.pop(finding.id, None)
            if source is not None:
                # a replaced source keeps its place; only a new id needs the order rebuilt
                added = added or old is None
                sources[ident] = source
                owner.update((finding.id, ident) for finding in source.findings)
        index = self._index.updated(changes, version)
        self._swap(dict(sorted(sources.items())) if added else sources, owner, index, version)

    def _swap(
        self, sources: dict[str, Source], owner: dict[str, str], index: EvidenceIndex, version: str
    ) -> None:
        # one reference swap each, so readers in other threads see either old or new;
        # the hot answers are remembered per index, so a new index starts with none
        self._hot = (index, {})
        self._sources, self._finding_owner, self._index, self._version = (
            sources,
            owner,
            index,
            version,
        )

    def ensure_fresh(self) -> EvidenceIndex:
        """Re-check literature and store version (at most once per interval); return the index.

        While the background refresher runs (:meth:`start_refresher`) this only returns the
        current index. When the store cannot be reached the last index is returned and
        ``stale`` is set.
        """
        if self._refresher is not None:
            return self._index
        now = time.monotonic()
        if now - self._last_check < self.settings.version_check_interval_s:
            return self._index
        if self._refresh_lock.locked():
            return self._index  # another thread is refreshing; serve what we have
        return self.refresh()

    # ---- reads ----------------------------------------------------------------------------
    def health(self, served_at: str | None = None) -> dict[str, Any]:
        """Backend, base IRI, data version, counts, the stale flag and literature problems.

        Parameters
        ----------
        served_at : str, optional
            The address the request reached (``http://host:port/``). When the base IRI was
            left at its default and differs from it, the minted IRIs do not dereference on
            this server: ``base_iri_problem`` says so (and the log, once).
        """
        index = self.ensure_fresh()
        # counted once per data version: a health check polled many times a second must
        # not make the store count every finding each time
        counted_at, counts = self._store_counts
        if counted_at != index.version or not counts:
            counts = {}
            try:
                rows = run_query(self.store, "counts", timeout_s=self.settings.sparql_timeout_s)
                row = rows.rows[0] if rows.rows else {}
                counts = {k: int(v) for k, v in row.items() if v is not None}
                self._store_counts = (index.version, counts)
            except QueryTimeoutError:
                pass  # the store answers but is busy: health stays up, without counts this time
            except StoreError as error:
                self._stale, self._store_error = True, str(error)
        problems = self._literature_problems + list(self._read_problems.values())
        base = self.settings.base_iri
        base_problem = None
        if served_at and self.settings.base_iri_is_default and served_at.rstrip("/") + "/" != base:
            base_problem = (
                f"the IRIs are minted under the default base {base}, but this server answers at "
                f"{served_at}; set TRIGGERGRAPH_BASE_IRI to the address clients use"
            )
            if not self._base_warned:
                self._base_warned = True
                LOG.warning(base_problem)
        return {
            "status": "degraded" if (self._stale or problems) else "ok",
            "backend": self.store.backend,
            "base_iri": base,
            "base_iri_problem": base_problem,
            "version": self._version,
            "stale": self._stale,
            "store_error": self._store_error,
            "index": index.health(),
            "store_counts": counts,
            "sources_from_literature": len(self._literature_ids & set(self._sources)),
            "sources_added": len(set(self._sources) - self._literature_ids),
            "literature_problems": [p.as_dict() for p in problems],
        }

    # ---- hot answers: pre-serialised JSON bytes ---------------------------------------------
    def cached_answer(self, kind: str, query: Hashable) -> bytes | None:
        """A hot answer already serialised for the current index, or None.

        Lets an ``async`` route answer without a worker-thread hop: on None it calls the
        ``*_json`` method (``factors``, ``factor``, ``matrix``, ``profile``) in a worker
        thread, which computes, remembers and returns the bytes. Always None while no
        refresher runs, because reads must then check freshness first.

        Parameters
        ----------
        kind : str
            ``factors``, ``factor``, ``matrix`` or ``profile``.
        query : hashable
            The route's typed query (a frozen :mod:`~triggergraph.answers.queries` object);
            for ``factor`` the pair ``(factor id, LangQuery)``.
        """
        if self._refresher is None:
            return None
        index, answers = self._hot
        if index is not self._index:
            return None
        return answers.get((kind, query))

    def _hot_answer(
        self, kind: str, query: Hashable, make: Callable[[EvidenceIndex], bytes]
    ) -> bytes:
        """The answer for the current index: remembered bytes, or ``make(index)`` remembered."""
        index = self.current_index()
        key = (kind, query)
        hot_index, answers = self._hot
        if hot_index is index:
            found = answers.get(key)
            if found is not None:
                return found
        body = make(index)
        if hot_index is index and len(answers) < MAX_HOT_ANSWERS:
            answers[key] = body
        return body

    def factors_json(self, query: FactorsQuery) -> bytes:
        """Paged trigger factors as JSON bytes (see :meth:`EvidenceIndex.factors`)."""
        return self._hot_answer("factors", query, lambda index: index.factors_json(query))

    def factor_json(self, ident: str, query: LangQuery) -> bytes:
        """One factor as JSON bytes."""
        return self._hot_answer(
            "factor", (ident, query), lambda index: index.factor_json(ident, query.lang)
        )

    def release_log(self) -> ReleaseLog:
        """The dated releases in ``settings.release_dir``, oldest first (empty when none)."""
        return self._releases.log()

    def factor_history(self, ident: str, query: LangQuery = ENGLISH) -> dict:
        """One factor's cells with their verdicts across the releases (see :mod:`.timeline`)."""
        factor = self.ensure_fresh().factor(ident, query.lang)
        return factor_history(factor, self.release_log(), query.lang)

    def page(
        self, build: Callable[..., Any], lang: str, params: dict[str, str], **kwargs: Any
    ) -> Any:
        """A human page's view model, built once per index (data version), language and
        parameters.

        Parameters
        ----------
        build : callable
            A page builder of the viewer, ``build(index, lang=, params=, **kwargs)``.
        lang, params, kwargs
            Passed on unchanged; together with ``build`` they are the key of the page.

        Returns
        -------
        object
            What ``build`` returns; a bad parameter raises as ``build`` does and is not
            remembered.
        """
        key = (lang, tuple(sorted(params.items())), tuple(sorted(kwargs.items())))
        return self._hot_answer(
            f"page:{build.__name__}",
            key,
            lambda index: build(index, lang=lang, params=params, **kwargs),
        )

    def constructs(self, query: ConstructsQuery) -> dict:
        """Constructs with labels, definitions and mappings, searched in Dutch and English."""
        return list_constructs(self.vocabulary, query.q, query.lang, query.offset, query.limit)

    def construct(self, ident: str, query: LangQuery = ENGLISH) -> dict:
        """One construct with its mappings and the findings coded on it."""
        return self.ensure_fresh().construct(ident, query.lang)

    def drivers(self, query: LangQuery = ENGLISH) -> dict:
        """The four drivers, all in one page (``total`` = number of items)."""
        answer = self.ensure_fresh().drivers(query.lang)
        return {"total": len(answer.get("items", [])), **answer}

    def driver(self, ident: str, query: LangQuery = ENGLISH) -> dict:
        """One driver with its factors ranked."""
        return self.ensure_fresh().driver(ident, query.lang)

    def demographics(self, query: LangQuery = ENGLISH) -> dict:
        """Demographic dimensions and their values, all in one page (``total`` = dimensions)."""
        answer = self.ensure_fresh().demographics(query.lang)
        return {"total": len(answer.get("dimensions", [])), **answer}

    def findings(self, query: FindingsQuery) -> dict:
        """Paged findings (see :meth:`EvidenceIndex.findings`)."""
        return self.ensure_fresh().findings(query)

    def finding(self, ident: str, query: LangQuery = ENGLISH) -> dict:
        """One finding."""
        return self.ensure_fresh().finding(ident, query.lang)

    def sources(self, query: SourcesQuery) -> dict:
        """Paged sources."""
        return self.ensure_fresh().sources(query)

    def source(self, ident: str) -> dict:
        """One source."""
        return self.ensure_fresh().source(ident)

    def matrix_json(self, query: MatrixQuery) -> bytes:
        """The evidence matrix as JSON bytes, computed once per index and filter set.

        Each cell lists its counted findings as ``{id, direct}`` only: the full finding is
        one ``/api/v1/findings/{id}`` away, and repeating it in every cell made the answer
        grow with the evidence base (1.7 MB at 10k findings).
        """
        return self._hot_answer(
            "matrix", query, lambda index: orjson.dumps(api_matrix(index.matrix(query)))
        )

    def gaps(self, query: LangQuery = ENGLISH) -> dict:
        """Empty, indirect-only and contested cells."""
        return self.ensure_fresh().gaps(query.lang)

    def profile_json(self, query: ProfileQuery) -> bytes:
        """Factors ranked for a profile, with the notice, as JSON bytes."""
        return self._hot_answer("profile", query, lambda index: index.profile_json(query))

    def export(self, fmt: str) -> tuple[bytes, str, str]:
        """The whole evidence base as a file: ``(body, media type, file name)``.

        Parameters
        ----------
        fmt : str
            ``trig``, ``nquads``, ``turtle``, ``jsonld`` or ``csv`` (the findings table).
            ``graphml`` is written by :mod:`triggergraph.graph`, a layer above this one.
        """
        if fmt not in EXPORT_FORMATS or fmt == "graphml":
            choices = [f for f in EXPORT_FORMATS if f != "graphml"]
            raise EntryError(
                [
                    Problem(
                        None,
                        None,
                        "format",
                        f"{fmt!r} is not an export format; valid: {', '.join(choices)}",
                        tuple(suggest(fmt, choices)),
                    )
                ]
            )
        self.ensure_fresh()
        media_type, extension = EXPORT_FORMATS[fmt]
        if fmt == "csv":
            body = self._findings_csv()
        else:
            dataset = build_dataset(list(self._sources.values()), self.vocabulary)
            body = serialize_dataset(dataset, fmt)
            if isinstance(body, str):
                body = body.encode("utf-8")
        return body, media_type, f"triggergraph.{extension}"

    def _findings_csv(self) -> bytes:
        result = run_query(self.store, "findings_csv", timeout_s=self.settings.sparql_timeout_s)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if row.get(v) is None else row[v] for v in result.variables])
        return out.getvalue().encode("utf-8")

    # ---- SPARQL and Linked Data ---------------------------------------------------------
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
