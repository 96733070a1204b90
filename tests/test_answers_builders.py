"""Answer builders: each answer from the read model, filtered and paged, errors with suggestions."""

from __future__ import annotations

import orjson
import pytest

from triggergraph.answers import (
    FactorsQuery,
    FindingsQuery,
    LangQuery,
    MatrixQuery,
    ProfileQuery,
    SourcesQuery,
)
from triggergraph.answers.builders import (
    answer_json,
    build_demographics,
    build_driver,
    build_drivers,
    build_factor,
    build_factors,
    build_finding,
    build_findings,
    build_gaps,
    build_index_health,
    build_matrix,
    build_profile,
    build_source,
    build_sources,
    factor_json,
    factors_json,
    matrix_json,
    profile_json,
)
from triggergraph.exceptions import EntryError, NotFoundError
from triggergraph.verdict import VERDICT_RANK

#: a construct of ontology/constructs.ttl that maps (SKOS) to the discrimination trigger
CONSTRUCT = "perceived_discrimination"
DISCRIMINATION = "direct_discrimination_racism_exclusion"


@pytest.fixture(scope="module")
def vocab(small_vocab):
    return small_vocab


@pytest.fixture(scope="module")
def index(small_index):
    return small_index


def dump(model) -> dict:
    """An answer as the REST API serves it (JSON, decoded)."""
    return orjson.loads(answer_json(model))


def ask(build, index, query) -> dict:
    """``build(index, query)`` as served."""
    return dump(build(index, query))


def ids(answer):
    return [item["id"] for item in answer["items"]]


# ---- factors --------------------------------------------------------------------------------


def test_factors_all_in_report_order(index, vocab):
    answer = ask(build_factors, index, FactorsQuery(limit=500))
    assert answer["total"] == len(vocab.factors)
    assert ids(answer) == [c.id for c in vocab.ordered_factors()]


def test_factors_level_filter(index, vocab):
    answer = ask(build_factors, index, FactorsQuery(level="macro", limit=500))
    assert answer["total"] == sum(1 for c in vocab.factors.values() if c.level == "macro") > 0
    assert {item["level"] for item in answer["items"]} == {"macro"}


def test_factors_driver_filter_any_evidence(index):
    assert ids(ask(build_factors, index, FactorsQuery(driver="justice_seeker"))) == ["detention"]
    assert ids(ask(build_factors, index, FactorsQuery(driver="identity_seeker"))) == [
        DISCRIMINATION
    ]


def test_factors_driver_filter_min_verdict(index):
    assert ids(
        ask(build_factors, index, FactorsQuery(driver="justice_seeker", min_verdict="strong"))
    ) == ["detention"]
    # the construct finding is C, downgraded to D for the identity cell: limited, not moderate
    assert (
        ids(
            ask(
                build_factors, index, FactorsQuery(driver="identity_seeker", min_verdict="moderate")
            )
        )
        == []
    )


def test_factors_min_verdict_limited_keeps_contested(index):
    assert ids(ask(build_factors, index, FactorsQuery(sex="sex_male", min_verdict="limited"))) == [
        "detention",
        "marriage",
    ]
    assert ids(ask(build_factors, index, FactorsQuery(sex="sex_male", min_verdict="moderate"))) == [
        "detention"
    ]
    cells = ask(build_factors, index, FactorsQuery(sex="sex_male"))["items"][1]["cells"]
    assert cells["sex_male"]["verdict"] == "contested"


def test_factors_min_verdict_alone_uses_overall(index):
    assert ids(ask(build_factors, index, FactorsQuery(min_verdict="strong"))) == ["detention"]


def test_factors_q_dutch_english_and_alt_label(index):
    assert ids(ask(build_factors, index, FactorsQuery(q="DETENTIE"))) == ["detention"]
    assert ids(ask(build_factors, index, FactorsQuery(q="radical group"))) == [
        "joining_radical_group"
    ]
    assert ids(ask(build_factors, index, FactorsQuery(q="trainingskamp"))) == ["training"]
    assert ask(build_factors, index, FactorsQuery(q="no such words anywhere"))["total"] == 0


def test_factors_labels_follow_lang(index):
    item = ask(build_factors, index, FactorsQuery(q="detention", lang="nl"))["items"][0]
    assert item["label"] == "Detentie"
    assert item["labels"]["en"] == "Detention"
    assert item["iri"] == "http://127.0.0.1:8000/factor/detention"


