"""Cell verdicts: which findings count toward a (factor x driver/group) cell, and what they add up to.

Pure functions over entry models and the vocabulary. The rule is written out for people in
``docs/verdicts.md`` (README "How a verdict is decided"); the tests in ``tests/test_verdict.py``
pin every branch of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .exceptions import EntryError, NotFoundError, Problem
from .vocabulary import suggest

if TYPE_CHECKING:
    from .models import Finding, Source
    from .vocabulary import Vocabulary

#: The column that collects every finding on a factor, whatever driver or group it names.
ANY_COLUMN = "any"
#: Certainty letters, best first.
CERTAINTIES: tuple[str, ...] = ("A", "B", "C", "D")
#: Ranking weight of one independent source group by its best effective certainty.
CERTAINTY_WEIGHTS: dict[str, int] = {"A": 8, "B": 4, "C": 2, "D": 1}
#: Directions that vote on a cell's direction; ``mixed`` findings are listed but do not vote.
VOTING_DIRECTIONS: tuple[str, ...] = ("increases", "decreases", "no_association")
#: Every verdict, strongest first, then the two outside the strength order.
VERDICTS: tuple[str, ...] = ("strong", "moderate", "limited", "contested", "no_evidence")
#: The strength order that ``min_verdict`` filters use.
STRENGTH_ORDER: tuple[str, ...] = ("strong", "moderate", "limited")
#: Verdict rank for sorting; contested ranks with limited (it has evidence, but not one way).
VERDICT_RANK: dict[str, int] = {
    "strong": 3,
    "moderate": 2,
    "limited": 1,
    "contested": 1,
    "no_evidence": 0,
}
VERDICT_LABELS: dict[str, dict[str, str]] = {
    "strong": {"en": "strong", "nl": "sterk"},
    "moderate": {"en": "moderate", "nl": "redelijk"},
    "limited": {"en": "limited", "nl": "beperkt"},
    "contested": {"en": "contested", "nl": "omstreden"},
    "no_evidence": {"en": "no evidence", "nl": "geen bewijs"},
}
DIRECTION_WORDS: dict[str, dict[str, str]] = {
    "increases": {"en": "increases", "nl": "verhoogt"},
    "decreases": {"en": "decreases", "nl": "verlaagt"},
    "no_association": {"en": "no association", "nl": "geen samenhang"},
    "mixed": {"en": "mixed", "nl": "wisselend"},
}
ANY_LABELS: dict[str, str] = {"en": "any driver or group", "nl": "alle drijfveren en groepen"}

EvidencePair = tuple["Finding", "Source"]
#: a pair plus whether the finding's factor reaches the cell's factor directly
RoutedEvidence = tuple["Finding", "Source", bool]


@dataclass(frozen=True)
class CountedFinding:
    """One finding as counted in one cell: direct or not, why, and its effective certainty."""

    id: str
    source: str
    group: str
    direction: str
    certainty: str
    effective_certainty: str
    direct: bool
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "direction": self.direction,
            "certainty": self.certainty,
            "effective_certainty": self.effective_certainty,
            "direct": self.direct,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class CellVerdict:
    """The verdict of one cell, with the counts and findings behind it."""

    factor: str
    column: str
    verdict: str
    direction: str | None
    n_findings: int
    n_sources: int
    n_groups: int
    n_direct: int
    n_indirect: int
    certainties: tuple[str, ...]
    deciding: tuple[str, ...]
    findings: tuple[CountedFinding, ...]
    score: int
    explanation: dict[str, str] = field(default_factory=dict)

    def as_dict(self, lang: str | None = None) -> dict:
        """Plain JSON-ready data; with ``lang`` also the verdict's label in that language."""
        out = {
            "factor": self.factor,
            "column": self.column,
            "verdict": self.verdict,
            "direction": self.direction,
            "n_findings": self.n_findings,
            "n_sources": self.n_sources,
            "n_groups": self.n_groups,
            "n_direct": self.n_direct,
            "n_indirect": self.n_indirect,
            "certainties": list(self.certainties),
            "deciding": list(self.deciding),
            "findings": [f.as_dict() for f in self.findings],
            "score": self.score,
            "explanation": dict(self.explanation),
        }
        if lang is not None:
            out["verdict_label"] = VERDICT_LABELS[self.verdict][lang]
        return out


