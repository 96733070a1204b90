"""Writes of sources: parse and validate first, then one atomic graph write, then the index."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..exceptions import (
    ConflictError,
    EntryError,
    NotFoundError,
    PreconditionFailedError,
    Problem,
    StoreError,
    StoreUnavailableError,
)
from ..loader import parse_entry
from ..namespaces import iri_for, source_graph_iri
from ..rdf import source_ntriples
from ..shapes import validate_sources
from ..store.base import ABSENT
from ..vocabulary import suggest
from .formats import entry_format
from .literature import RESERVED_SOURCE_IDS

#: Attempts of an unconditional replace or delete that lost a race with another writer.
WRITE_ATTEMPTS = 3

if TYPE_CHECKING:
    from ..models import Source


@dataclass
class WriteResult:
    """What a write did: the source id, its IRI, how many findings it has, the new data version."""

    id: str
    iri: str
    findings: int
    version: str
    action: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "iri": self.iri,
            "findings": self.findings,
            "version": self.version,
            "action": self.action,
        }


class SourceWrites:
    """Create, replace and delete sources; mixed into :class:`EvidenceService`.

    Uses the service's ``settings``, ``store``, ``vocabulary``, ``_sources``,
    ``_finding_owner``, ``_revisions``, ``_version``, ``_write_lock``, ``reload`` and
    ``_apply``.
    """

    def _parse(self, content: bytes, media_type: str | None) -> Source:
        fmt = entry_format(media_type)
        try:
            source = parse_entry(
                content, filename="<request body>", vocabulary=self.vocabulary, media_type=fmt
            )
        except RecursionError:
            # the parsers recurse per nesting level; a hostile body must not become a 500
            raise EntryError(
                [Problem("<request body>", None, "", "the entry is nested too deeply to read")]
            ) from None
        problems = validate_sources([source], self.vocabulary)
        if problems:
            raise EntryError(problems)
        return source

    def _check_findings_unique(self, source: Source) -> None:
        for finding in source.findings:
            owner = self._finding_owner.get(finding.id)
            if owner is not None and owner != source.id:
                raise ConflictError(
                    f"finding id {finding.id!r} is already used by source {owner!r}; "
                    "finding ids must be unique across all sources"
                )

    def _sync_for_write(self) -> None:
        """Bring the index up to the store's version before a write, so the checks that
        follow (id taken, finding ids unique) see what other processes wrote."""
        try:
            version = self.store.version()
        except StoreError as error:
            raise StoreUnavailableError(f"the store cannot be reached: {error}") from error
        if version != self._version:
            self.reload()

    def _commit(self, source_id: str, source: Source | None, version: str) -> None:
        # The change is applied to the index directly, with the revision the store gave it.
        # A shared (sparql) store may also have taken another process's writes meanwhile:
        # reload() then reads back the graphs whose revision moved (usually none).
        self._apply({source_id: source}, version)
        if self._revisions is not None:
            if source is None:
                self._revisions.pop(source_id, None)
            else:
                self._revisions[source_id] = version
        if self.store.backend == "sparql":
            self.reload()

    def source_revision(self, source_id: str) -> str | None:
        """The revision of a source's graph the index reflects (its ETag), None if unknown.

        Raises
        ------
        NotFoundError
            No source ``source_id``.
        """
        self.ensure_fresh()
        if source_id not in self._sources:
            raise NotFoundError("source", source_id, suggest(source_id, self._sources))
        return (self._revisions or {}).get(source_id)

    def _owned(self, source: Source) -> list[str]:
        """The finding IRIs no other source's graph may hold (checked by the store)."""
        return [str(iri_for(self.settings.base_iri, "finding", f.id)) for f in source.findings]

    def create_source(self, content: bytes, media_type: str | None) -> WriteResult:
        """Add a new source from a YAML or JSON entry.

        The write is compare-and-set at the store (the graph must not exist, no other graph
        may hold one of its findings), so of two processes creating one id at once exactly
        one succeeds.

        Raises
        ------
        EntryError
            Invalid entry (all problems); nothing is written.
        ConflictError
            The source id exists, is reserved, or a finding id belongs to another source.
        StoreUnavailableError
            The store cannot be reached.
        """
        source = self._parse(content, media_type)
        with self._write_lock:
            self._sync_for_write()
            self._check_create(source)
            graph = str(source_graph_iri(self.settings.base_iri, source.id))
            try:
                version = self.store.replace_graph(
                    graph,
                    source_ntriples(source, self.vocabulary),
                    # a graph no source could be read from is replaced from its revision
                    expected=(self._revisions or {}).get(source.id, ABSENT),
                    owned=self._owned(source),
                )
            except PreconditionFailedError:
                # another process wrote first: say exactly what it took
                self.reload()
                self._check_create(source)
                raise ConflictError(
                    f"source {source.id!r} was not created: another writer changed the "
                    "store at the same moment; try again"
                ) from None
            self._commit(source.id, source, version)
            return self._result(source, version, "created")

    def _check_create(self, source: Source) -> None:
        if source.id in RESERVED_SOURCE_IDS:
            raise ConflictError(f"source id {source.id!r} is reserved; choose another id")
        if source.id in self._sources:
            raise ConflictError(
                f"source {source.id!r} already exists; use PUT /api/v1/sources/{source.id} to replace it"
            )
        self._check_findings_unique(source)

    def replace_source(
        self,
        source_id: str,
        content: bytes,
        media_type: str | None,
        if_match: list[str] | None = None,
    ) -> WriteResult:
        """Replace an existing source; the entry's id must equal ``source_id``.

        Parameters
        ----------
        if_match : list of str, optional
            Revisions (ETags without quotes) the client last saw, or ``["*"]``; the write
            happens only while the source still has one of them. Without it a write that
            loses a race with another writer is tried again on the newer state.

        Raises
        ------
        NotFoundError
            No source ``source_id`` (create it with POST).
        ConflictError
            The body's id differs from ``source_id``, or a finding id belongs to another source.
        PreconditionFailedError
            ``if_match`` no longer matches the source's revision.
        """
        source = self._parse(content, media_type)
        if source.id != source_id:
            raise ConflictError(
                f"the entry's id {source.id!r} differs from the URL's id {source_id!r}; "
                "a PUT may only replace the source it names"
            )
        ntriples = source_ntriples(source, self.vocabulary)
        graph = str(source_graph_iri(self.settings.base_iri, source.id))

        def write(expected: str | None) -> str:
            self._check_findings_unique(source)
            return self.store.replace_graph(
                graph, ntriples, expected=expected, owned=self._owned(source)
            )

        return self._conditional(source_id, source, if_match, write, "replaced")

    def delete_source(self, source_id: str, if_match: list[str] | None = None) -> WriteResult:
        """Delete a source and its findings (``if_match`` as for :meth:`replace_source`).

        Raises
        ------
        NotFoundError
            No source ``source_id``.
        PreconditionFailedError
            ``if_match`` no longer matches the source's revision.
        """
        graph = str(source_graph_iri(self.settings.base_iri, source_id))
        return self._conditional(
            source_id,
            None,
            if_match,
            lambda expected: self.store.delete_graph(graph, expected=expected),
            "deleted",
        )

    def _conditional(
        self,
        source_id: str,
        source: Source | None,
        if_match: list[str] | None,
        write: Callable[[str | None], str],
        action: str,
    ) -> WriteResult:
        """Run ``write(expected revision)`` on an existing source as compare-and-set."""
        with self._write_lock:
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                self._sync_for_write()
                old = self._sources.get(source_id)
                if old is None:
                    raise NotFoundError("source", source_id, suggest(source_id, self._sources))
                revision = (self._revisions or {}).get(source_id)
                if if_match is not None and "*" not in if_match and revision not in if_match:
                    raise PreconditionFailedError(
                        f"source {source_id!r} has changed: its ETag is now "
                        f'"{revision}", not {", ".join(repr(t) for t in if_match)}; '
                        "read it again and retry"
                    )
                try:
                    version = write(revision)
                except PreconditionFailedError:
                    # rare (a lost race): read the store back whole rather than trust
                    # revisions that just proved stale
                    self._revisions = None
                    self.reload()
                    if source is not None:
                        # a finding another writer just took is a conflict, not a stale ETag
                        self._check_findings_unique(source)
                    if if_match is not None and "*" not in if_match:
                        raise
                    if attempt == WRITE_ATTEMPTS:
                        raise ConflictError(
                            f"source {source_id!r} kept changing under other writers; "
                            f"not {action} after {WRITE_ATTEMPTS} attempts, try again"
                        ) from None
                    continue
                self._commit(source_id, source, version)
                return self._result(source or old, version, action)
        raise AssertionError("not reached")  # pragma: no cover - the loop returns or raises

    def _result(self, source: Source, version: str, action: str) -> WriteResult:
        return WriteResult(
            id=source.id,
            iri=str(iri_for(self.settings.base_iri, "source", source.id)),
            findings=len(source.findings),
            version=version,
            action=action,
        )
