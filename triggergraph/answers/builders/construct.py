"""Construct answers: the searched list of related risk-factor constructs and one construct with its findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...constructs import construct_dict, list_constructs
from ...readmodel import check_known, check_lang
from ...verdict import CERTAINTIES
from ..factors import ConstructAnswer, ConstructsPage
from ..queries import ENGLISH, ConstructsQuery, LangQuery
from .findings import finding_answer

if TYPE_CHECKING:
    from ...readmodel import EvidenceIndex
    from ...vocabulary import Vocabulary


def build_constructs(vocabulary: Vocabulary, query: ConstructsQuery) -> ConstructsPage:
    """Constructs whose id, Dutch or English label or definition holds every word of ``q``."""
    return ConstructsPage.model_validate(
        list_constructs(vocabulary, query.q, query.lang, query.offset, query.limit)
    )


def build_construct(
    index: EvidenceIndex, construct_id: str, query: LangQuery = ENGLISH
) -> ConstructAnswer:
    """One related risk-factor construct: definitions, the trigger factors it maps to, findings.

    ``maps_to`` is empty when the construct informs no trigger factor (its findings then count
    for no cell).
    """
    lang = check_lang(query.lang)
    vocab = index.vocabulary
    check_known("construct", construct_id, vocab.constructs)
    c = vocab.constructs[construct_id]
    level = vocab.concepts["level"].get(c.level or "")
    return ConstructAnswer(
        **construct_dict(vocab, c, lang),
        level_label=level.label(lang) if level else None,
        findings=[
            finding_answer(index, f, s, lang)
            for f, s in sorted(
                (p for p in index.pairs if p[0].factor == construct_id),
                key=lambda p: (CERTAINTIES.index(p[0].certainty), p[0].id),
            )
        ],
    )