# ---- building blocks ---------------------------------------------------------------------


def downgrade(letter: str) -> str:
    """Return the certainty one level lower (D stays D).

    Examples
    --------
    >>> downgrade("A"), downgrade("C"), downgrade("D")
    ('B', 'D', 'D')
    """
    index = CERTAINTIES.index(letter)
    return CERTAINTIES[min(index + 1, len(CERTAINTIES) - 1)]


def group_sources(sources: Iterable[Source]) -> dict[str, str]:
    """Map each source id to its independent group (sources joined by ``overlaps_with``).

    Overlap is symmetric and transitive; a group is named by its smallest source id.

    Parameters
    ----------
    sources : iterable of Source
        All sources of the evidence base (overlap chains may run through any of them).

    Returns
    -------
    dict
        ``{source_id: group_id}``, also for ids only named in ``overlaps_with``.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> group_sources([S(id="b", overlaps_with=["a"]), S(id="c", overlaps_with=["b"]), S(id="d", overlaps_with=[])])
    {'a': 'a', 'b': 'a', 'c': 'a', 'd': 'd'}
    """
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for source in sources:
        find(source.id)
        for other in source.overlaps_with:
            a, b = find(source.id), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {item: find(item) for item in sorted(parent)}


def column_kind(column: str, vocabulary: Vocabulary) -> str:
    """Return ``"any"``, ``"driver"`` or ``"demographic"``, or raise NotFoundError.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> column_kind("justice_seeker", load_vocabulary()), column_kind("sex_male", load_vocabulary())
    ('driver', 'demographic')
    """
    if column == ANY_COLUMN:
        return ANY_COLUMN
    if column in vocabulary.drivers:
        return "driver"
    if column in vocabulary.demographics:
        return "demographic"
    choices = [ANY_COLUMN, *vocabulary.drivers, *vocabulary.demographics]
    raise NotFoundError("column", column, suggest(column, choices))


def assess_finding(
    finding: Finding, factor_id: str, columns: Sequence[str], vocabulary: Vocabulary
) -> tuple[bool, tuple[str, ...]] | None:
    """Decide whether a finding counts toward a cell, and if so whether it is direct.

    Parameters
    ----------
    finding : Finding
    factor_id : str
        The trigger factor of the cell.
    columns : sequence of str
        The cell's column(s): ``"any"``, driver ids or demographic value ids. With several
        columns the finding counts when it counts toward any of them, as directly as it can.
    vocabulary : Vocabulary

    Returns
    -------
    tuple or None
        ``(direct, reasons)`` where ``reasons`` are indirectness ids, or None if the finding
        does not count toward the cell.
    """
    routes = dict(vocabulary.triggers_for(finding.factor))
    if factor_id not in routes:
        return None
    kinds = tuple((column, column_kind(column, vocabulary)) for column in columns)
    return _assess(finding, routes[factor_id], kinds)


def _assess(
    finding: Finding, route_direct: bool, kinds: Sequence[tuple[str, str]]
) -> tuple[bool, tuple[str, ...]] | None:
    """:func:`assess_finding` once the factor route and the column kinds are known."""
    best: list[str] | None = None
    for column, kind in kinds:
        extra: list[str]
        if kind == ANY_COLUMN:
            extra = []
        elif kind == "driver":
            link = next((lnk for lnk in finding.drivers if lnk.driver == column), None)
            if link is None:
                continue
            extra = ["proposed_driver_link"] if link.basis == "proposed" else []
        else:
            if column not in finding.demographics:
                continue
            extra = []
        if best is None or len(extra) < len(best):
            best = extra
    if best is None:
        return None
    reasons = ([] if route_direct else ["construct_not_trigger"]) + best
    reasons += [r for r in finding.indirectness if r not in reasons]
    return (not reasons, tuple(reasons))


def _best(counted: Iterable[CountedFinding]) -> str | None:
    letters = [c.effective_certainty for c in counted]
    return min(letters, key=CERTAINTIES.index) if letters else None


def _at_least(letter: str, bound: str) -> bool:
    return CERTAINTIES.index(letter) <= CERTAINTIES.index(bound)


