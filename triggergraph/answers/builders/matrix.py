"""The matrix answer: trigger factors (rows) by drivers or demographic values (columns), one verdict per cell."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...readmodel import check_known, check_lang, check_scale
from ...verdict import (
    ANY_COLUMN,
    VERDICT_LABELS,
    VERDICTS,
    check_min_verdict,
    compute_matrix,
    meets_min_verdict,
)
from ..cells import MatrixCell
from ..matrix import MatrixAnswer, MatrixFilters, MatrixLevel, MatrixRow, OverallVerdict
from ..queries import MatrixQuery
from .parts import column_ref, factor_summary_fields, matrix_cell

if TYPE_CHECKING:
    from ...models import Finding, Source
    from ...readmodel import EvidenceIndex
    from ...verdict import CellVerdict


def matrix_grid(
    index: EvidenceIndex,
    factor_ids: list[str],
    columns: list[str],
    outcome_stage: str | None,
    direct_only: bool,
    keep: Callable[[Finding, Source], bool] | None = None,
) -> dict[str, dict[str, CellVerdict]]:
    """The precomputed cells, or the cells recomputed over the findings the filters keep.

    Independent source groups stay those of the whole evidence base.
    """
    if outcome_stage is None and not direct_only and keep is None:
        return index.cells
    pairs = [
        p
        for p in index.pairs
        if (outcome_stage is None or outcome_stage in p[0].outcome_stages)
        and (keep is None or keep(*p))
    ]
    return compute_matrix(
        factor_ids, [ANY_COLUMN, *columns], pairs, index.vocabulary, groups=index.groups,
        direct_only=direct_only,
    )  # fmt: skip


def build_cell(
    index: EvidenceIndex,
    factor_id: str,
    column: str,
    query: MatrixQuery,
    keep: Callable[[Finding, Source], bool] | None = None,
) -> MatrixCell:
    """One cell (``column`` may be ``any``) under the matrix filters and ``keep``, with its
    counted findings and explanation, as :func:`build_matrix` gives it."""
    lang = check_lang(query.lang)
    check_scale(index.vocabulary, "outcome-stage", query.outcome_stage, "outcome_stage")
    check_known("factor", factor_id, index.vocabulary.factors)
    columns = [] if column == ANY_COLUMN else [column]
    grid = matrix_grid(index, [factor_id], columns, query.outcome_stage, query.direct_only, keep)
    return matrix_cell(grid[factor_id][column], lang, True)


def build_matrix(
    index: EvidenceIndex,
    query: MatrixQuery,
    keep: Callable[[Finding, Source], bool] | None = None,
) -> MatrixAnswer:
    """The evidence map: factors (rows) by drivers or demographic values (columns).

    ``cols`` is ``driver``, ``sex``, ``age``, ``education`` or ``all``; ``level`` keeps the
    factors of one level; ``min_verdict`` keeps the rows with at least one cell that meets
    it (every cell still comes back, with ``passes``); ``outcome_stage`` and ``direct_only``
    count fewer findings, so their verdicts are computed anew, as does ``keep(finding,
    source)``, a finding filter (the map's :meth:`~triggergraph.answers.map_query.MapQuery.keeps`). Each cell holds its counted
    findings whole; serialised, each is ``{id, direct}`` (see :class:`MatrixCell`).

    Examples
    --------
    >>> from triggergraph.readmodel import EvidenceIndex
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> answer = build_matrix(EvidenceIndex.build([], load_vocabulary()), MatrixQuery(cols="sex"))
    >>> [column.id for column in answer.columns]
    ['sex_male', 'sex_female']
    """
    cols, level, min_verdict = query.cols, query.level, query.min_verdict
    outcome_stage, direct_only = query.outcome_stage, query.direct_only
    lang = check_lang(query.lang)
    vocab = index.vocabulary
    columns = index.columns(cols)
    check_min_verdict(min_verdict)
    if level is not None:
        check_known("level", level, vocab.concepts["level"])
    check_scale(vocab, "outcome-stage", outcome_stage, "outcome_stage")
    factor_ids = [f for f in index.factor_order if level is None or vocab.factors[f].level == level]
    grid = matrix_grid(index, factor_ids, columns, outcome_stage, direct_only, keep)
    rows, cells = [], {}
    for factor_id in factor_ids:
        row_cells = {}
        for column in columns:
            cell = grid[factor_id][column]
            passes = meets_min_verdict(cell.verdict, min_verdict)
            row_cells[column] = matrix_cell(cell, lang, passes)
        if min_verdict is not None and not any(c.passes for c in row_cells.values()):
            continue
        overall = grid[factor_id][ANY_COLUMN]
        rows.append(
            MatrixRow(
                **factor_summary_fields(vocab, factor_id, lang),
                overall=OverallVerdict(
                    verdict=overall.verdict,
                    verdict_label=VERDICT_LABELS[overall.verdict][lang],
                    direction=overall.direction,
                    tie=overall.tie,
                    certainty=overall.certainty,
                    n_findings=overall.n_findings,
                    n_groups=overall.n_groups,
                ),
            )
        )
        cells[factor_id] = row_cells
    levels = []
    for level_concept in vocab.ordered("level"):
        ids = [r.id for r in rows if r.level == level_concept.id]
        if ids:
            levels.append(
                MatrixLevel(id=level_concept.id, label=level_concept.label(lang), factors=ids)
            )
    return MatrixAnswer(
        cols=cols,
        lang=lang,
        version=index.version,
        filters=MatrixFilters(
            level=level,
            min_verdict=min_verdict,
            outcome_stage=outcome_stage,
            direct_only=direct_only,
        ),
        columns=[column_ref(vocab, c, lang) for c in columns],
        rows=rows,
        levels=levels,
        cells=cells,
        legend={v: VERDICT_LABELS[v][lang] for v in VERDICTS},
    )
