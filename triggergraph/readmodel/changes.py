"""What a write changes in the read model's tables: spliced routes, regrouped sources, link counts."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..models import normalise_doi
from ..verdict import compute_cells, group_sources
from ..verdict.patch import Before, patch_cells

if TYPE_CHECKING:
    from ..models import Finding, Source
    from ..verdict import CellVerdict
    from ..vocabulary import Vocabulary


def count_links(findings: Iterable[Finding]) -> Counter[str]:
    """How many of ``findings`` name each driver and each demographic value."""
    counts: Counter[str] = Counter()
    for finding in findings:
        counts.update({link.driver for link in finding.drivers})
        counts.update(set(finding.demographics))
    return counts


def moved_dois(
    owners: Mapping[str, tuple[str, ...]],
    before: Mapping[str, Source],
    changes: Mapping[str, Source | None],
) -> dict[str, tuple[str, ...]]:
    """The sources of each DOI (see ``EvidenceIndex.doi_owners``) after ``changes``.

    Only the DOIs the changed sources had or have are looked at again.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> moved_dois({"10.1/a": ("s1", "s2")}, {"s1": S(doi="10.1/A")}, {"s1": S(doi="10.1/b")})
    {'10.1/a': ('s2',), '10.1/b': ('s1',)}
    """
    out = dict(owners)
    new_doi = {
        ident: normalise_doi(source.doi)
        for ident, source in changes.items()
        if source is not None and source.doi
    }
    old_doi = {
        normalise_doi(source.doi)
        for ident in changes
        if (source := before.get(ident)) is not None and source.doi
    }
    for doi in old_doi | set(new_doi.values()):
        ids = [i for i in out.get(doi, ()) if i not in changes]
        ids += [ident for ident, value in new_doi.items() if value == doi]
        if ids:
            out[doi] = tuple(sorted(ids))
        else:
            out.pop(doi, None)
    return out


def splice_routes(
    routes: list, factor_id: str, source_id: str, source: Source | None, vocabulary: Vocabulary
) -> list:
    """One factor's ``routes`` with the entries of ``source_id`` replaced by ``source``'s.

    The list stays ordered by source id, then finding order, as
    :func:`~triggergraph.verdict.route_by_factor` over all sources makes it; it is a new
    list, the old one is left as it was.
    """
    # the source's entries are one run in the ordered list: found by bisection, and the
    # list is rebuilt by slicing (a copy in C) instead of testing every entry
    lo = bisect_left(routes, source_id, key=_source_id)
    hi = bisect_right(routes, source_id, lo=lo, key=_source_id)
    block = []
    if source is not None:
        block = [
            (finding, source, route)
            for finding in source.findings
            for route in vocabulary.routes_for(finding.factor)
            if route.factor == factor_id
        ]
    return routes[:lo] + block + routes[hi:]


def _source_id(item: tuple) -> str:
    return item[1].id


def grouped_ids(groups: Mapping[str, str]) -> frozenset[str]:
    """The ids that share an independent group with another id.

    Examples
    --------
    >>> sorted(grouped_ids({"a": "a", "b": "a", "c": "c"}))
    ['a', 'b']
    """
    return frozenset(
        ident for item, group in groups.items() if item != group for ident in (item, group)
    )


def regroup(
    old_sources: Mapping[str, Source],
    old_groups: Mapping[str, str],
    old_grouped: frozenset[str],
    changes: Mapping[str, Source | None],
    sources: Mapping[str, Source],
) -> tuple[dict[str, str], frozenset[str], set[str]]:
    """Independent groups after ``changes``: ``(groups, grouped ids, sources whose group moved)``.

    A change that names no overlap and touches no source in a shared group only adds or drops
    single-source groups; anything else regroups everything.
    """
    overlapping = any(
        source is not None and source.overlaps_with
        for ident, new in changes.items()
        for source in (old_sources.get(ident), new)
    )
    if not overlapping and not any(ident in old_grouped for ident in changes):
        groups = dict(old_groups)
        for ident, source in changes.items():
            if source is None:
                groups.pop(ident, None)
            else:
                groups[ident] = ident
        return groups, old_grouped, set()
    groups = group_sources(sources.values())
    moved = {ident for ident in sources if groups.get(ident) != old_groups.get(ident)}
    return groups, grouped_ids(groups), moved


def factors_reached(vocabulary: Vocabulary, *sources: Source | None) -> set[str]:
    """The trigger factors the findings of ``sources`` reach (as routed by the vocabulary)."""
    return {
        route.factor
        for source in sources
        if source is not None
        for finding in source.findings
        for route in vocabulary.routes_for(finding.factor)
    }


def recount_cells(
    wanted: list[tuple[str, str]],
    regrouped: bool,
    cells: Mapping[str, Mapping[str, CellVerdict]],
    changes: Mapping[str, Source | None],
    vocabulary: Vocabulary,
    tables: tuple[Mapping[str, list], Mapping[str, str], Mapping[str, tuple[Finding, Source]]],
    before: tuple[Mapping[str, Source], Mapping[str, str]] | None = None,
) -> dict[tuple[str, str], CellVerdict]:
    """The ``wanted`` cells after ``changes``: counted again from the routes when independent
    groups moved, else patched (only the changed sources' findings are counted again,
    :mod:`~triggergraph.verdict.patch`). ``cells`` are the verdicts before; ``tables`` the
    new index's routes by factor, groups and findings; ``before`` the old index's sources
    and groups, so cells the change leaves as they were are kept without a look."""
    routed, groups, findings = tables
    if regrouped:
        return compute_cells(wanted, routed, vocabulary, groups=groups)
    old = Before(*before) if before is not None else None
    return patch_cells(
        wanted,
        lambda factor_id, column: cells[factor_id][column],
        changes,
        vocabulary,
        groups,
        lambda finding_id: findings[finding_id][0].factor,
        old,
    )