def _groups_at_least(counted: Iterable[CountedFinding], bound: str) -> set[str]:
    return {c.group for c in counted if _at_least(c.effective_certainty, bound)}


def _decide(
    counted: Sequence[CountedFinding],
) -> tuple[str, str | None, tuple[str, ...], int]:
    """Return ``(verdict, direction, deciding ids, score)`` for a cell's counted findings."""
    if not counted:
        return "no_evidence", None, (), 0
    by_direction: dict[str, list[CountedFinding]] = defaultdict(list)
    for item in counted:
        by_direction[item.direction].append(item)
    voting = [d for d in VOTING_DIRECTIONS if by_direction.get(d)]
    if not voting:
        best = _best(counted)
        deciding = tuple(sorted(c.id for c in counted if c.effective_certainty == best))
        return "limited", "mixed", deciding, 0

    def strength(direction: str) -> tuple:
        items = by_direction[direction]
        return (
            len({c.group for c in items}),
            -CERTAINTIES.index(_best(items)),
            len(items),
            -VOTING_DIRECTIONS.index(direction),
        )

    dominant = max(voting, key=strength)
    main = by_direction[dominant]
    main_groups = {c.group for c in main}
    best_main = _best(main)
    deciding = {c.id for c in main if c.effective_certainty == best_main}
    best_per_group: dict[str, str] = {}
    for item in main:
        current = best_per_group.get(item.group)
        if current is None or _at_least(item.effective_certainty, current):
            best_per_group[item.group] = item.effective_certainty
    score = sum(CERTAINTY_WEIGHTS[letter] for letter in best_per_group.values())

    contesting: list[CountedFinding] = []
    for direction in voting:
        if direction == dominant:
            continue
        strong_enough = [
            c
            for c in by_direction[direction]
            if _at_least(c.effective_certainty, "C") and (main_groups - {c.group})
        ]
        if strong_enough:
            best_side = _best(strong_enough)
            contesting += [c for c in strong_enough if c.effective_certainty == best_side]
    if contesting:
        return "contested", dominant, tuple(sorted(deciding | {c.id for c in contesting})), score
    if best_main == "A" or len(_groups_at_least(main, "B")) >= 2:
        verdict = "strong"
    elif best_main == "B" or len(_groups_at_least(main, "C")) >= 2:
        verdict = "moderate"
    else:
        verdict = "limited"
    return verdict, dominant, tuple(sorted(deciding)), score


# ---- explanations ------------------------------------------------------------------------


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _column_label(columns: Sequence[str], vocabulary: Vocabulary, lang: str) -> str:
    labels = []
    for column in columns:
        kind = column_kind(column, vocabulary)
        if kind == ANY_COLUMN:
            labels.append(ANY_LABELS[lang])
        else:
            table = vocabulary.drivers if kind == "driver" else vocabulary.demographics
            labels.append(table[column].label(lang))
    return (" or " if lang == "en" else " of ").join(labels)


def _reason_label(reason: str, vocabulary: Vocabulary, lang: str) -> str:
    concept = vocabulary.scales.get("indirectness", {}).get(reason)
    return concept.label(lang) if concept is not None else reason


def explain_cell(
    factor_id: str,
    columns: Sequence[str],
    verdict: str,
    direction: str | None,
    counted: Sequence[CountedFinding],
    vocabulary: Vocabulary,
) -> dict[str, str]:
    """Return one sentence per language (``{"nl": ..., "en": ...}``) that explains a verdict."""
    out: dict[str, str] = {}
    factor = vocabulary.factors.get(factor_id)
    for lang in ("en", "nl"):
        name = VERDICT_LABELS[verdict][lang]
        factor_label = factor.label(lang) if factor is not None else factor_id
        if verdict == "no_evidence":
            if list(columns) == [ANY_COLUMN]:
                out[lang] = (
                    f"{name}: no finding in the graph is about '{factor_label}'; that is not the "
                    "same as evidence that it plays no role."
                    if lang == "en"
                    else f"{name}: geen bevinding in de graaf gaat over '{factor_label}'; dat is "
                    "niet hetzelfde als bewijs dat de factor geen rol speelt."
                )
            else:
                column_label = _column_label(columns, vocabulary, lang)
                out[lang] = (
                    f"{name}: no finding in the graph links '{factor_label}' to '{column_label}'; "
                    "that is not the same as evidence of no link."
                    if lang == "en"
                    else f"{name}: geen bevinding in de graaf verbindt '{factor_label}' met "
                    f"'{column_label}'; dat is niet hetzelfde als bewijs dat er geen verband is."
                )
            continue
        out[lang] = _explain_evidence(name, direction, counted, vocabulary, lang)
    return out


