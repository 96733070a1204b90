"""Atomic changes of a source: one compare-and-set store write with its history record.

Every write is one :meth:`~triggergraph.store.base.Store.write_graphs` call that changes the
source's public graph and/or its proposed graph and tombstone, and adds the change (who, when,
what, why, the revision replaced) to its history graph (:mod:`.history`), so a write and its
record are stored together or not at all. The write is compare-and-set on the source's
graph (its revision, and no other graph holding its findings), so of two writers racing on
one source exactly one wins; an ``If-Match`` precondition is checked the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..exceptions import (
    ConflictError,
    PreconditionFailedError,
    StoreError,
    StoreUnavailableError,
)
from ..models import duplicate_doi_problems, normalise_doi
from ..namespaces import iri_for, source_graph_iri
from ..rdf import source_ntriples
from ..store.base import ABSENT, new_version
from .history import (
    PROPOSED,
    PUBLISHED,
    UNNAMED_AGENT,
    Change,
    History,
    Revision,
    change_ntriples,
    entry_json,
    history_graph_iri,
    loaded_change,
    now_utc,
    proposed_graph_iri,
    proposed_ntriples,
    read_history,
    revision_iri,
    tombstone_graph_iri,
    tombstone_ntriples,
)

if TYPE_CHECKING:
    from ..models import Source

#: Marks a part of the store a change leaves as it is.
KEEP: Any = object()
#: Attempts of an unconditional write that lost a race with another writer.
WRITE_ATTEMPTS = 3


@dataclass
class WriteResult:
    """What a write did: the source id, its IRI, how many findings it has, the new data version."""

    id: str
    iri: str
    findings: int
    version: str
    action: str
    state: str = PUBLISHED
    change: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "iri": self.iri,
            "findings": self.findings,
            "version": self.version,
            "action": self.action,
            "state": self.state,
            "change": self.change,
        }


class ChangeWriter:
    """The atomic change of one source and its record; base of :class:`SourceWrites`.

    Uses the service's ``settings``, ``store``, ``vocabulary``, ``_sources``, ``_proposed``,
    ``_tombstones``, ``_index``, ``_revisions``, ``_curation_revisions``, ``_heads``,
    ``_version``, ``_write_lock``, ``reload`` and ``_apply``.
    """

    def _check_unique(self, source: Source) -> None:
        """Finding ids and the DOI must not belong to another source, public or proposed.

        The public sources are looked up in the index (findings by id, sources by DOI), so
        the check costs the entry's findings, not the evidence base.
        """
        public = self._index.findings
        pending = {f.id: ident for ident, p in self._proposed.items() for f in p.findings}
        for finding in source.findings:
            owner = pending.get(finding.id)
            if owner is None and finding.id in public:
                owner = public[finding.id][1].id
            if owner is not None and owner != source.id:
                raise ConflictError(
                    f"finding id {finding.id!r} is already used by source {owner!r}; "
                    "finding ids must be unique across all sources"
                )
        if not source.doi:
            return
        same_doi = self._index.doi_owners.get(normalise_doi(source.doi), ())
        others = [self._index.sources[i] for i in same_doi if i != source.id]
        others += [s for s in self._proposed.values() if s.id != source.id]
        problems = duplicate_doi_problems([source], others, where="<request body>")
        if problems:
            raise ConflictError(problems[0].message)

    def _sync_for_write(self) -> None:
        """Bring the index up to the store's version before a write, so the checks that
        follow (id taken, finding ids unique) see what other processes wrote."""
        try:
            version = self.store.version()
        except StoreError as error:
            raise StoreUnavailableError(f"the store cannot be reached: {error}") from error
        if version != self._version:
            self.reload()

    def _history(self, source_id: str) -> History:
        return read_history(
            self.store.graph_ntriples(history_graph_iri(self.settings.base_iri, source_id))
        )

    def _change(
        self,
        source_id: str,
        action: str,
        by: str | None,
        why: str,
        *,
        public: Any = KEEP,
        proposed: Any = KEEP,
        tombstone: Any = KEEP,
        expected: str | None = None,
        owned: list[str] | tuple[str, ...] = (),
        drop: tuple[str, ...] = (),
    ) -> tuple[str, Change]:
        """Write one change and its record in one atomic store write; update the index.

        ``public`` and ``proposed`` are the new public and proposed versions (None: removed,
        :data:`KEEP`: unchanged); ``tombstone`` True marks the source deleted, False clears
        the mark. ``expected`` and ``owned`` are the preconditions on the source's graph
        (:meth:`Store.write_graphs`); a mismatch raises :class:`PreconditionFailedError`
        and nothing changes. ``drop`` names further graphs removed in the same write (a
        reconciled second coding). Returns ``(version, change)``.
        """
        base = self.settings.base_iri
        heads = self._heads.get(source_id)
        if heads is None:
            heads = self._history(source_id).heads()
        public_head, proposed_head, last_public = heads
        at = now_utc()
        record = ""
        current = self._sources.get(source_id)
        if public_head is None and current is not None:
            # first change of a source loaded from literature/: keep the version it replaces
            start, record = loaded_change(
                base, source_id, current, "the version in the store when its history began", at
            )
            public_head = last_public = start.generated
        change_id = new_version()
        used: list[str] = []
        generated: Revision | None = None
        if public is not KEEP:
            used += [public_head] if public_head else []
            if public is not None:
                generated = Revision(
                    revision_iri(base, source_id, change_id), PUBLISHED, entry_json(public)
                )
        if proposed is not KEEP:
            used += [proposed_head] if proposed_head else []
            if proposed is not None:
                generated = Revision(
                    revision_iri(base, source_id, change_id), PROPOSED, entry_json(proposed)
                )
                if public_head and public_head not in used:
                    used.append(public_head)  # a first proposal is based on the public version
        change = Change(
            f"{base}change/{change_id}",
            action,
            by or UNNAMED_AGENT,
            at,
            why,
            tuple(used),
            generated.iri if generated else None,
        )
        replace: dict[str, str | None] = dict.fromkeys(drop)
        if public is not KEEP:
            replace[str(source_graph_iri(base, source_id))] = (
                source_ntriples(public, self.vocabulary) if public is not None else None
            )
        if proposed is not KEEP:
            replace[proposed_graph_iri(base, source_id)] = (
                proposed_ntriples(base, source_id, generated, at) if proposed is not None else None
            )
        if tombstone is not KEEP:
            replace[tombstone_graph_iri(base, source_id)] = (
                tombstone_ntriples(base, source_id, change) if tombstone else None
            )
        record += change_ntriples(base, source_id, change, [generated] if generated else [])
        graph = str(source_graph_iri(base, source_id))
        proposed_graph = proposed_graph_iri(base, source_id)
        # the proposed version must also be the one this process knows (or none)
        proposed_revision = (
            self._curation_revisions.get(proposed_graph) if source_id in self._proposed else ABSENT
        )
        version = self.store.write_graphs(
            replace,
            {history_graph_iri(base, source_id): record},
            expected={graph: expected, proposed_graph: proposed_revision},
            owner=graph,
            owned=owned,
        )
        # the heads after this change, so the next write of this source need not read its
        # history back (cleared whenever the store is read back)
        if public is not KEEP:
            public_head = generated.iri if public is not None else None
            last_public = public_head or last_public
        if proposed is not KEEP:
            proposed_head = generated.iri if proposed is not None else None
        self._heads[source_id] = (public_head, proposed_head, last_public)
        self._commit(source_id, public, proposed, tombstone, version)
        return version, change

    def _commit(
        self, source_id: str, public: Any, proposed: Any, tombstone: Any, version: str
    ) -> None:
        # The change is applied to the index directly, with the revision the store gave it.
        # A shared (sparql) store may also have taken another process's writes meanwhile:
        # reload() then reads back the graphs whose revision moved (usually none).
        base = self.settings.base_iri
        if proposed is not KEEP:
            graph = proposed_graph_iri(base, source_id)
            if proposed is None:
                self._proposed.pop(source_id, None)
                self._curation_revisions.pop(graph, None)
            else:
                self._proposed[source_id] = proposed
                self._curation_revisions[graph] = version
        if tombstone is not KEEP:
            if tombstone:
                self._tombstones.add(source_id)
            else:
                self._tombstones.discard(source_id)
        self._apply({source_id: public} if public is not KEEP else {}, version)
        if self._revisions is not None and public is not KEEP:
            if public is None:
                self._revisions.pop(source_id, None)
            else:
                self._revisions[source_id] = version
        if self.store.backend == "sparql":
            self.reload()

    def _owned(self, source: Source) -> list[str]:
        """The finding IRIs no other source's graph may hold (checked by the store)."""
        return [str(iri_for(self.settings.base_iri, "finding", f.id)) for f in source.findings]

    def _expected(self, source_id: str) -> str | None:
        """The revision a write of ``source_id`` must find: its graph's (also of a graph no
        source could be read from), :data:`ABSENT` for none, None when unknown."""
        if self._revisions is None:
            return None if source_id in self._sources else ABSENT
        return self._revisions.get(source_id, ABSENT)

    def _conditional(
        self,
        source_id: str,
        if_match: list[str] | None,
        write: Callable[[str | None], WriteResult],
        action: str,
        retry: bool = True,
    ) -> WriteResult:
        """Run ``write(expected revision)`` as compare-and-set on the source's graph.

        ``write`` makes its checks on the current index and writes with the revision it is
        given. A write that lost a race (another writer changed the graph meanwhile) reads
        the store back and runs again, its checks included, up to :data:`WRITE_ATTEMPTS`
        times; with ``if_match`` (or ``retry`` False: ``write`` checks its own
        precondition) it is refused at once instead.
        """
        with self._write_lock:
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                self._sync_for_write()
                revision = (self._revisions or {}).get(source_id)
                if if_match is not None and "*" not in if_match and revision not in if_match:
                    raise PreconditionFailedError(
                        f"source {source_id!r} has changed: its ETag is now "
                        f'"{revision}", not {", ".join(repr(t) for t in if_match)}; '
                        "read it again and retry"
                    )
                if if_match is not None and "*" in if_match and source_id not in self._sources:
                    raise PreconditionFailedError(
                        f"source {source_id!r} has no public version to match If-Match: *"
                    )
                try:
                    return write(self._expected(source_id))
                except PreconditionFailedError:
                    # rare (a lost race): read the store back whole rather than trust
                    # revisions that just proved stale
                    self._revisions = None
                    self.reload()
                    if not retry or (if_match is not None and "*" not in if_match):
                        raise
                    if attempt == WRITE_ATTEMPTS:
                        raise ConflictError(
                            f"source {source_id!r} kept changing under other writers; "
                            f"not {action} after {WRITE_ATTEMPTS} attempts, try again"
                        ) from None
        raise AssertionError("not reached")  # pragma: no cover - the loop returns or raises

    def _result(
        self, source: Source, version: str, action: str, state: str, change: Change | None
    ) -> WriteResult:
        return WriteResult(
            id=source.id,
            iri=str(iri_for(self.settings.base_iri, "source", source.id)),
            findings=len(source.findings),
            version=version,
            action=action,
            state=state,
            change=change.iri if change else None,
        )
