"""Effect sizes: the |r| band of an effect, per measure, and the flags that call for caution.

The bands are those of the project's evidence scale (|r| < .05 negligible, < .10 very small,
< .20 small, < .30 moderate, otherwise large; odds ratios through the scale's equivalents
1.20 / 1.44 / 2.10 / 3.13). A measure gets a band only where a conversion to r is agreed:

========================  ==========================================================
measure                   how it is put on the |r| scale
========================  ==========================================================
``r``                     as it is
``fisher_z``              r = tanh(z)
``cohen_d``, ``hedges_g`` r = d / sqrt(d² + 4) (equal groups; Borenstein et al. 2009)
``odds_ratio``            the evidence scale's odds-ratio equivalents (ratio or 1/ratio)
========================  ==========================================================

Risk ratios, hazard ratios, regression coefficients, percentages, counts and
over-representation ratios get no band (``unknown``): their size depends on the base rate,
the time scale or the units of the variables, and a per-unit risk ratio says nothing about
the size of a contrast.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Effect

#: Upper bounds of the |r| bands, smallest first; at or above the last bound is "large".
R_BANDS: tuple[tuple[float, str], ...] = (
    (0.05, "negligible"),
    (0.10, "very_small"),
    (0.20, "small"),
    (0.30, "moderate"),
)
#: The evidence scale's odds-ratio equivalents of the same bands.
ODDS_RATIO_BANDS: tuple[tuple[float, str], ...] = (
    (1.20, "negligible"),
    (1.44, "very_small"),
    (2.10, "small"),
    (3.13, "moderate"),
)
#: Measures converted to the |r| scale through the standardised mean difference.
SMD_MEASURES: frozenset[str] = frozenset({"cohen_d", "hedges_g"})
#: Ratio measures: flagged when very large without a confidence interval.
RATIO_MEASURES: frozenset[str] = frozenset({"odds_ratio", "risk_ratio", "hazard_ratio"})
#: A ratio this far from 1 (or its inverse) without a confidence interval is flagged.
VERY_LARGE_RATIO = 10.0
#: A single study below this N is small (the evidence scale's C class asks for N >= 200).
SMALL_SAMPLE_N = 200


def _band(size: float, bands: tuple[tuple[float, str], ...]) -> str:
    for bound, band in bands:
        if size < bound:
            return band
    return "large"


def effect_size_band(effect: Effect | None) -> str:
    """Return the |r| band of an effect, or ``unknown`` where the measure has no agreed band.

    Examples
    --------
    >>> from triggergraph.models import Effect
    >>> effect_size_band(Effect(measure="r", value=-0.26))
    'moderate'
    >>> effect_size_band(Effect(measure="odds_ratio", value=0.40))
    'moderate'
    >>> effect_size_band(Effect(measure="cohen_d", value=0.5))
    'moderate'
    >>> effect_size_band(Effect(measure="risk_ratio", value=1.04))
    'unknown'
    """
    if effect is None or effect.value is None:
        return "unknown"
    value = effect.value
    if effect.measure == "r":
        return _band(abs(value), R_BANDS)
    if effect.measure == "fisher_z":
        return _band(abs(math.tanh(value)), R_BANDS)
    if effect.measure in SMD_MEASURES:
        return _band(abs(value) / math.sqrt(value * value + 4), R_BANDS)
    if effect.measure == "odds_ratio" and value > 0:
        return _band(value if value >= 1 else 1 / value, ODDS_RATIO_BANDS)
    return "unknown"


def effect_flags(effect: Effect | None) -> tuple[str, ...]:
    """Return the cautions an effect calls for (ids of the ``effect-flag`` scale).

    - ``very_large_ratio_without_ci``: an odds, risk or hazard ratio of at least 10 (or at
      most 1/10) with no confidence interval to show how precise it is.
    - ``small_sample``: a single study (no k) with fewer than 200 people.

    Examples
    --------
    >>> from triggergraph.models import Effect
    >>> effect_flags(Effect(measure="odds_ratio", value=18.07))
    ('very_large_ratio_without_ci',)
    >>> effect_flags(Effect(measure="odds_ratio", value=18.07, ci=(4.0, 80.0), n=120))
    ('small_sample',)
    >>> effect_flags(Effect(measure="r", value=0.2, k=12, n=150))
    ()
    """
    if effect is None:
        return ()
    flags: list[str] = []
    value = effect.value
    ratio = effect.measure in RATIO_MEASURES and value is not None and value > 0
    if ratio and effect.ci is None and max(value, 1 / value) >= VERY_LARGE_RATIO:
        flags.append("very_large_ratio_without_ci")
    if effect.k is None and effect.n is not None and effect.n < SMALL_SAMPLE_N:
        flags.append("small_sample")
    return tuple(flags)