def _explain_evidence(
    name: str,
    direction: str | None,
    counted: Sequence[CountedFinding],
    vocabulary: Vocabulary,
    lang: str,
) -> str:
    en = lang == "en"
    n = len(counted)
    letters = ", ".join(sorted((c.effective_certainty for c in counted), key=CERTAINTIES.index))
    n_sources = len({c.source for c in counted})
    n_groups = len({c.group for c in counted})
    if en:
        head = f"{name}: {_plural(n, 'finding', 'findings')} ({letters}) from "
        if n_sources == n_groups:
            head += "1 source" if n_sources == 1 else f"{n_sources} independent sources"
        else:
            head += (
                f"{_plural(n_sources, 'source', 'sources')} in {_plural(n_groups, 'independent group', 'independent groups')}"
                " (sources sharing primary studies count once)"
            )
    else:
        head = f"{name}: {_plural(n, 'bevinding', 'bevindingen')} ({letters}) uit "
        if n_sources == n_groups:
            head += "1 bron" if n_sources == 1 else f"{n_sources} onafhankelijke bronnen"
        else:
            head += (
                f"{_plural(n_sources, 'bron', 'bronnen')} in {_plural(n_groups, 'onafhankelijke groep', 'onafhankelijke groepen')}"
                " (bronnen die primaire studies delen tellen één keer)"
            )
    counts = {d: sum(1 for c in counted if c.direction == d) for d in VOTING_DIRECTIONS}
    present = [d for d in VOTING_DIRECTIONS if counts[d]]
    word = DIRECTION_WORDS.get(direction or "mixed", DIRECTION_WORDS["mixed"])[lang]
    if not present:
        parts = [
            "no single direction (mixed results only)"
            if en
            else "geen eenduidige richting (alleen wisselende resultaten)"
        ]
    elif len(present) == 1:
        if sum(counts.values()) == 1:
            parts = [f"direction: {word}" if en else f"richting: {word}"]
        else:
            parts = [f"same direction ({word})" if en else f"zelfde richting ({word})"]
    else:
        spread = ", ".join(f"{counts[d]} {DIRECTION_WORDS[d][lang]}" for d in present)
        parts = [
            f"directions differ ({spread}); most independent support: {word}"
            if en
            else f"richtingen verschillen ({spread}); meeste onafhankelijke steun: {word}"
        ]
    n_mixed = sum(1 for c in counted if c.direction == "mixed")
    if n_mixed and present:
        parts.append(
            f"{_plural(n_mixed, 'mixed finding does', 'mixed findings do')} not vote on the direction"
            if en
            else f"{_plural(n_mixed, 'wisselende bevinding telt', 'wisselende bevindingen tellen')} "
            "niet mee voor de richting"
        )
    indirect = [c for c in counted if not c.direct]
    if indirect:
        reasons: list[str] = []
        for item in indirect:
            for reason in item.reasons:
                label = _reason_label(reason, vocabulary, lang)
                if label not in reasons:
                    reasons.append(label)
        k = len(indirect)
        if en:
            verb = (
                "finding is indirect, counted" if k == 1 else "findings are indirect, each counted"
            )
            parts.append(f"{k} {verb} one level lower ({'; '.join(reasons)})")
        else:
            verb = (
                "bevinding is indirect en telt"
                if k == 1
                else "bevindingen zijn indirect en tellen elk"
            )
            parts.append(f"{k} {verb} één niveau lager ({'; '.join(reasons)})")
    return head + ", " + parts[0] + "".join(f"; {p}" for p in parts[1:]) + "."


# ---- cells, matrices, gaps, profiles -----------------------------------------------------


