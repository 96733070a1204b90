"""Writes of sources: parse and validate first, then one atomic graph write, then the index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..exceptions import (
    ConflictError,
    EntryError,
    NotFoundError,
    Problem,
    StoreError,
    StoreUnavailableError,
)
from ..loader import parse_entry
from ..namespaces import iri_for, source_graph_iri
from ..rdf import source_ntriples
from ..shapes import validate_sources
from ..vocabulary import suggest
from .formats import entry_format
from .literature import RESERVED_SOURCE_IDS

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

    def create_source(self, content: bytes, media_type: str | None) -> WriteResult:
        """Add a new source from a YAML or JSON entry.

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
            if source.id in RESERVED_SOURCE_IDS:
                raise ConflictError(f"source id {source.id!r} is reserved; choose another id")
            if source.id in self._sources:
                raise ConflictError(
                    f"source {source.id!r} already exists; use PUT /api/v1/sources/{source.id} to replace it"
                )
            self._check_findings_unique(source)
            graph = str(source_graph_iri(self.settings.base_iri, source.id))
            version = self.store.replace_graph(graph, source_ntriples(source, self.vocabulary))
            self._commit(source.id, source, version)
            return self._result(source, version, "created")

    def replace_source(self, source_id: str, content: bytes, media_type: str | None) -> WriteResult:
        """Replace an existing source; the entry's id must equal ``source_id``.

        Raises
        ------
        NotFoundError
            No source ``source_id`` (create it with POST).
        ConflictError
            The body's id differs from ``source_id``, or a finding id belongs to another source.
        """
        source = self._parse(content, media_type)
        with self._write_lock:
            self._sync_for_write()
            if source.id != source_id:
                raise ConflictError(
                    f"the entry's id {source.id!r} differs from the URL's id {source_id!r}; "
                    "a PUT may only replace the source it names"
                )
            if source_id not in self._sources:
                raise NotFoundError("source", source_id, suggest(source_id, self._sources))
            self._check_findings_unique(source)
            graph = str(source_graph_iri(self.settings.base_iri, source.id))
            version = self.store.replace_graph(graph, source_ntriples(source, self.vocabulary))
            self._commit(source.id, source, version)
            return self._result(source, version, "replaced")

    def delete_source(self, source_id: str) -> WriteResult:
        """Delete a source and its findings.

        Raises
        ------
        NotFoundError
            No source ``source_id``.
        """
        with self._write_lock:
            self._sync_for_write()
            source = self._sources.get(source_id)
            if source is None:
                raise NotFoundError("source", source_id, suggest(source_id, self._sources))
            version = self.store.delete_graph(
                str(source_graph_iri(self.settings.base_iri, source_id))
            )
            self._commit(source_id, None, version)
            return self._result(source, version, "deleted")

    def _result(self, source: Source, version: str, action: str) -> WriteResult:
        return WriteResult(
            id=source.id,
            iri=str(iri_for(self.settings.base_iri, "source", source.id)),
            findings=len(source.findings),
            version=version,
            action=action,
        )
