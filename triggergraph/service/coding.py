"""Editing in the form, a second coder's blind coding, agreement, and the reconciled version.

The first coding of a source is its proposed version (or, when none waits for review, its
public one). A second curator codes the same source blind; the coding is kept in
``B graph/coding/{id}`` with its coder (the revision and the ``coded`` change, also recorded in
the source's history) until a curator reconciles the two: per difference one coding's value is
picked, and the reconciled version is published in one atomic write that also ends the
proposal and the coding (action ``reconciled``).

Every save from the form carries the *edit revision* it was loaded with (a digest of the
versions it showed); a save over a version that changed since is refused with
:class:`PreconditionFailedError`, and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import orjson

from ..agreement import compare_source
from ..drafts import FORM_FILE, check_draft
from ..exceptions import ConflictError, EntryError, NotFoundError, PreconditionFailedError, Problem
from ..models import agent_key
from ..store.base import new_version
from ..vocabulary import suggest
from .changes import KEEP, WriteResult
from .history import (
    CODING,
    PROPOSED,
    PUBLISHED,
    Change,
    Revision,
    change_iri,
    change_ntriples,
    coding_graph_iri,
    entry_json,
    history_graph_iri,
    now_utc,
    proposed_ntriples,
    read_history,
    revision_iri,
    source_of,
)
from .writes import keep_provenance

if TYPE_CHECKING:
    from ..models import Finding, Source

#: What a reconcile pick can say: keep coder A's (the first coding's) value or take coder B's.
PICKS = ("a", "b")
#: Each compared field and the entry keys that move with it when coder B's value is picked.
PICKED_KEYS: dict[str, tuple[str, ...]] = {
    "factor": ("factor",),
    "direction": ("direction",),
    "certainty": ("certainty", "certainty_reasons"),
    "drivers": ("drivers",),
    "demographics": ("demographics",),
}


def difference_key(finding_a: str | None, finding_b: str | None, field: str) -> str:
    """The key a reconcile pick names a difference by.

    Examples
    --------
    >>> difference_key("f1", None, "finding")
    'f1||finding'
    """
    return f"{finding_a or ''}|{finding_b or ''}|{field}"


def _problems(problems: list[dict[str, Any]]) -> EntryError:
    return EntryError(
        [
            Problem(FORM_FILE, None, p["field"], p["message"], tuple(p.get("suggestions", ())))
            for p in problems
        ]
    )


def plain_entry(source: Source) -> dict[str, Any]:
    """The entry as JSON-ready data (dates as ISO text), as the form holds it."""
    return orjson.loads(entry_json(source))


def reconciled(first: Source, second: Source, picks: dict[str, str]) -> dict[str, Any]:
    """The entry of ``first`` with coder B's value taken wherever ``picks`` says ``b``.

    Every difference :func:`compare_source` finds must have a pick. A finding only one coder
    has is kept when its coder's side is picked (``a`` for A's, ``b`` for B's) and dropped
    otherwise.

    Raises
    ------
    EntryError
        A difference has no pick, a pick is not ``a``/``b``, or a pick names no difference.
    """
    differences = compare_source(first, second).differences
    keys = {difference_key(d.finding_a, d.finding_b, d.field): d for d in differences}
    problems = [
        Problem(FORM_FILE, None, f"picks[{k}]", f"{v!r} is not a pick; valid: a, b", PICKS)
        for k, v in picks.items()
        if v not in PICKS
    ]
    problems += [
        Problem(FORM_FILE, None, f"picks[{k}]", "no such difference between the two codings")
        for k in picks
        if k not in keys
    ]
    problems += [
        Problem(FORM_FILE, None, f"picks[{k}]", "pick coder A's or coder B's value", PICKS)
        for k in keys
        if k not in picks
    ]
    if problems:
        raise EntryError(problems)
    data = plain_entry(first)
    by_id_b: dict[str, Finding] = {f.id: f for f in second.findings}
    findings = {f["id"]: f for f in data.get("findings", [])}
    dropped: set[str] = set()
    added: list[dict[str, Any]] = []
    second_data = {f["id"]: f for f in plain_entry(second).get("findings", [])}
    for key, diff in keys.items():
        pick = picks[key]
        if diff.field == "finding":
            if diff.finding_a and pick == "b":
                dropped.add(diff.finding_a)
            elif diff.finding_b and pick == "b":
                added.append(second_data[diff.finding_b])
        elif pick == "b" and diff.finding_a and diff.finding_b in by_id_b:
            target, theirs = findings[diff.finding_a], second_data[diff.finding_b]
            for name in PICKED_KEYS[diff.field]:
                if name in theirs:
                    target[name] = theirs[name]
                else:
                    target.pop(name, None)
    data["findings"] = [f for i, f in findings.items() if i not in dropped] + added
    return data


class Coding:
    """Edit, second coding, agreement and reconcile; mixed into :class:`EvidenceService`."""

    # ---- what the form loads ------------------------------------------------------------
    def first_coding(self, source_id: str) -> Source:
        """The version a curator edits or reconciles: the proposed one, else the public one.

        Raises
        ------
        NotFoundError
            No public or proposed version of ``source_id``.
        """
        self.ensure_fresh()
        return self._first(source_id)

    def _first(self, source_id: str) -> Source:
        source = self._proposed.get(source_id) or self._sources.get(source_id)
        if source is None:
            known = sorted({*self._sources, *self._proposed})
            raise NotFoundError("source", source_id, suggest(source_id, known))
        return source

    def second_coding(self, source_id: str) -> tuple[Source, str] | None:
        """A second coder's coding of ``source_id`` and the coder's name, or None."""
        history = read_history(
            self.store.graph_ntriples(coding_graph_iri(self.settings.base_iri, source_id))
        )
        if not history.revisions or not history.changes:
            return None
        revision = next(iter(history.revisions.values()))
        return source_of(revision.entry, self.vocabulary), history.changes[-1].by

    def edit_revision(self, source_id: str, *, with_coding: bool = False) -> str:
        """A digest of the versions a form shows (public, proposed, and the second coding when
        ``with_coding``): a save that brings another digest back was made on stale data."""
        digest = hashlib.sha256()
        for source in (self._sources.get(source_id), self._proposed.get(source_id)):
            digest.update(entry_json(source).encode() if source is not None else b"-")
            digest.update(b"\0")
        if with_coding:
            coding = self.second_coding(source_id)
            digest.update(entry_json(coding[0]).encode() if coding else b"-")
        return digest.hexdigest()[:32]

    def editable_entry(self, source_id: str) -> dict[str, Any]:
        """``{entry, revision, state}``: what ``/curate/edit/{id}`` loads into the form."""
        source = self.first_coding(source_id)
        state = PROPOSED if source_id in self._proposed else PUBLISHED
        return {
            "entry": plain_entry(source),
            "revision": self.edit_revision(source_id),
            "state": state,
        }

    def blind_entry(self, source_id: str) -> dict[str, Any]:
        """What ``/curate/code/{id}`` loads: the source's bibliographic fields, no findings
        (the second coder codes blind), and the edit revision with the coding."""
        entry = plain_entry(self.first_coding(source_id))
        entry["findings"] = []
        entry.pop("added_by", None)
        return {"entry": entry, "revision": self.edit_revision(source_id, with_coding=True)}

    def _check_form(self, draft: dict[str, Any], source_id: str) -> None:
        if draft.get("id") != source_id:
            raise ConflictError(
                f"the entry's id {draft.get('id')!r} differs from the page's {source_id!r}; "
                "an edit may only change the source it opened"
            )
        pool = {**self._sources, **self._proposed}
        result = check_draft(draft, self.vocabulary, pool.values(), replacing=source_id)
        if result["problems"]:
            raise _problems(result["problems"])

    def _refuse_stale(self, source_id: str, revision: str, *, with_coding: bool = False) -> None:
        if revision != self.edit_revision(source_id, with_coding=with_coding):
            raise PreconditionFailedError(
                f"source {source_id!r} was changed by someone else since you opened it; "
                "nothing was saved. Open it again to see the new version and redo your change"
            )

    # ---- writes -------------------------------------------------------------------------
    def propose_edit(
        self, source_id: str, draft: dict[str, Any], revision: str, *, by: str, why: str = ""
    ) -> WriteResult:
        """Save the form's edit of ``source_id`` as a new proposed revision.

        Raises
        ------
        EntryError
            The form's problems (as ``validate`` reports them); nothing is written.
        PreconditionFailedError
            ``revision`` is not the source's edit revision any more (stale form).
        NotFoundError, ConflictError
            As for :meth:`replace_source`.
        """
        self._check_form(draft, source_id)
        source = self._parse(json.dumps(draft).encode("utf-8"), "application/json")

        def write(expected: str | None) -> WriteResult:
            self._refuse_stale(source_id, revision)
            first = self._first(source_id)
            self._check_unique(source)
            kept = keep_provenance(source, first)
            return self._publish_or_propose(
                kept, "replaced", by, why or "edited with the web form", False, expected
            )

        return self._conditional(source_id, None, write, "edited", retry=False)

    def save_coding(
        self, source_id: str, draft: dict[str, Any], revision: str, *, by: str
    ) -> WriteResult:
        """Keep a second coder's blind coding of ``source_id`` (replacing an earlier one).

        Raises
        ------
        EntryError
            The coding's problems, or no coder's name, or the coder is the first coder.
        PreconditionFailedError
            The source or its coding changed since the form was opened.
        """
        if not by.strip():
            raise _problems([{"field": "added_by", "message": "name the second coder"}])
        self._check_form(draft, source_id)
        coding = self._parse(json.dumps(draft).encode("utf-8"), "application/json")

        def write(_expected: str | None) -> WriteResult:
            self._refuse_stale(source_id, revision, with_coding=True)
            first = self._first(source_id)
            if agent_key(by) == agent_key(first.added_by):
                raise _problems(
                    [
                        {
                            "field": "added_by",
                            "message": f"{by!r} made the first coding; a second coder "
                            "must be someone else",
                        }
                    ]
                )
            return self._write_coding(source_id, coding, by)

        return self._conditional(source_id, None, write, "coded", retry=False)

    def _write_coding(self, source_id: str, coding: Source, by: str) -> WriteResult:
        base = self.settings.base_iri
        at = now_utc()
        heads = self._heads.get(source_id) or self._history(source_id).heads()
        based_on = heads[1] or heads[0]
        change_id = new_version()
        generated = Revision(revision_iri(base, source_id, change_id), CODING, entry_json(coding))
        change = Change(
            change_iri(base, change_id),
            "coded",
            by,
            at,
            "second coder's blind coding",
            (based_on,) if based_on else (),
            generated.iri,
        )
        record = change_ntriples(base, source_id, change, [generated])
        graph = coding_graph_iri(base, source_id)
        version = self.store.write_graphs(
            {graph: proposed_ntriples(base, source_id, generated, at) + record},
            {history_graph_iri(base, source_id): record},
        )
        self._apply({}, version)
        if self.store.backend == "sparql":
            self.reload()
        return self._result(coding, version, "coded", CODING, change)

    def source_agreement(self, source_id: str) -> dict[str, Any]:
        """The two codings of ``source_id`` compared: coders, per-field percent agreement and
        Cohen's kappa, and every difference with its pick key and both values.

        Raises
        ------
        NotFoundError
            No second coding of ``source_id`` (or no source).
        """
        first = self.first_coding(source_id)
        coding = self.second_coding(source_id)
        if coding is None:
            raise NotFoundError("second coding of source", source_id, [])
        second, coder = coding
        result = compare_source(first, second)
        differences = [
            {**d.model_dump(), "key": difference_key(d.finding_a, d.finding_b, d.field)}
            for d in result.differences
        ]
        return {
            "source_id": source_id,
            "coder_a": first.added_by,
            "coder_b": coder,
            "paired": result.paired,
            "fields": [f.model_dump() for f in result.fields],
            "differences": differences,
            "revision": self.edit_revision(source_id, with_coding=True),
        }

    def reconcile_source(
        self, source_id: str, picks: dict[str, str], revision: str, *, by: str, why: str = ""
    ) -> WriteResult:
        """Publish the version reconciled from the two codings, one pick per difference; the
        proposal and the second coding end in the same atomic write.

        Raises
        ------
        EntryError
            A difference without a pick, a wrong pick, or a reconciled version that does not
            validate.
        PreconditionFailedError
            Either coding changed since the page was opened.
        NotFoundError
            No second coding of ``source_id``.
        """

        def write(expected: str | None) -> WriteResult:
            self._refuse_stale(source_id, revision, with_coding=True)
            first = self._first(source_id)
            coding = self.second_coding(source_id)
            if coding is None:
                raise NotFoundError("second coding of source", source_id, [])
            merged = reconciled(first, coding[0], picks)
            source = self._parse(orjson.dumps(merged), "application/json")
            self._check_unique(source)
            version, change = self._change(
                source_id,
                "reconciled",
                by,
                why or f"reconciled with the second coding by {coding[1]}",
                public=source,
                proposed=None if source_id in self._proposed else KEEP,
                tombstone=False if source_id in self._tombstones else KEEP,
                expected=expected,
                owned=self._owned(source),
                drop=(coding_graph_iri(self.settings.base_iri, source_id),),
            )
            return self._result(source, version, "reconciled", PUBLISHED, change)

        return self._conditional(source_id, None, write, "reconciled", retry=False)
