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
    **extra,
):
    return extra | {
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
    assert "tegenstrijdig" in cell.explanation["nl"]


def test_verdict_not_contested_when_minority_only_d(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(
            vocab, "s2", [finding("f2", certainty="D", direction="no_association", drivers=JUSTICE)]
        ),
    ]
    cell = cell_for(vocab, sources)
    # two levels below the body's start: counted in the directions, but it lowers nothing
    assert (cell.verdict, cell.direction, cell.deciding) == ("moderate", "increases", ("f1",))
    assert [d.domain for d in cell.downgrades] == []


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
    assert [(d.domain, d.levels) for d in cell.downgrades] == [("indirectness", 1)]
    assert "Rated down: indirectness, 1 level" in cell.explanation["en"]
    assert "related construct" in cell.explanation["en"]
    assert "Lager gewaardeerd: indirectheid, 1 niveau" in cell.explanation["nl"]


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
    assert "1 wisselende bevinding telt niet mee" in cell.explanation["nl"]


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
        "moderate (certainty B): 2 findings (B, C) from 2 independent sources, direction: increases."
    )
    assert (
        "indirectness, 1 level" in en and "proposed by the compilers, not by the source: f2" in en
    )
    assert nl.startswith(
        "redelijk (zekerheid B): 2 bevindingen (B, C) uit 2 onafhankelijke bronnen, richting: verhoogt."
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
    assert cell.certainty == "B"
    assert cell.explanation["en"] == (
        "moderate (certainty B): 4 findings (B, B, C, D) from 4 sources in 3 independent groups "
        "(sources sharing primary studies count once), directions differ (increases: 2 groups; "
        "no association: 1 group); most independent support: increases.\n"
        "Rated down: indirectness, 1 level (driver link proposed by the compilers, not by the "
        "source: f3)."
    )
    assert cell.explanation["nl"] == (
        "redelijk (zekerheid B): 4 bevindingen (B, B, C, D) uit 4 bronnen in 3 onafhankelijke "
        "groepen (bronnen die primaire studies delen tellen één keer), richtingen verschillen "
        "(verhoogt: 2 groepen; geen samenhang: 1 groep); meeste onafhankelijke steun: verhoogt.\n"
        "Lager gewaardeerd: indirectheid, 1 niveau (koppeling aan drijfveer voorgesteld door de "
        "samenstellers, niet door de bron: f3)."
    )
    sources[3] = source(
        vocab, "s4", [finding("f4", certainty="C", direction="no_association", drivers=JUSTICE)]
    )
    contested = cell_for(vocab, sources)
    assert (contested.verdict, contested.deciding) == ("contested", ("f1", "f2", "f4"))


# ---- the GRADE-style rules of docs/verdicts.md (sections 1, 4 and 5) ------------------------


def test_protective_opposite_counts_inverted(vocab):
    s = source(
        vocab,
        "s1",
        [finding("f1", factor="school_attachment", certainty="B", direction="decreases")],
    )
    cell = cell_for(vocab, [s], factor="job_loss_or_school_dropout", column="any")
    assert (cell.verdict, cell.direction) == ("limited", "increases")
    assert cell.findings[0].inverted and cell.findings[0].reported_direction == "decreases"
    assert (
        "Counted inverted: School attachment is the opposite of job loss" in cell.explanation["en"]
    )
    assert "Omgekeerd geteld: binding met school is de tegenhanger van" in cell.explanation["nl"]
    assert "directions differ" not in cell.explanation["en"]


def test_protective_opposite_and_trigger_agree(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", factor="school_attachment", direction="decreases")]),
        source(vocab, "s2", [finding("f2", factor="job_loss_or_school_dropout", certainty="C")]),
    ]
    cell = cell_for(vocab, sources, factor="job_loss_or_school_dropout", column="any")
    # the opposite's "decreases" and the trigger's "increases" agree: one direction
    assert (cell.direction, cell.tied) == ("increases", ())
    # B (indirect: C) and C from two groups agree: replicated at C, so certainty B
    assert (cell.verdict, cell.certainty, cell.downgrades) == ("moderate", "B", ())
    assert "direction: increases" in cell.explanation["en"]
    assert "directions differ" not in cell.explanation["en"]


@pytest.mark.parametrize("kind", ["within_extremists", "disengagement"])
def test_other_outcomes_are_context_not_votes(vocab, kind):
    s = source(vocab, "s1", [finding("f1", certainty="A", drivers=JUSTICE, outcome_kind=kind)])
    cell = cell_for(vocab, [s])
    assert (cell.verdict, cell.n_findings) == ("no_evidence", 0)
    assert [(c.id, c.why) for c in cell.context] == [("f1", kind)]
    assert "Not counted, shown as context: f1" in cell.explanation["en"]
    assert "Niet meegeteld, getoond als context: f1" in cell.explanation["nl"]
    assert cell.as_dict()["n_context"] == 1


def test_context_does_not_dilute_a_vote(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE)]),
        source(
            vocab,
            "s2",
            [
                finding(
                    "f2",
                    certainty="A",
                    direction="decreases",
                    drivers=JUSTICE,
                    outcome_kind="within_extremists",
                )
            ],
        ),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.verdict, cell.direction, cell.n_findings) == ("moderate", "increases", 1)


def test_bundle_of_several_events_is_context_for_each(vocab):
    s = source(vocab, "s1", [finding("f1", factor="adverse_life_events", certainty="A")])
    for factor in ("confrontation_with_death", "problems_at_home"):
        cell = cell_for(vocab, [s], factor=factor, column="any")
        assert cell.verdict == "no_evidence"
        assert [(c.id, c.why) for c in cell.context] == [("f1", "bundle")]
        assert "names several life events together" in cell.explanation["en"]
    assert vocab.triggers_for("adverse_life_events") == []


