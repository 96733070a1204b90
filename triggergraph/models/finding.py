"""The ``Finding`` model and its ``DriverLink``: one population-level result of a source."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .effect import Effect
from .fields import (
    Day,
    EntryModel,
    FindingId,
    ShortText,
    Text,
    Url,
    _check_scale,
    _error,
    _unique,
    _unknown,
    _vocabulary,
)


class DriverLink(EntryModel):
    """A finding's link to one of the four drivers, and who makes that link."""

    driver: str = Field(
        description="Driver id, e.g. 'justice_seeker'.", examples=["justice_seeker"]
    )
    basis: Literal["stated", "proposed"] = Field(
        description="'stated': the source itself names this driver or construct; "
        "'proposed': the compilers propose the link, the source does not make it."
    )
    term_in_source: ShortText | None = Field(
        default=None, description="The source's own word for the driver, e.g. 'significance quest'."
    )

    @field_validator("driver")
    @classmethod
    def _known_driver(cls, value: str, info: ValidationInfo) -> str:
        vocab = _vocabulary(info)
        if vocab is not None and value not in vocab.drivers:
            raise _unknown("driver", value, vocab.drivers)
        return value


class Finding(EntryModel):
    """One population-level result: a factor linked to drivers and/or demographic groups."""

    id: FindingId = Field(
        description="Unique across all sources, e.g. 'jasko17-1'.", examples=["F088"]
    )
    factor: str = Field(description="A trigger factor id or a related construct id.")
    drivers: list[DriverLink] = Field(default_factory=list)
    demographics: list[str] = Field(
        default_factory=list,
        description="Demographic group ids the finding is about, e.g. 'age_under_18'.",
    )
    direction: str = Field(description="'increases', 'decreases', 'no_association' or 'mixed'.")
    certainty: str = Field(description="'A' to 'D'; see README on grading.")
    certainty_reasons: list[Text] = Field(min_length=1, description="Why this certainty.")
    caveats: list[str] = Field(default_factory=list)
    indirectness: list[str] = Field(
        default_factory=list,
        description="Reasons the evidence is indirect beyond those derived automatically.",
    )
    effect: Effect | None = None
    outcome_stages: list[str] = Field(default_factory=list)
    outcome: Text | None = None
    outcome_kind: str = Field(
        default="radicalisation",
        description="What the outcome compares: 'radicalisation' (radicalised vs. a "
        "non-radicalised comparison, or more vs. less radical), 'within_extremists' (violent vs. "
        "non-violent, lone vs. group, ...) or 'disengagement' (exit). Only 'radicalisation' "
        "counts toward a trigger cell; the others are shown as context.",
    )
    population: Text | None = None
    region: str | None = Field(
        default=None,
        description="Where the studied population lives: 'netherlands', 'europe', "
        "'north_america', 'western_democracies', 'worldwide' or 'other'. Only as the source "
        "states it; left out when it does not say.",
    )
    locator: ShortText = Field(description="Page, table or section where the finding stands.")
    verified_from: Url | None = Field(default=None, description="The page where it was read.")
    trigger_role: str | None = None
    note: Text | None = None
    added_by: ShortText | None = Field(
        default=None, description="Defaults to the source's added_by."
    )
    added_on: Day | None = Field(default=None, description="Defaults to the source's added_on.")

    @field_validator("factor")
    @classmethod
    def _known_factor(cls, value: str, info: ValidationInfo) -> str:
        vocab = _vocabulary(info)
        if vocab is not None and value not in vocab.factors and value not in vocab.constructs:
            raise _unknown("factor or construct", value, {**vocab.factors, **vocab.constructs})
        return value

    @field_validator("demographics")
    @classmethod
    def _known_demographics(cls, values: list[str], info: ValidationInfo) -> list[str]:
        vocab = _vocabulary(info)
        if vocab is not None:
            for index, value in enumerate(values):
                if value not in vocab.demographics:
                    raise _unknown("demographic group", value, vocab.demographics, index)
        if len(set(values)) != len(values):
            raise _error(
                "duplicate", "demographic groups are listed twice: {values!r}", {"values": values}
            )
        return values

    @field_validator("direction")
    @classmethod
    def _known_direction(cls, value: str, info: ValidationInfo) -> str:
        return _check_scale(info, "direction", value)

    @field_validator("certainty")
    @classmethod
    def _known_certainty(cls, value: str, info: ValidationInfo) -> str:
        return _check_scale(info, "certainty", value)

    @field_validator("certainty_reasons")
    @classmethod
    def _unique_reasons(cls, values: list[str]) -> list[str]:
        return _unique(values, "certainty_reasons")

    @field_validator("caveats")
    @classmethod
    def _known_caveats(cls, values: list[str], info: ValidationInfo) -> list[str]:
        return _unique(
            [_check_scale(info, "caveat", v, i) for i, v in enumerate(values)], "caveats"
        )

    @field_validator("indirectness")
    @classmethod
    def _known_indirectness(cls, values: list[str], info: ValidationInfo) -> list[str]:
        return _unique(
            [_check_scale(info, "indirectness", v, i) for i, v in enumerate(values)], "indirectness"
        )

    @field_validator("outcome_stages")
    @classmethod
    def _known_stages(cls, values: list[str], info: ValidationInfo) -> list[str]:
        return _unique(
            [_check_scale(info, "outcome-stage", v, i) for i, v in enumerate(values)],
            "outcome_stages",
        )

    @field_validator("outcome_kind")
    @classmethod
    def _known_outcome_kind(cls, value: str, info: ValidationInfo) -> str:
        return _check_scale(info, "outcome-kind", value)

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _check_scale(info, "region", value)

    @field_validator("trigger_role")
    @classmethod
    def _known_role(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _check_scale(info, "trigger-role", value)

    @model_validator(mode="after")
    def _one_link_per_driver(self) -> Finding:
        seen = [link.driver for link in self.drivers]
        if len(set(seen)) != len(seen):
            raise _error("duplicate", "a driver is linked twice: {drivers!r}", {"drivers": seen})
        return self