def test_factors_pagination_total_and_slice(index):
    full = ids(ask(build_factors, index, FactorsQuery(limit=500)))
    page = ask(build_factors, index, FactorsQuery(offset=2, limit=3))
    assert (page["total"], page["offset"], page["limit"]) == (len(full), 2, 3)
    assert ids(page) == full[2:5]
    assert ask(build_factors, index, FactorsQuery(offset=len(full)))["items"] == []


def test_factors_bad_driver_not_found_with_suggestion(index):
    with pytest.raises(NotFoundError) as err:
        ask(build_factors, index, FactorsQuery(driver="justice_seekr"))
    assert err.value.suggestions[0] == "justice_seeker"


def test_factors_wrong_dimension_value_not_found(index):
    with pytest.raises(NotFoundError) as err:
        ask(build_factors, index, FactorsQuery(sex="age_under_18"))
    assert err.value.kind == "sex"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"min_verdict": "strongest"}, "min_verdict"),
        ({"lang": "de"}, "lang"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_factors_bad_filter_value_entry_error(index, kwargs, field):
    with pytest.raises(EntryError) as err:
        ask(build_factors, index, FactorsQuery(**kwargs))
    assert err.value.problems[0].field == field


# ---- one factor, finding, source ----------------------------------------------------------


def test_factor_detail_cells_and_findings(index):
    answer = dump(build_factor(index, "detention", LangQuery(lang="en")))
    assert answer["overall"]["verdict"] == "strong"
    assert [f["id"] for f in answer["findings"]] == ["f1", "f2"]
    assert len(answer["cells"]) == len(answer["columns"]) == 12
    assert answer["cells"]["justice_seeker"]["n_groups"] == 1  # meta1 and meta2 overlap
    assert answer["definitions"]["nl"].startswith("In detentie")


def test_factor_related_constructs_and_narrower(index):
    related = dump(build_factor(index, DISCRIMINATION))["related_constructs"]
    assert CONSTRUCT in [c["id"] for c in related]
    assert {c["mapping"] for c in related} <= {
        "exactMatch",
        "closeMatch",
        "broadMatch",
        "narrowMatch",
        "relatedMatch",
    }
    assert all(c["iri"].startswith("http://127.0.0.1:8000/construct/") for c in related)
    narrower = [n["id"] for n in dump(build_factor(index, "meeting_radical_person"))["narrower"]]
    assert set(narrower) == {"meeting_radical_person_family", "meeting_radical_person_friends"}


def test_factor_unknown_suggests(index):
    with pytest.raises(NotFoundError) as err:
        dump(build_factor(index, "detentoin"))
    assert "detention" in err.value.suggestions


def test_finding_separates_stated_and_proposed_drivers(index):
    answer = dump(build_finding(index, "f3", LangQuery(lang="nl")))
    assert (answer["drivers_stated"], answer["drivers_proposed"]) == ([], ["identity_seeker"])
    assert answer["counts_toward"] == [
        {"factor": DISCRIMINATION, "label": answer["counts_toward"][0]["label"], "direct": False}
    ]
    assert answer["source"]["citation"].startswith("Lee, K., & Roe, R. (2021). Study survey3.")
    assert answer["size_band"] == "unknown"
    assert answer["iri"] == "http://127.0.0.1:8000/finding/f3"


def test_finding_unknown_not_found(index):
    with pytest.raises(NotFoundError) as err:
        dump(build_finding(index, "f33"))
    assert err.value.kind == "finding"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"factor": DISCRIMINATION}, ["f3"]),
        ({"factor": CONSTRUCT}, ["f3"]),
        ({"factor": "detention", "certainty": "B"}, ["f2"]),
        ({"driver": "justice_seeker"}, ["f1", "f2"]),
        ({"demographic": "sex"}, ["f1", "f4", "f5"]),
        ({"demographic": "age_under_18"}, ["f3"]),
        ({"source": "survey5"}, ["f5", "f6"]),
        ({"direction": "mixed"}, ["f6"]),
        ({"outcome_stage": "attitude"}, ["f3"]),
    ],
)
def test_findings_filters(index, kwargs, expected):
    assert ids(ask(build_findings, index, FindingsQuery(**kwargs))) == expected


def test_findings_bad_direction_entry_error(index):
    with pytest.raises(EntryError) as err:
        ask(build_findings, index, FindingsQuery(direction="increase"))
    assert "increases" in err.value.problems[0].suggestions


