"""The profile answer: trigger factors ranked by the evidence for a driver and/or demographic groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...exceptions import EntryError, Problem
from ...readmodel import carries_all, check_known, check_lang
from ...verdict import rank_cells, rank_profile
from ..profile import ProfileAnswer, ProfileChoice, RankedFactor
from ..queries import ProfileQuery
from .parts import cell_answer, column_ref, factor_summary

if TYPE_CHECKING:
    from ...readmodel import EvidenceIndex
    from ...verdict import CellVerdict

#: Said with every profile: what the ranking is and what it is not.
PROFILE_NOTICE: dict[str, str] = {
    "en": "This ranking summarises population-level research findings. It cannot predict what "
    "any individual person will think or do, and it is not a risk assessment: use it to see "
    "what the literature says, never to judge a person.",
    "nl": "Deze rangorde vat onderzoeksbevindingen op populatieniveau samen. Ze kan niet "
    "voorspellen wat een individuele persoon zal denken of doen, en is geen risicotaxatie: "
    "gebruik haar om te zien wat de literatuur zegt, nooit om een persoon te beoordelen.",
}


def _ranked_items(index: EvidenceIndex, ranked: list[CellVerdict], lang: str) -> list[RankedFactor]:
    return [
        RankedFactor(
            rank=i + 1,
            factor=factor_summary(index.vocabulary, c.factor, lang),
            cell=cell_answer(c, lang),
        )
        for i, c in enumerate(c for c in ranked if c.verdict != "no_evidence")
    ]


def _single(index: EvidenceIndex, column: str) -> list[CellVerdict]:
    # one choice is one column of the matrix, already computed
    return rank_cells([index.cells[f][column] for f in index.factor_order])


def build_profile(index: EvidenceIndex, query: ProfileQuery) -> ProfileAnswer:
    """Trigger factors ranked by the evidence for a profile (a driver and/or groups).

    Choices combine with AND: for each factor one verdict is computed over the findings
    that carry *every* chosen attribute (the driver link and each group), never over the
    union. With more than one choice, ``per_choice`` gives the ranking for each choice on
    its own, so a reader can see what exists when no finding carries them all. Factors
    are ranked by verdict (strong > moderate > limited = contested), then score, then
    number of findings.

    Raises
    ------
    EntryError
        When none of ``driver``, ``sex``, ``age``, ``education`` is given.
    """
    lang = check_lang(query.lang)
    chosen: dict[str, str] = {}
    if query.driver is not None:
        chosen["driver"] = check_known("driver", query.driver, index.driver_ids)
    for dimension, value in (
        ("sex", query.sex),
        ("age", query.age),
        ("education", query.education),
    ):
        if value is not None:
            chosen[dimension] = index.demographic_value(dimension, value)
    if not chosen:
        raise EntryError(
            [Problem(None, None, "profile", "give at least one of driver, sex, age or education")]
        )
    columns = list(chosen.values())
    if len(columns) == 1:
        ranked = _single(index, columns[0])
    else:
        carrying = [(f, s) for f, s in index.pairs if carries_all(f, chosen)]
        ranked = rank_profile(
            index.factor_order, columns, carrying, index.vocabulary, groups=index.groups
        )
    vocab = index.vocabulary
    return ProfileAnswer(
        profile={k: column_ref(vocab, v, lang) for k, v in chosen.items()},
        lang=lang,
        combination="all",
        items=_ranked_items(index, ranked, lang),
        no_evidence=[
            factor_summary(vocab, c.factor, lang) for c in ranked if c.verdict == "no_evidence"
        ],
        per_choice={
            k: ProfileChoice(
                column=column_ref(vocab, v, lang),
                items=_ranked_items(index, _single(index, v), lang),
            )
            for k, v in chosen.items()
        }
        if len(columns) > 1
        else {},
        notice=dict(PROFILE_NOTICE),
    )
