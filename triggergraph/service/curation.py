"""Review states, restore, history and entry-format reads of sources; mixed into the service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from ..exceptions import ConflictError, EntryError, NotFoundError, Problem
from ..vocabulary import suggest
from .formats import api_matrix
from .history import PROPOSED, PUBLISHED, render_entry, source_of
from .writes import KEEP, WriteResult

if TYPE_CHECKING:
    from ..index import EvidenceIndex
    from ..models import Source

#: What a review can decide.
REVIEW_DECISIONS = ("publish", "reject")
#: Entry-format renderings.
ENTRY_AS = ("yaml", "json")


class Curation:
    """Review, restore and history; mixed into :class:`EvidenceService` with ``SourceWrites``.

    The service-level API the curation tools build on:

    * :meth:`proposed_sources` -- what waits for review;
    * :meth:`review_source` / :meth:`publish_source` -- publish or reject a proposed version;
    * :meth:`restore_source` -- take a deleted source back;
    * :meth:`source_history` -- every change with who, when, why and a diff;
    * :meth:`source_entry` -- a public or proposed version in entry format;
    * :meth:`matrix_including_proposed` -- the map as it would be with every proposal published.
    """

    def proposed_sources(self) -> dict[str, Any]:
        """Sources with a version waiting for review: id, title, findings, and whether a
        public version exists (an edit) or not (a new source)."""
        self.ensure_fresh()
        items = [
            {
                "id": ident,
                "title": source.title,
                "findings": len(source.findings),
                "edit_of_public": ident in self._sources,
            }
            for ident, source in sorted(self._proposed.items())
        ]
        return {"total": len(items), "items": items}

    def review_source(
        self, source_id: str, decision: str, *, by: str | None = None, why: str = ""
    ) -> WriteResult:
        """Publish or reject the proposed version of ``source_id``.

        Parameters
        ----------
        source_id : str
            The source whose proposed version is reviewed.
        decision : str
            ``publish`` (the proposed version becomes the public one and changes the public
            answers) or ``reject`` (the proposed version is dropped; it stays in the history).
        by, why : str
            The reviewer and the reason, recorded in the history.

        Raises
        ------
        EntryError
            ``decision`` is not one of :data:`REVIEW_DECISIONS`.
        NotFoundError
            ``source_id`` has no proposed version.
        ConflictError
            Publishing would reuse a finding id or DOI of another public source.
        """
        if decision not in REVIEW_DECISIONS:
            raise EntryError(
                [
                    Problem(
                        None,
                        None,
                        "decision",
                        f"{decision!r} is not a review decision; valid: {', '.join(REVIEW_DECISIONS)}",
                        tuple(suggest(decision, REVIEW_DECISIONS)),
                    )
                ]
            )
        with self._write_lock:
            self._sync_for_write()
            pending = self._proposed.get(source_id)
            if pending is None:
                raise NotFoundError(
                    "proposed version of source", source_id, suggest(source_id, self._proposed)
                )
            if decision == "reject":
                version, change = self._change(source_id, "rejected", by, why, proposed=None)
                return self._result(pending, version, "rejected", PROPOSED, change)
            self._check_unique(pending)
            tombstone = False if source_id in self._tombstones else KEEP
            version, change = self._change(
                source_id, "published", by, why, public=pending, proposed=None, tombstone=tombstone
            )
            return self._result(pending, version, "published", PUBLISHED, change)

    def publish_source(
        self, source_id: str, *, by: str | None = None, why: str = ""
    ) -> WriteResult:
        """Publish the proposed version of ``source_id`` (:meth:`review_source` with ``publish``)."""
        return self.review_source(source_id, "publish", by=by, why=why)

    def kept_revision(self, source_id: str) -> Source | None:
        """The last public version of ``source_id`` kept in its history, or None."""
        history = self._history(source_id)
        _, _, last_public = history.heads()
        if last_public is None:
            return None
        return source_of(history.revisions[last_public].entry, self.vocabulary)

    def restore_source(
        self, source_id: str, *, by: str | None = None, why: str = ""
    ) -> WriteResult:
        """Make the last public version of a deleted source public again and lift its tombstone.

        Raises
        ------
        ConflictError
            The source is not deleted, or a finding id or DOI is now another source's.
        NotFoundError
            No kept version of ``source_id`` to restore.
        """
        with self._write_lock:
            self._sync_for_write()
            if source_id in self._sources:
                raise ConflictError(f"source {source_id!r} is not deleted; nothing to restore")
            source = self.kept_revision(source_id)
            if source is None:
                raise NotFoundError(
                    "deleted source", source_id, suggest(source_id, sorted(self._tombstones))
                )
            self._check_unique(source)
            tombstone = False if source_id in self._tombstones else KEEP
            version, change = self._change(
                source_id, "restored", by, why, public=source, tombstone=tombstone
            )
            return self._result(source, version, "restored", PUBLISHED, change)

    def source_history(self, source_id: str) -> dict[str, Any]:
        """Every recorded change of a source, newest first, each with who (``by``), when
        (``at``), why, the revisions it used and generated, and a unified diff of the entry.

        The history is open like the rest of the graph (it is also readable through
        ``/sparql``): proposed and rejected versions are visible here, and count in no verdict.

        Raises
        ------
        NotFoundError
            The source has no history and is not known.
        """
        self.ensure_fresh()
        history = self._history(source_id)
        if not history.changes and source_id not in self._sources:
            raise NotFoundError("source", source_id, suggest(source_id, self._sources))
        changes = history.as_list()
        return {
            "id": source_id,
            "state": self._state_of(source_id),
            "total": len(changes),
            "items": changes,
        }

    def _state_of(self, source_id: str) -> str:
        if source_id in self._sources:
            return PUBLISHED + ("+proposed" if source_id in self._proposed else "")
        if source_id in self._proposed:
            return PROPOSED
        return "deleted" if source_id in self._tombstones else "unknown"

    def source_entry(
        self, source_id: str, as_: str = "yaml", state: str = PUBLISHED
    ) -> tuple[bytes, str]:
        """A source in entry format (what PUT takes back unchanged) as ``(body, media type)``.

        Parameters
        ----------
        source_id : str
        as_ : str
            ``yaml`` or ``json``.
        state : str
            ``published`` (open to all) or ``proposed`` (the version waiting for review).
        """
        if as_ not in ENTRY_AS:
            raise EntryError(
                [Problem(None, None, "as", f"{as_!r} is not an entry format; valid: yaml, json")]
            )
        self.ensure_fresh()
        pool = self._proposed if state == PROPOSED else self._sources
        source = pool.get(source_id)
        if source is None:
            raise NotFoundError(
                "proposed version of source" if state == PROPOSED else "source",
                source_id,
                suggest(source_id, pool),
            )
        return render_entry(source, as_)

    def index_including_proposed(self) -> EvidenceIndex:
        """The index as it would be with every proposed version published (curators only)."""
        index = self.ensure_fresh()
        if not self._proposed:
            return index
        return index.updated(dict(self._proposed), index.version + "+proposed")

    def matrix_including_proposed(self, **filters: Any) -> bytes:
        """The evidence matrix with every proposed version counted, as JSON bytes."""
        return orjson.dumps(api_matrix(self.index_including_proposed().matrix(**filters)))
