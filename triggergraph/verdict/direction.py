"""The direction of a cell: votes by independent groups, ties reported as ties, contesting sides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .counting import CountedFinding
from .terms import CERTAINTIES, VOTING_DIRECTIONS


def best_certainty(counted: Sequence[CountedFinding]) -> str | None:
    """The best effective certainty among ``counted`` (None when empty)."""
    letters = {c.effective_certainty for c in counted}
    return min(letters, key=CERTAINTIES.index) if letters else None


def at_least(letter: str, bound: str) -> bool:
    """Whether certainty ``letter`` is ``bound`` or better."""
    return CERTAINTIES.index(letter) <= CERTAINTIES.index(bound)


@dataclass(frozen=True)
class Vote:
    """The outcome of the direction vote of one cell."""

    #: the direction with the most support; None for a tie and for mixed-only cells
    dominant: str | None
    #: the directions that tie for the most support (empty when one direction leads)
    tied: tuple[str, ...]
    #: voting findings per direction
    by_direction: dict[str, list[CountedFinding]]
    #: findings of other directions, from groups outside the dominant side, that are C or better
    contesting: tuple[CountedFinding, ...]
    #: findings of other directions from groups outside the dominant side (any certainty)
    dissent: tuple[CountedFinding, ...]


def _support(items: Sequence[CountedFinding]) -> tuple[int, int]:
    """How strongly one direction is supported: independent groups, then best certainty."""
    return (len({c.group for c in items}), -CERTAINTIES.index(best_certainty(items)))


def vote(counted: Sequence[CountedFinding]) -> Vote:
    """Decide a cell's direction from its voting findings.

    The direction supported by the most independent groups leads; with equal groups, the one
    with the better best certainty. Directions that are equal on both tie, and a tie is
    reported as a tie: no fixed order and no count of findings (one study can report many)
    breaks it. ``mixed`` findings never vote.
    """
    by_direction: dict[str, list[CountedFinding]] = defaultdict(list)
    for item in counted:
        if item.direction in VOTING_DIRECTIONS:
            by_direction[item.direction].append(item)
    voting = [d for d in VOTING_DIRECTIONS if by_direction.get(d)]
    if not voting:
        return Vote(None, (), dict(by_direction), (), ())
    support = {d: _support(by_direction[d]) for d in voting}
    top = max(support.values())
    leaders = tuple(d for d in voting if support[d] == top)
    if len(leaders) > 1:
        sides = [c for d in leaders for c in by_direction[d]]
        contesting = tuple(c for c in sides if at_least(c.effective_certainty, "C"))
        return Vote(None, leaders, dict(by_direction), contesting, tuple(sides))
    dominant = leaders[0]
    main_groups = {c.group for c in by_direction[dominant]}
    dissent = tuple(
        c
        for d in voting
        if d != dominant
        for c in by_direction[d]
        if c.group not in main_groups or len(main_groups) > 1
    )
    contesting = tuple(c for c in dissent if at_least(c.effective_certainty, "C"))
    return Vote(dominant, (), dict(by_direction), contesting, dissent)
