"""The read model: built from sources, updated incrementally to the same answers, never changed."""

from __future__ import annotations

import pytest
from bench_scripts import load_bench

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
    build_drivers,
    build_finding,
    build_findings,
    build_gaps,
    build_index_health,
    build_matrix,
    build_source,
    build_sources,
    factors_json,
    matrix_json,
    profile_json,
)
from triggergraph.exceptions import NotFoundError
from triggergraph.readmodel import EvidenceIndex


@pytest.fixture(scope="module")
def vocab(small_vocab):
    return small_vocab


def test_build_holds_sources_findings_and_every_cell(small_index, small_vocab):
    assert list(small_index.sources) == ["meta1", "meta2", "survey3", "survey4", "survey5"]
    assert set(small_index.findings) == {"f1", "f2", "f3", "f4", "f5", "f6"}
    assert small_index.groups["meta2"] == small_index.groups["meta1"]  # overlapping sources
    assert list(small_index.cells) == small_index.factor_order
    columns = ["any", *small_index.column_sets["all"]]
    assert all(list(row) == columns for row in small_index.cells.values())
    assert small_index.cells["detention"]["justice_seeker"].verdict == "strong"
    assert small_index.finding_counts["sex_male"] == 3


def test_health_counts(small_index, small_vocab):
    health = build_index_health(small_index)
    assert (health.sources, health.findings, health.version) == (5, 6, "v-test")
    assert health.constructs == len(small_vocab.constructs) >= 1


def test_columns_unknown_choice_names_the_valid_ones(small_index):
    from triggergraph.exceptions import EntryError

    with pytest.raises(EntryError) as err:
        small_index.columns("drivers")
    assert "driver" in err.value.problems[0].suggestions


