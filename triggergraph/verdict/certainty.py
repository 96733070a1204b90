"""The certainty of a cell's body of evidence, GRADE-style: a start, then domain-by-domain rating down.

GRADE rates the certainty of a *body* of evidence, not of single studies (GRADE handbook,
Schünemann et al. 2013, section 5): start from the best evidence present, then rate down for
risk of bias, inconsistency, indirectness, imprecision and publication bias. Here:

1. Each counted finding already carries its own certainty (A-D, from the evidence scale).
   Risk of bias (a caveat such as ``low_quality_per_authors``) and indirectness (a construct
   instead of the trigger, a proposed driver link, another population, ecological data for a
   personal trigger, cross-sectional data for a causal trigger claim) each lower that finding
   one level in the cell (:func:`~triggergraph.verdict.counting.count_finding`).
2. The **start** is the best certainty in the cell's direction, one level higher when two
   independent groups reach that level and it is B or C (the scale's B class: "replicated large
   or longitudinal studies"; two very-low-certainty findings do not make a low one). It is computed three times, from the reported certainties, after risk of bias and
   after indirectness too, so the levels each of those domains took are named.
3. The body is then rated down one level each for **inconsistency** (an independent group
   reports another direction with a certainty at most one level below the start; at C or better
   the cell is *contested* instead), **imprecision** (every best finding of the direction is one
   small study or has a very wide interval, and only one group supports it) and **publication
   bias** (reported by the authors).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from .counting import GROUP_OF, LETTER_OF, CountedFinding, downgrade
from .terms import CERTAINTIES, DOMAINS, RANK

REPORTED_OF = attrgetter("certainty")
RISK_OF_BIAS_OF = attrgetter("risk_of_bias")
LOWEST = len(CERTAINTIES) - 1
#: The places (see RANK) of B and C: a start there is lifted by two independent groups.
LIFTED = frozenset({RANK["B"], RANK["C"]})


@dataclass(frozen=True)
class Downgrade:
    """One GRADE domain that lowered a cell's certainty: by how much, why, and which findings."""

    domain: str
    levels: int
    #: reason ids: indirectness or caveat ids, or ``other_direction`` for inconsistency
    reasons: tuple[str, ...]
    findings: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "domain": self.domain,
            "levels": self.levels,
            "reasons": list(self.reasons),
            "findings": list(self.findings),
        }


def _start(ranks: Sequence[int], groups: Sequence[str]) -> int:
    """Best certainty (as a RANK) of one direction, one level up when two independent groups
    reach it; ``ranks`` and ``groups`` are those of the direction's findings, in one order.
    """
    best = min(ranks)
    if best in LIFTED:
        first = None
        for rank, group in zip(ranks, groups, strict=True):
            if rank == best:
                if first is None:
                    first = group
                elif group != first:
                    return best - 1
    return best


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def rate_body(
    main: Sequence[CountedFinding], dissent: Sequence[CountedFinding], *, tie: bool = False
) -> tuple[str, tuple[Downgrade, ...]]:
    """Return the certainty of a cell's body of evidence and the domains that lowered it.

    Parameters
    ----------
    main : sequence of CountedFinding
        The findings of the cell's direction (for a tie: of every tied direction).
    dissent : sequence of CountedFinding
        Findings of other directions from other independent groups.
    tie : bool
        The directions tie: every side is ``main`` and ``dissent`` at once.

    Examples
    --------
    >>> from triggergraph.verdict.counting import CountedFinding as F
    >>> a = F("f1", "s1", "s1", "increases", "B", "C", False, ("construct_not_trigger",))
    >>> letter, why = rate_body([a], [])
    >>> letter, [d.domain for d in why]
    ('C', ['indirectness'])
    """
    groups = list(map(GROUP_OF, main))
    reported = list(map(RANK.__getitem__, map(REPORTED_OF, main)))
    effective = list(map(RANK.__getitem__, map(LETTER_OF, main)))
    after_risk = reported
    if any(map(RISK_OF_BIAS_OF, main)):
        after_risk = [
            min(rank + 1, LOWEST) if risky else rank
            for rank, risky in zip(reported, map(RISK_OF_BIAS_OF, main), strict=True)
        ]
    raw = CERTAINTIES[_start(reported, groups)]
    risk = CERTAINTIES[_start(after_risk, groups)]
    start_rank = _start(effective, groups)
    start = CERTAINTIES[start_rank]
    out: list[Downgrade] = []
    if risk != raw:
        lowered = [c for c in main if c.risk_of_bias]
        out.append(
            Downgrade(
                "risk_of_bias",
                RANK[risk] - RANK[raw],
                _unique(r for c in lowered for r in c.risk_of_bias),
                tuple(c.id for c in lowered),
            )
        )
    if start != risk:
        lowered = [c for c in main if c.reasons]
        out.append(
            Downgrade(
                "indirectness",
                RANK[start] - RANK[risk],
                _unique(r for c in lowered for r in c.reasons),
                tuple(c.id for c in lowered),
            )
        )
    body: list[Downgrade] = []
    # A dissent counts when it is at most one level less certain than the body's start; one
    # two or more levels below is shown in the direction count but does not lower the body.
    credible = [c for c in dissent if RANK[c.effective_certainty] <= start_rank + 1]
    if credible:
        reason = "tied_directions" if tie else "other_direction"
        body.append(Downgrade("inconsistency", 1, (reason,), tuple(c.id for c in credible)))
    # imprecision needs a single group: the findings at the best certainty are listed only then
    best = CERTAINTIES[min(effective)]
    single = len(set(groups)) == 1
    at_best = [c for c in main if c.effective_certainty == best] if single else []
    if single and all(c.imprecision for c in at_best):
        body.append(
            Downgrade(
                "imprecision",
                1,
                _unique(r for c in at_best for r in c.imprecision),
                tuple(c.id for c in at_best),
            )
        )
    biased = [c for c in main if c.publication_bias]
    if biased:
        body.append(
            Downgrade(
                "publication_bias",
                1,
                _unique(r for c in biased for r in c.publication_bias),
                tuple(c.id for c in biased),
            )
        )
    final = start
    for item in body:
        lowered = downgrade(final, item.levels)
        out.append(
            Downgrade(
                item.domain,
                RANK[lowered] - RANK[final],
                item.reasons,
                item.findings,
            )
        )
        final = lowered
    out.sort(key=lambda d: DOMAINS.index(d.domain))
    return final, tuple(out)
