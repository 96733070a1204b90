"""Cells after a change of some sources: earlier counts kept, only the changed sources counted again."""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from itertools import compress
from operator import not_
from typing import TYPE_CHECKING, TypeVar

from .cells import CellVerdict, verdict_of
from .counting import (
    INVERTED,
    SOURCE_OF,
    bucket_by_column,
    column_kind,
    context_order,
    count_cell,
    counted_order,
    route_by_factor,
)

if TYPE_CHECKING:
    from ..models import Source
    from ..vocabulary import Vocabulary

Item = TypeVar("Item")


def _merged(
    before: Sequence[Item], changed: Set[str], added: Iterable[Item], key: Callable
) -> list[Item]:
    """``before`` without the items of the ``changed`` sources, with ``added`` sorted in.

    Both are in ``key`` order already. A cell of a large evidence base holds thousands of
    items and a write adds a few, so those few are put in place by bisection; the filter
    runs in C (``map`` and ``compress``). An added item goes after equal ones, as in a
    stable merge of ``before`` and ``added``.
    """
    kept = list(compress(before, map(not_, map(changed.__contains__, map(SOURCE_OF, before)))))
    for item in added:
        insort(kept, item, key=key)
    return kept


def patch_cells(
    keys: Iterable[tuple[str, str]],
    previous: Callable[[str, str], CellVerdict],
    changes: Mapping[str, Source | None],
    vocabulary: Vocabulary,
    groups: Mapping[str, str],
    factor_of: Callable[[str], str],
) -> dict[tuple[str, str], CellVerdict]:
    """The single-column cells ``keys`` after ``changes``, from their ``previous`` verdicts.

    A cell's votes and context are those of its previous verdict minus the changed sources'
    plus the changed sources' new findings, counted now; only then is the cell decided and
    explained again. So a write costs the findings of the source written, not the findings
    on its factors. Equal to counting every finding again (:func:`compute_cells`) as long as
    the independent groups of the sources that stay did not change: the caller checks that.

    Parameters
    ----------
    keys : iterable of (factor id, column)
        The cells the change can reach.
    previous : callable
        ``(factor id, column) -> CellVerdict`` before the change.
    changes : mapping
        ``{source_id: new Source, or None when removed}``.
    vocabulary : Vocabulary
    groups : mapping
        ``{source_id: group_id}`` after the change.
    factor_of : callable
        Finding id -> the factor or construct the finding names (for the explanation of an
        inverted finding).

    Returns
    -------
    dict
        ``{(factor id, column): CellVerdict}``.
    """
    changed = set(changes)
    evidence = [(f, s) for s in changes.values() if s is not None for f in s.findings]
    routed = route_by_factor(evidence, vocabulary)
    buckets_by_factor: dict[str, dict] = {}
    out: dict[tuple[str, str], CellVerdict] = {}
    for factor_id, column in keys:
        buckets = buckets_by_factor.get(factor_id)
        if buckets is None:
            buckets = buckets_by_factor[factor_id] = bucket_by_column(routed.get(factor_id, ()))
        kinds = ((column, column_kind(column, vocabulary)),)
        added, added_context = count_cell(buckets.get(column, ()), kinds, groups)
        before = previous(factor_id, column)
        counted = _merged(before.findings, changed, added, counted_order)
        context = _merged(before.context, changed, added_context, context_order)
        inverted = {c.id: factor_of(c.id) for c in compress(counted, map(INVERTED, counted))}
        out[(factor_id, column)] = verdict_of(
            factor_id, (column,), counted, context, vocabulary, inverted
        )
    return out


__all__ = ["patch_cells"]