# ---- incremental update: EvidenceIndex.updated equals a full build ----------------------
def _answers(index: EvidenceIndex, sample_finding: str) -> dict:
    """Answers that depend on every cell, group and finding, in both languages."""
    return {
        "matrix": [
            matrix_json(index, MatrixQuery(cols=cols, lang=lang))
            for cols in ("driver", "all")
            for lang in LANGS
        ],
        "factors": [factors_json(index, FactorsQuery(lang=lang)) for lang in LANGS],
        "profile": profile_json(index, ProfileQuery(driver="justice_seeker", lang="nl")),
        "findings": answer_json(build_findings(index, FindingsQuery(limit=500))),
        "sources": answer_json(build_sources(index, SourcesQuery(limit=500))),
        "gaps": answer_json(build_gaps(index, LangQuery(lang="en"))),
        "finding": answer_json(build_finding(index, sample_finding, LangQuery(lang="en"))),
        "health": build_index_health(index),
        "drivers": build_drivers(index, LangQuery(lang="en")),
        "demographics": build_demographics(index, LangQuery(lang="nl")),
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
        sample = next(iter(index.findings))
        _answers(index, sample)
        for ident, new in changes.items():
            if new is None:
                current.pop(ident, None)
            else:
                current[ident] = new
        updated = index.updated(changes, f"v{step}")
        full = EvidenceIndex.build(list(current.values()), vocab, f"v{step}")
        assert updated.cells == full.cells, f"step {step} ({kind}): cells differ"
        assert updated.routed == full.routed, f"step {step} ({kind}): routes differ"
        assert updated.groups == full.groups, f"step {step} ({kind}): groups differ"
        assert list(updated.sources) == list(full.sources), f"step {step} ({kind})"
        sample = next(iter(full.findings))
        assert _answers(updated, sample) == _answers(full, sample), f"step {step} ({kind})"
        index = updated
    assert {"replace", "delete", "overlap"} <= kinds_seen


def test_an_edit_that_changes_no_vote_keeps_every_cell(vocab):
    synth = load_bench("synth")
    sources = synth.generate_sources(300, seed=6, vocabulary=vocab)
    index = EvidenceIndex.build(sources, vocab, "v0")
    target = sources[10]
    edited = target.model_copy(
        update={
            "title": "Another title",
            "findings": [f.model_copy(update={"locator": "p. 99"}) for f in target.findings],
        }
    )
    updated = index.updated({target.id: edited}, "v1")
    full = EvidenceIndex.build([edited if s.id == target.id else s for s in sources], vocab, "v1")
    assert updated.cells == full.cells
    # the same verdict objects: nothing was decided or explained again
    assert all(
        updated.cells[f][c] is index.cells[f][c] for f in index.cells for c in index.cells[f]
    )
    assert updated.sources[target.id].title == "Another title"
    assert updated.findings[target.findings[0].id][0].locator == "p. 99"


def test_a_protective_construct_swapped_for_another_is_explained_anew(vocab):
    factor = "job_loss_or_school_dropout"
    for construct in ("school_attachment", "school_achievement"):
        assert any(r.factor == factor and r.inverted for r in vocab.routes_for(construct))
    synth = load_bench("synth")
    sources = synth.generate_sources(300, seed=7, vocabulary=vocab)
    target = sources[3]

    def on(construct):
        first = target.findings[0].model_copy(update={"factor": construct})
        return target.model_copy(update={"findings": [first, *target.findings[1:]]})

    before = [on("school_attachment") if s.id == target.id else s for s in sources]
    after = [on("school_achievement") if s.id == target.id else s for s in sources]
    index = EvidenceIndex.build(before, vocab, "v0")
    updated = index.updated({target.id: after[3]}, "v1")
    full = EvidenceIndex.build(after, vocab, "v1")
    assert updated.cells == full.cells
    cell = updated.cells[factor]["any"]
    label = vocab.constructs["school_achievement"].label("en")
    assert f"{label} is the opposite of" in cell.explanation["en"]
    assert cell.explanation != index.cells[factor]["any"].explanation


def test_updated_carries_the_sources_of_each_doi_over(vocab):
    synth = load_bench("synth")
    plain = synth.generate_sources(60, seed=4, vocabulary=vocab)
    dois = ["10.1/a", "10.1/B", "https://doi.org/10.1/b", None]
    sources = [s.model_copy(update={"doi": dois[i % 4]}) for i, s in enumerate(plain)]
    current = {s.id: s for s in sources}
    index = EvidenceIndex.build(sources, vocab, "v0")
    assert index.doi_owners["10.1/b"] == tuple(
        s.id for s in sources if s.doi and "b" in s.doi.lower()
    )
    first, second, third = sorted(current)[:3]
    steps = [
        {first: current[first].model_copy(update={"doi": "10.1/C"})},  # moves to a new DOI
        {second: None},  # gone
        {third: current[third].model_copy(update={"doi": None})},  # loses its DOI
        {
            "zz_new": current[first].model_copy(
                update={"id": "zz_new", "findings": [], "doi": "10.1/a"}
            )
        },
    ]
    for step, changes in enumerate(steps, start=1):
        for ident, new in changes.items():
            if new is None:
                current.pop(ident)
            else:
                current[ident] = new
        index = index.updated(changes, f"v{step}")
        assert "doi_owners" in index.__dict__  # carried over, not read from every source
        full = EvidenceIndex.build(list(current.values()), vocab, f"v{step}")
        assert index.doi_owners == full.doi_owners, f"step {step}"
    assert index.doi_owners["10.1/c"] == (first,)
    assert index.doi_owners["10.1/a"][-1] == "zz_new"


def test_updated_leaves_the_old_index_unchanged(vocab):
    synth = load_bench("synth")
    sources = synth.generate_sources(120, seed=3, vocabulary=vocab)
    index = EvidenceIndex.build(sources, vocab, "v0")
    query = MatrixQuery(cols="driver", lang="en")
    before = (answer_json(build_matrix(index, query)), build_index_health(index))
    gone = sources[0].id
    updated = index.updated({gone: None}, "v1")
    assert (answer_json(build_matrix(index, query)), build_index_health(index)) == before
    assert build_index_health(updated).sources == build_index_health(index).sources - 1
    with pytest.raises(NotFoundError):
        build_source(updated, gone)
    assert build_source(index, gone).id == gone
