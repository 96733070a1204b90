"""Which findings count toward a cell: routes to factors, columns, independence, per-finding grading."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import attrgetter
from typing import TYPE_CHECKING

from ..effects import effect_flags
from ..exceptions import NotFoundError
from ..vocabulary import Route, suggest
from .terms import (
    ANY_COLUMN,
    CAVEAT_INDIRECTNESS,
    CERTAINTIES,
    IMPRECISION_CAVEATS,
    INVERTED_DIRECTION,
    PUBLICATION_BIAS_CAVEATS,
    RANK,
    RISK_OF_BIAS_CAVEATS,
    VOTING_DIRECTIONS,
)

if TYPE_CHECKING:
    from ..models import Finding, Source
    from ..vocabulary import Vocabulary

EvidencePair = tuple["Finding", "Source"]
#: a pair plus the route by which the finding reaches the cell's factor
RoutedEvidence = tuple["Finding", "Source", Route]


@dataclass(slots=True)
class CountedFinding:
    """One finding as counted in one cell: its vote, how direct it is, and its grading."""

    id: str
    source: str
    group: str
    #: the direction it votes for in this cell (inverted for a protective opposite)
    direction: str
    certainty: str
    effective_certainty: str
    direct: bool
    #: indirectness reason ids (each lowers the finding one level at most, together)
    reasons: tuple[str, ...]
    #: the direction the source reports
    reported_direction: str = ""
    #: counted with its direction inverted (the construct is the factor's protective opposite)
    inverted: bool = False
    #: caveat ids that rate the finding down for risk of bias
    risk_of_bias: tuple[str, ...] = ()
    #: caveat or flag ids that make the finding imprecise
    imprecision: tuple[str, ...] = ()
    #: caveat ids that point to publication bias
    publication_bias: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "direction": self.direction,
            "reported_direction": self.reported_direction or self.direction,
            "inverted": self.inverted,
            "certainty": self.certainty,
            "effective_certainty": self.effective_certainty,
            "direct": self.direct,
            "reasons": list(self.reasons),
            "risk_of_bias": list(self.risk_of_bias),
        }


@dataclass(slots=True)
class ContextFinding:
    """A finding on the cell's factor and column that is context, not a vote, and why."""

    id: str
    source: str
    #: ``within_extremists``, ``disengagement`` or ``bundle``
    why: str
    direction: str

    def as_dict(self) -> dict:
        return {"id": self.id, "source": self.source, "why": self.why, "direction": self.direction}


def downgrade(letter: str, levels: int = 1) -> str:
    """Return the certainty ``levels`` lower (D stays D).

    Examples
    --------
    >>> downgrade("A"), downgrade("C"), downgrade("D"), downgrade("A", 2)
    ('B', 'D', 'D', 'C')
    """
    return CERTAINTIES[min(RANK[letter] + levels, len(CERTAINTIES) - 1)]


def group_sources(sources: Iterable[Source]) -> dict[str, str]:
    """Map each source id to its independent group (sources joined by ``overlaps_with``).

    Overlap is symmetric and transitive; a group is named by its smallest source id.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> group_sources([S(id="b", overlaps_with=["a"]), S(id="c", overlaps_with=["b"]), S(id="d", overlaps_with=[])])
    {'a': 'a', 'b': 'a', 'c': 'a', 'd': 'd'}
    """
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for source in sources:
        find(source.id)
        for other in source.overlaps_with:
            a, b = find(source.id), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {item: find(item) for item in sorted(parent)}


def column_kind(column: str, vocabulary: Vocabulary) -> str:
    """Return ``"any"``, ``"driver"`` or ``"demographic"``, or raise NotFoundError.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> column_kind("justice_seeker", load_vocabulary()), column_kind("sex_male", load_vocabulary())
    ('driver', 'demographic')
    """
    if column == ANY_COLUMN:
        return ANY_COLUMN
    if column in vocabulary.drivers:
        return "driver"
    if column in vocabulary.demographics:
        return "demographic"
    choices = [ANY_COLUMN, *vocabulary.drivers, *vocabulary.demographics]
    raise NotFoundError("column", column, suggest(column, choices))


