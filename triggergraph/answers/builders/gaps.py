"""The gaps answer: empty, indirect-only and contested cells, and the factors without any finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...readmodel import check_lang
from ...verdict import ANY_COLUMN, VERDICT_LABELS, find_gaps
from ..profile import GapEntry, GapsAnswer
from ..queries import ENGLISH, LangQuery
from .parts import column_ref

if TYPE_CHECKING:
    from ...readmodel import EvidenceIndex
    from ...verdict import CellVerdict


def _gap_entry(index: EvidenceIndex, cell: CellVerdict, lang: str) -> GapEntry:
    vocab = index.vocabulary
    return GapEntry(
        factor=cell.factor,
        factor_label=vocab.factors[cell.factor].label(lang),
        column=cell.column,
        column_label=column_ref(vocab, cell.column, lang).label,
        verdict=cell.verdict,
        verdict_label=VERDICT_LABELS[cell.verdict][lang],
        n_findings=cell.n_findings,
        explanation=dict(cell.explanation),
    )


def build_gaps(index: EvidenceIndex, query: LangQuery = ENGLISH) -> GapsAnswer:
    """Where the evidence is thin: ``empty`` cells, ``indirect_only`` cells, ``contested``.

    A factor without any finding is listed once, as its ``any`` cell, in
    ``factors_without_evidence`` and ``empty``; for the other factors each empty driver or
    demographic cell is listed.
    """
    lang = check_lang(query.lang)
    cells: list[CellVerdict] = []
    bare = []
    for factor_id in index.factor_order:
        row = index.cells[factor_id]
        if row[ANY_COLUMN].verdict == "no_evidence":
            bare.append(factor_id)
            cells.append(row[ANY_COLUMN])
        else:
            cells += [row[c] for c in [ANY_COLUMN, *index.column_sets["all"]]]
    found = find_gaps(cells)
    entries = {kind: [_gap_entry(index, c, lang) for c in items] for kind, items in found.items()}
    return GapsAnswer(
        **entries,
        factors_without_evidence=bare,
        counts={kind: len(items) for kind, items in found.items()},
    )
