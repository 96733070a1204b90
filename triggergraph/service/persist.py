"""The read model saved next to the store: restored at start when its stamps match, saved after writes."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import SnapshotError
from ..snapshot import Snapshot, load_snapshot, save_snapshot, vocabulary_stamp

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Source
    from ..readmodel import EvidenceIndex
    from ..vocabulary import Vocabulary

LOG = logging.getLogger("triggergraph")

#: File name of the saved read model inside an embedded store's folder.
SAVED_READ_MODEL = "read-model.tgrm"
#: Above this share of graphs moved since the save, reading everything is cheaper than
#: reading them one by one and patching.
MAX_MOVED_SHARE = 0.5


def read_model_path(settings: Settings) -> Path | None:
    """Where the read model is saved, or None when it is not.

    ``read_model_path`` when set; otherwise inside the embedded store's folder. A memory store
    forgets everything at exit, and a remote store has no folder of ours: neither saves
    unless a path is given (a memory store never).

    Examples
    --------
    >>> from triggergraph.config import Settings
    >>> read_model_path(Settings(store="oxigraph", store_path="/srv/store")).as_posix()
    '/srv/store/read-model.tgrm'
    >>> read_model_path(Settings(store="memory")) is None
    True
    """
    if not settings.save_read_model or settings.store == "memory":
        return None
    if settings.read_model_path is not None:
        return Path(settings.read_model_path)
    if settings.store == "oxigraph":
        return Path(settings.store_path) / SAVED_READ_MODEL
    return None


@dataclass(frozen=True)
class Restored:
    """How the read model was made at start: ``saved`` (as saved), ``caught_up`` (saved, then
    ``moved`` graphs read again), ``rebuilt`` (read from the store; ``reason`` says why) or
    ``loaded`` (built from literature files just written to the store)."""

    how: str
    reason: str = ""
    moved: int = 0


class DebouncedSaver:
    """Calls ``save`` from a daemon thread once no :meth:`schedule` came for ``delay_s``.

    Many writes in a row make one save; :meth:`flush` saves what is pending at once (at
    close). A failing save is logged and left for the next change.
    """

    def __init__(self, save: Callable[[], None], delay_s: float):
        self._save = save
        self._delay_s = delay_s
        self._due: float | None = None
        self._lock = threading.Lock()
        self._saving = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def schedule(self) -> None:
        """Ask for a save ``delay_s`` from now (later asks move it on)."""
        with self._lock:
            if self._stopped:
                return
            self._due = time.monotonic() + self._delay_s
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="triggergraph-save-read-model", daemon=True
                )
                self._thread.start()

    @property
    def pending(self) -> bool:
        """True when a save is asked for and not yet done."""
        return self._due is not None

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._due is None or self._stopped:
                    self._thread = None
                    return
                left = self._due - time.monotonic()
                if left <= 0:
                    self._due = None
            if left > 0:
                # a later schedule only moves the due time on: it is read again on waking
                self._wake.wait(left)
                continue
            self._run_save()

    def _run_save(self) -> None:
        with self._saving:
            try:
                self._save()
            except Exception as error:  # noqa: BLE001 - a failed save only costs the next start
                LOG.warning("could not save the read model: %s: %s", type(error).__name__, error)

    def flush(self) -> None:
        """Save now when a save is pending."""
        with self._lock:
            due, self._due = self._due, None
        if due is not None:
            self._run_save()

    def stop(self, flush: bool = True) -> None:
        """Save what is pending (with ``flush``) and let the thread end."""
        if flush:
            self.flush()
        with self._lock:
            self._stopped, self._due = True, None
            thread = self._thread
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(10.0)


class PersistedReadModel:
    """Mixin of :class:`~triggergraph.service.EvidenceService`: the saved copy of its index.

    Uses the service's ``settings``, ``vocabulary``, ``_write_lock``, ``_index``, ``_version``,
    ``_revisions``, ``_literature_revision``, ``_read_problems`` and ``_swap``.
    """

    settings: Settings
    vocabulary: Vocabulary
    _write_lock: threading.RLock
    _index: EvidenceIndex
    _version: str
    _revisions: dict[str, str] | None
    _literature_revision: str | None
    _read_problems: dict

    if TYPE_CHECKING:

        def _swap(
            self,
            sources: dict[str, Source],
            index: EvidenceIndex,
            version: str,
        ) -> None: ...

    def _init_saved_read_model(self) -> None:
        self._saved_path = read_model_path(self.settings)
        self._saved_version: str | None = None
        self._restore_tried = False
        self.restored = Restored("loaded", "built from the literature files written to the store")
        self._saver = (
            DebouncedSaver(self.save_read_model, self.settings.read_model_save_delay_s)
            if self._saved_path is not None
            else None
        )

    def _vocabulary_stamp(self) -> str:
        stamp = getattr(self, "_vocabulary_stamp_value", None)
        if stamp is None:
            stamp = vocabulary_stamp(self.settings.ontology_dir, self.settings.base_iri)
            self._vocabulary_stamp_value = stamp
        return stamp

    def _read_model_changed(self) -> None:
        """Called on every new index: the saved copy is refreshed a little later."""
        if self._saver is not None:
            self._saver.schedule()

    def save_read_model(self) -> bool:
        """Save the current read model now (atomically); False when there is nothing to save.

        Nothing is saved without a path, while the graph revisions the index reflects are
        unknown, or when the saved copy is already at this data version.
        """
        if self._saved_path is None:
            return False
        with self._write_lock:
            # the references, together: writers replace them, never change them in place
            # (the revisions dict is, so it is copied)
            if self._revisions is None or self._version == self._saved_version:
                return False
            snapshot = Snapshot(
                index=self._index,
                version=self._version,
                revisions=dict(self._revisions),
                literature_revision=self._literature_revision,
                read_problems=dict(self._read_problems),
            )
        started = time.perf_counter()
        size = save_snapshot(self._saved_path, snapshot, self.vocabulary, self._vocabulary_stamp())
        self._saved_version = snapshot.version
        LOG.info(
            "saved the read model at version %s (%d bytes, %.0f ms)",
            snapshot.version,
            size,
            (time.perf_counter() - started) * 1000,
        )
        return True

    def _restore_read_model(self, by_source: dict[str, str]) -> bool:
        """Install the saved read model when it may be used; return True when it was.

        Its stamps and checksum are checked on load (:func:`~triggergraph.snapshot.load_snapshot`).
        Then its graph revisions are compared with the store's (``by_source``): when more than
        half of the graphs moved since the save it is dropped (reading everything is then
        cheaper); otherwise it is installed with the revisions it reflects, and the caller
        reads back and applies only the graphs that moved.
        """
        if self._saved_path is None:
            self.restored = Restored("rebuilt", "no saved read model for this store")
            return False
        if self._restore_tried:
            return False  # only at start: later the index in memory is the better start
        self._restore_tried = True
        try:
            snapshot = load_snapshot(self._saved_path, self.vocabulary, self._vocabulary_stamp())
        except SnapshotError as error:
            self.restored = Restored("rebuilt", error.reason)
            LOG.info("read model rebuilt from the store: %s", error.reason)
            return False
        known = by_source.keys() | snapshot.revisions.keys()
        moved = sum(1 for i in known if by_source.get(i) != snapshot.revisions.get(i))
        if moved > MAX_MOVED_SHARE * max(len(by_source), 1):
            self.restored = Restored(
                "rebuilt", f"{moved} of {len(by_source)} graphs changed since the save", moved
            )
            LOG.info("read model rebuilt from the store: %s", self.restored.reason)
            return False
        index = snapshot.index
        sources = dict(index._sources)
        self._saved_version = snapshot.version
        self._swap(sources, index, snapshot.version)
        self._revisions = dict(snapshot.revisions)
        self._read_problems.update(snapshot.read_problems)
        self.restored = Restored("caught_up" if moved else "saved", "", moved)
        LOG.info("read model restored from %s (%d graphs to read again)", self._saved_path, moved)
        return True

    def _close_saved_read_model(self) -> None:
        if self._saver is not None:
            self._saver.stop(flush=True)
