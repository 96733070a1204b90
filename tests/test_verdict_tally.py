"""The fast counts of a cell (tally, vote, score, body start) equal a plain count of its votes.

The verdict code counts a cell's votes with passes that run in C (``map``, ``compress``,
``set``), because a write decides every cell it touches again and a cell of a large evidence
base holds thousands of votes. These tests hold those passes to the rule written out plainly,
one vote at a time, over every cell of a synthetic evidence base, in the cells' own order and
shuffled (a public caller may pass votes in any order).
"""

from __future__ import annotations

import random

import pytest
from bench_scripts import load_bench

from triggergraph.readmodel import EvidenceIndex
from triggergraph.verdict import CERTAINTIES, decide, rate_body
from triggergraph.verdict.cells import _score
from triggergraph.verdict.counting import tally
from triggergraph.verdict.direction import vote
from triggergraph.verdict.terms import CERTAINTY_WEIGHTS, VOTING_DIRECTIONS


def _rank(letter: str) -> int:
    return CERTAINTIES.index(letter)


def plain_vote(counted):
    """The direction vote, one vote at a time: (dominant, tied, by_direction, contesting, dissent)."""
    by_direction = {}
    for item in counted:
        if item.direction in VOTING_DIRECTIONS:
            by_direction.setdefault(item.direction, []).append(item)
    voting = [d for d in VOTING_DIRECTIONS if d in by_direction]
    if not voting:
        return None, (), by_direction, (), ()

    def support(items):
        return len({c.group for c in items}), -min(_rank(c.effective_certainty) for c in items)

    top = max(support(by_direction[d]) for d in voting)
    leaders = tuple(d for d in voting if support(by_direction[d]) == top)
    if len(leaders) > 1:
        sides = tuple(c for d in leaders for c in by_direction[d])
        strong = tuple(c for c in sides if _rank(c.effective_certainty) <= _rank("C"))
        return None, leaders, by_direction, strong, sides
    dominant = leaders[0]
    main_groups = {c.group for c in by_direction[dominant]}
    dissent = tuple(
        c
        for d in voting
        if d != dominant
        for c in by_direction[d]
        if c.group not in main_groups or len(main_groups) > 1
    )
    strong = tuple(c for c in dissent if _rank(c.effective_certainty) <= _rank("C"))
    return dominant, (), by_direction, strong, dissent


def plain_score(main) -> int:
    best = {}
    for item in main:
        if item.group not in best or _rank(item.effective_certainty) < best[item.group]:
            best[item.group] = _rank(item.effective_certainty)
    return sum(CERTAINTY_WEIGHTS[CERTAINTIES[r]] for r in best.values())


@pytest.fixture(scope="module")
def cells(small_vocab):
    synth = load_bench("synth")
    sources = synth.generate_sources(3000, seed=5, vocabulary=small_vocab)
    # some overlaps, so groups differ from sources
    ids = [s.id for s in sources]
    sources = [
        s.model_copy(update={"overlaps_with": [ids[i - 1]]}) if i % 7 == 3 else s
        for i, s in enumerate(sources)
    ]
    index = EvidenceIndex.build(sources, small_vocab, "v")
    found = [cell for row in index.cells.values() for cell in row.values() if cell.findings]
    assert len(found) > 50
    assert any(cell.n_groups < cell.n_sources for cell in found)
    assert {cell.verdict for cell in found} >= {"limited", "contested"}
    return found


def _orders(cell):
    counted = list(cell.findings)
    shuffled = counted[:]
    random.Random(cell.factor + cell.column).shuffle(shuffled)
    return counted, shuffled


def test_tally_equals_a_plain_count(cells):
    for cell in cells:
        for counted in _orders(cell):
            counts = tally(counted)
            assert counts.n_findings == len(counted)
            assert counts.n_sources == len({c.source for c in counted}) == cell.n_sources
            assert counts.n_groups == len({c.group for c in counted}) == cell.n_groups
            assert counts.n_direct == sum(1 for c in counted if c.direct) == cell.n_direct
            assert counts.n_mixed == sum(1 for c in counted if c.direction == "mixed")
            assert counts.direction_groups == {
                d: len({c.group for c in counted if c.direction == d}) for d in VOTING_DIRECTIONS
            }
            assert counts.letters == tuple(
                sorted((c.effective_certainty for c in counted), key=_rank)
            )
            assert tally(counted, vote(counted).groups) == counts


def test_vote_equals_a_plain_vote(cells):
    for cell in cells:
        for counted in _orders(cell):
            ballot = vote(counted)
            dominant, tied, by_direction, contesting, dissent = plain_vote(counted)
            assert (ballot.dominant, ballot.tied) == (dominant, tied)
            # same directions, in the order they first appear, same votes in the same order
            assert list(ballot.by_direction.items()) == list(by_direction.items())
            assert (ballot.contesting, ballot.dissent) == (contesting, dissent)
            assert ballot.groups == {d: {c.group for c in v} for d, v in by_direction.items()}


def test_score_and_decision_equal_a_plain_count(cells):
    seen_scores = set()
    for cell in cells:
        for counted in _orders(cell):
            ballot = vote(counted)
            assert decide(counted, ballot) == decide(counted)
            if ballot.dominant is not None:
                main = ballot.by_direction[ballot.dominant]
                assert _score(main) == plain_score(main)
                seen_scores.add(_score(main))
    assert len(seen_scores) > 5


def test_body_start_lifts_b_and_c_with_two_groups_only():
    from triggergraph.verdict.counting import CountedFinding as F

    def at(letter, group, risk=()):
        return F(
            f"f{group}{letter}",
            group,
            group,
            "increases",
            letter,
            letter,
            True,
            (),
            risk_of_bias=risk,
        )

    assert rate_body([at("B", "g1"), at("B", "g2")], [])[0] == "A"
    assert rate_body([at("B", "g1"), at("B", "g1")], [])[0] == "B"
    assert rate_body([at("C", "g1"), at("C", "g2"), at("B", "g3")], [])[0] == "B"
    assert rate_body([at("D", "g1"), at("D", "g2")], [])[0] == "D"
    assert rate_body([at("A", "g1"), at("A", "g2")], [])[0] == "A"
    # risk of bias lowers the reported start, then two groups at the lower level lift it again
    lowered = [
        F(
            "r1",
            "g1",
            "g1",
            "increases",
            "B",
            "C",
            True,
            (),
            risk_of_bias=("low_quality_per_authors",),
        ),
        F("r2", "g2", "g2", "increases", "C", "C", True, ()),
    ]
    letter, why = rate_body(lowered, [])
    assert letter == "B" and [d.domain for d in why] == []


def test_groups_per_direction_default_to_none_present():
    counts = tally([])
    assert counts.direction_groups == dict.fromkeys(VOTING_DIRECTIONS, 0)
    assert (counts.n_findings, counts.letters) == (0, ())


def test_equal_reason_and_caveat_tuples_are_one_object(cells):
    """A quarter of a million counted findings at 100k hold a few dozen distinct tuples: each
    value is kept once."""
    by_value: dict[tuple[str, ...], set[int]] = {}
    for cell in cells:
        for counted in cell.findings:
            for ids in (
                counted.reasons,
                counted.risk_of_bias,
                counted.imprecision,
                counted.publication_bias,
            ):
                if ids:
                    by_value.setdefault(ids, set()).add(id(ids))
    assert len(by_value) > 3
    assert all(len(objects) == 1 for objects in by_value.values())