def _as_columns(column: str | Sequence[str]) -> tuple[str, ...]:
    columns = (column,) if isinstance(column, str) else tuple(column)
    if not columns:
        raise ValueError("a cell needs at least one column")
    return columns


def compute_cell(
    factor_id: str,
    column: str | Sequence[str],
    evidence: Iterable[EvidencePair],
    vocabulary: Vocabulary,
    *,
    groups: Mapping[str, str] | None = None,
    direct_only: bool = False,
) -> CellVerdict:
    """Compute the verdict of one cell.

    Parameters
    ----------
    factor_id : str
        A trigger factor id.
    column : str or sequence of str
        ``"any"``, a driver id or a demographic value id; several columns make one cell over
        the union of their findings (used for profiles), named by joining them with ``+``.
    evidence : iterable of (Finding, Source)
        Candidate findings with their sources; those that do not count are ignored.
    vocabulary : Vocabulary
    groups : mapping, optional
        ``{source_id: group_id}`` from :func:`group_sources` over *all* sources, so overlap
        chains through sources outside this cell still join groups. Defaults to grouping
        the sources in ``evidence``.
    direct_only : bool
        Drop indirect findings before deciding.

    Returns
    -------
    CellVerdict

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> compute_cell("detention", "justice_seeker", [], load_vocabulary()).verdict
    'no_evidence'
    """
    columns = _as_columns(column)
    if factor_id not in vocabulary.factors:
        raise NotFoundError("factor", factor_id, suggest(factor_id, vocabulary.factors))
    pairs = list(evidence)
    if groups is None:
        groups = group_sources(source for _, source in pairs)
    routed = []
    for finding, source in pairs:
        routes = dict(vocabulary.triggers_for(finding.factor))
        if factor_id in routes:
            routed.append((finding, source, routes[factor_id]))
    return _compute_routed(factor_id, columns, routed, vocabulary, groups, direct_only)


def _compute_routed(
    factor_id: str,
    columns: tuple[str, ...],
    routed: Iterable[RoutedEvidence],
    vocabulary: Vocabulary,
    groups: Mapping[str, str],
    direct_only: bool,
) -> CellVerdict:
    """:func:`compute_cell` over findings already known to count toward ``factor_id``."""
    kinds = tuple((col, column_kind(col, vocabulary)) for col in columns)
    counted: list[CountedFinding] = []
    seen: set[str] = set()
    for finding, source, route_direct in routed:
        if finding.id in seen:
            continue
        assessed = _assess(finding, route_direct, kinds)
        if assessed is None:
            continue
        direct, reasons = assessed
        if direct_only and not direct:
            continue
        seen.add(finding.id)
        counted.append(
            CountedFinding(
                id=finding.id,
                source=source.id,
                group=groups.get(source.id, source.id),
                direction=finding.direction,
                certainty=finding.certainty,
                effective_certainty=finding.certainty if direct else downgrade(finding.certainty),
                direct=direct,
                reasons=reasons,
            )
        )
    counted.sort(key=lambda c: (CERTAINTIES.index(c.effective_certainty), c.id))
    verdict, direction, deciding, score = _decide(counted)
    return CellVerdict(
        factor=factor_id,
        column="+".join(columns),
        verdict=verdict,
        direction=direction,
        n_findings=len(counted),
        n_sources=len({c.source for c in counted}),
        n_groups=len({c.group for c in counted}),
        n_direct=sum(1 for c in counted if c.direct),
        n_indirect=sum(1 for c in counted if not c.direct),
        certainties=tuple(c.effective_certainty for c in counted),
        deciding=deciding,
        findings=tuple(counted),
        score=score,
        explanation=explain_cell(factor_id, columns, verdict, direction, counted, vocabulary),
    )


def route_by_factor(
    evidence: Iterable[EvidencePair], vocabulary: Vocabulary
) -> dict[str, list[RoutedEvidence]]:
    """Group (finding, source) pairs by every trigger factor they can count toward, with
    whether they reach it directly (a trigger factor itself) or through a construct."""
    out: dict[str, list[RoutedEvidence]] = defaultdict(list)
    for finding, source in evidence:
        for factor_id, direct in vocabulary.triggers_for(finding.factor):
            out[factor_id].append((finding, source, direct))
    return dict(out)


