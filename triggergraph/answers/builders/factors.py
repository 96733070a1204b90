"""Factor answers: the filtered list of trigger factors and one factor with its cells and findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...readmodel import check_known, check_lang, check_page
from ...verdict import ANY_COLUMN, CERTAINTIES, check_min_verdict, meets_min_verdict
from ..cells import FactorRef
from ..factors import FactorAnswer, FactorListItem, FactorsPage
from ..queries import ENGLISH, FactorsQuery, LangQuery
from .findings import finding_answer
from .parts import cell_answer, column_ref, concept_ref, factor_summary_fields

if TYPE_CHECKING:
    from ...readmodel import EvidenceIndex


def build_factors(index: EvidenceIndex, query: FactorsQuery) -> FactorsPage:
    """Trigger factors in report order, filtered and paged.

    ``driver``, ``sex``, ``age``, ``education`` keep factors whose cell for every given
    column meets ``min_verdict`` (or has any evidence without it), and add those cells as
    ``cells``; without them ``min_verdict`` applies to the overall (``any``) cell. ``q`` is
    case-insensitive text in the id, a label or an alternative label.

    Examples
    --------
    >>> from triggergraph.readmodel import EvidenceIndex
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> page = build_factors(EvidenceIndex.build([], load_vocabulary()), FactorsQuery(q="detention"))
    >>> [item.id for item in page.items]
    ['detention']
    """
    level, driver, min_verdict, q = query.level, query.driver, query.min_verdict, query.q
    lang = check_lang(query.lang)
    offset, limit = check_page(query.offset, query.limit)
    vocab = index.vocabulary
    check_min_verdict(min_verdict)
    if level is not None:
        check_known("level", level, vocab.concepts["level"])
    columns = []
    if driver is not None:
        columns.append(check_known("driver", driver, index.driver_ids))
    for dimension, value in (
        ("sex", query.sex),
        ("age", query.age),
        ("education", query.education),
    ):
        if value is not None:
            columns.append(index.demographic_value(dimension, value))
    needle = q.casefold().strip() if q else ""
    items = []
    for factor_id in index.factor_order:
        concept = vocab.factors[factor_id]
        if level is not None and concept.level != level:
            continue
        if needle:
            haystack = [concept.id, *concept.labels.values(), *concept.alt_labels]
            if not any(needle in text.casefold() for text in haystack):
                continue
        cells = index.cells[factor_id]
        tested = columns or ([ANY_COLUMN] if min_verdict else [])
        if not all(meets_min_verdict(cells[c].verdict, min_verdict) for c in tested):
            continue
        item = FactorListItem(
            **factor_summary_fields(vocab, factor_id, lang),
            overall=cell_answer(cells[ANY_COLUMN], lang),
        )
        if columns:
            item.cells = {c: cell_answer(cells[c], lang) for c in columns}
        items.append(item)
    return FactorsPage(
        total=len(items), offset=offset, limit=limit, items=items[offset : offset + limit]
    )


def build_factor(index: EvidenceIndex, factor_id: str, query: LangQuery = ENGLISH) -> FactorAnswer:
    """One factor with definitions, broader/narrower, related constructs, cells and findings
    (by certainty, then id)."""
    lang = check_lang(query.lang)
    vocab = index.vocabulary
    check_known("factor", factor_id, vocab.factors)
    c = vocab.factors[factor_id]
    cells = index.cells[factor_id]
    columns = index.column_sets["all"]
    return FactorAnswer(
        **factor_summary_fields(vocab, factor_id, lang),
        alt_labels=list(c.alt_labels),
        definition=c.definitions.get(lang) or next(iter(c.definitions.values()), None),
        definitions=dict(c.definitions),
        notes=dict(c.notes),
        report_page=c.report_page,
        tool_page=c.tool_page,
        broader=concept_ref(vocab.factors.get(c.broader or ""), lang),
        narrower=[concept_ref(n, lang) for n in vocab.ordered_factors() if n.broader == factor_id],
        related_constructs=[
            FactorRef(**concept_ref(k, lang).model_dump(), mapping=mapping)
            for k in sorted(vocab.constructs.values(), key=lambda k: k.id)
            for target, mapping in k.maps_to
            if target == factor_id
        ],
        overall=cell_answer(cells[ANY_COLUMN], lang),
        columns=[column_ref(vocab, col, lang) for col in columns],
        cells={col: cell_answer(cells[col], lang) for col in columns},
        findings=[
            finding_answer(index, f, s, lang)
            for f, s, _direct in sorted(
                index.routed.get(factor_id, []),
                key=lambda p: (CERTAINTIES.index(p[0].certainty), p[0].id),
            )
        ],
    )
