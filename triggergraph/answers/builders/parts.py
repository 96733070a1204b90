"""Parts every answer builder shares: concept and column references, cells, factor summaries, pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...verdict import ANY_COLUMN, ANY_LABELS, VERDICT_LABELS
from ..base import Ref, ScaleRef
from ..cells import Cell, ColumnRef, ContextRef, DowngradeRef, FactorSummary, MatrixCell

if TYPE_CHECKING:
    from ...verdict import CellVerdict
    from ...vocabulary import Concept, Vocabulary


def concept_ref(concept: Concept | None, lang: str) -> Ref | None:
    """A concept by id, IRI and label in ``lang``; None for none."""
    if concept is None:
        return None
    return Ref(id=concept.id, iri=concept.iri, label=concept.label(lang))


def scale_ref(vocabulary: Vocabulary, scheme: str, value: str | None, lang: str) -> ScaleRef | None:
    """A value of a closed scale with its label (the id itself when the scale lacks it)."""
    if value is None:
        return None
    concept = vocabulary.scales[scheme].get(value)
    return ScaleRef(id=value, label=concept.label(lang) if concept else value)


def scale_label(vocabulary: Vocabulary, scheme: str, value: str | None, lang: str) -> str | None:
    """The label of a scale value (None for None)."""
    ref = scale_ref(vocabulary, scheme, value, lang)
    return ref.label if ref is not None else None


def column_ref(vocabulary: Vocabulary, column: str, lang: str) -> ColumnRef:
    """A column of the matrix: ``any``, a driver or a demographic value."""
    if column == ANY_COLUMN:
        return ColumnRef(
            id=ANY_COLUMN, iri=None, label=ANY_LABELS[lang], kind=ANY_COLUMN, dimension=None
        )
    if column in vocabulary.drivers:
        c = vocabulary.drivers[column]
        return ColumnRef(id=c.id, iri=c.iri, label=c.label(lang), kind="driver", dimension=None)
    c = vocabulary.demographics[column]
    return ColumnRef(
        id=c.id, iri=c.iri, label=c.label(lang), kind="demographic", dimension=c.dimension
    )


def _cell_fields(cell: CellVerdict, lang: str) -> dict:
    # the read model's cell as it is, without validation (the verdict rules made it): its
    # counted findings stay the read model's own objects (the cell's field serialiser gives
    # them out); turning each into an answer model took seconds and hundreds of MiB at 100k
    return {
        "factor": cell.factor,
        "column": cell.column,
        "verdict": cell.verdict,
        "verdict_label": VERDICT_LABELS[cell.verdict][lang],
        "direction": cell.direction,
        "certainty": cell.certainty,
        "tie": cell.tie,
        "tied": list(cell.tied),
        "n_context": len(cell.context),
        "context": [ContextRef.model_construct(**c.as_dict()) for c in cell.context],
        "downgrades": [DowngradeRef.model_construct(**d.as_dict()) for d in cell.downgrades],
        "n_findings": cell.n_findings,
        "n_sources": cell.n_sources,
        "n_groups": cell.n_groups,
        "n_direct": cell.n_direct,
        "n_indirect": cell.n_indirect,
        "certainties": list(cell.certainties),
        "deciding": list(cell.deciding),
        "findings": list(cell.findings),
        "score": cell.score,
        "explanation": dict(cell.explanation),
    }


def cell_answer(cell: CellVerdict, lang: str) -> Cell:
    """One cell as an answer, with ``verdict_label`` in ``lang``.

    Its ``findings`` are the read model's counted findings
    (:class:`~triggergraph.verdict.CountedFinding`), serialised as the answer's
    :class:`~triggergraph.answers.cells.CountedFinding`.
    """
    return Cell.model_construct(**_cell_fields(cell, lang))


def matrix_cell(cell: CellVerdict, lang: str, passes: bool) -> MatrixCell:
    """One cell of the matrix: the cell's verdict, counts and explanation, plus ``passes``
    (meets ``min_verdict``).

    Made like :func:`cell_answer`; the counted findings are serialised as ``{id, direct}``
    (the viewer reads the whole objects: ``reasons`` and ``effective_certainty``). A matrix
    over every column names each counted finding several times.
    """
    return MatrixCell.model_construct(**_cell_fields(cell, lang), passes=passes)


def factor_summary(vocabulary: Vocabulary, factor_id: str, lang: str) -> FactorSummary:
    """A trigger factor in a list: ids, labels, level and group, report section."""
    return FactorSummary(**factor_summary_fields(vocabulary, factor_id, lang))


def factor_summary_fields(vocabulary: Vocabulary, factor_id: str, lang: str) -> dict:
    """The fields of :func:`factor_summary`, for answers that extend it."""
    c = vocabulary.factors[factor_id]
    level = vocabulary.concepts["level"].get(c.level or "")
    group = vocabulary.concepts["group"].get(c.group or "")
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
