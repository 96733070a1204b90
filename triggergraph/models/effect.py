"""The ``Effect`` model: an effect as the source reports it, with its measure's range checks."""

from __future__ import annotations

import math

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .fields import MEASURE_RANGES, EntryModel, Number, ShortText, Text, Whole, _check_scale, _error


class Effect(EntryModel):
    """The effect as the source reports it. Only numbers read on the cited page enter."""

    measure: str = Field(
        default="none", description="Effect measure id, e.g. 'r', 'odds_ratio', 'none'."
    )
    value: Number | None = Field(
        default=None, description="The point estimate, if the page gave one."
    )
    ci: tuple[Number, Number] | None = Field(
        default=None, description="Confidence interval [low, high]."
    )
    k: Whole | None = Field(
        default=None, ge=1, le=100_000, description="Number of studies or samples."
    )
    n: Whole | None = Field(default=None, ge=1, le=100_000_000, description="Sample size.")
    p: ShortText | None = Field(default=None, description="p value as reported, e.g. '< .001'.")
    text: Text | None = Field(
        default=None, description="The effect in words or numbers that are not one estimate."
    )
    magnitude_in_source: ShortText | None = Field(
        default=None, description="The source's own words."
    )

    @field_validator("measure")
    @classmethod
    def _known_measure(cls, value: str, info: ValidationInfo) -> str:
        return _check_scale(info, "effect-measure", value) or "none"

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise _error("not_finite", "{value!r} is not a finite number", {"value": value})
        return value

    @model_validator(mode="after")
    def _in_range(self) -> Effect:
        low, high = MEASURE_RANGES.get(self.measure, (None, None))
        numbers = [("value", self.value)]
        if self.ci is not None:
            numbers += [("ci", self.ci[0]), ("ci", self.ci[1])]
            if self.ci[0] > self.ci[1]:
                raise _error(
                    "ci_order",
                    "ci {ci!r}: the lower bound is above the upper bound",
                    {"ci": list(self.ci)},
                )
        for name, number in numbers:
            if number is None:
                continue
            if not math.isfinite(number):
                raise _error(
                    "not_finite",
                    "{name} {value!r} is not a finite number",
                    {"name": name, "value": number},
                )
            if (low is not None and number < low) or (high is not None and number > high):
                bounds = f"[{'' if low is None else low}, {'' if high is None else high}]"
                raise _error(
                    "out_of_range",
                    "{name} {value!r} is out of range for measure {measure!r}; valid: {bounds}",
                    {"name": name, "value": number, "measure": self.measure, "bounds": bounds},
                )
        if self.measure == "none" and (self.value is not None or self.ci is not None):
            raise _error(
                "measure_missing",
                "a value or ci needs a measure (e.g. 'r', 'odds_ratio', 'percent'), not 'none'",
                {},
            )
        return self
