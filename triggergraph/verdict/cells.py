"""Cell verdicts: one cell, many cells, the matrix, gaps, profile ranking and verdict filters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import TYPE_CHECKING

from ..exceptions import EntryError, NotFoundError, Problem
from ..vocabulary import suggest
from .certainty import Downgrade, rate_body
from .counting import (
    DIRECTION_OF,
    GROUP_OF,
    ID_OF,
    LETTER_OF,
    ContextFinding,
    CountedFinding,
    EvidencePair,
    RoutedEvidence,
    bucket_by_column,
    column_kind,
    count_cell,
    group_sources,
    route_by_factor,
    tally,
)
from .direction import Vote, best_certainty, vote
from .explain import explain_cell
from .terms import (
    CERTAINTIES,
    CERTAINTY_WEIGHTS,
    RANK,
    STRENGTH_ORDER,
    VERDICT_LABELS,
    VERDICT_OF_CERTAINTY,
    VERDICT_RANK,
)

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary


@dataclass(frozen=True)
class CellVerdict:
    """The verdict of one cell, with the counts, the certainty and the findings behind it."""

    factor: str
    column: str
    verdict: str
    #: increases, decreases, no_association or mixed; None without evidence and for a tie
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
    #: certainty of the body of evidence (A-D), None without evidence
    certainty: str | None = None
    #: the directions tied for the most support (a tie gives no direction)
    tied: tuple[str, ...] = ()
    downgrades: tuple[Downgrade, ...] = ()
    context: tuple[ContextFinding, ...] = ()

    @property
    def tie(self) -> bool:
        return bool(self.tied)

    def as_dict(self, lang: str | None = None) -> dict:
        """Plain JSON-ready data; with ``lang`` also the verdict's label in that language."""
        out = {
            "factor": self.factor,
            "column": self.column,
            "verdict": self.verdict,
            "direction": self.direction,
            "certainty": self.certainty,
            "tie": self.tie,
            "tied": list(self.tied),
            "n_findings": self.n_findings,
            "n_sources": self.n_sources,
            "n_groups": self.n_groups,
            "n_direct": self.n_direct,
            "n_indirect": self.n_indirect,
            "n_context": len(self.context),
            "certainties": list(self.certainties),
            "deciding": list(self.deciding),
            "findings": [f.as_dict() for f in self.findings],
            "context": [c.as_dict() for c in self.context],
            "downgrades": [d.as_dict() for d in self.downgrades],
            "score": self.score,
            "explanation": dict(self.explanation),
        }
        if lang is not None:
            out["verdict_label"] = VERDICT_LABELS[self.verdict][lang]
        return out


def _ids_at(items: Sequence[CountedFinding], letter: str | None) -> list[str]:
    """The ids of ``items`` whose effective certainty is ``letter``, in their order."""
    return list(map(ID_OF, compress(items, map(letter.__eq__, map(LETTER_OF, items)))))


def _score(main: Sequence[CountedFinding]) -> int:
    """Ranking score: the weight of each independent group's best effective certainty, summed."""
    ranks = list(map(RANK.__getitem__, map(LETTER_OF, main)))
    groups = list(map(GROUP_OF, main))
    best_of_group: dict[str, int] = {}
    # from the lowest certainty up, so each group is left with its best
    for rank in reversed(range(len(CERTAINTIES))):
        best_of_group.update(zip(compress(groups, map(rank.__eq__, ranks)), repeat(rank)))
    return sum(CERTAINTY_WEIGHTS[CERTAINTIES[rank]] for rank in best_of_group.values())


def decide(
    counted: Sequence[CountedFinding], ballot: Vote | None = None
) -> tuple[
    str, str | None, str | None, tuple[str, ...], tuple[Downgrade, ...], tuple[str, ...], int
]:
    """Return ``(verdict, direction, certainty, tied, downgrades, deciding, score)``.

    ``ballot`` is :func:`vote` of ``counted`` when the caller has it already. See
    ``docs/verdicts.md`` for the rule in words; each branch has a test.
    """
    if not counted:
        return "no_evidence", None, None, (), (), (), 0
    if ballot is None:
        ballot = vote(counted)
    if ballot.dominant is None and not ballot.tied:
        best = best_certainty(counted)
        return "limited", "mixed", best, (), (), tuple(sorted(_ids_at(counted, best))), 0
    if ballot.tied:
        sides = ballot.dissent
        certainty, downgrades = rate_body(sides, sides, tie=True)
        strong_sides = set(map(DIRECTION_OF, ballot.contesting))
        verdict = "contested" if len(strong_sides) >= 2 else "limited"
        deciding = tuple(sorted(_ids_at(sides, best_certainty(sides))))
        return verdict, None, certainty, ballot.tied, downgrades, deciding, 0
    main = ballot.by_direction[ballot.dominant]
    certainty, downgrades = rate_body(main, ballot.dissent)
    deciding = set(_ids_at(main, best_certainty(main)))
    score = _score(main)
    if ballot.contesting:
        deciding.update(_ids_at(ballot.contesting, best_certainty(ballot.contesting)))
        verdict = "contested"
    else:
        verdict = VERDICT_OF_CERTAINTY[certainty]
    return verdict, ballot.dominant, certainty, (), downgrades, tuple(sorted(deciding)), score


