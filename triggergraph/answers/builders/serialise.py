"""Answers as JSON bytes: one serialisation, and the hot answers kept as bytes per data version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..queries import FactorsQuery, LangQuery, MatrixQuery, ProfileQuery
from .factors import build_factor, build_factors
from .matrix import build_matrix
from .profile import build_profile

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ...readmodel import EvidenceIndex


def answer_json(answer: BaseModel) -> bytes:
    """An answer as the JSON bytes the REST API serves.

    pydantic's ``model_dump_json`` is the faster of the two ways measured in
    ``bench/serialise.py`` (about twice as fast as orjson over ``model_dump`` at 10k findings).

    Examples
    --------
    >>> from triggergraph.answers import MatrixFilters
    >>> answer_json(MatrixFilters(level=None, min_verdict=None, outcome_stage=None, direct_only=False))
    b'{"level":null,"min_verdict":null,"outcome_stage":null,"direct_only":false}'
    """
    return answer.model_dump_json().encode()


def factors_json(index: EvidenceIndex, query: FactorsQuery) -> bytes:
    """:func:`build_factors` as JSON bytes, kept per index and query."""
    return index.remember(
        ("json", "factors", query), lambda: answer_json(build_factors(index, query))
    )


def factor_json(index: EvidenceIndex, factor_id: str, query: LangQuery) -> bytes:
    """:func:`build_factor` as JSON bytes, kept per index, factor and language."""
    return index.remember(
        ("json", "factor", factor_id, query.lang),
        lambda: answer_json(build_factor(index, factor_id, query)),
    )


def matrix_json(index: EvidenceIndex, query: MatrixQuery) -> bytes:
    """:func:`build_matrix` as JSON bytes (counted findings as ``{id, direct}``), kept per
    index and query."""
    return index.remember(
        ("json", "matrix", query), lambda: answer_json(build_matrix(index, query))
    )


def profile_json(index: EvidenceIndex, query: ProfileQuery) -> bytes:
    """:func:`build_profile` as JSON bytes, kept per index and query."""
    return index.remember(
        ("json", "profile", query), lambda: answer_json(build_profile(index, query))
    )


def warm_factor_lists(index: EvidenceIndex) -> None:
    """Serialise the factor list in both languages now (a warmer the app runs off the
    request path for each new index, with the map pages).

    Factor pages and matrices are serialised on first request instead: every matrix
    variant (cols x lang) would be held whether asked or not.
    """
    for lang in ("nl", "en"):
        factors_json(index, FactorsQuery(lang=lang))
