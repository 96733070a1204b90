"""EvidenceIndex: filters, paging, errors with suggestions, matrix, profile, cached JSON, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import orjson
import pytest
from bench_scripts import load_bench

from triggergraph.answers import (
    FactorsQuery,
    FindingsQuery,
    MatrixQuery,
    ProfileQuery,
    SourcesQuery,
)
from triggergraph.config import Settings
from triggergraph.exceptions import EntryError, NotFoundError
from triggergraph.readmodel import EvidenceIndex
from triggergraph.models import Source
from triggergraph.verdict import VERDICT_RANK
from triggergraph.vocabulary import build_vocabulary, read_ontology_graph

#: a construct of ontology/constructs.ttl that maps (SKOS) to the discrimination trigger
CONSTRUCT = "perceived_discrimination"
DISCRIMINATION = "direct_discrimination_racism_exclusion"


def finding(fid, factor, direction, certainty, drivers=(), demographics=(), stages=()):
    return {
        "id": fid,
        "factor": factor,
        "drivers": [{"driver": d, "basis": b} for d, b in drivers],
        "demographics": list(demographics),
        "direction": direction,
        "certainty": certainty,
        "certainty_reasons": ["set by the test"],
        "outcome_stages": list(stages),
        "locator": "p. 1",
    }


def source(vocab, sid, author, findings, overlaps=()):
    data = {
        "id": sid,
        "type": "journal_article",
        "authors": [author, "Roe, R."],
        "year": 2021,
        "title": f"Study {sid}",
        "venue": "Journal of Tests 1(1), 1-10",
        "doi": f"10.1234/{sid}",
        "added_by": "tests",
        "added_on": date(2026, 1, 1),
        "overlaps_with": list(overlaps),
        "findings": findings,
    }
    return Source.model_validate(data, context={"vocabulary": vocab})


@pytest.fixture(scope="module")
def vocab():
    settings = Settings(base_iri="http://127.0.0.1:8000/")
    vocabulary = build_vocabulary(
        read_ontology_graph(settings.ontology_dir, settings.base_iri), settings.base_iri
    )
    assert (DISCRIMINATION, False) in vocabulary.triggers_for(CONSTRUCT)
    return vocabulary


@pytest.fixture(scope="module")
def index(vocab):
    justice = [("justice_seeker", "stated")]
    sources = [
        source(
            vocab,
            "meta1",
            "Doe, J.",
            [
                finding("f1", "detention", "increases", "A", justice, ["sex_male"], ["behaviour"]),
            ],
        ),
        source(
            vocab,
            "meta2",
            "Poe, E.",
            [finding("f2", "detention", "increases", "B", justice)],
            overlaps=["meta1"],
        ),
        source(
            vocab,
            "survey3",
            "Lee, K.",
            [
                finding(
                    "f3",
                    CONSTRUCT,
                    "increases",
                    "C",
                    [("identity_seeker", "proposed")],
                    ["age_under_18"],
                    ["attitude"],
                ),
            ],
        ),
        source(
            vocab,
            "survey4",
            "Kim, S.",
            [finding("f4", "marriage", "decreases", "C", demographics=["sex_male"])],
        ),
        source(
            vocab,
            "survey5",
            "Ng, T.",
            [
                finding("f5", "marriage", "increases", "B", demographics=["sex_male"]),
                finding("f6", "training", "mixed", "D", [("meaning_seeker", "stated")]),
            ],
        ),
    ]
    return EvidenceIndex.build(sources, vocab, version="v-test")


def ids(answer):
    return [item["id"] for item in answer["items"]]


# ---- factors --------------------------------------------------------------------------------


def test_factors_all_in_report_order(index, vocab):
    answer = index.factors(FactorsQuery(limit=500))
    assert answer["total"] == len(vocab.factors)
    assert ids(answer) == [c.id for c in vocab.ordered_factors()]


def test_factors_level_filter(index, vocab):
    answer = index.factors(FactorsQuery(level="macro", limit=500))
    assert answer["total"] == sum(1 for c in vocab.factors.values() if c.level == "macro") > 0
    assert {item["level"] for item in answer["items"]} == {"macro"}


def test_factors_driver_filter_any_evidence(index):
    assert ids(index.factors(FactorsQuery(driver="justice_seeker"))) == ["detention"]
    assert ids(index.factors(FactorsQuery(driver="identity_seeker"))) == [DISCRIMINATION]


def test_factors_driver_filter_min_verdict(index):
    assert ids(index.factors(FactorsQuery(driver="justice_seeker", min_verdict="strong"))) == [
        "detention"
    ]
    # the construct finding is C, downgraded to D for the identity cell: limited, not moderate
    assert ids(index.factors(FactorsQuery(driver="identity_seeker", min_verdict="moderate"))) == []


def test_factors_min_verdict_limited_keeps_contested(index):
    assert ids(index.factors(FactorsQuery(sex="sex_male", min_verdict="limited"))) == [
        "detention",
        "marriage",
    ]
    assert ids(index.factors(FactorsQuery(sex="sex_male", min_verdict="moderate"))) == ["detention"]
    cells = index.factors(FactorsQuery(sex="sex_male"))["items"][1]["cells"]
    assert cells["sex_male"]["verdict"] == "contested"


def test_factors_min_verdict_alone_uses_overall(index):
    assert ids(index.factors(FactorsQuery(min_verdict="strong"))) == ["detention"]


def test_factors_q_dutch_english_and_alt_label(index):
    assert ids(index.factors(FactorsQuery(q="DETENTIE"))) == ["detention"]
    assert ids(index.factors(FactorsQuery(q="radical group"))) == ["joining_radical_group"]
    assert ids(index.factors(FactorsQuery(q="trainingskamp"))) == ["training"]
    assert index.factors(FactorsQuery(q="no such words anywhere"))["total"] == 0


def test_factors_labels_follow_lang(index):
    item = index.factors(FactorsQuery(q="detention", lang="nl"))["items"][0]
    assert item["label"] == "Detentie"
    assert item["labels"]["en"] == "Detention"
    assert item["iri"] == "http://127.0.0.1:8000/factor/detention"


def test_factors_pagination_total_and_slice(index):
    full = ids(index.factors(FactorsQuery(limit=500)))
    page = index.factors(FactorsQuery(offset=2, limit=3))
    assert (page["total"], page["offset"], page["limit"]) == (len(full), 2, 3)
    assert ids(page) == full[2:5]
    assert index.factors(FactorsQuery(offset=len(full)))["items"] == []


def test_factors_bad_driver_not_found_with_suggestion(index):
    with pytest.raises(NotFoundError) as err:
        index.factors(FactorsQuery(driver="justice_seekr"))
    assert err.value.suggestions[0] == "justice_seeker"


def test_factors_wrong_dimension_value_not_found(index):
    with pytest.raises(NotFoundError) as err:
        index.factors(FactorsQuery(sex="age_under_18"))
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
        index.factors(FactorsQuery(**kwargs))
    assert err.value.problems[0].field == field


# ---- one factor, finding, source ----------------------------------------------------------


def test_factor_detail_cells_and_findings(index):
    answer = index.factor("detention", "en")
    assert answer["overall"]["verdict"] == "strong"
    assert [f["id"] for f in answer["findings"]] == ["f1", "f2"]
    assert len(answer["cells"]) == len(answer["columns"]) == 12
    assert answer["cells"]["justice_seeker"]["n_groups"] == 1  # meta1 and meta2 overlap
    assert answer["definitions"]["nl"].startswith("In detentie")


def test_factor_related_constructs_and_narrower(index):
    related = index.factor(DISCRIMINATION)["related_constructs"]
    assert CONSTRUCT in [c["id"] for c in related]
    assert {c["mapping"] for c in related} <= {
        "exactMatch",
        "closeMatch",
        "broadMatch",
        "narrowMatch",
        "relatedMatch",
    }
    assert all(c["iri"].startswith("http://127.0.0.1:8000/construct/") for c in related)
    narrower = [n["id"] for n in index.factor("meeting_radical_person")["narrower"]]
    assert set(narrower) == {"meeting_radical_person_family", "meeting_radical_person_friends"}


def test_factor_unknown_suggests(index):
    with pytest.raises(NotFoundError) as err:
        index.factor("detentoin")
    assert "detention" in err.value.suggestions


def test_finding_separates_stated_and_proposed_drivers(index):
    answer = index.finding("f3", "nl")
    assert (answer["drivers_stated"], answer["drivers_proposed"]) == ([], ["identity_seeker"])
    assert answer["counts_toward"] == [
        {"factor": DISCRIMINATION, "label": answer["counts_toward"][0]["label"], "direct": False}
    ]
    assert answer["source"]["citation"].startswith("Lee, K., & Roe, R. (2021). Study survey3.")
    assert answer["size_band"] == "unknown"
    assert answer["iri"] == "http://127.0.0.1:8000/finding/f3"


def test_finding_unknown_not_found(index):
    with pytest.raises(NotFoundError) as err:
        index.finding("f33")
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
    assert ids(index.findings(FindingsQuery(**kwargs))) == expected


def test_findings_bad_direction_entry_error(index):
    with pytest.raises(EntryError) as err:
        index.findings(FindingsQuery(direction="increase"))
    assert "increases" in err.value.problems[0].suggestions


def test_sources_q_and_detail(index):
    assert ids(index.sources(SourcesQuery(q="poe"))) == ["meta2"]
    assert index.sources(SourcesQuery())["total"] == 5
    detail = index.source("meta2")
    assert detail["independent_group"] == ["meta1", "meta2"]
    assert detail["citation"].endswith("https://doi.org/10.1234/meta2")
    with pytest.raises(NotFoundError):
        index.source("meta3")


# ---- drivers, demographics ------------------------------------------------------------------


def test_drivers_and_driver_ranking(index):
    drivers = index.drivers()["items"]
    assert [d["id"] for d in drivers] == [
        "identity_seeker",
        "justice_seeker",
        "meaning_seeker",
        "sensation_seeker",
    ]
    assert drivers[1]["n_findings"] == 2
    ranked = index.driver("meaning_seeker")["factors"]
    assert [(r["factor"]["id"], r["cell"]["verdict"]) for r in ranked] == [("training", "limited")]


def test_demographics_dimensions_and_values(index):
    dims = index.demographics("nl")["dimensions"]
    assert [d["id"] for d in dims] == ["sex", "age", "education"]
    assert [v["id"] for v in dims[0]["values"]] == ["sex_male", "sex_female"]
    assert dims[0]["values"][0]["label"] == "Man"
    assert dims[0]["values"][0]["n_findings"] == 3


# ---- matrix, gaps, profile ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cols", "n_columns"), [("driver", 4), ("sex", 2), ("age", 3), ("education", 3), ("all", 12)]
)
def test_matrix_shape_rows_by_columns(index, vocab, cols, n_columns):
    m = index.matrix(MatrixQuery(cols=cols))
    assert len(m["rows"]) == len(vocab.factors)
    assert len(m["columns"]) == n_columns
    assert all(len(m["cells"][r["id"]]) == n_columns for r in m["rows"])
    assert [fid for level in m["levels"] for fid in level["factors"]] == [
        r["id"] for r in m["rows"]
    ]


def test_matrix_level_and_min_verdict(index):
    assert {r["level"] for r in index.matrix(MatrixQuery(level="meso"))["rows"]} == {"meso"}
    assert [
        r["id"] for r in index.matrix(MatrixQuery(cols="all", min_verdict="strong"))["rows"]
    ] == ["detention"]


def test_matrix_outcome_stage_and_direct_only_recompute(index):
    assert (
        index.matrix(MatrixQuery())["cells"]["detention"]["justice_seeker"]["verdict"] == "strong"
    )
    staged = index.matrix(MatrixQuery(outcome_stage="attitude"))
    assert staged["cells"]["detention"]["justice_seeker"]["verdict"] == "no_evidence"
    assert (
        index.matrix(MatrixQuery())["cells"][DISCRIMINATION]["identity_seeker"]["verdict"]
        == "limited"
    )
    direct = index.matrix(MatrixQuery(direct_only=True))
    assert direct["cells"][DISCRIMINATION]["identity_seeker"]["verdict"] == "no_evidence"


def test_matrix_bad_cols_entry_error(index):
    with pytest.raises(EntryError) as err:
        index.matrix(MatrixQuery(cols="drivers"))
    assert "driver" in err.value.problems[0].suggestions


def test_gaps_lists_empty_indirect_contested(index):
    gaps = index.gaps()
    assert ("marriage", "sex_male") in {(g["factor"], g["column"]) for g in gaps["contested"]}
    assert (DISCRIMINATION, "any") in {(g["factor"], g["column"]) for g in gaps["indirect_only"]}
    assert "calls_to_action" in gaps["factors_without_evidence"]
    assert ("detention", "sex_female") in {(g["factor"], g["column"]) for g in gaps["empty"]}
    text = index.gaps_text("en")
    assert "Contested cells (" in text and "Getting married x Male" in text


def test_profile_ranking_and_notice(index):
    answer = index.profile(ProfileQuery(driver="justice_seeker", sex="sex_male"))
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
        index.profile(ProfileQuery())
    assert "at least one" in str(err.value)


def test_health_counts(index, vocab):
    health = index.health()
    assert (health["sources"], health["findings"], health["version"]) == (5, 6, "v-test")
    assert health["constructs"] == len(vocab.constructs) >= 1


# ---- serialised and text answers -------------------------------------------------------------


def test_json_variants_equal_dumped_dicts(index):
    assert index.matrix_json(MatrixQuery(cols="all", lang="nl")) == orjson.dumps(
        index.matrix(MatrixQuery(cols="all", lang="nl"))
    )
    assert index.factor_json("detention", "en") == orjson.dumps(index.factor("detention", "en"))
    assert index.profile_json(ProfileQuery(driver="justice_seeker")) == orjson.dumps(
        index.profile(ProfileQuery(driver="justice_seeker"))
    )
    assert index.factors_json(FactorsQuery(lang="nl", level="meso")) == orjson.dumps(
        index.factors(FactorsQuery(lang="nl", level="meso"))
    )


def test_json_variants_cached(index):
    assert index.matrix_json(MatrixQuery(cols="driver", lang="en")) is index.matrix_json(
        MatrixQuery(cols="driver", lang="en")
    )
    assert index.factors_json(FactorsQuery(lang="en")) is index.factors_json(
        FactorsQuery(lang="en")
    )


def test_json_variants_raise_for_unknown(index):
    with pytest.raises(NotFoundError):
        index.factor_json("nope")


def test_matrix_csv_parses(index, vocab):
    rows = list(
        csv.DictReader(io.StringIO(index.matrix_csv(MatrixQuery(cols="driver", lang="en"))))
    )
    assert len(rows) == len(vocab.factors)
    by_id = {r["factor"]: r for r in rows}
    assert (by_id["detention"]["justice_seeker"], by_id["detention"]["justice_seeker_n"]) == (
        "strong",
        "2",
    )
    assert by_id["training"]["meaning_seeker"] == "limited"


def test_matrix_table_aligned_with_legend(index):
    table = index.matrix_table(MatrixQuery(cols="driver", lang="en"))
    lines = table.splitlines()
    assert lines[-1].startswith("legend: S strong")
    assert "-- Micro (personal life) --" in lines
    detention = next(line for line in lines if line.startswith("Detention "))
    header = lines[0]
    # the justice column starts at the same offset in the header and in the row
    assert detention[header.index("Justice seeker") :].startswith("S+2")
    assert "o no association" in lines[-1] and "= tie, no direction" in lines[-1]
    assert (
        index.matrix_table(MatrixQuery(cols="driver", lang="nl"))
        .splitlines()[-1]
        .startswith("legenda: S sterk, R redelijk")
    )


# ---- incremental update: EvidenceIndex.updated equals a full build ----------------------
def _answers(index: EvidenceIndex, sample_finding: str) -> dict:
    """Answers that depend on every cell, group and finding, in both languages."""
    return {
        "matrix": [
            index.matrix_json(MatrixQuery(cols=cols, lang=lang))
            for cols in ("driver", "all")
            for lang in LANGS
        ],
        "factors": [index.factors_json(FactorsQuery(lang=lang)) for lang in LANGS],
        "profile": index.profile_json(ProfileQuery(driver="justice_seeker", lang="nl")),
        "findings": orjson.dumps(index.findings(FindingsQuery(limit=500))),
        "sources": orjson.dumps(index.sources(SourcesQuery(limit=500))),
        "gaps": orjson.dumps(index.gaps("en")),
        "finding": orjson.dumps(index.finding(sample_finding, "en")),
        "health": index.health(),
        "drivers": index.drivers("en"),
        "demographics": index.demographics("nl"),
    }


LANGS = ("nl", "en")


def test_updated_equals_full_build_over_random_changes(vocab):
    import random

    synth = load_bench("synth")
    first = synth.generate_sources(400, seed=1, vocabulary=vocab)
    second = {s.id: s for s in synth.generate_sources(400, seed=2, vocabulary=vocab)}
    rng = random.Random(2015)
    held_back = {s.id: s for s in rng.sample(first, 8)}
    current = {s.id: s for s in first if s.id not in held_back}
    index = EvidenceIndex.build(list(current.values()), vocab, "v0")
    kinds_seen = set()
    for step in range(1, 31):
        kind = rng.choice(["replace", "add", "delete", "overlap", "unoverlap", "batch"])
        ids = sorted(current)
        if kind == "add" and held_back:
            ident = sorted(held_back)[0]
            changes = {ident: held_back.pop(ident)}
        elif kind == "replace":
            ident = rng.choice([i for i in ids if i in second])
            changes = {ident: second[ident]}
        elif kind == "delete":
            ident = rng.choice(ids)
            changes = {ident: None}
        elif kind == "overlap":
            ident, other = rng.sample(ids, 2)
            changes = {ident: current[ident].model_copy(update={"overlaps_with": [other]})}
        elif kind == "unoverlap":
            linked = [i for i in ids if current[i].overlaps_with] or ids
            ident = rng.choice(linked)
            changes = {ident: current[ident].model_copy(update={"overlaps_with": []})}
        else:
            a, b = rng.sample([i for i in ids if i in second], 2)
            changes = {a: second[a], b: None}
        kinds_seen.add(kind)
        # fill the old index's caches first, so reusing them is exercised too
        sample = next(iter(index._findings))
        _answers(index, sample)
        for ident, new in changes.items():
            if new is None:
                current.pop(ident, None)
            else:
                current[ident] = new
        updated = index.updated(changes, f"v{step}")
        full = EvidenceIndex.build(list(current.values()), vocab, f"v{step}")
        assert updated._cells == full._cells, f"step {step} ({kind}): cells differ"
        assert updated._routed == full._routed, f"step {step} ({kind}): routes differ"
        assert updated._groups == full._groups, f"step {step} ({kind}): groups differ"
        assert list(updated._sources) == list(full._sources), f"step {step} ({kind})"
        sample = next(iter(full._findings))
        assert _answers(updated, sample) == _answers(full, sample), f"step {step} ({kind})"
        index = updated
    assert {"replace", "delete", "overlap"} <= kinds_seen


def test_updated_leaves_the_old_index_unchanged(vocab):
    synth = load_bench("synth")
    sources = synth.generate_sources(120, seed=3, vocabulary=vocab)
    index = EvidenceIndex.build(sources, vocab, "v0")
    before = (index.matrix_json(MatrixQuery(cols="driver", lang="en")), index.health())
    gone = sources[0].id
    updated = index.updated({gone: None}, "v1")
    assert (index.matrix_json(MatrixQuery(cols="driver", lang="en")), index.health()) == before
    assert updated.health()["sources"] == index.health()["sources"] - 1
    with pytest.raises(NotFoundError):
        updated.source(gone)
    assert index.source(gone)["id"] == gone


def test_profile_combines_choices_with_and_not_or(fixture_index):
    # identity seeker (fixture-alpha-2) and 18-25 (fixture-alpha-1) are on detention, but no
    # single finding carries both: a union would rank detention, the AND must not
    both = fixture_index.profile(ProfileQuery(driver="identity_seeker", age="age_18_25"))
    assert both["combination"] == "all" and both["items"] == []
    alone = {k: [i["factor"]["id"] for i in v["items"]] for k, v in both["per_choice"].items()}
    assert set(alone["driver"]) == {"detention", "marriage"} and alone["age"] == ["detention"]


def test_profile_and_keeps_findings_that_carry_every_choice(fixture_index):
    found = fixture_index.profile(ProfileQuery(driver="justice_seeker", age="age_18_25"))
    assert [i["factor"]["id"] for i in found["items"]] == ["detention"]
    assert [f["id"] for f in found["items"][0]["cell"]["findings"]] == ["fixture-alpha-1"]
    single = fixture_index.profile(ProfileQuery(sex="sex_male"))
    assert single["items"] == [] and single["per_choice"] == {}
