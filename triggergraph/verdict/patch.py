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


def _split(before: Sequence[Item], changed: Set[str]) -> tuple[list[Item], list[Item]]:
    """``before``'s items of the sources that stay, and those of the ``changed`` sources.

    A cell of a large evidence base holds thousands of items, so the test runs in C
    (``map`` and ``compress``), once for both lists.
    """
    flags = list(map(changed.__contains__, map(SOURCE_OF, before)))
    if not any(flags):
        return list(before), []
    return list(compress(before, map(not_, flags))), list(compress(before, flags))


def _sorted_in(kept: list[Item], added: Iterable[Item], key: Callable) -> list[Item]:
    """``kept`` with ``added`` put in place, both in ``key`` order already.

    A write adds a few items to a cell of thousands, so each goes in by bisection; it goes
    after equal ones, as in a stable merge of ``kept`` and ``added``.
    """
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
    factor_before: Callable[[str], str | None] | None = None,
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
    factor_before : callable, optional
        The same before the change (None for a finding that was not there).

    A cell whose votes and context from the changed sources are the same after the change
    as before (an edit of a title, a locator or a note, say) keeps its previous verdict
    object: it would be decided and explained to the same verdict. With an inverted vote
    among them that needs ``factor_before`` too, since the explanation names its construct.

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
        kept, taken = _split(before.findings, changed)
        kept_context, taken_context = _split(before.context, changed)
        if taken == added and taken_context == added_context:
            turned = [c.id for c in added if c.inverted]
            if not turned or (
                factor_before is not None and all(factor_before(i) == factor_of(i) for i in turned)
            ):
                out[(factor_id, column)] = before
                continue
        counted = _sorted_in(kept, added, counted_order)
        context = _sorted_in(kept_context, added_context, context_order)
        inverted = {c.id: factor_of(c.id) for c in compress(counted, map(INVERTED, counted))}
        out[(factor_id, column)] = verdict_of(
            factor_id, (column,), counted, context, vocabulary, inverted
        )
    return out


__all__ = ["patch_cells"]
