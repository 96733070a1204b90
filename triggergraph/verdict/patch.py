"""Cells after a change of some sources: earlier counts kept, only the changed sources counted again."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
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


def _kept(before: Sequence[Item], changed: Set[str]) -> list[Item]:
    """``before``'s items of the sources that stay (not in ``changed``), in their order.

    A cell of a large evidence base holds thousands of items, so the test runs in C
    (``map`` and ``compress``).
    """
    return list(compress(before, map(not_, map(changed.__contains__, map(SOURCE_OF, before)))))


def _sorted_in(kept: list[Item], added: Iterable[Item], key: Callable) -> list[Item]:
    """``kept`` with ``added`` put in place, both in ``key`` order already.

    A write adds a few items to a cell of thousands, so each goes in by bisection; it goes
    after equal ones, as in a stable merge of ``kept`` and ``added``.
    """
    for item in added:
        insort(kept, item, key=key)
    return kept


@dataclass(frozen=True)
class Before:
    """The evidence base before a change, as far as :func:`patch_cells` looks at it."""

    #: source id -> the source before the change
    sources: Mapping[str, Source]
    #: source id -> its independent group before the change
    groups: Mapping[str, str]


def _holds(items: Sequence[Item], wanted: Iterable[Item], key: Callable) -> bool:
    """Whether every item of ``wanted`` is in ``items`` (in ``key`` order), found by bisection.

    Examples
    --------
    >>> _holds([1, 3, 5], [3, 5], key=lambda x: x), _holds([1, 3, 5], [4], key=lambda x: x)
    (True, False)
    """
    for item in wanted:
        place = bisect_left(items, key(item), key=key)
        if place == len(items) or items[place] != item:
            return False
    return True


def _counted_in(
    routed: Mapping[str, Sequence], groups: Mapping[str, str], vocabulary: Vocabulary
) -> Callable[[str, str], tuple[list, list]]:
    """``(factor, column) -> (votes, context)`` of the findings in ``routed`` for that cell."""
    buckets_by_factor: dict[str, dict] = {}

    def count(factor_id: str, column: str) -> tuple[list, list]:
        buckets = buckets_by_factor.get(factor_id)
        if buckets is None:
            buckets = buckets_by_factor[factor_id] = bucket_by_column(routed.get(factor_id, ()))
        kinds = ((column, column_kind(column, vocabulary)),)
        return count_cell(buckets.get(column, ()), kinds, groups)

    return count


def patch_cells(
    keys: Iterable[tuple[str, str]],
    previous: Callable[[str, str], CellVerdict],
    changes: Mapping[str, Source | None],
    vocabulary: Vocabulary,
    groups: Mapping[str, str],
    factor_of: Callable[[str], str],
    before: Before | None = None,
) -> dict[tuple[str, str], CellVerdict]:
    """The single-column cells ``keys`` after ``changes``, from their ``previous`` verdicts.

    A cell's votes and context are those of its previous verdict minus the changed sources'
    plus the changed sources' new findings, counted now; only then is the cell decided and
    explained again. So a write costs the findings of the source written, not the findings
    on its factors. Equal to counting every finding again (:func:`compute_cells`) as long as
    the independent groups of the sources that stay did not change: the caller checks that.

    With ``before``, a cell whose votes and context from the changed sources are the same
    after the change as before (an edit of a title, a locator or a note, say) keeps its
    previous verdict object, found without reading the rest of the cell: the old votes are
    counted from the old sources and looked up by bisection. An inverted vote also needs
    its construct unchanged, since the explanation names it.

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
    before : Before, optional
        The sources and groups before the change.

    Returns
    -------
    dict
        ``{(factor id, column): CellVerdict}``.
    """
    changed = set(changes)
    evidence = [(f, s) for s in changes.values() if s is not None for f in s.findings]
    count_now = _counted_in(route_by_factor(evidence, vocabulary), groups, vocabulary)
    count_then = None
    factor_then: dict[str, str] = {}
    if before is not None:
        old = [before.sources.get(ident) for ident in changes]
        old_evidence = [(f, s) for s in old if s is not None for f in s.findings]
        # an old vote the cell keeps must come from these findings, so their factors suffice
        factor_then = {f.id: f.factor for f, _ in old_evidence}
        routed_then = route_by_factor(old_evidence, vocabulary)
        count_then = _counted_in(routed_then, before.groups, vocabulary)
    out: dict[tuple[str, str], CellVerdict] = {}
    for factor_id, column in keys:
        added, added_context = count_now(factor_id, column)
        cell = previous(factor_id, column)
        if count_then is not None:
            taken, taken_context = count_then(factor_id, column)
            if (
                taken == added
                and taken_context == added_context
                and all(factor_then.get(c.id) == factor_of(c.id) for c in added if c.inverted)
                and _holds(cell.findings, taken, counted_order)
                and _holds(cell.context, taken_context, context_order)
            ):
                out[(factor_id, column)] = cell
                continue
        counted = _sorted_in(_kept(cell.findings, changed), added, counted_order)
        context = _sorted_in(_kept(cell.context, changed), added_context, context_order)
        inverted = {c.id: factor_of(c.id) for c in compress(counted, map(INVERTED, counted))}
        out[(factor_id, column)] = verdict_of(
            factor_id, (column,), counted, context, vocabulary, inverted
        )
    return out


__all__ = ["Before", "patch_cells"]
