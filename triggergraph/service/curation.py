"""Review states, restore, history, entry-format reads, and the store-is-the-truth rules of a literature load."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..answers.builders import matrix_json
from ..exceptions import ConflictError, EntryError, NotFoundError, Problem, TriggergraphError
from ..vocabulary import suggest
from .changes import KEEP, WriteResult
from .history import (
    PROPOSED,
    PUBLISHED,
    bookkeeping_ids,
    history_graph_iri,
    loaded_change,
    now_utc,
    read_history,
    render_entry,
    source_of,
)
from .literature import entry_hash, literature_hashes

if TYPE_CHECKING:
    from ..answers import MatrixQuery
    from ..models import Source
    from ..readmodel import EvidenceIndex

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

    It also reads the proposed versions and tombstones back from the store
    (:meth:`_sync_curation`) and decides, when ``literature/`` changed, which version of each
    file's source is loaded (:meth:`_literature_to_load`).
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

        def write(expected: str | None) -> WriteResult:
            pending = self._proposed.get(source_id)
            if pending is None:
                raise NotFoundError(
                    "proposed version of source", source_id, suggest(source_id, self._proposed)
                )
            if decision == "reject":
                version, change = self._change(
                    source_id, "rejected", by, why, proposed=None, expected=expected
                )
                return self._result(pending, version, "rejected", PROPOSED, change)
            self._check_unique(pending)
            tombstone = False if source_id in self._tombstones else KEEP
            version, change = self._change(
                source_id,
                "published",
                by,
                why,
                public=pending,
                proposed=None,
                tombstone=tombstone,
                expected=expected,
                owned=self._owned(pending),
            )
            return self._result(pending, version, "published", PUBLISHED, change)

        return self._conditional(source_id, None, write, "published")

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

        def write(expected: str | None) -> WriteResult:
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
                source_id,
                "restored",
                by,
                why,
                public=source,
                tombstone=tombstone,
                expected=expected,
                owned=self._owned(source),
            )
            return self._result(source, version, "restored", PUBLISHED, change)

        return self._conditional(source_id, None, write, "restored")

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

    def matrix_including_proposed(self, query: MatrixQuery) -> bytes:
        """The evidence matrix with every proposed version counted, as JSON bytes
        (the same answer as :meth:`matrix_json`, for curators)."""
        return matrix_json(self.index_including_proposed(), query)

    # ---- bookkeeping read from the store ----------------------------------------------
    def _sync_curation(self, revisions: dict[str, str]) -> None:
        """Read the proposed versions whose graph moved, and the tombstones, from ``revisions``
        (graph IRI -> revision, as :meth:`Store.graph_versions` gives them)."""
        base = self.store.base_iri
        self._tombstones = bookkeeping_ids(base, revisions, "tombstone")
        prefix = f"{base}graph/proposed/"
        now = {g: r for g, r in revisions.items() if g.startswith(prefix)}
        proposed = {i: s for i, s in self._proposed.items() if f"{prefix}{i}" in now}
        for graph, revision in now.items():
            if self._curation_revisions.get(graph) == revision and graph[len(prefix) :] in proposed:
                continue
            ident = graph[len(prefix) :]
            history = read_history(self.store.graph_ntriples(graph))
            try:
                entry = next(iter(history.revisions.values())).entry
                proposed[ident] = source_of(entry, self.vocabulary)
            except (StopIteration, TriggergraphError) as error:
                proposed.pop(ident, None)
                self._read_problems[graph] = Problem(
                    graph, None, "", f"cannot read proposed version: {error}"
                )
        self._proposed = dict(sorted(proposed.items()))
        self._curation_revisions = now

    def _literature_to_load(
        self, literature: list[Source], stored: dict[str, Source]
    ) -> tuple[list[Source], str]:
        """The literature sources to load, with the store as the truth, and N-Quads that
        record the changes files make to sources with a history.

        A deleted source (tombstone) stays out; a file unchanged since it was last loaded
        does not undo what was changed in the store since (its stored version is kept); a
        changed file replaces the stored version, recorded as a ``loaded`` change when the
        source has a history.
        """
        base = self.store.base_iri
        names = self.store.graph_names()
        tombstones = bookkeeping_ids(base, names, "tombstone")
        with_history = bookkeeping_ids(base, names, "history")
        loaded = literature_hashes(self.store)
        chosen = []
        records = []
        at = now_utc()
        for source in literature:
            if source.id in tombstones:
                continue
            old = stored.get(source.id)
            if old is not None and loaded.get(source.id) == entry_hash(source):
                chosen.append(old)
                continue
            chosen.append(source)
            if source.id in with_history and old != source:
                public_head = self._history(source.id).heads()[0]
                used = (public_head,) if public_head else ()
                _, text = loaded_change(base, source.id, source, "its file changed", at, used)
                graph = f" <{history_graph_iri(base, source.id)}> .\n"
                records += [line[:-2] + graph for line in text.splitlines() if line]
        return chosen, "".join(records)
