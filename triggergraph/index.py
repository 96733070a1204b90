"""EvidenceIndex: the in-memory read model of sources, findings and cell verdicts, with cached JSON."""

from __future__ import annotations

import csv
import io
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import orjson

from .answers.queries import FactorsQuery, FindingsQuery, MatrixQuery, ProfileQuery, SourcesQuery
from .constructs import construct_dict
from .effects import effect_flags, effect_size_band
from .exceptions import EntryError, NotFoundError, Problem
from .verdict import (
    ANY_COLUMN,
    ANY_LABELS,
    CERTAINTIES,
    STRENGTH_ORDER,
    VERDICT_LABELS,
    VERDICT_RANK,
    VERDICTS,
    CellVerdict,
    check_min_verdict,
    compute_cells,
    compute_matrix,
    find_gaps,
    group_sources,
    meets_min_verdict,
    rank_cells,
    rank_profile,
    route_by_factor,
    touched_cells,
)
from .vocabulary import suggest

if TYPE_CHECKING:
    from .models import Finding, Source
    from .vocabulary import Concept, Vocabulary

LANGS: tuple[str, ...] = ("nl", "en")
MAX_LIMIT = 1000
#: Bound on cached serialised answers, so odd filter combinations cannot grow memory forever.
MAX_CACHED_ANSWERS = 512
#: One-letter verdict codes of the terminal table, per language.
VERDICT_CODES: dict[str, dict[str, str]] = {
    "en": {"strong": "S", "moderate": "M", "limited": "L", "contested": "X", "no_evidence": "."},
    "nl": {"strong": "S", "moderate": "R", "limited": "B", "contested": "T", "no_evidence": "."},
}
#: Direction signs of the terminal table: a null result never looks like an increase.
DIRECTION_SIGNS: dict[str, str] = {
    "increases": "+",
    "decreases": "-",
    "no_association": "o",
    "mixed": "~",
    "tie": "=",
}
DIRECTION_SIGN_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "increases": "increases",
        "decreases": "decreases",
        "no_association": "no association",
        "mixed": "mixed",
        "tie": "tie, no direction",
    },
    "nl": {
        "increases": "verhoogt",
        "decreases": "verlaagt",
        "no_association": "geen samenhang",
        "mixed": "wisselend",
        "tie": "gelijke stand, geen richting",
    },
}
PROFILE_NOTICE: dict[str, str] = {
    "en": "This ranking summarises population-level research findings. It cannot predict what "
    "any individual person will think or do, and it is not a risk assessment: use it to see "
    "what the literature says, never to judge a person.",
    "nl": "Deze rangorde vat onderzoeksbevindingen op populatieniveau samen. Ze kan niet "
    "voorspellen wat een individuele persoon zal denken of doen, en is geen risicotaxatie: "
    "gebruik haar om te zien wat de literatuur zegt, nooit om een persoon te beoordelen.",
}


def _problem(field_name: str, value: object, valid: Iterable[str]) -> EntryError:
    options = list(valid)
    shown = ", ".join(options[:20]) + (", ..." if len(options) > 20 else "")
    return EntryError(
        [
            Problem(
                None,
                None,
                field_name,
                f"{value!r} is not a valid {field_name}; valid: {shown}",
                tuple(suggest(value, options)),
            )
        ]
    )


def carries_all(finding: Finding, chosen: Mapping[str, str]) -> bool:
    """Whether ``finding`` carries every chosen profile attribute (the AND of a profile).

    ``chosen`` maps ``driver``/``sex``/``age``/``education`` to a driver id or demographic value.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> f = NS(drivers=[NS(driver="justice_seeker")], demographics=["sex_male"])
    >>> carries_all(f, {"driver": "justice_seeker", "sex": "sex_male"})
    True
    >>> carries_all(f, {"driver": "justice_seeker", "age": "age_18_25"})
    False
    """
    for dimension, value in chosen.items():
        if dimension == "driver":
            if not any(link.driver == value for link in finding.drivers):
                return False
        elif value not in finding.demographics:
            return False
    return True


def format_citation(source: Source) -> str:
    """Return an APA-like reference string for a source.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> format_citation(S(authors=["Jasko, K.", "LaFree, G."], year=2017, title="Quest",
    ...                   venue="Political Psychology 38(5)", doi="10.1111/pops.12376", url=None))
    'Jasko, K., & LaFree, G. (2017). Quest. Political Psychology 38(5). https://doi.org/10.1111/pops.12376'
    """
    authors = list(source.authors)
    names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + ", & " + authors[-1]
    title = source.title if source.title.endswith((".", "?", "!")) else source.title + "."
    text = f"{names} ({source.year}). {title}"
    if source.venue:
        text += f" {source.venue}."
    if source.doi:
        text += f" https://doi.org/{source.doi}"
    elif source.url:
        text += f" {source.url}"
    return text


def _count_links(findings: Iterable[Finding]) -> Counter[str]:
    """How many of ``findings`` name each driver and each demographic value."""
    counts: Counter[str] = Counter()
    for finding in findings:
        counts.update({link.driver for link in finding.drivers})
        counts.update(set(finding.demographics))
    return counts


def _spliced(
    routes: list, factor_id: str, source_id: str, source: Source | None, vocabulary: Vocabulary
) -> list:
    """One factor's ``routes`` with the entries of ``source_id`` replaced by ``source``'s.

    The list stays ordered by source id, then finding order, as :func:`route_by_factor` over
    all sources makes it; it is a new list, the old one is left as it was.
    """
    kept = [item for item in routes if item[1].id != source_id]
    if source is not None:
        block = [
            (finding, source, route)
            for finding in source.findings
            for route in vocabulary.routes_for(finding.factor)
            if route.factor == factor_id
        ]
        at = bisect_left(kept, source_id, key=lambda item: item[1].id)
        kept[at:at] = block
    return kept


def _grouped(groups: Mapping[str, str]) -> frozenset[str]:
    """The ids that share an independent group with another id."""
    return frozenset(
        ident for item, group in groups.items() if item != group for ident in (item, group)
    )


