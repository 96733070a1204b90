"""The seeded synthetic literature generator of the benchmark (bench/synth.py)."""

from __future__ import annotations

import pytest
import yaml
from bench_scripts import load_bench

from triggergraph.models import Source
from triggergraph.vocabulary import load_vocabulary

synth = load_bench("synth")


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


@pytest.fixture(scope="module")
def thousand(vocab):
    return synth.generate_sources(1000, seed=7, vocabulary=vocab)


def test_generate_sources_same_seed_identical(vocab, thousand):
    again = synth.generate_sources(1000, seed=7, vocabulary=vocab)
    assert [s.model_dump() for s in again] == [s.model_dump() for s in thousand]


def test_generate_sources_other_seed_differs(vocab, thousand):
    other = synth.generate_sources(1000, seed=8, vocabulary=vocab)
    assert [s.model_dump() for s in other] != [s.model_dump() for s in thousand]


@pytest.mark.parametrize("n_findings", [1, 3, 11, 1000, 2500])
def test_generate_sources_count_exact(vocab, n_findings):
    sources = synth.generate_sources(n_findings, vocabulary=vocab)
    assert sum(len(s.findings) for s in sources) == n_findings


def test_generate_sources_findings_per_source_in_range(thousand):
    low, high = synth.FINDINGS_PER_SOURCE
    counts = [len(s.findings) for s in thousand]
    assert all(low <= c <= high for c in counts[:-1])
    assert 1 <= counts[-1] <= high
    # a uniform 3..10 split gives about 6.5 findings per source
    assert 1000 / high <= len(thousand) <= 1000 / low + 1


def test_generate_sources_ids_unique(thousand):
    source_ids = [s.id for s in thousand]
    finding_ids = [f.id for s in thousand for f in s.findings]
    assert len(set(source_ids)) == len(source_ids)
    assert len(set(finding_ids)) == len(finding_ids) == 1000


def test_generate_sources_titles_obviously_synthetic(thousand):
    assert thousand[41].title == "Synthetic source 00042"
    assert all(s.title.startswith("Synthetic source ") for s in thousand)
    assert all(s.id.startswith("synth_") for s in thousand)


def test_generate_sources_uses_vocabulary_ids(vocab, thousand):
    findings = [f for s in thousand for f in s.findings]
    factor_ids = {f.factor for f in findings}
    assert factor_ids <= set(vocab.factors) | set(vocab.constructs)
    # most findings sit on trigger factors (the matrix rows), which 1000 draws nearly all reach
    on_factors = [f for f in findings if f.factor in vocab.factors]
    assert len(on_factors) >= 0.6 * len(findings)
    assert len(factor_ids & set(vocab.factors)) >= len(vocab.factors) - 1
    assert {d.driver for f in findings for d in f.drivers} == set(vocab.drivers)
    assert {g for f in findings for g in f.demographics} == set(vocab.demographics)
    assert {f.certainty for f in findings} == set(vocab.scales["certainty"])
    assert all(f.drivers or f.demographics for f in findings)


def test_generate_sources_effects_within_measure_range(thousand):
    effects = [f.effect for s in thousand for f in s.findings if f.effect is not None]
    with_value = [e for e in effects if e.value is not None]
    assert with_value, "some effects carry a value"
    for effect in with_value:
        low, high = synth.EFFECT_RANGES[effect.measure]
        assert low <= effect.value <= high
        assert effect.ci[0] <= effect.value <= effect.ci[1]


def test_generate_sources_zero_findings_rejected(vocab):
    with pytest.raises(ValueError, match="at least 1"):
        synth.generate_sources(0, vocabulary=vocab)


@pytest.mark.parametrize("fast", [False, True])
def test_write_literature_entries_validate_with_vocabulary(tmp_path, vocab, fast):
    sources = synth.generate_sources(300, seed=3, vocabulary=vocab)
    paths = synth.write_literature(sources, tmp_path / "lit", fast=fast)
    assert [p.stem for p in paths] == [s.id for s in sources]
    for path, original in zip(paths, sources, strict=True):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        again = Source.model_validate(data, context={"vocabulary": vocab})
        assert again == original


def test_write_literature_same_seed_same_bytes(tmp_path, vocab):
    first = synth.write_literature(
        synth.generate_sources(50, seed=5, vocabulary=vocab), tmp_path / "a"
    )
    second = synth.write_literature(
        synth.generate_sources(50, seed=5, vocabulary=vocab), tmp_path / "b"
    )
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_main_writes_requested_findings(tmp_path, capsys):
    assert synth.main(["--findings", "25", "--out", str(tmp_path), "--seed", "2"]) == 0
    files = sorted(tmp_path.glob("*.yaml"))
    total = sum(len(yaml.safe_load(p.read_text(encoding="utf-8"))["findings"]) for p in files)
    assert total == 25
    assert "25 findings" in capsys.readouterr().out


def test_write_literature_loads_with_project_loader(tmp_path, vocab):
    from triggergraph.loader import load_literature

    sources = synth.generate_sources(200, seed=4, vocabulary=vocab)
    synth.write_literature(sources, tmp_path)
    loaded = load_literature(tmp_path, vocab)
    assert sorted(loaded, key=lambda s: s.id) == sources


def test_generate_sources_keeps_to_the_constructs_it_is_given(vocab, thousand):
    kept = sorted(vocab.constructs)[:3]
    sources = synth.generate_sources(1000, seed=7, vocabulary=vocab, constructs=kept)
    named = {f.factor for s in sources for f in s.findings}
    assert named - set(vocab.factors) == set(kept)
    assert sum(len(s.findings) for s in sources) == 1000
    unlimited = {f.factor for s in thousand for f in s.findings} - set(vocab.factors)
    assert len(unlimited) > len(kept)


def test_constructs_of_reads_the_other_checkouts_own_vocabulary(vocab):
    from bench_scripts import BENCH_DIR

    assert synth.constructs_of(BENCH_DIR.parent) == frozenset(vocab.constructs)
