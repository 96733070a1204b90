"""Answers that rank or gather factors: profile, drivers, one driver, demographics, gaps."""

from __future__ import annotations

from pydantic import Field

from .base import Answer, Ref
from .cells import Cell, ColumnRef, FactorSummary


class RankedFactor(Answer):
    """A factor at its rank, with the cell that put it there."""

    rank: int
    factor: FactorSummary
    cell: Cell


class ProfileChoice(Answer):
    """One profile choice on its own: its column and the factors ranked for it."""

    column: ColumnRef
    items: list[RankedFactor]


class ProfileAnswer(Answer):
    """Factors ranked by the evidence for a profile; population-level, never about a person.

    Choices combine with AND: ``items`` rank the findings that carry every choice.
    """

    profile: dict[str, ColumnRef] = Field(description="The chosen driver and/or groups.")
    lang: str
    combination: str = Field(
        default="all", description="'all': only findings that carry every choice count."
    )
    items: list[RankedFactor]
    no_evidence: list[FactorSummary]
    per_choice: dict[str, ProfileChoice] = Field(
        default_factory=dict,
        description="With more than one choice: each choice's own ranking (not the profile).",
    )
    notice: dict[str, str] = Field(
        examples=[
            {"en": "Population-level evidence, not a judgement about any person.", "nl": "..."}
        ]
    )


class DriverSummary(Ref):
    """A driver with how many findings and factors have evidence for it."""

    labels: dict[str, str]
    definition: str | None
    definitions: dict[str, str]
    rank: int | None
    n_findings: int
    n_factors_with_evidence: int


class DriversAnswer(Answer):
    """The four drivers, all in one page (``total`` = number of items)."""

    total: int
    items: list[DriverSummary]


class DriverAnswer(DriverSummary):
    """One driver with the factors ranked by their cell for it, and those without evidence."""

    factors: list[RankedFactor]
    no_evidence: list[FactorSummary]


class DemographicValue(Ref):
    """A demographic group, e.g. ``age_18_25``."""

    labels: dict[str, str]
    definition: str | None
    rank: int | None
    n_findings: int


class DemographicDimension(Ref):
    """A demographic dimension (sex, age, education) with its groups in scale order."""

    labels: dict[str, str]
    definition: str | None
    values: list[DemographicValue]


class DemographicsAnswer(Answer):
    """The demographic dimensions, all in one page (``total`` = dimensions)."""

    total: int
    dimensions: list[DemographicDimension]


class GapEntry(Answer):
    """One thin cell and why."""

    factor: str
    factor_label: str
    column: str
    column_label: str
    verdict: str
    verdict_label: str
    n_findings: int
    explanation: dict[str, str]


class GapsAnswer(Answer):
    """Where the evidence is missing, indirect only, or contested.

    A factor without any finding is listed once, as its ``any`` cell, in
    ``factors_without_evidence`` and ``empty``.
    """

    empty: list[GapEntry]
    indirect_only: list[GapEntry]
    contested: list[GapEntry]
    factors_without_evidence: list[str]
    counts: dict[str, int]
