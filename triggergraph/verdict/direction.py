"""The direction of a cell: votes by independent groups, ties reported as ties, contesting sides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, compress

from .counting import DIRECTION_OF, GROUP_OF, LETTER_OF, CountedFinding
from .terms import CERTAINTIES, RANK, VOTING_DIRECTIONS

#: The place of certainty C: a finding at C or better can contest a cell.
C_RANK = RANK["C"]


def best_certainty(counted: Sequence[CountedFinding]) -> str | None:
    """The best effective certainty among ``counted`` (None when empty)."""
    if not counted:
        return None
    return CERTAINTIES[min(map(RANK.__getitem__, map(LETTER_OF, counted)))]


def at_least(letter: str, bound: str) -> bool:
    """Whether certainty ``letter`` is ``bound`` or better."""
    return RANK[letter] <= RANK[bound]


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
    #: the independent groups behind each voting direction
    groups: dict[str, set[str]] = field(default_factory=dict)


def _at_c_or_better(items: Sequence[CountedFinding]) -> tuple[CountedFinding, ...]:
    """The findings of ``items`` at certainty C or better, in their order."""
    return tuple(compress(items, map(C_RANK.__ge__, map(RANK.__getitem__, map(LETTER_OF, items)))))


def vote(counted: Sequence[CountedFinding]) -> Vote:
    """Decide a cell's direction from its voting findings.

    The direction supported by the most independent groups leads; with equal groups, the one
    with the better best certainty. Directions that are equal on both tie, and a tie is
    reported as a tie: no fixed order and no count of findings (one study can report many)
    breaks it. ``mixed`` findings never vote.
    """
    # Each pass below runs in C (map, compress, set): a cell of a large evidence base holds
    # thousands of votes, and a write decides every cell it touches again.
    directions = list(map(DIRECTION_OF, counted))
    present = sorted((d for d in VOTING_DIRECTIONS if d in directions), key=directions.index)
    by_direction = {d: list(compress(counted, map(d.__eq__, directions))) for d in present}
    voting = [d for d in VOTING_DIRECTIONS if d in by_direction]
    if not voting:
        return Vote(None, (), by_direction, (), ())
    groups = {d: set(map(GROUP_OF, by_direction[d])) for d in voting}
    support = {
        d: (len(groups[d]), -min(map(RANK.__getitem__, map(LETTER_OF, by_direction[d]))))
        for d in voting
    }
    top = max(support.values())
    leaders = tuple(d for d in voting if support[d] == top)
    if len(leaders) > 1:
        sides = tuple(chain.from_iterable(by_direction[d] for d in leaders))
        return Vote(None, leaders, by_direction, _at_c_or_better(sides), sides, groups)
    dominant = leaders[0]
    main_groups = groups[dominant]
    others = chain.from_iterable(by_direction[d] for d in voting if d != dominant)
    if len(main_groups) > 1:
        dissent = tuple(others)
    else:
        # one group on the dominant side: its own findings of other directions do not dissent
        (main_group,) = main_groups
        others = list(others)
        dissent = tuple(compress(others, map(main_group.__ne__, map(GROUP_OF, others))))
    return Vote(dominant, (), by_direction, _at_c_or_better(dissent), dissent, groups)