def test_sources_q_and_detail(index):
    assert ids(ask(build_sources, index, SourcesQuery(q="poe"))) == ["meta2"]
    assert ask(build_sources, index, SourcesQuery())["total"] == 5
    detail = dump(build_source(index, "meta2"))
    assert detail["independent_group"] == ["meta1", "meta2"]
    assert detail["citation"].endswith("https://doi.org/10.1234/meta2")
    with pytest.raises(NotFoundError):
        dump(build_source(index, "meta3"))


# ---- drivers, demographics ------------------------------------------------------------------


def test_drivers_and_driver_ranking(index):
    drivers = dump(build_drivers(index))["items"]
    assert [d["id"] for d in drivers] == [
        "identity_seeker",
        "justice_seeker",
        "meaning_seeker",
        "sensation_seeker",
    ]
    assert drivers[1]["n_findings"] == 2
    ranked = dump(build_driver(index, "meaning_seeker"))["factors"]
    assert [(r["factor"]["id"], r["cell"]["verdict"]) for r in ranked] == [("training", "limited")]


def test_demographics_dimensions_and_values(index):
    dims = dump(build_demographics(index, LangQuery(lang="nl")))["dimensions"]
    assert [d["id"] for d in dims] == ["sex", "age", "education"]
    assert [v["id"] for v in dims[0]["values"]] == ["sex_male", "sex_female"]
    assert dims[0]["values"][0]["label"] == "Man"
    assert dims[0]["values"][0]["n_findings"] == 3


# ---- matrix, gaps, profile ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cols", "n_columns"), [("driver", 4), ("sex", 2), ("age", 3), ("education", 3), ("all", 12)]
)
def test_matrix_shape_rows_by_columns(index, vocab, cols, n_columns):
    m = ask(build_matrix, index, MatrixQuery(cols=cols))
    assert len(m["rows"]) == len(vocab.factors)
    assert len(m["columns"]) == n_columns
    assert all(len(m["cells"][r["id"]]) == n_columns for r in m["rows"])
    assert [fid for level in m["levels"] for fid in level["factors"]] == [
        r["id"] for r in m["rows"]
    ]


def test_matrix_level_and_min_verdict(index):
    assert {r["level"] for r in ask(build_matrix, index, MatrixQuery(level="meso"))["rows"]} == {
        "meso"
    }
    assert [
        r["id"]
        for r in ask(build_matrix, index, MatrixQuery(cols="all", min_verdict="strong"))["rows"]
    ] == ["detention"]


def test_matrix_outcome_stage_and_direct_only_recompute(index):
    assert (
        ask(build_matrix, index, MatrixQuery())["cells"]["detention"]["justice_seeker"]["verdict"]
        == "strong"
    )
    staged = ask(build_matrix, index, MatrixQuery(outcome_stage="attitude"))
    assert staged["cells"]["detention"]["justice_seeker"]["verdict"] == "no_evidence"
    assert (
        ask(build_matrix, index, MatrixQuery())["cells"][DISCRIMINATION]["identity_seeker"][
            "verdict"
        ]
        == "limited"
    )
    direct = ask(build_matrix, index, MatrixQuery(direct_only=True))
    assert direct["cells"][DISCRIMINATION]["identity_seeker"]["verdict"] == "no_evidence"


def test_matrix_bad_cols_entry_error(index):
    with pytest.raises(EntryError) as err:
        ask(build_matrix, index, MatrixQuery(cols="drivers"))
    assert "driver" in err.value.problems[0].suggestions


def test_gaps_lists_empty_indirect_contested(index):
    gaps = dump(build_gaps(index))
    assert ("marriage", "sex_male") in {(g["factor"], g["column"]) for g in gaps["contested"]}
    assert (DISCRIMINATION, "any") in {(g["factor"], g["column"]) for g in gaps["indirect_only"]}
    assert "calls_to_action" in gaps["factors_without_evidence"]
    assert ("detention", "sex_female") in {(g["factor"], g["column"]) for g in gaps["empty"]}