def _regrouped(
    previous: EvidenceIndex, changes: Mapping[str, Source | None], sources: Mapping[str, Source]
) -> tuple[dict[str, str], frozenset[str], set[str]]:
    """Independent groups after ``changes``: ``(groups, grouped ids, sources whose group moved)``.

    A change that names no overlap and touches no source in a shared group only adds or drops
    single-source groups; anything else regroups everything.
    """
    overlapping = any(
        source is not None and source.overlaps_with
        for ident, new in changes.items()
        for source in (previous._sources.get(ident), new)
    )
    if not overlapping and not any(ident in previous._grouped for ident in changes):
        groups = dict(previous._groups)
        for ident, source in changes.items():
            if source is None:
                groups.pop(ident, None)
            else:
                groups[ident] = ident
        return groups, previous._grouped, set()
    groups = group_sources(sources.values())
    moved = {ident for ident in sources if groups.get(ident) != previous._groups.get(ident)}
    return groups, _grouped(groups), moved


class EvidenceIndex:
    """All read answers, precomputed from ``list[Source]`` and a :class:`Vocabulary`.

    Build with :meth:`build`; the index never touches RDF or the store. Every public method
    returns JSON-ready plain dicts/lists (ids, labels in ``lang`` = "nl" | "en", IRIs), raises
    :class:`~triggergraph.exceptions.NotFoundError` (with close-id suggestions) for unknown ids
    and :class:`~triggergraph.exceptions.EntryError` for bad filter values (bad language,
    verdict, scale value, offset or limit).

    Cell dicts (``cell``) everywhere have the keys of :meth:`CellVerdict.as_dict` plus
    ``verdict_label`` in ``lang``.
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
        self._cell_base: dict[tuple[str, str], dict] = {}
        self._finding_cache: dict[tuple[str, str], dict] = {}
        if previous is None:
            self._sources: dict[str, Source] = {
                s.id: s for s in sorted(sources, key=lambda s: s.id)
            }
            self._findings: dict[str, tuple[Finding, Source]] = {
                f.id: (f, s) for s in self._sources.values() for f in s.findings
            }
            self._groups = group_sources(self._sources.values())
            self._grouped = _grouped(self._groups)
            # (finding, source, route) by every factor the finding reaches
            self._routed = route_by_factor(self._pairs, vocabulary)
            fresh = compute_cells(keys, self._routed, vocabulary, groups=self._groups)
        else:
            touched = self._apply_changes(previous, changes or {})
            fresh = compute_cells(
                [k for k in keys if k in touched], self._routed, vocabulary, groups=self._groups
            )
        self._cells: dict[str, dict[str, CellVerdict]] = {
            factor_id: {
                column: fresh.get((factor_id, column)) or previous._cells[factor_id][column]
                for column in columns
            }
            for factor_id in self._factor_order
        }

    @cached_property
    def _pairs(self) -> list[tuple[Finding, Source]]:
        """Every (finding, source), sources by id: made on first use, once per index."""
        return [(f, s) for s in self._sources.values() for f in s.findings]

    def _apply_changes(
        self, previous: EvidenceIndex, changes: Mapping[str, Source | None]
    ) -> set[tuple[str, str]]:
        """Derive this index's tables from ``previous`` with ``changes`` applied; return the
        cells the change can alter.

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
                for finding in before.findings:
                    findings.pop(finding.id, None)
            if source is not None:
                added = added or before is None
                sources[ident] = source  # a replaced source keeps its place in the order
                new.extend(source.findings)
                findings.update((f.id, (f, source)) for f in source.findings)
            for factor_id in self._factors_of(before, source):
                routed[factor_id] = _spliced(
                    routed.get(factor_id, []), factor_id, ident, source, self.vocabulary
                )
        if added:
            sources = dict(sorted(sources.items()))
        self._sources, self._findings, self._routed = sources, findings, routed
        self._groups, self._grouped, moved = _regrouped(previous, changes, sources)
        if "_finding_counts" in previous.__dict__:
            counts = previous._finding_counts.copy()
            counts.subtract(_count_links(old))
            counts.update(_count_links(new))
            self.__dict__["_finding_counts"] = +counts
        changed_ids = {f.id for f in old} | {f.id for f in new}
        moved_findings = [f for ident in moved for f in sources[ident].findings]
        touched = touched_cells([*old, *new, *moved_findings], self.vocabulary)
        self._cell_base = {k: v for k, v in previous._cell_base.items() if k not in touched}
        changed_ids.update(f.id for f in moved_findings)
        # finding dicts are keyed (finding id, lang) and depend on the finding and its source
        self._finding_cache = dict(previous._finding_cache)
        for key in [(ident, lang) for ident in changed_ids for lang in LANGS]:
            self._finding_cache.pop(key, None)
        return touched

    def _factors_of(self, *sources: Source | None) -> set[str]:
        """The trigger factors the findings of ``sources`` reach (:func:`route_by_factor`)."""
        return {
            route.factor
            for source in sources
            if source is not None
            for finding in source.findings
            for route in self.vocabulary.routes_for(finding.factor)
        }

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
        index = EvidenceIndex([], self.vocabulary, version, previous=self, changes=changes)
        index._warm()
        return index

    @classmethod
    def build(
        cls, sources: list[Source], vocabulary: Vocabulary, version: str = ""
    ) -> EvidenceIndex:
        """Precompute every cell (factor x any/driver/demographic value) and the hot JSON answers.

        Parameters
        ----------
        sources : list of Source
            The whole evidence base, as read back from the store.
        vocabulary : Vocabulary
        version : str
            The store's data version, reported by :meth:`health`.

        Returns
        -------
        EvidenceIndex

        Examples
        --------
        >>> from triggergraph.vocabulary import load_vocabulary
        >>> EvidenceIndex.build([], load_vocabulary(), "v0").health()["findings"]
        0
        """
        index = cls(sources, vocabulary, version)
        index._warm()
        return index

    def _warm(self) -> None:
        # factor pages and matrices are serialised on first request instead: with thousands
        # of findings doing all of them here would make every rebuild after a write seconds
        # slower, and every matrix variant (cols x lang) would be held whether asked or not
        for lang in LANGS:
            self.factors_json(FactorsQuery(lang=lang))

    # ---- checks and small helpers -----------------------------------------------------------
    @staticmethod
    def _lang(lang: str) -> str:
        if lang not in LANGS:
            raise _problem("lang", lang, LANGS)
        return lang

    @staticmethod
    def _page(offset: int, limit: int) -> tuple[int, int]:
        if not isinstance(offset, int) or offset < 0:
            raise EntryError([Problem(None, None, "offset", f"{offset!r} must be an integer >= 0")])
        if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise EntryError(
                [
                    Problem(
                        None, None, "limit", f"{limit!r} must be an integer from 1 to {MAX_LIMIT}"
                    )
                ]
            )
        return offset, limit

    def _scale(self, scheme: str, value: str | None, field_name: str) -> str | None:
        if value is not None and value not in self.vocabulary.scales[scheme]:
            raise _problem(field_name, value, self.vocabulary.scales[scheme])
        return value

    def _known(self, kind: str, value: str, table: Collection[str]) -> str:
        # membership on the table itself (a dict of 100k findings answers in O(1)); the
        # options are listed only for the suggestions of a miss
        if value not in table:
            raise NotFoundError(kind, value, suggest(value, list(table)))
        return value

    def _demographic_value(self, dimension: str, value: str | None) -> str | None:
        if value is None:
            return None
        return self._known(dimension, value, self._column_sets[dimension])

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

    def _cached(self, key: tuple, make: Callable[[], Any]) -> bytes:
        return self.remember(("json", *key), lambda: orjson.dumps(make()))

    @staticmethod
    def _paged(items: list, offset: int, limit: int) -> dict:
        return {
            "total": len(items),
            "offset": offset,
            "limit": limit,
            "items": items[offset : offset + limit],
        }

    def _ref(self, concept: Concept | None, lang: str) -> dict | None:
        if concept is None:
            return None
        return {"id": concept.id, "iri": concept.iri, "label": concept.label(lang)}

    def _scale_ref(self, scheme: str, value: str | None, lang: str) -> dict | None:
        if value is None:
            return None
        concept = self.vocabulary.scales[scheme].get(value)
        return {"id": value, "label": concept.label(lang) if concept else value}

    def _column_ref(self, column: str, lang: str) -> dict:
        if column == ANY_COLUMN:
            return {
                "id": ANY_COLUMN,
                "iri": None,
                "label": ANY_LABELS[lang],
                "kind": ANY_COLUMN,
                "dimension": None,
            }
        if column in self.vocabulary.drivers:
            c = self.vocabulary.drivers[column]
            return {
                "id": c.id,
                "iri": c.iri,
                "label": c.label(lang),
                "kind": "driver",
                "dimension": None,
            }
        c = self.vocabulary.demographics[column]
        return {
            "id": c.id,
            "iri": c.iri,
            "label": c.label(lang),
            "kind": "demographic",
            "dimension": c.dimension,
        }

    def _cell(self, cell: CellVerdict, lang: str) -> dict:
        """A fresh top-level dict per answer; the nested lists of precomputed cells are shared."""
        key = (cell.factor, cell.column)
        if self._cells.get(cell.factor, {}).get(cell.column) is not cell:
            return cell.as_dict(lang)
        base = self._cell_base.get(key)
        if base is None:
            base = self._cell_base[key] = cell.as_dict()
        return {**base, "verdict_label": VERDICT_LABELS[cell.verdict][lang]}

    def _factor_summary(self, factor_id: str, lang: str) -> dict:
        c = self.vocabulary.factors[factor_id]
        level = self.vocabulary.concepts["level"].get(c.level or "")
        group = self.vocabulary.concepts["group"].get(c.group or "")
        return {
            "id": c.id,
            "iri": c.iri,
            "label": c.label(lang),
            "labels": dict(c.labels),
            "level": c.level,
            "level_label": level.label(lang) if level else None,
            "group": c.group,
            "group_label": group.label(lang) if group else None,
            "report_section": c.report_section,
            "verified": c.verified,
        }

    # ---- factors -------------------------------------------------------------------------
    def factors(self, query: FactorsQuery) -> dict:
        """List trigger factors in report order, filtered.

        Parameters
        ----------
        query : FactorsQuery
            The fields below.
        level : str, optional
            ``micro``, ``meso`` or ``macro``.
        driver, sex, age, education : str, optional
            A column id each (``justice_seeker``, ``sex_male``, ``age_under_18``,
            ``education_low``); keeps factors whose cell for every given column meets
            ``min_verdict``, or has any evidence when no ``min_verdict`` is given.
        min_verdict : str, optional
            ``strong``, ``moderate`` or ``limited`` (``limited`` also keeps ``contested``).
            Without column filters it applies to the factor's overall (``any``) cell.
        q : str, optional
            Case-insensitive text in the id, Dutch or English label or alternative labels.
        lang, offset, limit
            Label language; page.

        Returns
        -------
        dict
            ``{"total", "offset", "limit", "items": [{id, iri, label, labels, level,
            level_label, group, group_label, report_section, verified, overall: cell,
            cells: {column: cell} (only the filtered columns)}]}``.
        """
        level, driver, min_verdict, q = query.level, query.driver, query.min_verdict, query.q
        sex, age, education = query.sex, query.age, query.education
        lang, offset, limit = query.lang, query.offset, query.limit
        self._lang(lang)
        offset, limit = self._page(offset, limit)
        check_min_verdict(min_verdict)
        if level is not None:
            self._known("level", level, self.vocabulary.concepts["level"])
        columns = []
        if driver is not None:
            columns.append(self._known("driver", driver, self._drivers))
        for dimension, value in (("sex", sex), ("age", age), ("education", education)):
            if value is not None:
                columns.append(self._demographic_value(dimension, value))
        needle = q.casefold().strip() if q else ""
        items = []
        for factor_id in self._factor_order:
            concept = self.vocabulary.factors[factor_id]
            if level is not None and concept.level != level:
                continue
            if needle:
                haystack = [concept.id, *concept.labels.values(), *concept.alt_labels]
                if not any(needle in text.casefold() for text in haystack):
                    continue
            cells = self._cells[factor_id]
            tested = columns or ([ANY_COLUMN] if min_verdict else [])
            if not all(meets_min_verdict(cells[c].verdict, min_verdict) for c in tested):
                continue
            item = self._factor_summary(factor_id, lang)
            item["overall"] = self._cell(cells[ANY_COLUMN], lang)
            if columns:
                item["cells"] = {c: self._cell(cells[c], lang) for c in columns}
            items.append(item)
        return self._paged(items, offset, limit)

    def factor(self, id: str, lang: str = "en") -> dict:
        """One factor with definitions, broader/narrower, related constructs, cells and findings.

        Returns
        -------
        dict
            ``{id, iri, label, labels, alt_labels, definition, definitions, notes, level,
            level_label, group, group_label, report_section, report_page, verified,
            tool_page, broader, narrower, related_constructs: [{id, iri, label, mapping}],
            overall: cell, columns: [column refs], cells: {column: cell}, findings: [finding]}``.
        """
        self._lang(lang)
        self._known("factor", id, self.vocabulary.factors)
        c = self.vocabulary.factors[id]
        out = self._factor_summary(id, lang)
        out.update(
            {
                "alt_labels": list(c.alt_labels),
                "definition": c.definitions.get(lang) or next(iter(c.definitions.values()), None),
                "definitions": dict(c.definitions),
                "notes": dict(c.notes),
                "report_page": c.report_page,
                "tool_page": c.tool_page,
                "broader": self._ref(self.vocabulary.factors.get(c.broader or ""), lang),
                "narrower": [
                    self._ref(n, lang) for n in self.vocabulary.ordered_factors() if n.broader == id
                ],
                "related_constructs": [
                    {**self._ref(k, lang), "mapping": mapping}
                    for k in sorted(self.vocabulary.constructs.values(), key=lambda k: k.id)
                    for target, mapping in k.maps_to
                    if target == id
                ],
                "overall": self._cell(self._cells[id][ANY_COLUMN], lang),
                "columns": [self._column_ref(col, lang) for col in self._column_sets["all"]],
                "cells": {
                    col: self._cell(self._cells[id][col], lang) for col in self._column_sets["all"]
                },
                "findings": [
                    self._finding_dict(f, s, lang)
                    for f, s, _direct in sorted(
                        self._routed.get(id, []),
                        key=lambda p: (CERTAINTIES.index(p[0].certainty), p[0].id),
                    )
                ],
            }
        )
        return out

    def construct(self, id: str, lang: str = "en") -> dict:
        """One related risk-factor construct: definitions, the trigger factors it maps to, findings.

        Returns
        -------
        dict
            :func:`~triggergraph.constructs.construct_dict` plus ``level_label`` and
            ``findings: [finding]``; ``maps_to`` is empty when the construct informs no
            trigger factor (its findings then count for no cell).
        """
        self._lang(lang)
        self._known("construct", id, self.vocabulary.constructs)
        c = self.vocabulary.constructs[id]
        level = self.vocabulary.concepts["level"].get(c.level or "")
        return {
            **construct_dict(self.vocabulary, c, lang),
            "level_label": level.label(lang) if level else None,
            "findings": [
                self._finding_dict(f, s, lang)
                for f, s in sorted(
                    (p for p in self._pairs if p[0].factor == id),
                    key=lambda p: (CERTAINTIES.index(p[0].certainty), p[0].id),
                )
            ],
        }

    # ---- drivers and demographics ---------------------------------------------------------
    @cached_property
    def _finding_counts(self) -> Counter[str]:
        """Findings per driver and per demographic value: one pass, once per index (= data
        version), instead of one scan of every finding per driver and value on each request."""
        return _count_links(f for f, _ in self._pairs)

    def _driver_dict(self, driver_id: str, lang: str) -> dict:
        c = self.vocabulary.drivers[driver_id]
        return {
            "id": c.id,
            "iri": c.iri,
            "label": c.label(lang),
            "labels": dict(c.labels),
            "definition": c.definitions.get(lang),
            "definitions": dict(c.definitions),
            "rank": c.rank,
            "n_findings": self._finding_counts[driver_id],
            "n_factors_with_evidence": sum(
                1 for f in self._factor_order if self._cells[f][driver_id].verdict != "no_evidence"
            ),
        }

    def drivers(self, lang: str = "en") -> dict:
        """The four drivers: ``{"items": [{id, iri, label, labels, definition, definitions,
        rank, n_findings, n_factors_with_evidence}]}``."""
        self._lang(lang)
        return {"items": [self._driver_dict(d, lang) for d in self._drivers]}

    def _ranked(self, column: str, lang: str) -> tuple[list[dict], list[dict]]:
        cells = [self._cells[f][column] for f in self._factor_order]
        order = {f: i for i, f in enumerate(self._factor_order)}
        ranked = sorted(
            (c for c in cells if c.verdict != "no_evidence"),
            key=lambda c: (-VERDICT_RANK[c.verdict], -c.score, -c.n_findings, order[c.factor]),
        )
        items = [
            {
                "rank": i + 1,
                "factor": self._factor_summary(c.factor, lang),
                "cell": self._cell(c, lang),
            }
            for i, c in enumerate(ranked)
        ]
        empty = [self._factor_summary(c.factor, lang) for c in cells if c.verdict == "no_evidence"]
        return items, empty

    def driver(self, id: str, lang: str = "en") -> dict:
        """One driver with ``factors`` ranked by their cell for it (verdict, score, findings)
        and ``no_evidence``: the factors no finding links to it."""
        self._lang(lang)
        self._known("driver", id, self._drivers)
        out = self._driver_dict(id, lang)
        out["factors"], out["no_evidence"] = self._ranked(id, lang)
        return out

    def demographics(self, lang: str = "en") -> dict:
        """``{"dimensions": [{id, iri, label, labels, definition, values: [{id, iri, label,
        labels, definition, rank, n_findings}]}]}``."""
        self._lang(lang)
        dims = []
        for dim_id in self._dimensions:
            d = self.vocabulary.dimensions[dim_id]
            values = []
            for v in self.vocabulary.values_of(dim_id):
                values.append(
                    {
                        "id": v.id,
                        "iri": v.iri,
                        "label": v.label(lang),
                        "labels": dict(v.labels),
                        "definition": v.definitions.get(lang),
                        "rank": v.rank,
                        "n_findings": self._finding_counts[v.id],
                    }
                )
            dims.append(
                {
                    "id": d.id,
                    "iri": d.iri,
                    "label": d.label(lang),
                    "labels": dict(d.labels),
                    "definition": d.definitions.get(lang),
                    "values": values,
                }
            )
        return {"dimensions": dims}

    # ---- findings ------------------------------------------------------------------------
    def _finding_dict(self, f: Finding, s: Source, lang: str) -> dict:
        key = (f.id, lang)
        found = self._finding_cache.get(key)
        if found is None:
            found = self._finding_cache[key] = self._make_finding_dict(f, s, lang)
        return found

    def _make_finding_dict(self, f: Finding, s: Source, lang: str) -> dict:
        vocab = self.vocabulary
        subject = vocab.factors.get(f.factor) or vocab.constructs.get(f.factor)
        base = vocab.base_iri
        effect = None
        if f.effect is not None:
            e = f.effect
            effect = {
                "measure": e.measure,
                "measure_label": self._scale_ref("effect-measure", e.measure, lang)["label"],
                "value": e.value,
                "ci": list(e.ci) if e.ci is not None else None,
                "k": e.k,
                "n": e.n,
                "p": e.p,
                "text": e.text,
                "magnitude_in_source": e.magnitude_in_source,
            }
        band = effect_size_band(f.effect)
        return {
            "id": f.id,
            "iri": f"{base}finding/{f.id}",
            "factor": {
                "id": f.factor,
                "iri": subject.iri if subject else None,
                "label": subject.label(lang) if subject else f.factor,
                "kind": subject.kind if subject else None,
            },
            "counts_toward": [
                {"factor": t, "label": vocab.factors[t].label(lang), "direct": direct}
                for t, direct in vocab.triggers_for(f.factor)
                if t in vocab.factors
            ],
            "drivers": [
                {
                    "driver": lnk.driver,
                    "iri": f"{base}driver/{lnk.driver}",
                    "label": vocab.drivers[lnk.driver].label(lang)
                    if lnk.driver in vocab.drivers
                    else lnk.driver,
                    "basis": lnk.basis,
                    "term_in_source": lnk.term_in_source,
                }
                for lnk in f.drivers
            ],
            "drivers_stated": [lnk.driver for lnk in f.drivers if lnk.basis == "stated"],
            "drivers_proposed": [lnk.driver for lnk in f.drivers if lnk.basis == "proposed"],
            "demographics": [
                self._ref(vocab.demographics[d], lang)
                if d in vocab.demographics
                else {"id": d, "iri": None, "label": d}
                for d in f.demographics
            ],
            "direction": f.direction,
            "direction_label": self._scale_ref("direction", f.direction, lang)["label"],
            "certainty": f.certainty,
            "certainty_label": self._scale_ref("certainty", f.certainty, lang)["label"],
            "certainty_reasons": list(f.certainty_reasons),
            "caveats": [self._scale_ref("caveat", c, lang) for c in f.caveats],
            "indirectness": [self._scale_ref("indirectness", r, lang) for r in f.indirectness],
            "effect": effect,
            "size_band": band,
            "effect_flags": [
                self._scale_ref("effect-flag", x, lang) for x in effect_flags(f.effect)
            ],
            "size_band_label": self._scale_ref("size-band", band, lang)["label"],
            "outcome_stages": [self._scale_ref("outcome-stage", o, lang) for o in f.outcome_stages],
            "outcome": f.outcome,
            "outcome_kind": self._scale_ref("outcome-kind", f.outcome_kind, lang),
            "population": f.population,
            "locator": f.locator,
            "verified_from": f.verified_from,
            "trigger_role": self._scale_ref("trigger-role", f.trigger_role, lang),
            "note": f.note,
            "added_by": f.added_by,
            "added_on": f.added_on.isoformat() if f.added_on else None,
            "source": {
                "id": s.id,
                "iri": f"{base}source/{s.id}",
                "citation": format_citation(s),
                "year": s.year,
                "title": s.title,
                "citation_flags": list(s.citation_flags),
            },
        }

    def findings(self, query: FindingsQuery) -> dict:
        """Paged findings (sources by id, findings in entry order).

        Parameters
        ----------
        query : FindingsQuery
            The fields below.
        factor : str, optional
            A trigger factor id (findings that count toward it: itself, narrower factors and
            mapped constructs) or a construct id (findings about that construct).
        driver : str, optional
            Findings that link this driver, stated or proposed.
        demographic : str, optional
            A demographic value id, or a dimension id (any of its values).
        source, direction, certainty, outcome_stage : str, optional
            Exact matches.

        Returns
        -------
        dict
            ``{"total", "offset", "limit", "items": [finding dicts as in :meth:`finding`]}``.
        """
        factor, driver, demographic = query.factor, query.driver, query.demographic
        source, direction, certainty = query.source, query.direction, query.certainty
        outcome_stage, lang = query.outcome_stage, query.lang
        offset, limit = query.offset, query.limit
        self._lang(lang)
        offset, limit = self._page(offset, limit)
        vocab = self.vocabulary
        pairs = self._pairs
        if factor is not None:
            if factor in vocab.factors:
                allowed = {f.id for f, _s, _direct in self._routed.get(factor, [])}
                pairs = [p for p in pairs if p[0].id in allowed]
            elif factor in vocab.constructs:
                pairs = [p for p in pairs if p[0].factor == factor]
            else:
                raise NotFoundError(
                    "factor", factor, suggest(factor, {**vocab.factors, **vocab.constructs})
                )
        if driver is not None:
            self._known("driver", driver, self._drivers)
            pairs = [p for p in pairs if any(lnk.driver == driver for lnk in p[0].drivers)]
        if demographic is not None:
            if demographic in self._dimensions:
                wanted = set(self._column_sets[demographic])
            else:
                self._known("demographic", demographic, [*self._values, *self._dimensions])
                wanted = {demographic}
            pairs = [p for p in pairs if wanted & set(p[0].demographics)]
        if source is not None:
            self._known("source", source, self._sources)
            pairs = [p for p in pairs if p[1].id == source]
        if self._scale("direction", direction, "direction"):
            pairs = [p for p in pairs if p[0].direction == direction]
        if self._scale("certainty", certainty, "certainty"):
            pairs = [p for p in pairs if p[0].certainty == certainty]
        if self._scale("outcome-stage", outcome_stage, "outcome_stage"):
            pairs = [p for p in pairs if outcome_stage in p[0].outcome_stages]
        page = pairs[offset : offset + limit]
        return {
            "total": len(pairs),
            "offset": offset,
            "limit": limit,
            "items": [self._finding_dict(f, s, lang) for f, s in page],
        }

    def finding(self, id: str, lang: str = "en") -> dict:
        """One finding: every field, its source's citation, size band, IRIs, the factors it
        counts toward, and ``drivers_stated`` / ``drivers_proposed`` kept apart."""
        self._lang(lang)
        self._known("finding", id, self._findings)
        f, s = self._findings[id]
        return self._finding_dict(f, s, lang)

    # ---- sources -------------------------------------------------------------------------
    def _source_summary(self, s: Source) -> dict:
        return {
            "id": s.id,
            "iri": f"{self.vocabulary.base_iri}source/{s.id}",
            "citation": format_citation(s),
            "authors": list(s.authors),
            "year": s.year,
            "title": s.title,
            "type": s.type,
            "study_design": s.study_design,
            "citation_flags": list(s.citation_flags),
            "n_findings": len(s.findings),
        }

    def sources(self, query: SourcesQuery) -> dict:
        """Paged sources by id; ``q`` searches id, title, authors, venue and year."""
        offset, limit = self._page(query.offset, query.limit)
        needle = query.q.casefold().strip() if query.q else ""
        items = []
        for s in self._sources.values():
            if needle:
                haystack = [s.id, s.title, *s.authors, s.venue or "", str(s.year)]
                if not any(needle in text.casefold() for text in haystack):
                    continue
            items.append(self._source_summary(s))
        return self._paged(items, offset, limit)

    def source(self, id: str) -> dict:
        """One source: the bibliographic record, citation string, flags, independent group,
        findings (summaries), cited works and context notes."""
        self._known("source", id, self._sources)
        s = self._sources[id]
        group = self._groups.get(id, id)
        out = self._source_summary(s)
        out.update(
            {
                "venue": s.venue,
                "doi": s.doi,
                "url": s.url,
                "language": s.language,
                "design": s.design,
                "citation_note": s.citation_note,
                "overlaps_with": list(s.overlaps_with),
                "independent_group": sorted(k for k, g in self._groups.items() if g == group),
                "context_notes": [n.model_dump(mode="json") for n in s.context_notes],
                "cites": [c.model_dump(mode="json") for c in s.cites],
                "added_by": s.added_by,
                "added_on": s.added_on.isoformat(),
                "findings": [
                    {
                        "id": f.id,
                        "iri": f"{self.vocabulary.base_iri}finding/{f.id}",
                        "factor": f.factor,
                        "direction": f.direction,
                        "certainty": f.certainty,
                        "drivers_stated": [
                            lnk.driver for lnk in f.drivers if lnk.basis == "stated"
                        ],
                        "drivers_proposed": [
                            lnk.driver for lnk in f.drivers if lnk.basis == "proposed"
                        ],
                        "demographics": list(f.demographics),
                        "locator": f.locator,
                    }
                    for f in s.findings
                ],
            }
        )
        return out

    # ---- matrix, gaps, profile ----------------------------------------------------------------
    def _columns(self, cols: str) -> list[str]:
        if cols not in self._column_sets:
            raise _problem("cols", cols, self._column_sets)
        return self._column_sets[cols]

    def _grid(
        self,
        factor_ids: list[str],
        columns: list[str],
        outcome_stage: str | None,
        direct_only: bool,
        keep: Callable[[Finding, Source], bool] | None,
    ) -> dict[str, dict[str, CellVerdict]]:
        """The precomputed cells, or the cells recomputed over the findings the filters keep."""
        if outcome_stage is None and not direct_only and keep is None:
            return self._cells
        pairs = [
            p
            for p in self._pairs
            if (outcome_stage is None or outcome_stage in p[0].outcome_stages)
            and (keep is None or keep(*p))
        ]
        return compute_matrix(
            factor_ids,
            [ANY_COLUMN, *columns],
            pairs,
            self.vocabulary,
            groups=self._groups,
            direct_only=direct_only,
        )

    def filtered_cell(
        self,
        factor_id: str,
        column: str,
        query: MatrixQuery,
        keep: Callable[[Finding, Source], bool] | None = None,
    ) -> dict:
        """One cell (``column`` may be ``any``) under the matrix filters and ``keep``.

        The same cell dict as :meth:`matrix` gives, with its counted findings and explanation.
        """
        self._lang(query.lang)
        self._scale("outcome-stage", query.outcome_stage, "outcome_stage")
        if factor_id not in self.vocabulary.factors:
            raise NotFoundError("factor", factor_id, suggest(factor_id, self.vocabulary.factors))
        columns = [] if column == ANY_COLUMN else [column]
        grid = self._grid([factor_id], columns, query.outcome_stage, query.direct_only, keep)
        return self._cell(grid[factor_id][column], query.lang)

    def matrix(
        self, query: MatrixQuery, keep: Callable[[Finding, Source], bool] | None = None
    ) -> dict:
        """The evidence map: factors (rows) by drivers or demographic values (columns).

        Parameters
        ----------
        query : MatrixQuery
            The fields below.
        keep : callable, optional
            ``keep(finding, source)``: count only the findings it accepts (verdicts recomputed
            with the same rule; independent source groups stay those of the whole base), as
            the map's :class:`~triggergraph.answers.map_query.MapQuery` filters do.
        cols : str
            ``driver``, ``sex``, ``age``, ``education`` or ``all`` (drivers and every value).
        level : str, optional
            Keep only factors of this level.
        min_verdict : str, optional
            Keep only rows with at least one cell that meets it; every cell still comes back,
            with ``passes`` telling whether it meets it.
        outcome_stage : str, optional
            Count only findings on this outcome stage (verdicts recomputed).
        direct_only : bool
            Count only direct findings (verdicts recomputed).

        Returns
        -------
        dict
            ``{cols, lang, filters, columns: [{id, iri, label, kind, dimension}], rows:
            [factor summary + overall: {verdict, verdict_label, n_findings}], levels: [{id,
            label, factors: [ids]}], cells: {factor: {column: cell + passes}}, legend}``.
        """
        cols, level, min_verdict = query.cols, query.level, query.min_verdict
        outcome_stage, direct_only, lang = query.outcome_stage, query.direct_only, query.lang
        self._lang(lang)
        columns = self._columns(cols)
        check_min_verdict(min_verdict)
        if level is not None:
            self._known("level", level, self.vocabulary.concepts["level"])
        self._scale("outcome-stage", outcome_stage, "outcome_stage")
        factor_ids = [
            f
            for f in self._factor_order
            if level is None or self.vocabulary.factors[f].level == level
        ]
        grid = self._grid(factor_ids, columns, outcome_stage, direct_only, keep)
        rows, cells = [], {}
        for factor_id in factor_ids:
            row_cells = {}
            for column in columns:
                cell = self._cell(grid[factor_id][column], lang)
                cell["passes"] = meets_min_verdict(cell["verdict"], min_verdict)
                row_cells[column] = cell
            if min_verdict is not None and not any(c["passes"] for c in row_cells.values()):
                continue
            overall = grid[factor_id][ANY_COLUMN]
            row = self._factor_summary(factor_id, lang)
            row["overall"] = {
                "verdict": overall.verdict,
                "verdict_label": VERDICT_LABELS[overall.verdict][lang],
                "direction": overall.direction,
                "tie": overall.tie,
                "certainty": overall.certainty,
                "n_findings": overall.n_findings,
                "n_groups": overall.n_groups,
            }
            rows.append(row)
            cells[factor_id] = row_cells
        levels = []
        for level_concept in self.vocabulary.ordered("level"):
            ids = [r["id"] for r in rows if r["level"] == level_concept.id]
            if ids:
                levels.append(
                    {"id": level_concept.id, "label": level_concept.label(lang), "factors": ids}
                )
        return {
            "cols": cols,
            "lang": lang,
            "version": self.version,
            "filters": {
                "level": level,
                "min_verdict": min_verdict,
                "outcome_stage": outcome_stage,
                "direct_only": direct_only,
            },
            "columns": [self._column_ref(c, lang) for c in columns],
            "rows": rows,
            "levels": levels,
            "cells": cells,
            "legend": {v: VERDICT_LABELS[v][lang] for v in VERDICTS},
        }

    def _gap_entry(self, cell: CellVerdict, lang: str) -> dict:
        return {
            "factor": cell.factor,
            "factor_label": self.vocabulary.factors[cell.factor].label(lang),
            "column": cell.column,
            "column_label": self._column_ref(cell.column, lang)["label"],
            "verdict": cell.verdict,
            "verdict_label": VERDICT_LABELS[cell.verdict][lang],
            "n_findings": cell.n_findings,
            "explanation": dict(cell.explanation),
        }

    def gaps(self, lang: str = "en") -> dict:
        """Where the evidence is thin: ``empty`` cells, ``indirect_only`` cells, ``contested``.

        A factor without any finding is listed once, as its ``any`` cell, in
        ``factors_without_evidence`` and ``empty``; for the other factors each empty driver or
        demographic cell is listed.

        Returns
        -------
        dict
            ``{"empty": [...], "indirect_only": [...], "contested": [...],
            "factors_without_evidence": [ids], "counts": {...}}``; entries are ``{factor,
            factor_label, column, column_label, verdict, verdict_label, n_findings,
            explanation}``.
        """
        self._lang(lang)
        cells: list[CellVerdict] = []
        bare = []
        for factor_id in self._factor_order:
            row = self._cells[factor_id]
            if row[ANY_COLUMN].verdict == "no_evidence":
                bare.append(factor_id)
                cells.append(row[ANY_COLUMN])
            else:
                cells += [row[c] for c in [ANY_COLUMN, *self._column_sets["all"]]]
        found = find_gaps(cells)
        out = {kind: [self._gap_entry(c, lang) for c in items] for kind, items in found.items()}
        out["factors_without_evidence"] = bare
        out["counts"] = {kind: len(items) for kind, items in found.items()}
        return out

    def profile(self, query: ProfileQuery) -> dict:
        """Trigger factors ranked by the evidence for a profile (a driver and/or groups).

        Choices combine with AND: for each factor one verdict is computed over the findings
        that carry *every* chosen attribute (the driver link and each group), never over the
        union. With more than one choice, ``per_choice`` gives the ranking for each choice on
        its own, so a reader can see what exists when no finding carries them all. Factors
        are ranked by verdict (strong > moderate > limited = contested), then score, then
        number of findings.

        Returns
        -------
        dict
            ``{"profile": {dimension: column ref}, "combination": "all", "items": [{rank,
            factor, cell}], "no_evidence": [factor summaries], "per_choice": {dimension:
            {"column": ref, "items": [...]}}, "notice": {"nl", "en"}}``.

        Raises
        ------
        EntryError
            When none of ``driver``, ``sex``, ``age``, ``education`` is given.
        """
        driver, sex, age, education = query.driver, query.sex, query.age, query.education
        lang = query.lang
        self._lang(lang)
        chosen: dict[str, str] = {}
        if driver is not None:
            chosen["driver"] = self._known("driver", driver, self._drivers)
        for dimension, value in (("sex", sex), ("age", age), ("education", education)):
            if value is not None:
                chosen[dimension] = self._demographic_value(dimension, value)
        if not chosen:
            raise EntryError(
                [
                    Problem(
                        None,
                        None,
                        "profile",
                        "give at least one of driver, sex, age or education",
                    )
                ]
            )
        columns = list(chosen.values())

        def ranked_items(ranked: list) -> list[dict]:
            return [
                {
                    "rank": i + 1,
                    "factor": self._factor_summary(c.factor, lang),
                    "cell": self._cell(c, lang),
                }
                for i, c in enumerate(c for c in ranked if c.verdict != "no_evidence")
            ]

        def single(column: str) -> list:
            # one choice is one column of the matrix, already computed
            return rank_cells([self._cells[f][column] for f in self._factor_order])

        if len(columns) == 1:
            ranked = single(columns[0])
        else:
            carrying = [(f, s) for f, s in self._pairs if carries_all(f, chosen)]
            ranked = rank_profile(
                self._factor_order, columns, carrying, self.vocabulary, groups=self._groups
            )
        return {
            "profile": {k: self._column_ref(v, lang) for k, v in chosen.items()},
            "lang": lang,
            "combination": "all",
            "items": ranked_items(ranked),
            "no_evidence": [
                self._factor_summary(c.factor, lang) for c in ranked if c.verdict == "no_evidence"
            ],
            "per_choice": {
                k: {"column": self._column_ref(v, lang), "items": ranked_items(single(v))}
                for k, v in chosen.items()
            }
            if len(columns) > 1
            else {},
            "notice": dict(PROFILE_NOTICE),
        }

    def health(self) -> dict:
        """Counts (sources, findings, factors, constructs, drivers, demographic values) and version."""
        return {
            "status": "ok",
            "version": self.version,
            "sources": len(self._sources),
            "findings": len(self._findings),
            "factors": len(self.vocabulary.factors),
            "constructs": len(self.vocabulary.constructs),
            "drivers": len(self._drivers),
            "demographics": len(self._values),
        }

    # ---- pre-serialised answers ---------------------------------------------------------------
    def matrix_json(self, query: MatrixQuery) -> bytes:
        """``orjson.dumps(self.matrix(query))``, cached."""
        return self._cached(("matrix", query), lambda: self.matrix(query))

    def factor_json(self, id: str, lang: str = "en") -> bytes:
        """``orjson.dumps(self.factor(id, lang))``, cached."""
        return self._cached(("factor", id, lang), lambda: self.factor(id, lang))

    def profile_json(self, query: ProfileQuery) -> bytes:
        """``orjson.dumps(self.profile(query))``, cached."""
        return self._cached(("profile", query), lambda: self.profile(query))

    def factors_json(self, query: FactorsQuery) -> bytes:
        """``orjson.dumps(self.factors(query))``, cached per query."""
        return self._cached(("factors", query), lambda: self.factors(query))

    # ---- text for the terminal ----------------------------------------------------------------
    def matrix_table(self, query: MatrixQuery) -> str:
        """Aligned plain-text matrix: one verdict code plus finding count per cell, grouped by
        level, with a legend line.

        Examples
        --------
        >>> from triggergraph.vocabulary import load_vocabulary
        >>> print(EvidenceIndex.build([], load_vocabulary()).matrix_table(MatrixQuery()).splitlines()[-1])
        legend: S strong, M moderate, L limited, X contested, . no evidence; + increases, - decreases, o no association, ~ mixed, = tie, no direction; number = findings counted
        """
        data = self.matrix(query)
        lang = query.lang
        codes = VERDICT_CODES[lang]
        headers = [c["label"][:16] for c in data["columns"]]
        width_label = max([len(r["label"]) for r in data["rows"]] + [len("factor")])
        widths = [max(len(h), 4) for h in headers]
        lines = [
            "  ".join(
                [
                    ("factor" if lang == "en" else "factor").ljust(width_label),
                    *(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
                ]
            ).rstrip()
        ]
        by_id = {r["id"]: r for r in data["rows"]}
        for level in data["levels"]:
            lines.append(f"-- {level['label']} --")
            for factor_id in level["factors"]:
                cells = data["cells"][factor_id]
                texts = []
                for column, w in zip(data["columns"], widths, strict=True):
                    cell = cells[column["id"]]
                    code = codes[cell["verdict"]]
                    if cell["n_findings"]:
                        sign = DIRECTION_SIGNS["tie" if cell.get("tie") else cell["direction"]]
                        code = f"{code}{sign}{cell['n_findings']}"
                    texts.append(code.ljust(w))
                lines.append(
                    "  ".join([by_id[factor_id]["label"].ljust(width_label), *texts]).rstrip()
                )
        legend = ", ".join(f"{codes[v]} {VERDICT_LABELS[v][lang]}" for v in VERDICTS)
        legend += "; " + ", ".join(
            f"{DIRECTION_SIGNS[d]} {word}" for d, word in DIRECTION_SIGN_WORDS[lang].items()
        )
        suffix = "number = findings counted" if lang == "en" else "getal = getelde bevindingen"
        lines.append(
            f"legend: {legend}; {suffix}" if lang == "en" else f"legenda: {legend}; {suffix}"
        )
        return "\n".join(lines)

    def matrix_csv(self, query: MatrixQuery) -> str:
        """The matrix as CSV: ``factor, label, level`` then ``<column>``, ``<column>_n`` and
        ``<column>_direction`` (verdict id, number of findings, direction or ``tie``) per column."""
        data = self.matrix(query)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        header = ["factor", "label", "level"]
        for column in data["columns"]:
            header += [column["id"], f"{column['id']}_n", f"{column['id']}_direction"]
        writer.writerow(header)
        for row in data["rows"]:
            line = [row["id"], row["label"], row["level"]]
            for column in data["columns"]:
                cell = data["cells"][row["id"]][column["id"]]
                direction = "tie" if cell.get("tie") else cell["direction"] or ""
                line += [cell["verdict"], cell["n_findings"], direction]
            writer.writerow(line)
        return buffer.getvalue()

    def gaps_text(self, lang: str = "en") -> str:
        """The gaps as plain text, one cell per line with its explanation."""
        data = self.gaps(lang)
        titles = {
            "en": {
                "factors_without_evidence": "Factors without any finding",
                "empty": "Empty cells",
                "indirect_only": "Cells with indirect evidence only",
                "contested": "Contested cells",
            },
            "nl": {
                "factors_without_evidence": "Factoren zonder enige bevinding",
                "empty": "Lege cellen",
                "indirect_only": "Cellen met alleen indirect bewijs",
                "contested": "Omstreden cellen",
            },
        }[lang]
        lines = [f"{titles['factors_without_evidence']} ({len(data['factors_without_evidence'])}):"]
        lines += [
            f"  {self.vocabulary.factors[f].label(lang)}" for f in data["factors_without_evidence"]
        ]
        for kind in ("empty", "indirect_only", "contested"):
            lines.append(f"{titles[kind]} ({len(data[kind])}):")
            for entry in data[kind]:
                if kind == "empty" and entry["column"] == ANY_COLUMN:
                    continue
                lines.append(
                    f"  {entry['factor_label']} x {entry['column_label']}: {entry['explanation'][lang]}"
                )
        return "\n".join(lines)


__all__ = ["EvidenceIndex", "format_citation", "PROFILE_NOTICE", "STRENGTH_ORDER"]