def test_tie_is_reported_not_broken(vocab):
    sources = [
        source(vocab, "s1", [finding(f"f{i}", certainty="D", drivers=JUSTICE) for i in (1, 2, 3)]),
        source(vocab, "s2", [finding("f4", certainty="D", direction="decreases", drivers=JUSTICE)]),
    ]
    cell = cell_for(vocab, sources)
    # three findings of one study do not outvote one finding of another
    assert (cell.verdict, cell.direction, cell.tied) == (
        "limited",
        None,
        ("increases", "decreases"),
    )
    assert "tie (increases: 1 group; decreases: 1 group, equally certain)" in cell.explanation["en"]
    assert "gelijke stand" in cell.explanation["nl"]
    assert cell.as_dict()["tie"] is True


def test_tie_of_c_or_better_sides_is_contested(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="C", drivers=JUSTICE)]),
        source(
            vocab, "s2", [finding("f2", certainty="C", direction="no_association", drivers=JUSTICE)]
        ),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.verdict, cell.direction, cell.tied) == (
        "contested",
        None,
        ("increases", "no_association"),
    )


def test_cross_sectional_caveat_rates_down_as_indirectness(vocab):
    s = source(
        vocab, "s1", [finding("f1", certainty="C", drivers=JUSTICE, caveats=["cross_sectional"])]
    )
    cell = cell_for(vocab, [s])
    assert cell.findings[0].reasons == ("cross_sectional_for_trigger",)
    assert (cell.certainty, [(d.domain, d.levels) for d in cell.downgrades]) == (
        "D",
        [("indirectness", 1)],
    )
    assert "causal (trigger) claim on cross-sectional data: f1" in cell.explanation["en"]


@pytest.mark.parametrize(
    ("caveat", "reason"),
    [("ecological", "ecological_for_individual"), ("non_western_context", "other_population")],
)
def test_caveats_that_stand_for_indirectness(vocab, caveat, reason):
    s = source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE, caveats=[caveat])])
    assert cell_for(vocab, [s]).findings[0].reasons == (reason,)


def test_risk_of_bias_rates_down(vocab):
    s = source(
        vocab,
        "s1",
        [finding("f1", certainty="B", drivers=JUSTICE, caveats=["low_quality_per_authors"])],
    )
    cell = cell_for(vocab, [s])
    assert (cell.verdict, cell.certainty) == ("limited", "C")
    assert [(d.domain, d.reasons) for d in cell.downgrades] == [
        ("risk_of_bias", ("low_quality_per_authors",))
    ]
    assert "risk of bias, 1 level" in cell.explanation["en"]
    assert "risico op vertekening, 1 niveau" in cell.explanation["nl"]


def test_imprecision_one_small_study(vocab):
    s = source(
        vocab,
        "s1",
        [
            finding(
                "f1",
                certainty="B",
                drivers=JUSTICE,
                effect={"measure": "r", "value": 0.3, "n": 120},
            )
        ],
    )
    cell = cell_for(vocab, [s])
    assert (cell.verdict, cell.certainty) == ("limited", "C")
    assert [(d.domain, d.reasons) for d in cell.downgrades] == [("imprecision", ("small_sample",))]


def test_imprecision_not_when_two_groups_agree(vocab):
    small = {"measure": "r", "value": 0.3, "n": 120}
    sources = [
        source(vocab, "s1", [finding("f1", certainty="B", drivers=JUSTICE, effect=small)]),
        source(vocab, "s2", [finding("f2", certainty="B", drivers=JUSTICE, effect=small)]),
    ]
    assert [d.domain for d in cell_for(vocab, sources).downgrades] == []


def test_publication_bias_rates_down(vocab):
    s = source(
        vocab,
        "s1",
        [finding("f1", certainty="A", drivers=JUSTICE, caveats=["publication_bias_per_authors"])],
    )
    cell = cell_for(vocab, [s])
    assert (cell.verdict, cell.certainty) == ("moderate", "B")
    assert [d.domain for d in cell.downgrades] == ["publication_bias"]


def test_inconsistency_rates_down_a_close_dissent(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="C", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", certainty="D", direction="decreases", drivers=JUSTICE)]),
    ]
    cell = cell_for(vocab, sources)
    assert (cell.verdict, cell.direction, cell.certainty) == ("limited", "increases", "D")
    assert [(d.domain, d.findings) for d in cell.downgrades] == [("inconsistency", ("f2",))]
    assert "an independent group reports another direction: f2" in cell.explanation["en"]


def test_domain_at_lowest_level_is_named_without_levels(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="D", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f3", certainty="D", drivers=JUSTICE)]),
        source(vocab, "s3", [finding("f2", certainty="D", direction="decreases", drivers=JUSTICE)]),
    ]
    cell = cell_for(vocab, sources)
    assert [(d.domain, d.levels) for d in cell.downgrades] == [("inconsistency", 0)]
    assert "inconsistency, already at the lowest level" in cell.explanation["en"]


def test_two_d_groups_do_not_make_c(vocab):
    sources = [
        source(vocab, "s1", [finding("f1", certainty="D", drivers=JUSTICE)]),
        source(vocab, "s2", [finding("f2", certainty="D", drivers=JUSTICE)]),
    ]
    assert cell_for(vocab, sources).certainty == "D"


def test_every_domain_and_context_reason_has_both_labels():
    from triggergraph.verdict import CONTEXT_LABELS, DOMAIN_LABELS, DOMAINS

    assert set(DOMAIN_LABELS) == set(DOMAINS)
    for labels in [*DOMAIN_LABELS.values(), *CONTEXT_LABELS.values()]:
        assert set(labels) == {"en", "nl"} and all(labels.values())
