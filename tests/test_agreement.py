"""Tests for triggergraph.agreement: kappa against hand-worked examples, pairing, differences."""

from __future__ import annotations

from pathlib import Path

import pytest

from triggergraph.agreement import (
    cohen_kappa,
    compare_corpus,
    compare_source,
    field_agreement,
    format_agreement,
    pair_findings,
)
from triggergraph.cli import main
from triggergraph.loader import load_literature
from triggergraph.vocabulary import load_vocabulary

DATA = Path(__file__).parent / "data" / "agreement"


@pytest.fixture(scope="module")
def codings():
    vocabulary = load_vocabulary()
    return tuple(load_literature(DATA / coder, vocabulary) for coder in ("coder_a", "coder_b"))


def test_cohen_kappa_hand_worked_three_categories():
    # Ten findings, direction coded by A and B:
    #   A: inc inc inc inc inc inc dec dec no  no
    #   B: inc inc inc inc inc dec dec no  no  no
    # agreed on items 1-5, 7, 9, 10 -> p_o = 8/10 = 0.80
    # A's shares: inc 6, dec 2, no 2;  B's shares: inc 5, dec 2, no 3
    # p_e = (6*5 + 2*2 + 2*3) / 10^2 = 40/100 = 0.40
    # kappa = (0.80 - 0.40) / (1 - 0.40) = 0.40 / 0.60 = 2/3
    a = ["inc"] * 6 + ["dec"] * 2 + ["no"] * 2
    b = ["inc"] * 5 + ["dec"] * 2 + ["no"] * 3
    assert cohen_kappa(list(zip(a, b, strict=True))) == pytest.approx(2 / 3)


def test_cohen_kappa_hand_worked_two_by_two():
    # 50 items: yes/yes 20, A yes B no 5, A no B yes 10, no/no 15
    # p_o = (20 + 15) / 50 = 0.70
    # A yes 25/50 = 0.5, B yes 30/50 = 0.6 -> p_e = 0.5*0.6 + 0.5*0.4 = 0.50
    # kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.40)
    figures = field_agreement("direction", pairs)
    assert (figures.n, figures.agreed, figures.percent) == (50, 35, pytest.approx(70.0))


def test_cohen_kappa_undefined_without_items_or_variation():
    assert cohen_kappa([]) is None
    # both coders used one category throughout: p_e = 1, kappa undefined
    assert cohen_kappa([("C", "C"), ("C", "C")]) is None


def test_cohen_kappa_below_zero_when_worse_than_chance():
    # p_o = 0; A and B each use y and n half the time -> p_e = 0.5; kappa = -1
    assert cohen_kappa([("y", "n"), ("n", "y")]) == pytest.approx(-1.0)


def test_pair_findings_by_id_then_by_unique_locator(codings):
    coder_a, coder_b = codings
    pairs, only_a, only_b = pair_findings(coder_a[0].findings, coder_b[0].findings)
    assert [(fa.id, fb.id) for fa, fb in pairs] == [("a1", "a1"), ("a2", "b2"), ("a3", "b3")]
    assert [f.id for f in only_a] == ["a4"]
    assert [f.id for f in only_b] == ["b5"]


def test_pair_findings_leaves_shared_locator_unpaired(codings):
    coder_a, coder_b = codings
    a3 = coder_a[0].findings[2]
    twin = a3.model_copy(update={"id": "a3-twin"})
    b3 = coder_b[0].findings[2]
    pairs, only_a, only_b = pair_findings([a3, twin], [b3])
    assert pairs == []
    assert [f.id for f in only_a] == ["a3", "a3-twin"]
    assert [f.id for f in only_b] == ["b3"]


def test_compare_source_lists_each_difference(codings):
    coder_a, coder_b = codings
    result = compare_source(coder_a[0], coder_b[0])
    found = [(d.finding_a, d.finding_b, d.field, d.value_a, d.value_b) for d in result.differences]
    assert found == [
        (
            "a1",
            "a1",
            "drivers",
            "justice_seeker:proposed",
            "justice_seeker:proposed, meaning_seeker:proposed",
        ),
        ("a2", "b2", "certainty", "C", "B"),
        ("a3", "b3", "direction", "decreases", "mixed"),
        ("a4", None, "finding", "poverty at p. 11", None),
        (None, "b5", "finding", None, "radical_peers at p. 13"),
    ]
    assert result.paired == 3


def test_compare_corpus_pools_findings_hand_worked(codings):
    # Paired findings: alpha a1, a2/b2, a3/b3 and beta-1, beta-2 (coded alike) -> n = 5
    # direction  A: inc inc dec inc inc | B: inc inc mixed inc inc
    #   p_o = 4/5; p_e = (4*4)/25 = 0.64; kappa = 0.16/0.36 = 4/9
    # certainty  A: C C D C B | B: C B D C B
    #   p_o = 4/5; p_e = (C 3*2 + D 1*1 + B 1*2)/25 = 9/25; kappa = (0.8-0.36)/0.64 = 0.6875
    # drivers    A: {js} {} {} {} {} | B: {js,ms} {} {} {} {}
    #   p_o = 4/5; p_e = ({} 4*4)/25 = 0.64; kappa = 4/9
    # factor and demographics agree everywhere: kappa = 1
    result = compare_corpus(*codings)
    figures = {f.field: f for f in result.fields}
    assert {name: (f.n, f.agreed) for name, f in figures.items()} == {
        "factor": (5, 5),
        "direction": (5, 4),
        "certainty": (5, 4),
        "drivers": (5, 4),
        "demographics": (5, 5),
    }
    assert figures["direction"].kappa == pytest.approx(4 / 9)
    assert figures["certainty"].kappa == pytest.approx(0.6875)
    assert figures["drivers"].kappa == pytest.approx(4 / 9)
    assert figures["factor"].kappa == pytest.approx(1.0)
    assert figures["demographics"].kappa == pytest.approx(1.0)
    assert figures["direction"].percent == pytest.approx(80.0)
    assert result.sources_only_a == ["agree_gamma"]
    assert result.sources_only_b == []
    assert [s.differences for s in result.sources if s.source_id == "agree_beta"] == [[]]


def test_format_agreement_prints_figures_and_differences(codings):
    text = format_agreement(compare_corpus(*codings))
    assert "direction         5       4    80.0    0.44" in text
    assert "  a3 / b3 direction: A=decreases | B=mixed" in text
    assert "sources only in A: agree_gamma" in text


def test_cli_agreement_prints_corpus_figures(capsys):
    assert main(["agreement", str(DATA / "coder_a"), str(DATA / "coder_b")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 source(s) coded by both, 5 paired finding(s)")
    assert "certainty         5       4    80.0    0.69" in out


def test_cli_agreement_without_shared_source_fails(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["agreement", str(DATA / "coder_a"), str(tmp_path / "empty")]) == 1
    assert "no source id is in both" in capsys.readouterr().err


def test_cli_agreement_missing_folder_is_usage_error(tmp_path, capsys):
    assert main(["agreement", str(DATA / "coder_a"), str(tmp_path / "nope")]) == 2
    assert "is not a folder of entry files" in capsys.readouterr().err