def finding_columns(finding: Finding) -> set[str]:
    """The single columns a finding can count toward: ``any``, its drivers and its groups.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> f = S(drivers=[S(driver="justice_seeker")], demographics=["sex_male"])
    >>> sorted(finding_columns(f))
    ['any', 'justice_seeker', 'sex_male']
    """
    return {ANY_COLUMN, *(link.driver for link in finding.drivers), *finding.demographics}


def touched_cells(findings: Iterable[Finding], vocabulary: Vocabulary) -> set[tuple[str, str]]:
    """Every single-column cell ``(factor, column)`` the given findings can count toward.

    A change to these findings (added, removed or edited) can only change these cells, and
    a change to their sources' independent groups likewise.
    """
    cells: set[tuple[str, str]] = set()
    for finding in findings:
        columns = finding_columns(finding)
        for factor_id, _direct in vocabulary.triggers_for(finding.factor):
            cells.update((factor_id, column) for column in columns)
    return cells


def _bucket_by_column(routed: Iterable[RoutedEvidence]) -> dict[str, list[RoutedEvidence]]:
    """Routed evidence of one factor split by the single columns each finding can reach.

    Order within a bucket is the order of ``routed``, so which route of a finding is met
    first (direct or through a construct) stays the same as over the whole list.
    """
    buckets: dict[str, list[RoutedEvidence]] = defaultdict(list)
    for item in routed:
        for column in finding_columns(item[0]):
            buckets[column].append(item)
    return buckets


def compute_cells(
    keys: Iterable[tuple[str, str]],
    routed: Mapping[str, Sequence[RoutedEvidence]],
    vocabulary: Vocabulary,
    *,
    groups: Mapping[str, str],
    direct_only: bool = False,
) -> dict[tuple[str, str], CellVerdict]:
    """Compute single-column cells ``(factor, column)`` from evidence routed by factor.

    Each cell looks only at the findings that name its column (all of them for ``any``),
    so the cost follows the evidence in the cell, not the evidence on the factor.

    Parameters
    ----------
    keys : iterable of (str, str)
        Cells to compute: a factor id and ``"any"``, a driver id or a demographic value id.
    routed : mapping
        ``{factor_id: [(finding, source, direct), ...]}`` from :func:`route_by_factor`.
    vocabulary : Vocabulary
    groups : mapping
        ``{source_id: group_id}`` from :func:`group_sources` over all sources.
    direct_only : bool
        Drop indirect findings before deciding.

    Returns
    -------
    dict
        ``{(factor_id, column): CellVerdict}``.
    """
    buckets_by_factor: dict[str, dict[str, list[RoutedEvidence]]] = {}
    out: dict[tuple[str, str], CellVerdict] = {}
    for factor_id, column in keys:
        buckets = buckets_by_factor.get(factor_id)
        if buckets is None:
            buckets = buckets_by_factor[factor_id] = _bucket_by_column(routed.get(factor_id, ()))
        out[(factor_id, column)] = _compute_routed(
            factor_id, (column,), buckets.get(column, ()), vocabulary, groups, direct_only
        )
    return out


def compute_matrix(
    factor_ids: Sequence[str],
    columns: Sequence[str | Sequence[str]],
    evidence: Iterable[EvidencePair],
    vocabulary: Vocabulary,
    *,
    groups: Mapping[str, str] | None = None,
    direct_only: bool = False,
) -> dict[str, dict[str, CellVerdict]]:
    """Compute every cell ``factor x column``; returns ``{factor_id: {column: CellVerdict}}``.

    A column may itself be a sequence of columns (one union cell, keyed by joining with ``+``).

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> m = compute_matrix(["detention"], ["any", "sex_male"], [], load_vocabulary())
    >>> sorted(m["detention"])
    ['any', 'sex_male']
    """
    pairs = list(evidence)
    if groups is None:
        groups = group_sources(source for _, source in pairs)
    for factor_id in factor_ids:
        if factor_id not in vocabulary.factors:
            raise NotFoundError("factor", factor_id, suggest(factor_id, vocabulary.factors))
    per_factor = route_by_factor(pairs, vocabulary)
    keyed = [_as_columns(column) for column in columns]
    single = compute_cells(
        [(factor_id, cols[0]) for factor_id in factor_ids for cols in keyed if len(cols) == 1],
        per_factor,
        vocabulary,
        groups=groups,
        direct_only=direct_only,
    )
    return {
        factor_id: {
            "+".join(cols): single[(factor_id, cols[0])]
            if len(cols) == 1
            else _compute_routed(
                factor_id, cols, per_factor.get(factor_id, ()), vocabulary, groups, direct_only
            )
            for cols in keyed
        }
        for factor_id in factor_ids
    }


