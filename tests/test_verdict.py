"""Cell verdicts: every verdict value, indirectness, overlap groups, direction votes, explanations."""

from __future__ import annotations

from datetime import date

import pytest

from triggergraph.config import Settings
from triggergraph.exceptions import EntryError, NotFoundError
from triggergraph.models import Source
from triggergraph.verdict import (
    VERDICTS,
    check_min_verdict,
    compute_cell,
    compute_matrix,
    downgrade,
    find_gaps,
    group_sources,
    meets_min_verdict,
    rank_profile,
)
from triggergraph.vocabulary import build_vocabulary, read_ontology_graph

#: a construct of ontology/constructs.ttl that maps (SKOS) to the discrimination trigger
CONSTRUCT = "perceived_discrimination"
DISCRIMINATION = "direct_discrimination_racism_exclusion"


@pytest.fixture(scope="module")
def vocab():
    settings = Settings(base_iri="http://127.0.0.1:8000/")
    vocabulary = build_vocabulary(
        read_ontology_graph(settings.ontology_dir, settings.base_iri), settings.base_iri
    )
    assert (DISCRIMINATION, False) in vocabulary.triggers_for(CONSTRUCT)
    return vocabulary


def finding(
    fid,
    *,
    factor="detention",
    direction="increases",
    certainty="B",
    drivers=(),
    demographics=(),
    indirectness=(),
    stages=(),
):
    return {
        "id": fid,
        "factor": factor,
        "drivers": [{"driver": d, "basis": b} for d, b in drivers],
        "demographics": list(demographics),
        "direction": direction,
        "certainty": certainty,
        "certainty_reasons": ["set by the test"],
        "indirectness": list(indirectness),
        "outcome_stages": list(stages),
        "locator": "p. 1",
    }


def source(vocab, sid, findings, overlaps=()):
    data = {
        "id": sid,
        "type": "journal_article",
        "authors": ["Doe, J."],
        "year": 2020,
        "title": f"Study {sid}",
        "added_by": "tests",
        "added_on": date(2026, 1, 1),
        "overlaps_with": list(overlaps),
        "findings": findings,
    }
    return Source.model_validate(data, context={"vocabulary": vocab})


def pairs(sources):
    return [(f, s) for s in sources for f in s.findings]


JUSTICE = [("justice_seeker", "stated")]


def cell_for(vocab, sources, factor="detention", column="justice_seeker", **kw):
    return compute_cell(factor, column, pairs(sources), vocab, groups=group_sources(sources), **kw)


# ---- verdict values ----------------------------------------------------------------------


def test_verdict_strong_one_a(vocab):
    cell = cell_for(vocab, [source(vocab, "s1", [finding("f1", certainty="A", drivers=JUSTICE)])])
    assert (cell.verdict, cell.direction, cell.deciding, cell.score) == (
        "strong",
        "increases",
        ("f1",),
        8,
    )


def test_verdict_strong_two_independent_b(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", certainty="B", drivers=JUSTICE)]),
    ]
    cell = cell_for(vocab, sources)
    assert cell.verdict == "strong"
    assert (cell.n_groups, cell.n_sources, cell.score) == (2, 2, 8)


def test_verdict_moderate_one_b(vocab):
    cell = cell_for(vocab, [source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE)])])
    assert cell.verdict == "moderate"


def test_verdict_moderate_two_independent_c(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="C", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", certainty="C", drivers=JUSTICE)]),
    ]
    assert cell_for(vocab, sources).verdict == "moderate"


