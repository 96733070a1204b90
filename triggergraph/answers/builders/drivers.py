"""Driver and demographic answers: the drivers, one driver with its factors ranked, the demographic groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...readmodel import check_known, check_lang
from ...verdict import VERDICT_RANK
from ..profile import (
    DemographicDimension,
    DemographicsAnswer,
    DemographicValue,
    DriverAnswer,
    DriversAnswer,
    DriverSummary,
    RankedFactor,
)
from ..queries import ENGLISH, LangQuery
from .parts import cell_answer, factor_summary

if TYPE_CHECKING:
    from ...readmodel import EvidenceIndex


def _driver_fields(index: EvidenceIndex, driver_id: str, lang: str) -> dict:
    c = index.vocabulary.drivers[driver_id]
    return {
        "id": c.id,
        "iri": c.iri,
        "label": c.label(lang),
        "labels": dict(c.labels),
        "definition": c.definitions.get(lang),
        "definitions": dict(c.definitions),
        "rank": c.rank,
        "n_findings": index.finding_counts[driver_id],
        "n_factors_with_evidence": sum(
            1 for f in index.factor_order if index.cells[f][driver_id].verdict != "no_evidence"
        ),
    }


def build_drivers(index: EvidenceIndex, query: LangQuery = ENGLISH) -> DriversAnswer:
    """The four drivers, all in one page (``total`` = number of items)."""
    lang = check_lang(query.lang)
    items = [DriverSummary(**_driver_fields(index, d, lang)) for d in index.driver_ids]
    return DriversAnswer(total=len(items), items=items)


def build_driver(index: EvidenceIndex, driver_id: str, query: LangQuery = ENGLISH) -> DriverAnswer:
    """One driver with ``factors`` ranked by their cell for it (verdict, score, findings)
    and ``no_evidence``: the factors no finding links to it."""
    lang = check_lang(query.lang)
    check_known("driver", driver_id, index.driver_ids)
    cells = [index.cells[f][driver_id] for f in index.factor_order]
    order = {f: i for i, f in enumerate(index.factor_order)}
    ranked = sorted(
        (c for c in cells if c.verdict != "no_evidence"),
        key=lambda c: (-VERDICT_RANK[c.verdict], -c.score, -c.n_findings, order[c.factor]),
    )
    vocab = index.vocabulary
    return DriverAnswer(
        **_driver_fields(index, driver_id, lang),
        factors=[
            RankedFactor(
                rank=i + 1,
                factor=factor_summary(vocab, c.factor, lang),
                cell=cell_answer(c, lang),
            )
            for i, c in enumerate(ranked)
        ],
        no_evidence=[
            factor_summary(vocab, c.factor, lang) for c in cells if c.verdict == "no_evidence"
        ],
    )


def build_demographics(index: EvidenceIndex, query: LangQuery = ENGLISH) -> DemographicsAnswer:
    """The demographic dimensions with their groups in scale order (``total`` = dimensions)."""
    lang = check_lang(query.lang)
    vocab = index.vocabulary
    dimensions = []
    for dim_id in index.dimension_ids:
        d = vocab.dimensions[dim_id]
        values = [
            DemographicValue(
                id=v.id,
                iri=v.iri,
                label=v.label(lang),
                labels=dict(v.labels),
                definition=v.definitions.get(lang),
                rank=v.rank,
                n_findings=index.finding_counts[v.id],
            )
            for v in vocab.values_of(dim_id)
        ]
        dimensions.append(
            DemographicDimension(
                id=d.id,
                iri=d.iri,
                label=d.label(lang),
                labels=dict(d.labels),
                definition=d.definitions.get(lang),
                values=values,
            )
        )
    return DemographicsAnswer(total=len(dimensions), dimensions=dimensions)
