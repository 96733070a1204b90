"""Create, replace and delete sources: parse and validate an entry, then one atomic change.

The change itself (one compare-and-set store write with its history record) is
:class:`~.changes.ChangeWriter`'s; this module decides what a create, replace or delete
writes and whether it is public or proposed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..exceptions import (
    ConflictError,
    EntryError,
    NotFoundError,
    Problem,
)
from ..loader import parse_entry
from ..rdf import canonical_source
from ..shapes import validate_sources
from ..vocabulary import suggest
from .changes import KEEP, WRITE_ATTEMPTS, ChangeWriter, WriteResult
from .formats import entry_format
from .history import PROPOSED, PUBLISHED, coding_graph_iri
from .literature import RESERVED_SOURCE_IDS

if TYPE_CHECKING:
    from ..models import Source

__all__ = ["KEEP", "WRITE_ATTEMPTS", "SourceWrites", "WriteResult", "keep_provenance"]


def keep_provenance(new: Source, old: Source) -> Source:
    """``new`` with the ``added_by``/``added_on`` of ``old`` kept for the source and for every
    finding ``old`` already had: an edit is recorded as a change, never as a new author.

    Examples
    --------
    >>> from triggergraph.models import Source
    >>> old = Source(id="s", type="report", authors=["A, B."], year=2020, title="T",
    ...              added_by="alice", added_on="2026-01-01")
    >>> new = old.model_copy(update={"added_by": "bob", "title": "T2"})
    >>> kept = keep_provenance(new, old)
    >>> kept.added_by, kept.title
    ('alice', 'T2')
    """
    before = {f.id: f for f in old.findings}
    findings = [
        f.model_copy(update={"added_by": o.added_by, "added_on": o.added_on})
        if (o := before.get(f.id)) is not None
        else f
        for f in new.findings
    ]
    return new.model_copy(
        update={"added_by": old.added_by, "added_on": old.added_on, "findings": findings}
    )


class SourceWrites(ChangeWriter):
    """Create, replace, delete, review and restore sources; mixed into :class:`EvidenceService`.

    Uses the service's ``settings``, ``store``, ``vocabulary``, ``_sources``, ``_proposed``,
    ``_tombstones``, ``_index``, ``_revisions``, ``_curation_revisions``,
    ``_version``, ``_write_lock``, ``reload`` and ``_apply``.

    Writes through the web are *proposed* unless the caller publishes them
    (``publish=True``, the default for library and CLI callers): a proposed version is kept in
    ``B graph/proposed/{id}`` and changes no public answer until :meth:`review_source`
    publishes it.
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
        # in the order reading the store back gives, so the entry reads back as written
        return canonical_source(source, self.vocabulary)

    def source_revision(self, source_id: str) -> str | None:
        """The revision of a source's graph the index reflects (its ETag), None if unknown.

        A proposed version does not change it: the ETag is the public version's.

        Raises
        ------
        NotFoundError
            No source ``source_id``.
        """
        self.ensure_fresh()
        if source_id not in self._sources:
            raise NotFoundError("source", source_id, suggest(source_id, self._sources))
        return (self._revisions or {}).get(source_id)

    def create_source(
        self,
        content: bytes,
        media_type: str | None,
        *,
        by: str | None = None,
        why: str = "",
        publish: bool = True,
    ) -> WriteResult:
        """Add a new source from a YAML or JSON entry, public or proposed.

        The write is compare-and-set at the store (the graph must not exist, no other graph
        may hold one of its findings), so of two processes creating one id at once exactly
        one succeeds.

        Parameters
        ----------
        content, media_type
            The entry and its media type (YAML or JSON).
        by, why
            Who makes the change (default: the entry's ``added_by``) and why; both go into
            the source's history.
        publish
            False keeps the source *proposed* until :meth:`review_source` publishes it.

        Raises
        ------
        EntryError
            Invalid entry (all problems); nothing is written.
        ConflictError
            The source id exists (public or proposed) or is reserved, a finding id belongs
            to another source, or another source has the same DOI.
        StoreUnavailableError
            The store cannot be reached.
        """
        source = self._parse(content, media_type)

        def write(expected: str | None) -> WriteResult:
            if source.id in RESERVED_SOURCE_IDS:
                raise ConflictError(f"source id {source.id!r} is reserved; choose another id")
            if source.id in self._sources or source.id in self._proposed:
                raise ConflictError(
                    f"source {source.id!r} already exists; use PUT /api/v1/sources/{source.id} to replace it"
                )
            self._check_unique(source)
            editor = by or source.added_by
            return self._publish_or_propose(source, "created", editor, why, publish, expected)

        return self._conditional(source.id, None, write, "created")

    def _publish_or_propose(
        self, source: Source, action: str, by: str, why: str, publish: bool, expected: str | None
    ) -> WriteResult:
        owned = self._owned(source)
        if publish:
            tombstone = False if source.id in self._tombstones else KEEP
            version, change = self._change(
                source.id,
                action,
                by,
                why,
                public=source,
                tombstone=tombstone,
                expected=expected,
                owned=owned,
            )
            return self._result(source, version, action, PUBLISHED, change)
        version, change = self._change(
            source.id, "proposed", by, why, proposed=source, expected=expected, owned=owned
        )
        return self._result(source, version, "proposed", PROPOSED, change)

    def replace_source(
        self,
        source_id: str,
        content: bytes,
        media_type: str | None,
        if_match: list[str] | None = None,
        *,
        by: str | None = None,
        why: str = "",
        publish: bool = True,
    ) -> WriteResult:
        """Replace a source (or its proposed version); the entry's id must equal ``source_id``.

        The ``added_by``/``added_on`` of the first version are kept (:func:`keep_provenance`);
        the editor (``by``, default the body's ``added_by``) is recorded in the history. A
        deleted source can be put back this way.

        Parameters
        ----------
        if_match : list of str, optional
            Revisions (ETags without quotes) of the public version the client last saw, or
            ``["*"]``; the write happens only while the source still has one of them.
            Without it a write that loses a race with another writer is tried again on the
            newer state.
        by, why, publish
            As for :meth:`create_source`.

        Raises
        ------
        NotFoundError
            No source ``source_id``, public, proposed or deleted (create it with POST).
        ConflictError
            The body's id differs from ``source_id``, a finding id belongs to another source,
            or another source has the same DOI.
        PreconditionFailedError
            ``if_match`` no longer matches the source's revision.
        """
        source = self._parse(content, media_type)
        if source.id != source_id:
            raise ConflictError(
                f"the entry's id {source.id!r} differs from the URL's id {source_id!r}; "
                "a PUT may only replace the source it names"
            )

        def write(expected: str | None) -> WriteResult:
            first = self._sources.get(source_id) or self._proposed.get(source_id)
            if first is None and source_id in self._tombstones:
                first = self.kept_revision(source_id)
            if first is None:
                raise NotFoundError("source", source_id, suggest(source_id, self._sources))
            self._check_unique(source)
            kept = keep_provenance(source, first)
            editor = by or source.added_by
            return self._publish_or_propose(kept, "replaced", editor, why, publish, expected)

        return self._conditional(source_id, if_match, write, "replaced")

    def delete_source(
        self,
        source_id: str,
        if_match: list[str] | None = None,
        *,
        by: str | None = None,
        why: str = "",
    ) -> WriteResult:
        """Delete a source, its findings, any proposed version and second coding; it stays deleted (a
        tombstone, also over ``literature/`` reloads) until restored. ``if_match`` as for
        :meth:`replace_source`.

        Raises
        ------
        NotFoundError
            No source ``source_id``.
        PreconditionFailedError
            ``if_match`` no longer matches the source's revision.
        """

        def write(expected: str | None) -> WriteResult:
            source = self._sources.get(source_id) or self._proposed.get(source_id)
            if source is None:
                raise NotFoundError("source", source_id, suggest(source_id, self._sources))
            version, change = self._change(
                source_id,
                "deleted",
                by,
                why,
                public=None if source_id in self._sources else KEEP,
                proposed=None if source_id in self._proposed else KEEP,
                tombstone=True,
                expected=expected,
                drop=(coding_graph_iri(self.settings.base_iri, source_id),),
            )
            return self._result(source, version, "deleted", "deleted", change)

        return self._conditional(source_id, if_match, write, "deleted")