def test_verdict_limited_d_only(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="D", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", certainty="D", drivers=JUSTICE)]),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.verdict, cell.score) == ("limited", 2)


def test_verdict_limited_one_c(vocab):
    cell = cell_for(vocab, [source(vocab, "s1", [finding("f1", certainty="C", drivers=JUSTICE)])])
    assert cell.verdict == "limited"


def test_verdict_contested_increases_vs_no_association(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(
            vocab, "s2", [finding("f2", certainty="C", direction="no_association", drivers=JUSTICE)]
        ),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.verdict, cell.direction) == ("contested", "increases")
    assert set(cell.deciding) == {"f1", "f2"}
    assert "2 independent sources" in cell.explanation["en"]
    assert "omstreden" in cell.explanation["nl"]


def test_verdict_not_contested_when_minority_only_d(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(
            vocab, "s2", [finding("f2", certainty="D", direction="no_association", drivers=JUSTICE)]
        ),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.verdict, cell.direction, cell.deciding) == ("moderate", "increases", ("f1",))


def test_verdict_not_contested_within_one_overlap_group(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(
            vocab,
            "s2",
            [finding("f2", certainty="C", direction="decreases", drivers=JUSTICE)],
            overlaps=["s1"],
        ),
    ]
    assert cell_for(vocab, sources).verdict != "contested"


def test_direction_tie_broken_by_best_certainty(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="C", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", certainty="B", direction="decreases", drivers=JUSTICE)]),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.direction, cell.verdict) == ("decreases", "contested")


def test_direction_most_groups_wins_over_certainty(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="D", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", certainty="D", drivers=JUSTICE)]),
        source(vocab, "s3", [finding("f3", certainty="C", direction="decreases", drivers=JUSTICE)]),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.direction, cell.verdict) == ("increases", "contested")


def test_verdict_indirect_only_construct_and_proposed_driver(vocab):
    s = source(
        vocab,
        "s1",
        [finding("f1", factor=CONSTRUCT, certainty="A", drivers=[("justice_seeker", "proposed")])],
    )
    cell = cell_for(vocab, [s], factor=DISCRIMINATION)
    assert cell.verdict == "moderate"  # A downgraded one level only, despite two reasons
    assert cell.certainties == ("B",)
    assert (cell.n_direct, cell.n_indirect) == (0, 1)
    assert cell.findings[0].reasons == ("construct_not_trigger", "proposed_driver_link")
    assert find_gaps([cell])["indirect_only"] == [cell]
    assert "1 finding is indirect" in cell.explanation["en"]
    assert "related construct" in cell.explanation["en"]
    assert "1 bevinding is indirect" in cell.explanation["nl"]


def test_indirect_own_reason_downgrades(vocab):
    s = source(
        vocab,
        "s1",
        [finding("f1", certainty="B", drivers=JUSTICE, indirectness=["attitude_for_behaviour"])],
    )
    cell = cell_for(vocab, [s])
    assert (cell.verdict, cell.certainties) == ("limited", ("C",))
    assert "attitudes, not behaviour" in cell.explanation["en"]


def test_indirect_d_stays_d(vocab):
    s = source(
        vocab, "s1", [finding("f1", certainty="D", drivers=[("justice_seeker", "proposed")])]
    )
    assert cell_for(vocab, [s]).certainties == ("D",)


def test_direct_only_drops_indirect_findings(vocab):
    s = source(
        vocab, "s1", [finding("f1", certainty="A", drivers=[("justice_seeker", "proposed")])]
    )
    assert cell_for(vocab, [s], direct_only=True).verdict == "no_evidence"


def test_overlapping_meta_analyses_count_as_one_group(vocab):
    sources = [
        source(vocab, "meta1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(vocab, "meta2", [finding("f2", certainty="B", drivers=JUSTICE)], overlaps=["meta1"]),
    ]
    cell = cell_for(vocab, sources)
    assert cell.verdict == "moderate"
    assert (cell.n_sources, cell.n_groups, cell.score) == (2, 1, 4)
    assert "2 sources in 1 independent group" in cell.explanation["en"]


def test_overlap_transitive_through_source_outside_cell(vocab):
    sources = [
        source(vocab, "a", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(vocab, "b", [], overlaps=["a"]),
        source(vocab, "c", [finding("f2", certainty="B", drivers=JUSTICE)], overlaps=["b"]),
    ]
    assert group_sources(sources)["c"] == "a"
    assert cell_for(vocab, sources).verdict == "moderate"


def test_mixed_findings_do_not_vote(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="A", direction="mixed", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", certainty="D", drivers=JUSTICE)]),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.verdict, cell.direction, cell.n_findings) == ("limited", "increases", 2)
    assert "1 mixed finding does not vote" in cell.explanation["en"]


def test_mixed_only_is_limited(vocab):
    s = source(vocab, "s1", [finding("f1", certainty="A", direction="mixed", drivers=JUSTICE)])
    cell = cell_for(vocab, [s])
    assert (cell.verdict, cell.direction, cell.score) == ("limited", "mixed", 0)


def test_verdict_no_evidence(vocab):
    sources = [
        source(
            vocab, "s1", [finding("f1", certainty="A", drivers=[("identity_seeker", "stated")])]
        ),
        source(vocab, "s2", [finding("f2", factor="marriage", certainty="A", drivers=JUSTICE)]),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.verdict, cell.n_findings, cell.direction) == ("no_evidence", 0, None)
    assert "not the same as evidence of no link" in cell.explanation["en"]
    assert "geen bewijs" in cell.explanation["nl"]
    assert "Detentie" in cell.explanation["nl"]


def test_narrower_factor_counts_directly_for_broader(vocab):
    s = source(vocab, "s1", [finding("f1", factor="meeting_radical_person_friends", certainty="A")])
    cell = cell_for(vocab, [s], factor="meeting_radical_person", column="any")
    assert (cell.verdict, cell.n_direct) == ("strong", 1)


def test_demographic_cell_counts_listed_value_only(vocab):
    s = source(vocab, "s1", [finding("f1", certainty="B", demographics=["sex_male"])])
    assert cell_for(vocab, [s], column="sex_male").verdict == "moderate"
    assert cell_for(vocab, [s], column="sex_female").verdict == "no_evidence"
    assert cell_for(vocab, [s], column="justice_seeker").verdict == "no_evidence"


def test_union_cell_uses_most_direct_route(vocab):
    s = source(
        vocab,
        "s1",
        [
            finding(
                "f1",
                certainty="B",
                drivers=[("justice_seeker", "proposed")],
                demographics=["sex_male"],
            )
        ],
    )
    assert cell_for(vocab, [s], column="justice_seeker").certainties == ("C",)
    union = cell_for(vocab, [s], column=("justice_seeker", "sex_male"))
    assert (union.column, union.certainties, union.n_direct) == (
        "justice_seeker+sex_male",
        ("B",),
        1,
    )


def test_explanation_mentions_counts_letters_indirectness(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(
            vocab, "s2", [finding("f2", certainty="B", drivers=[("justice_seeker", "proposed")])]
        ),
    ]
    cell = cell_for(vocab, sources)
    assert cell.verdict == "moderate"
    en, nl = cell.explanation["en"], cell.explanation["nl"]
    assert en.startswith(
        "moderate: 2 findings (B, C) from 2 independent sources, same direction (increases)"
    )
    assert "1 finding is indirect" in en and "proposed by the compilers" in en
    assert nl.startswith(
        "redelijk: 2 bevindingen (B, C) uit 2 onafhankelijke bronnen, zelfde richting (verhoogt)"
    )
    assert "voorgesteld door de samenstellers" in nl


# ---- helpers: groups, filters, gaps, ranking ------------------------------------------------


def test_downgrade_one_level():
    assert [downgrade(x) for x in "ABCD"] == ["B", "C", "D", "D"]


def test_unknown_column_not_found_with_suggestion(vocab):
    with pytest.raises(NotFoundError) as err:
        compute_cell("detention", "justice_seekr", [], vocab)
    assert "justice_seeker" in err.value.suggestions


def test_unknown_factor_not_found(vocab):
    with pytest.raises(NotFoundError) as err:
        compute_cell("detentoin", "any", [], vocab)
    assert "detention" in err.value.suggestions


def test_min_verdict_contested_only_with_limited():
    assert [meets_min_verdict(v, None) for v in VERDICTS] == [True, True, True, True, False]
    assert [meets_min_verdict(v, "strong") for v in VERDICTS] == [True, False, False, False, False]
    assert meets_min_verdict("contested", "limited") and not meets_min_verdict(
        "contested", "moderate"
    )


def test_check_min_verdict_bad_value():
    with pytest.raises(EntryError) as err:
        check_min_verdict("strnog")
    assert err.value.problems[0].field == "min_verdict"
    assert "strong" in err.value.problems[0].suggestions


def test_find_gaps_sorts_cells(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", certainty="C", direction="decreases", drivers=JUSTICE)]),
        source(vocab, "s3", [finding("f3", factor=CONSTRUCT, certainty="C")]),
    ]
    m = compute_matrix(
        ["detention", DISCRIMINATION], ["justice_seeker", "any"], pairs(sources), vocab
    )
    gaps = find_gaps(c for row in m.values() for c in row.values())
    assert [(c.factor, c.column) for c in gaps["contested"]] == [
        ("detention", "justice_seeker"),
        ("detention", "any"),
    ]
    assert [(c.factor, c.column) for c in gaps["indirect_only"]] == [(DISCRIMINATION, "any")]
    assert [(c.factor, c.column) for c in gaps["empty"]] == [(DISCRIMINATION, "justice_seeker")]


def test_rank_profile_orders_by_verdict_score_findings(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", factor="marriage", certainty="C", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", factor="detention", certainty="A", drivers=JUSTICE)]),
        source(vocab, "s3", [finding("f3", factor="training", certainty="B", drivers=JUSTICE)]),
        source(
            vocab,
            "s4",
            [finding("f4", factor="training", certainty="B", demographics=["sex_male"])],
        ),
    ]
    ranked = rank_profile(
        ["marriage", "training", "detention", "calls_to_action"],
        ["justice_seeker", "sex_male"],
        pairs(sources),
        vocab,
    )
    # training and detention tie on verdict and score; training has more findings
    assert [c.factor for c in ranked] == ["training", "detention", "marriage", "calls_to_action"]
    assert [c.verdict for c in ranked] == ["strong", "strong", "limited", "no_evidence"]
    assert ranked[0].score == ranked[1].score == 8


def test_worked_example_of_docs_verdicts(vocab):
    """The worked example in docs/verdicts.md, sentence for sentence."""
    sources = [
        source(vocab, "m1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(vocab, "m2", [finding("f2", certainty="B", drivers=JUSTICE)], overlaps=["m1"]),
        source(
            vocab, "s3", [finding("f3", certainty="B", drivers=[("justice_seeker", "proposed")])]
        ),
        source(
            vocab, "s4", [finding("f4", certainty="D", direction="no_association", drivers=JUSTICE)]
        ),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.verdict, cell.direction, cell.deciding, cell.score, cell.n_groups) == (
        "moderate",
        "increases",
        ("f1", "f2"),
        6,
        3,
    )
    assert cell.explanation["en"] == (
        "moderate: 4 findings (B, B, C, D) from 4 sources in 3 independent groups (sources sharing "
        "primary studies count once), directions differ (3 increases, 1 no association); most "
        "independent support: increases; 1 finding is indirect, counted one level lower (driver link "
        "proposed by the compilers, not by the source)."
    )
    assert cell.explanation["nl"] == (
        "redelijk: 4 bevindingen (B, B, C, D) uit 4 bronnen in 3 onafhankelijke groepen (bronnen die "
        "primaire studies delen tellen één keer), richtingen verschillen (3 verhoogt, 1 geen samenhang); "
        "meeste onafhankelijke steun: verhoogt; 1 bevinding is indirect en telt één niveau lager "
        "(koppeling aan drijfveer voorgesteld door de samenstellers, niet door de bron)."
    )
    sources[3] = source(
        vocab, "s4", [finding("f4", certainty="C", direction="no_association", drivers=JUSTICE)]
    )
    contested = cell_for(vocab, sources)
    assert (contested.verdict, contested.deciding) == ("contested", ("f1", "f2", "f4"))
