"""EvidenceIndex: the in-memory read model of sources, findings and cell verdicts, kept per data version."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..models import normalise_doi
from ..verdict import (
    ANY_COLUMN,
    CellVerdict,
    compute_cells,
    group_sources,
    route_by_factor,
    touched_cells,
)
from .changes import (
    count_links,
    factors_reached,
    grouped_ids,
    moved_dois,
    recount_cells,
    regroup,
    splice_routes,
)
from .checks import LANGS, check_known, invalid_value

if TYPE_CHECKING:
    from ..models import Finding, Source
    from ..vocabulary import Vocabulary

#: Bound on remembered answers per index, so odd filter combinations cannot grow memory forever.
MAX_CACHED_ANSWERS = 512


class EvidenceIndex:
    """Sources, findings and every cell verdict, precomputed from ``list[Source]`` and a
    :class:`Vocabulary`; the answers are built from it by :mod:`triggergraph.answers.builders`.

    Build with :meth:`build`; a write makes the next index with :meth:`updated`. The index
    never touches RDF or the store, and it is not changed once built (its caches aside):
    readers in other threads may keep using an old one.

    Tables (read-only): :attr:`sources` by id, :attr:`findings` (id -> (finding, source)),
    :attr:`pairs` (every (finding, source)), :attr:`routed` ((finding, source, route) by
    every factor a finding reaches), :attr:`groups` (independent group of each source),
    :attr:`cells` (factor -> column -> :class:`~triggergraph.verdict.CellVerdict`),
    :attr:`finding_counts`; and the vocabulary's orders: :attr:`factor_order`,
    :attr:`driver_ids`, :attr:`dimension_ids`, :attr:`value_ids`, :attr:`column_sets`.
    """

    def __init__(
        self,
        sources: list[Source],
        vocabulary: Vocabulary,
        version: str = "",
        *,
        previous: EvidenceIndex | None = None,
        changes: Mapping[str, Source | None] | None = None,
    ):
        """Build the read model; see :meth:`build` and :meth:`updated`.

        With ``previous`` and ``changes`` (``sources`` is then ignored) everything is derived
        from ``previous`` by what the changed sources reach: their findings, their factors'
        routes, their cells and, when ``overlaps_with`` is involved, the independent groups.
        Nothing proportional to the whole evidence base is rebuilt.
        """
        self.vocabulary = vocabulary
        self.version = version
        self._factor_order = [c.id for c in vocabulary.ordered_factors()]
        self._dimensions = [c.id for c in vocabulary.ordered("dimension")]
        self._drivers = [c.id for c in vocabulary.ordered("driver")]
        self._values = [v.id for d in self._dimensions for v in vocabulary.values_of(d)]
        self._column_sets: dict[str, list[str]] = {
            "driver": self._drivers,
            **{d: [v.id for v in vocabulary.values_of(d)] for d in self._dimensions},
            "all": self._drivers + self._values,
        }
        columns = [ANY_COLUMN, *self._drivers, *self._values]
        keys = [(factor_id, column) for factor_id in self._factor_order for column in columns]
        self._json: dict[tuple, Any] = {}
        self._finding_cache: dict[tuple[str, str], Any] = {}
        if previous is None:
            self._sources: dict[str, Source] = {
                s.id: s for s in sorted(sources, key=lambda s: s.id)
            }
            self._findings: dict[str, tuple[Finding, Source]] = {
                f.id: (f, s) for s in self._sources.values() for f in s.findings
            }
            self._groups = group_sources(self._sources.values())
            self._grouped = grouped_ids(self._groups)
            # (finding, source, route) by every factor the finding reaches
            self._routed = route_by_factor(self.pairs, vocabulary)
            fresh = compute_cells(keys, self._routed, vocabulary, groups=self._groups)
        else:
            touched, regrouped = self._apply_changes(previous, changes or {})
            fresh = recount_cells(
                [k for k in keys if k in touched],
                regrouped,
                previous._cells,
                changes or {},
                vocabulary,
                (self._routed, self._groups, self._findings),
                (previous._sources, previous._groups),
            )
        self._cells: dict[str, dict[str, CellVerdict]] = {
            factor_id: {
                column: fresh.get((factor_id, column)) or previous._cells[factor_id][column]
                for column in columns
            }
            for factor_id in self._factor_order
        }

    # ---- tables ---------------------------------------------------------------------------
    @property
    def sources(self) -> Mapping[str, Source]:
        """Every source by id, in id order."""
        return self._sources

    @property
    def findings(self) -> Mapping[str, tuple[Finding, Source]]:
        """Every finding by id, with its source."""
        return self._findings

    @cached_property
    def pairs(self) -> list[tuple[Finding, Source]]:
        """Every (finding, source), sources by id: made on first use, once per index."""
        return [(f, s) for s in self._sources.values() for f in s.findings]

    @cached_property
    def doi_owners(self) -> dict[str, tuple[str, ...]]:
        """The sources of each DOI (normalised), in id order: made on first use, once per index,
        and carried over by :meth:`updated`, so a write's duplicate-DOI check looks up one DOI."""
        owners: dict[str, list[str]] = {}
        for source in self._sources.values():
            if source.doi:
                owners.setdefault(normalise_doi(source.doi), []).append(source.id)
        return {doi: tuple(ids) for doi, ids in owners.items()}

    @property
    def routed(self) -> Mapping[str, list]:
        """(finding, source, route) by every trigger factor the finding counts toward."""
        return self._routed

    @property
    def groups(self) -> Mapping[str, str]:
        """The independent group (a source id) of each source; overlapping sources share one."""
        return self._groups

    @property
    def cells(self) -> Mapping[str, Mapping[str, CellVerdict]]:
        """Every precomputed cell: factor id -> column id (``any``, drivers, values) -> verdict."""
        return self._cells

    @cached_property
    def finding_counts(self) -> Counter[str]:
        """Findings per driver and per demographic value: one pass, once per index (= data
        version), instead of one scan of every finding per driver and value on each request."""
        return count_links(f for f, _ in self.pairs)

    @property
    def factor_order(self) -> list[str]:
        """Trigger factor ids in report order."""
        return self._factor_order

    @property
    def driver_ids(self) -> list[str]:
        """Driver ids in rank order."""
        return self._drivers

    @property
    def dimension_ids(self) -> list[str]:
        """Demographic dimension ids (sex, age, education) in rank order."""
        return self._dimensions

    @property
    def value_ids(self) -> list[str]:
        """Demographic value ids, dimension by dimension."""
        return self._values

    @property
    def column_sets(self) -> Mapping[str, list[str]]:
        """The columns of each ``cols`` choice: ``driver``, each dimension, ``all``."""
        return self._column_sets

    def columns(self, cols: str) -> list[str]:
        """The column ids of ``cols``; an unknown choice is an :class:`EntryError`."""
        if cols not in self._column_sets:
            raise invalid_value("cols", cols, self._column_sets)
        return self._column_sets[cols]

    def demographic_value(self, dimension: str, value: str | None) -> str | None:
        """``value`` when it is a value of ``dimension`` (or None); else :class:`NotFoundError`."""
        if value is None:
            return None
        return check_known(dimension, value, self._column_sets[dimension])

    # ---- building -------------------------------------------------------------------------
    def _apply_changes(
        self, previous: EvidenceIndex, changes: Mapping[str, Source | None]
    ) -> tuple[set[tuple[str, str]], bool]:
        """Derive this index's tables from ``previous`` with ``changes`` applied; return the
        cells the change can alter, and whether sources that stay changed independent group.

        Tables of ``previous`` are copied before they are changed: readers may still use it.
        """
        sources = dict(previous._sources)
        findings = dict(previous._findings)
        routed = dict(previous._routed)
        old: list[Finding] = []
        new: list[Finding] = []
        added = False
        for ident, source in changes.items():
            before = sources.pop(ident, None) if source is None else sources.get(ident)
            if before is not None:
                old.extend(before.findings)
                # kept ids are overwritten below, not removed: a dict without removed slots
                # is copied whole by the next write, one with them entry by entry (slower)
                kept = {f.id for f in source.findings} if source is not None else set()
                for finding in before.findings:
                    if finding.id not in kept:
                        findings.pop(finding.id, None)
            if source is not None:
                added = added or before is None
                sources[ident] = source  # a replaced source keeps its place in the order
                new.extend(source.findings)
                findings.update((f.id, (f, source)) for f in source.findings)
            for factor_id in factors_reached(self.vocabulary, before, source):
                routed[factor_id] = splice_routes(
                    routed.get(factor_id, []), factor_id, ident, source, self.vocabulary
                )
        if added:
            sources = dict(sorted(sources.items()))
        self._sources, self._findings, self._routed = sources, findings, routed
        self._groups, self._grouped, moved = regroup(
            previous._sources, previous._groups, previous._grouped, changes, sources
        )
        if "finding_counts" in previous.__dict__:
            counts = previous.finding_counts.copy()
            counts.subtract(count_links(old))
            counts.update(count_links(new))
            self.__dict__["finding_counts"] = +counts
        if "doi_owners" in previous.__dict__:
            self.__dict__["doi_owners"] = moved_dois(
                previous.doi_owners, previous._sources, changes
            )
        changed_ids = {f.id for f in old} | {f.id for f in new}
        moved_findings = [f for ident in moved for f in sources[ident].findings]
        touched = touched_cells([*old, *new, *moved_findings], self.vocabulary)
        changed_ids.update(f.id for f in moved_findings)
        # finding answers are keyed (finding id, lang) and depend on the finding and its source
        self._finding_cache = dict(previous._finding_cache)
        for key in [(ident, lang) for ident in changed_ids for lang in LANGS]:
            self._finding_cache.pop(key, None)
        return touched, bool(moved)

    def updated(self, changes: Mapping[str, Source | None], version: str) -> EvidenceIndex:
        """A new index with some sources replaced, added or removed; this one is unchanged.

        Equal, answer for answer, to :meth:`build` over the changed evidence base, but only
        what the change can reach is computed again: a write of one source costs in
        proportion to that source (and the factors it touches), not to the evidence base.

        Parameters
        ----------
        changes : mapping
            ``{source_id: Source}`` for a new or replaced source, ``{source_id: None}`` for a
            removed one.
        version : str
            The store's data version after the change.

        Returns
        -------
        EvidenceIndex
        """
        return EvidenceIndex([], self.vocabulary, version, previous=self, changes=changes)

    @classmethod
    def build(
        cls, sources: list[Source], vocabulary: Vocabulary, version: str = ""
    ) -> EvidenceIndex:
        """Precompute every cell (factor x any/driver/demographic value).

        Parameters
        ----------
        sources : list of Source
            The whole evidence base, as read back from the store.
        vocabulary : Vocabulary
        version : str
            The store's data version.

        Returns
        -------
        EvidenceIndex

        Examples
        --------
        >>> from triggergraph.vocabulary import load_vocabulary
        >>> len(EvidenceIndex.build([], load_vocabulary(), "v0").findings)
        0
        """
        return cls(sources, vocabulary, version)

    # ---- caches ---------------------------------------------------------------------------
    def remember(self, key: tuple, make: Callable[[], Any]) -> Any:
        """Return ``make()``, computed once for this index, that is once per data version.

        A write makes a new index, which starts with nothing remembered; at most
        ``MAX_CACHED_ANSWERS`` answers are kept, later ones are computed on every call.

        Examples
        --------
        >>> from triggergraph.vocabulary import load_vocabulary
        >>> index = EvidenceIndex.build([], load_vocabulary(), "v0")
        >>> calls = []
        >>> [index.remember(("page", "x"), lambda: calls.append(1) or "html") for _ in range(3)]
        ['html', 'html', 'html']
        >>> len(calls)
        1
        """
        found = self._json.get(key)
        if found is None:
            found = make()
            if len(self._json) < MAX_CACHED_ANSWERS:
                self._json[key] = found
        return found

    def finding_answer(self, finding_id: str, lang: str, make: Callable[[], Any]) -> Any:
        """The answer for one finding in ``lang``: ``make()``, kept until a write changes the
        finding or its source."""
        key = (finding_id, lang)
        found = self._finding_cache.get(key)
        if found is None:
            found = self._finding_cache[key] = make()
        return found


__all__ = ["EvidenceIndex", "MAX_CACHED_ANSWERS"]