def as_columns(column: str | Sequence[str]) -> tuple[str, ...]:
    """One column or several as a tuple (several make one union cell, named with ``+``)."""
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
        the union of their findings, named by joining them with ``+``.
    evidence : iterable of (Finding, Source)
        Candidate findings with their sources; those that do not reach the cell are ignored.
    vocabulary : Vocabulary
    groups : mapping, optional
        ``{source_id: group_id}`` from :func:`group_sources` over *all* sources.
    direct_only : bool
        Drop indirect findings before deciding.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> compute_cell("detention", "justice_seeker", [], load_vocabulary()).verdict
    'no_evidence'
    """
    columns = as_columns(column)
    if factor_id not in vocabulary.factors:
        raise NotFoundError("factor", factor_id, suggest(factor_id, vocabulary.factors))
    pairs = list(evidence)
    if groups is None:
        groups = group_sources(source for _, source in pairs)
    routed = route_by_factor(pairs, vocabulary).get(factor_id, [])
    return compute_routed(factor_id, columns, routed, vocabulary, groups, direct_only)


def compute_routed(
    factor_id: str,
    columns: tuple[str, ...],
    routed: Iterable[RoutedEvidence],
    vocabulary: Vocabulary,
    groups: Mapping[str, str],
    direct_only: bool,
) -> CellVerdict:
    """:func:`compute_cell` over findings already routed to ``factor_id``."""
    kinds = tuple((col, column_kind(col, vocabulary)) for col in columns)
    routed = list(routed)
    counted, context = count_cell(routed, kinds, groups, direct_only=direct_only)
    findings_factor = {f.id: f.factor for f, _s, route in routed if route.inverted}
    return verdict_of(factor_id, columns, counted, context, vocabulary, findings_factor)


def verdict_of(
    factor_id: str,
    columns: tuple[str, ...],
    counted: Sequence[CountedFinding],
    context: Sequence[ContextFinding],
    vocabulary: Vocabulary,
    findings_factor: Mapping[str, str],
) -> CellVerdict:
    """The cell made of findings already counted (:func:`count_cell`): decided and explained.

    ``findings_factor`` names the factor or construct of each inverted counted finding.
    """
    ballot = vote(counted)
    verdict, direction, certainty, tied, downgrades, deciding, score = decide(counted, ballot)
    counts = tally(counted, ballot.groups)
    return CellVerdict(
        factor=factor_id,
        column="+".join(columns),
        verdict=verdict,
        direction=direction,
        n_findings=counts.n_findings,
        n_sources=counts.n_sources,
        n_groups=counts.n_groups,
        n_direct=counts.n_direct,
        n_indirect=counts.n_findings - counts.n_direct,
        certainties=tuple(map(LETTER_OF, counted)),
        deciding=deciding,
        findings=tuple(counted),
        score=score,
        explanation=explain_cell(
            factor_id,
            columns,
            verdict,
            direction,
            counted,
            vocabulary,
            certainty=certainty,
            tied=tied,
            downgrades=downgrades,
            context=context,
            findings_factor=dict(findings_factor),
            counts=counts,
        ),
        certainty=certainty,
        tied=tied,
        downgrades=downgrades,
        context=tuple(context),
    )


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
    """
    buckets_by_factor: dict[str, dict[str, list[RoutedEvidence]]] = {}
    out: dict[tuple[str, str], CellVerdict] = {}
    for factor_id, column in keys:
        buckets = buckets_by_factor.get(factor_id)
        if buckets is None:
            buckets = buckets_by_factor[factor_id] = bucket_by_column(routed.get(factor_id, ()))
        out[(factor_id, column)] = compute_routed(
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
    keyed = [as_columns(column) for column in columns]
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
            else compute_routed(
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
    """Rank factors by the evidence over the union of the chosen cells (see :func:`rank_cells`)."""
    pairs = list(evidence)
    if groups is None:
        groups = group_sources(source for _, source in pairs)
    matrix = compute_matrix(factor_ids, [tuple(columns)], pairs, vocabulary, groups=groups)
    key = "+".join(columns)
    return rank_cells([matrix[f][key] for f in factor_ids])


def rank_cells(cells: Sequence[CellVerdict]) -> list[CellVerdict]:
    """Sort one cell per factor: verdict rank, score, findings, then the given order.

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

    Examples
    --------
    >>> from triggergraph.verdict import VERDICTS
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
