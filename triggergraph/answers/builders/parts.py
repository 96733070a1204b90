"""Parts every answer builder shares: concept and column references, cells, factor summaries, pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...verdict import ANY_COLUMN, ANY_LABELS, VERDICT_LABELS
from ..base import Ref, ScaleRef
from ..cells import Cell, ColumnRef, FactorSummary, MatrixCell

if TYPE_CHECKING:
    from ...readmodel import EvidenceIndex
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


def _cell_model(cell: CellVerdict) -> Cell:
    # validated once per cell and index; the label is set per answer (a shallow copy)
    return Cell.model_validate({**cell.as_dict(), "verdict_label": ""})


def cell_answer(index: EvidenceIndex, cell: CellVerdict, lang: str) -> Cell:
    """One cell as an answer, with ``verdict_label`` in ``lang``.

    The cell's parts (findings, context, downgrades) are validated once per index and shared
    by every answer that shows the cell.
    """
    base = index.cell_answer(cell, _cell_model)
    return base.model_copy(update={"verdict_label": VERDICT_LABELS[cell.verdict][lang]})


def matrix_cell(index: EvidenceIndex, cell: CellVerdict, lang: str, passes: bool) -> MatrixCell:
    """One cell of the matrix: :func:`cell_answer` plus ``passes`` (meets ``min_verdict``).

    Its ``findings`` are the whole :class:`~triggergraph.answers.cells.CountedFinding`
    objects; they serialise as ``{id, direct}``.
    """
    base = index.cell_answer(cell, _cell_model)
    fields = {name: getattr(base, name) for name in Cell.model_fields}
    fields.update(base.model_extra or {})
    fields["verdict_label"] = VERDICT_LABELS[cell.verdict][lang]
    return MatrixCell.model_construct(**fields, passes=passes)


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
