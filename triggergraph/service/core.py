"""EvidenceService: the store and the in-memory read model kept in step; its life cycle and polling."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import Problem, StoreError
from ..readmodel import EvidenceIndex
from ..sparql import QueryPool
from ..store import open_store
from ..timeline import ReleaseReader
from ..vocabulary import load_vocabulary
from .client_sparql import ClientSparql
from .coding import Coding
from .curation import Curation
from .drafting import Drafting
from .linked_data import LinkedData
from .literature import (
    LITERATURE_GRAPH,
    graph_source_id,
    literature_ids,
    read_source_graphs,
    read_store_sources,
)
from .persist import PersistedReadModel
from .process import release_free_memory, trim_heap
from .proposals import ConstructProposals
from .reads import Reads
from .releases import Releases
from .sync import LiteratureSync
from .warming import Activity, Warming
from .watch import FolderWatcher
from .writes import SourceWrites

LOG = logging.getLogger("triggergraph")
#: seconds between full scans of literature/ while file-system notifications cover the rest
FULL_SCAN_S = 60.0

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Source
    from ..store.base import Store
    from ..vocabulary import Vocabulary


class EvidenceService(
    Reads,
    LiteratureSync,
    ClientSparql,
    LinkedData,
    Curation,
    Coding,
    SourceWrites,
    Drafting,
    ConstructProposals,
    Releases,
    PersistedReadModel,
    Warming,
):
    """The store plus the read index, kept in step; what ``api/`` and the CLI call.

    Build with :meth:`open`. Reads (:class:`~triggergraph.service.reads.Reads`) answer from
    the in-memory :class:`EvidenceIndex` and first call :meth:`ensure_fresh`; writes validate,
    write one named graph atomically, and make the next index.
    """

    def __init__(self, settings: Settings, store: Store, vocabulary: Vocabulary):
        self.settings = settings
        self.store = store
        self.vocabulary = vocabulary
        self._write_lock = threading.RLock()
        self._refresh_lock = threading.Lock()
        self._sources: dict[str, Source] = {}
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
        self._init_saved_read_model()
        # run for every new index off the request path (the app warms its factor lists and map)
        self._warmers: list[Callable[[EvidenceIndex], None]] = []
        self.activity = Activity()
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
            if service.restored.how in ("saved", "caught_up"):
                trim_heap()  # unpickling leaves no cycles: a full collection would only walk it
            else:
                release_free_memory()
        except BaseException:
            store.close()
            raise
        return service

    def close(self) -> None:
        """Stop the background refresh (if started) and the query workers; release the store."""
        self.stop_refresher()
        self._close_saved_read_model()
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
            self._refresher = threading.Thread(
                target=self._refresh_loop, name="triggergraph-refresh", daemon=True
            )
            self._refresher.start()
        return True

    def stop_refresher(self, timeout_s: float = 10.0) -> None:
        """Stop the refresh thread and wait for a refresh in progress to end."""
        thread, self._refresher = self._refresher, None
        self._stop_refresher.set()
        # the refresh thread starts the watch: it has ended (or will not start it) before the
        # watch is stopped
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)
        self._watcher.stop()

    def _refresh_loop(self) -> None:
        scanned = time.monotonic()
        watch_started = False
        while not self._stop_refresher.wait(self.settings.version_check_interval_s):
            if not watch_started:
                # the watch starts with the first round, not at start-up: importing watchfiles
                # (and multiprocessing with it) made the first answer about 50 ms later; until
                # the watch is in place each round compares the folder's stamp, as before
                self._watcher.start()
                watch_started = True
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
            if self._revisions is None and not self._restore_read_model(by_source):
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
        self._swap(sources, index, version)

    def _apply(self, changes: dict[str, Source | None], version: str) -> None:
        """Install the index with ``changes`` (id -> new source, or None when removed) applied,
        recomputing only what those sources reach (:meth:`EvidenceIndex.updated`)."""
        sources = dict(self._sources)
        added = False
        for ident, source in changes.items():
            old = sources.pop(ident, None) if source is None else sources.get(ident)
            if source is not None:
                # a replaced source keeps its place; only a new id needs the order rebuilt
                added = added or old is None
                sources[ident] = source
        index = self._index.updated(changes, version)
        self._swap(dict(sorted(sources.items())) if added else sources, index, version)

    def _swap(self, sources: dict[str, Source], index: EvidenceIndex, version: str) -> None:
        # one reference swap each, so readers in other threads see either old or new;
        # the hot answers are remembered per index, so a new index starts with none; which
        # source a finding belongs to is the index's findings table
        self._hot = (index, {})
        self._sources, self._index, self._version = sources, index, version
        self._read_model_changed()
        self._start_warming(index)

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