def _column_reasons(finding: Finding, kinds: Sequence[tuple[str, str]]) -> list[str] | None:
    """Indirectness the cell's column adds, or None when the finding names no column of it."""
    best: list[str] | None = None
    for column, kind in kinds:
        if kind == ANY_COLUMN:
            extra: list[str] = []
        elif kind == "driver":
            link = next((lnk for lnk in finding.drivers if lnk.driver == column), None)
            if link is None:
                continue
            extra = ["proposed_driver_link"] if link.basis == "proposed" else []
        else:
            if column not in finding.demographics:
                continue
            extra = []
        if best is None or len(extra) < len(best):
            best = extra
    return best


def indirectness_reasons(
    finding: Finding, route: Route, column_reasons: Sequence[str]
) -> tuple[str, ...]:
    """Every reason a finding is indirect evidence for a cell, without repeats.

    From the route (a construct, not the trigger), the column (a proposed driver link), the
    entry's own ``indirectness`` and the caveats that stand for one (cross-sectional data for
    a trigger claim, ecological data, another population).
    """
    reasons = ([] if route.direct else ["construct_not_trigger"]) + list(column_reasons)
    derived = [CAVEAT_INDIRECTNESS[c] for c in finding.caveats if c in CAVEAT_INDIRECTNESS]
    for reason in [*finding.indirectness, *derived]:
        if reason not in reasons:
            reasons.append(reason)
    return tuple(reasons)


def count_finding(
    finding: Finding,
    source: Source,
    route: Route,
    kinds: Sequence[tuple[str, str]],
    group: str,
) -> CountedFinding | ContextFinding | None:
    """How one finding enters one cell: a vote, context, or (None) not at all."""
    extra = _column_reasons(finding, kinds)
    if extra is None:
        return None
    if finding.outcome_kind != "radicalisation" or route.bundle:
        why = "bundle" if finding.outcome_kind == "radicalisation" else finding.outcome_kind
        return ContextFinding(finding.id, source.id, why, finding.direction)
    reasons = indirectness_reasons(finding, route, extra)
    risk = tuple(c for c in finding.caveats if c in RISK_OF_BIAS_CAVEATS)
    effective = downgrade(finding.certainty, int(bool(reasons)) + int(bool(risk)))
    flags = [f for f in effect_flags(finding.effect) if f in ("small_sample",)]
    imprecise = tuple([c for c in finding.caveats if c in IMPRECISION_CAVEATS] + flags)
    direction = INVERTED_DIRECTION[finding.direction] if route.inverted else finding.direction
    return CountedFinding(
        id=finding.id,
        source=source.id,
        group=group,
        direction=direction,
        certainty=finding.certainty,
        effective_certainty=effective,
        direct=not reasons,
        reasons=_one(reasons),
        reported_direction=finding.direction,
        inverted=route.inverted,
        risk_of_bias=_one(risk),
        imprecision=_one(tuple(dict.fromkeys(imprecise))),
        publication_bias=_one(tuple(c for c in finding.caveats if c in PUBLICATION_BIAS_CAVEATS)),
    )


@lru_cache(maxsize=4096)
def _one(ids: tuple[str, ...]) -> tuple[str, ...]:
    """One object for each tuple of reason or caveat ids: a counted finding holds four, there
    are a quarter of a million counted findings at 100k findings, and a few dozen values."""
    return ids


def route_by_factor(
    evidence: Iterable[EvidencePair], vocabulary: Vocabulary
) -> dict[str, list[RoutedEvidence]]:
    """Group (finding, source) pairs by every trigger factor they reach, with the route.

    Bundles and findings on other outcomes are routed too (they are context on the factor);
    :func:`count_finding` keeps them out of the vote.
    """
    out: dict[str, list[RoutedEvidence]] = defaultdict(list)
    for finding, source in evidence:
        for route in vocabulary.routes_for(finding.factor):
            out[route.factor].append((finding, source, route))
    return dict(out)


def finding_columns(finding: Finding) -> set[str]:
    """The single columns a finding can count toward: ``any``, its drivers and its groups.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> f = S(drivers=[S(driver="justice_seeker")], demographics=["sex_male"])
    >>> sorted(finding_columns(f))
    ['any', 'justice_seeker', 'sex_male']
    """
    return {ANY_COLUMN, *(link.driver for link in finding.drivers), *finding.demographics}