def find_gaps(cells: Iterable[CellVerdict]) -> dict[str, list[CellVerdict]]:
    """Sort cells into the gaps: ``empty`` (no evidence), ``indirect_only`` and ``contested``.

    A contested cell whose findings are all indirect is listed under both.
    """
    gaps: dict[str, list[CellVerdict]] = {"empty": [], "indirect_only": [], "contested": []}
    for cell in cells:
        if cell.verdict == "no_evidence":
            gaps["empty"].append(cell)
            continue
        if cell.n_direct == 0:
            gaps["indirect_only"].append(cell)
        if cell.verdict == "contested":
            gaps["contested"].append(cell)
    return gaps


def rank_profile(
    factor_ids: Sequence[str],
    columns: Sequence[str],
    evidence: Iterable[EvidencePair],
    vocabulary: Vocabulary,
    *,
    groups: Mapping[str, str] | None = None,
) -> list[CellVerdict]:
    """Rank factors by the evidence over the union of the chosen cells.

    For each factor one :class:`CellVerdict` is computed over every finding that counts toward
    any of ``columns``; factors are sorted by verdict rank (strong > moderate > limited =
    contested > no_evidence), then score, then number of findings, then ``factor_ids`` order.
    """
    pairs = list(evidence)
    if groups is None:
        groups = group_sources(source for _, source in pairs)
    matrix = compute_matrix(factor_ids, [tuple(columns)], pairs, vocabulary, groups=groups)
    key = "+".join(columns)
    return rank_cells([matrix[f][key] for f in factor_ids])


def rank_cells(cells: Sequence[CellVerdict]) -> list[CellVerdict]:
    """Sort one cell per factor as :func:`rank_profile` does; ties keep the given order.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> m = compute_matrix(["detention", "marriage"], ["any"], [], load_vocabulary())
    >>> [c.factor for c in rank_cells([m["marriage"]["any"], m["detention"]["any"]])]
    ['marriage', 'detention']
    """
    order = {id(c): i for i, c in enumerate(cells)}
    return sorted(
        cells,
        key=lambda c: (-VERDICT_RANK[c.verdict], -c.score, -c.n_findings, order[id(c)]),
    )


def check_min_verdict(value: str | None, field_name: str = "min_verdict") -> str | None:
    """Return ``value`` if it is a valid ``min_verdict`` (strong, moderate, limited), else raise.

    Examples
    --------
    >>> check_min_verdict("moderate")
    'moderate'
    """
    if value is None or value in STRENGTH_ORDER:
        return value
    raise EntryError(
        [
            Problem(
                None,
                None,
                field_name,
                f"{value!r} is not a verdict to filter on; valid: {', '.join(STRENGTH_ORDER)}",
                tuple(suggest(value, STRENGTH_ORDER)),
            )
        ]
    )


def meets_min_verdict(verdict: str, min_verdict: str | None) -> bool:
    """Whether a cell verdict passes a ``min_verdict`` filter.

    Without a filter every cell with evidence passes. ``contested`` passes only
    ``min_verdict="limited"`` (it has evidence, but not one way); ``no_evidence`` never passes.

    Examples
    --------
    >>> [meets_min_verdict(v, "limited") for v in VERDICTS]
    [True, True, True, True, False]
    >>> [meets_min_verdict(v, "moderate") for v in VERDICTS]
    [True, True, False, False, False]
    """
    if verdict == "no_evidence":
        return False
    if min_verdict is None:
        return True
    check_min_verdict(min_verdict)
    if verdict == "contested":
        return min_verdict == "limited"
    return STRENGTH_ORDER.index(verdict) <= STRENGTH_ORDER.index(min_verdict)