def test_profile_ranking_and_notice(index):
    answer = ask(build_profile, index, ProfileQuery(driver="justice_seeker", sex="sex_male"))
    ranked = [(i["factor"]["id"], i["cell"]["verdict"]) for i in answer["items"]]
    # AND: only f1 carries both; marriage's findings (f4, f5) name men but no driver
    assert ranked == [("detention", "strong")]
    assert [f["id"] for f in answer["items"][0]["cell"]["findings"]] == ["f1"]
    assert "marriage" in {f["id"] for f in answer["no_evidence"]}
    men = answer["per_choice"]["sex"]["items"]
    assert ("marriage", "contested") in {(i["factor"]["id"], i["cell"]["verdict"]) for i in men}
    ranks = [VERDICT_RANK[i["cell"]["verdict"]] for i in answer["items"]]
    assert ranks == sorted(ranks, reverse=True)
    assert "training" in {f["id"] for f in answer["no_evidence"]}
    assert (
        "individual" in answer["notice"]["en"] and "not a risk assessment" in answer["notice"]["en"]
    )
    assert "individu" in answer["notice"]["nl"] and "geen risicotaxatie" in answer["notice"]["nl"]


def test_profile_needs_one_choice(index):
    with pytest.raises(EntryError) as err:
        ask(build_profile, index, ProfileQuery())
    assert "at least one" in str(err.value)


def test_health_counts(index, vocab):
    health = dump(build_index_health(index))
    assert (health["sources"], health["findings"], health["version"]) == (5, 6, "v-test")
    assert health["constructs"] == len(vocab.constructs) >= 1


def test_profile_combines_choices_with_and_not_or(fixture_index):
    # identity seeker (fixture-alpha-2) and 18-25 (fixture-alpha-1) are on detention, but no
    # single finding carries both: a union would rank detention, the AND must not
    both = ask(
        build_profile, fixture_index, ProfileQuery(driver="identity_seeker", age="age_18_25")
    )
    assert both["combination"] == "all" and both["items"] == []
    alone = {k: [i["factor"]["id"] for i in v["items"]] for k, v in both["per_choice"].items()}
    assert set(alone["driver"]) == {"detention", "marriage"} and alone["age"] == ["detention"]


def test_profile_and_keeps_findings_that_carry_every_choice(fixture_index):
    found = ask(
        build_profile, fixture_index, ProfileQuery(driver="justice_seeker", age="age_18_25")
    )
    assert [i["factor"]["id"] for i in found["items"]] == ["detention"]
    assert [f["id"] for f in found["items"][0]["cell"]["findings"]] == ["fixture-alpha-1"]
    single = ask(build_profile, fixture_index, ProfileQuery(sex="sex_male"))
    assert single["items"] == [] and single["per_choice"] == {}


# ---- serialised answers ------------------------------------------------------------------


def test_json_variants_equal_serialised_answers(index):
    query = MatrixQuery(cols="all", lang="nl")
    assert matrix_json(index, query) == answer_json(build_matrix(index, query))
    assert factor_json(index, "detention", LangQuery()) == answer_json(
        build_factor(index, "detention", LangQuery())
    )
    profile = ProfileQuery(driver="justice_seeker")
    assert profile_json(index, profile) == answer_json(build_profile(index, profile))
    factors = FactorsQuery(lang="nl", level="meso")
    assert factors_json(index, factors) == answer_json(build_factors(index, factors))


def test_json_variants_cached(index):
    query = MatrixQuery(cols="driver", lang="en")
    assert matrix_json(index, query) is matrix_json(index, query)
    assert factors_json(index, FactorsQuery(lang="en")) is factors_json(
        index, FactorsQuery(lang="en")
    )


def test_json_variants_raise_for_unknown(index):
    with pytest.raises(NotFoundError):
        factor_json(index, "nope", LangQuery())


def test_matrix_cells_serialise_counted_findings_as_ids(index):
    answer = build_matrix(index, MatrixQuery(cols="driver"))
    cell = answer.cells["detention"]["justice_seeker"]
    # the built cell holds each counted finding whole; the served one names it only
    assert [f.effective_certainty for f in cell.findings] == ["A", "B"]
    served = dump(answer)["cells"]["detention"]["justice_seeker"]["findings"]
    assert served == [{"id": "f1", "direct": True}, {"id": "f2", "direct": True}]


def test_factor_list_item_has_cells_only_when_filtered_by_columns(index):
    assert "cells" not in ask(build_factors, index, FactorsQuery())["items"][0]
    filtered = ask(build_factors, index, FactorsQuery(driver="justice_seeker"))["items"][0]
    assert set(filtered["cells"]) == {"justice_seeker"}
