"""Effect-size bands per measure and the caution flags of triggergraph/effects.py."""

from __future__ import annotations

import pytest

from triggergraph.effects import effect_flags, effect_size_band
from triggergraph.models import Effect


@pytest.mark.parametrize(
    ("measure", "value", "band"),
    [
        ("r", 0.04, "negligible"),
        ("r", -0.09, "very_small"),
        ("r", 0.12, "small"),
        ("r", 0.27, "moderate"),
        ("r", 0.30, "large"),
        ("fisher_z", 0.572, "large"),
        ("cohen_d", 0.2, "very_small"),  # r = .2 / sqrt(4.04) = .0995
        ("cohen_d", 0.5, "moderate"),  # r = .243
        ("hedges_g", -0.8, "large"),  # r = .371
        ("odds_ratio", 5.43, "large"),
        ("odds_ratio", 0.52, "small"),
        ("odds_ratio", 1.1, "negligible"),
        ("risk_ratio", 1.04, "unknown"),  # no agreed band (often per unit)
        ("risk_ratio", 4.0, "unknown"),  # not run through odds-ratio thresholds
        ("hazard_ratio", 2.5, "unknown"),
        ("beta", 0.3, "unknown"),
        ("percent", 28.0, "unknown"),
    ],
)
def test_band_per_measure(measure, value, band):
    assert effect_size_band(Effect(measure=measure, value=value)) == band


def test_band_unknown_without_value():
    assert effect_size_band(None) == "unknown"
    assert effect_size_band(Effect(measure="r")) == "unknown"


@pytest.mark.parametrize(
    ("effect", "flags"),
    [
        (Effect(measure="odds_ratio", value=18.07), ("very_large_ratio_without_ci",)),
        (Effect(measure="odds_ratio", value=0.05), ("very_large_ratio_without_ci",)),
        (
            Effect(measure="odds_ratio", value=13.49, n=119),
            ("very_large_ratio_without_ci", "small_sample"),
        ),
        (Effect(measure="odds_ratio", value=18.07, ci=(4.0, 80.0)), ()),
        (Effect(measure="odds_ratio", value=3.0), ()),
        (Effect(measure="r", value=0.2, n=131), ("small_sample",)),
        (Effect(measure="r", value=0.2, n=131, k=12), ()),
        (Effect(measure="r", value=0.2, n=200), ()),
    ],
)
def test_flags(effect, flags):
    assert effect_flags(effect) == flags


def test_flags_have_labels_in_both_languages():
    from triggergraph.vocabulary import load_vocabulary

    scale = load_vocabulary().scales["effect-flag"]
    for flag in ("very_large_ratio_without_ci", "small_sample"):
        assert scale[flag].labels.keys() == {"nl", "en"}
