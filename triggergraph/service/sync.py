"""Literature sync: ``literature/`` loaded into the store when its files change, the index made from what was written."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import EntryError, Problem, TriggergraphError
from ..loader import literature_hash, load_literature
from ..rdf import canonical_source
from ..store.oxigraph import OxigraphStore
from .literature import (
    bookkeeping_nquads,
    dataset_chunks,
    duplicate_findings,
    entry_hash,
    literature_ids,
    literature_stamp,
    read_store_sources,
)
from .stamp_memo import STAMP_MEMO, remember_hash, remembered_hash

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Source
    from ..store.base import Store
    from ..vocabulary import Vocabulary
    from .watch import FolderWatcher


class LiteratureSync:
    """How :class:`~triggergraph.service.EvidenceService` keeps the store in step with
    ``literature/``: the files are compared by names, sizes and times, hashed on a change, and
    loaded as one store write; proposed versions and deletions (:mod:`.curation`) and the
    bookkeeping graphs are carried over."""

    settings: Settings
    store: Store
    vocabulary: Vocabulary
    _watcher: FolderWatcher
    _write_lock: threading.RLock
    _version: str
    _sources: dict[str, Source]
    _saved_path: Path | None

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
            # a start after an unchanged folder takes the hash from the memo beside the saved
            # read model instead of reading every file
            memo = self._saved_path.with_name(STAMP_MEMO) if self._saved_path else None
            current = remembered_hash(memo, directory, stamp)
            if current is None:
                current = literature_hash(directory)
                remember_hash(memo, directory, stamp, current)
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
            if current == stored_hash and self.store.graph_names():
                self._seen_literature_hash = current
                self._seen_stamp = stamp
                self._literature_problems = []
                # the ids of the loaded sources are left to reload(), which reads them again
                # whenever the literature graph's revision moved (at start it always does)
                return False
            self._literature_ids = literature_ids(self.store)
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