def touched_cells(findings: Iterable[Finding], vocabulary: Vocabulary) -> set[tuple[str, str]]:
    """Every single-column cell ``(factor, column)`` the given findings can reach.

    A change to these findings (added, removed or edited) can only change these cells, and
    a change to their sources' independent groups likewise.
    """
    cells: set[tuple[str, str]] = set()
    for finding in findings:
        columns = finding_columns(finding)
        for route in vocabulary.routes_for(finding.factor):
            cells.update((route.factor, column) for column in columns)
    return cells


def bucket_by_column(routed: Iterable[RoutedEvidence]) -> dict[str, list[RoutedEvidence]]:
    """Routed evidence of one factor split by the single columns each finding can reach.

    Order within a bucket is the order of ``routed``, so which route of a finding is met
    first stays the same as over the whole list.
    """
    buckets: dict[str, list[RoutedEvidence]] = defaultdict(list)
    for item in routed:
        for column in finding_columns(item[0]):
            buckets[column].append(item)
    return buckets


def count_cell(
    routed: Iterable[RoutedEvidence],
    kinds: Sequence[tuple[str, str]],
    groups: Mapping[str, str],
    *,
    direct_only: bool = False,
) -> tuple[list[CountedFinding], list[ContextFinding]]:
    """The votes and the context of one cell, each finding once, best certainty first."""
    counted: list[CountedFinding] = []
    context: list[ContextFinding] = []
    seen: set[str] = set()
    for finding, source, route in routed:
        if finding.id in seen:
            continue
        item = count_finding(finding, source, route, kinds, groups.get(source.id, source.id))
        if item is None:
            continue
        seen.add(finding.id)
        if isinstance(item, ContextFinding):
            context.append(item)
        elif not (direct_only and not item.direct):
            counted.append(item)
    counted.sort(key=counted_order)
    context.sort(key=context_order)
    return counted, context


def counted_order(item: CountedFinding) -> tuple[int, str]:
    """Sort key of a cell's votes: best certainty first, then finding id."""
    return RANK[item.effective_certainty], item.id


def context_order(item: ContextFinding) -> str:
    """Sort key of a cell's context findings: finding id."""
    return item.id


#: Field readers for the counts below: ``map`` with them runs in C, so a cell of thousands
#: of votes is counted without a Python step per vote.
ID_OF = attrgetter("id")
SOURCE_OF = attrgetter("source")
GROUP_OF = attrgetter("group")
DIRECTION_OF = attrgetter("direction")
LETTER_OF = attrgetter("effective_certainty")
DIRECT = attrgetter("direct")
INVERTED = attrgetter("inverted")


@dataclass(frozen=True, slots=True)
class Tally:
    """The counts over a cell's votes that both its verdict and its explanation give."""

    n_findings: int
    n_sources: int
    n_groups: int
    n_direct: int
    n_mixed: int
    #: independent groups per voting direction (each voting direction present, 0 if none)
    direction_groups: dict[str, int]
    #: the effective certainties of the votes, best first
    letters: tuple[str, ...]


def tally(counted: Sequence[CountedFinding], groups: Mapping[str, Set[str]] | None = None) -> Tally:
    """Count a cell's votes once: findings, sources, groups, direct, mixed, groups per direction.

    ``groups`` gives the independent groups of each voting direction present, when the
    caller has them already (:class:`~triggergraph.verdict.direction.Vote`).

    Examples
    --------
    >>> a = CountedFinding("f1", "s1", "g1", "increases", "B", "C", False, ("x",))
    >>> b = CountedFinding("f2", "s2", "g1", "mixed", "A", "A", True, ())
    >>> t = tally([a, b])
    >>> t.n_sources, t.n_groups, t.n_direct, t.n_mixed, t.direction_groups["increases"], t.letters
    (2, 1, 1, 1, 1, ('A', 'C'))
    """
    directions = list(map(DIRECTION_OF, counted))
    if groups is None:
        groups = {
            d: set(map(GROUP_OF, compress(counted, map(d.__eq__, directions))))
            for d in VOTING_DIRECTIONS
        }
    letters = Counter(map(LETTER_OF, counted))
    return Tally(
        n_findings=len(counted),
        n_sources=len(set(map(SOURCE_OF, counted))),
        n_groups=len(set(map(GROUP_OF, counted))),
        n_direct=sum(map(DIRECT, counted)),
        n_mixed=directions.count("mixed"),
        direction_groups={d: len(groups.get(d, ())) for d in VOTING_DIRECTIONS},
        letters=tuple(chain.from_iterable(repeat(c, letters[c]) for c in CERTAINTIES)),
    )
