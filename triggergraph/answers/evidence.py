"""Findings and sources as answers: one finding, a page of findings, one source, a page of sources."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from .base import Answer, Page, Ref, ScaleRef


class SubjectRef(Answer):
    """What a finding is about: a trigger factor or a related construct."""

    id: str
    iri: str | None
    label: str
    kind: str | None = Field(description="'factor' or 'construct'.")


class CountsToward(Answer):
    """A trigger factor a finding counts toward, directly or through a construct or narrower factor."""

    factor: str
    label: str
    direct: bool


class DriverLink(Answer):
    """A driver a finding is linked to, stated by the source or proposed by the coder."""

    driver: str
    iri: str
    label: str
    basis: str = Field(description="'stated' or 'proposed'.")
    term_in_source: str | None


class EffectAnswer(Answer):
    """The effect as the source reports it; every number is the source's own."""

    measure: str
    measure_label: str
    value: float | None
    ci: list[float] | None
    k: int | None
    n: int | None
    p: str | None
    text: str | None
    magnitude_in_source: str | None


class FindingSource(Answer):
    """The source a finding comes from, with its citation."""

    id: str
    iri: str
    citation: str
    year: int
    title: str
    citation_flags: list[str]


class FindingAnswer(Answer):
    """One finding: factor, drivers (stated and proposed apart), groups, grading, effect, source."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "id": "F088",
                    "factor": {"id": "significance_loss_economic", "label": "..."},
                    "direction": "increases",
                    "certainty": "C",
                    "source": {"id": "jasko17", "year": 2017},
                }
            ]
        },
    )

    id: str = Field(examples=["F088"])
    iri: str
    factor: SubjectRef
    counts_toward: list[CountsToward]
    drivers: list[DriverLink]
    drivers_stated: list[str]
    drivers_proposed: list[str]
    demographics: list[Ref]
    direction: str
    direction_label: str
    certainty: str
    certainty_label: str
    certainty_reasons: list[str]
    caveats: list[ScaleRef]
    indirectness: list[ScaleRef]
    effect: EffectAnswer | None
    size_band: str | None
    size_band_label: str | None
    effect_flags: list[ScaleRef] = Field(
        description="Cautions about the effect: a very large ratio without a confidence "
        "interval, a single study with N < 200."
    )
    outcome_stages: list[ScaleRef]
    outcome: str | None
    population: str | None
    region: ScaleRef | None = Field(
        default=None,
        description="Where the studied population lives; null when the source does not say.",
    )
    locator: str | None
    verified_from: str | None
    trigger_role: ScaleRef | None
    outcome_kind: ScaleRef = Field(
        description="What the outcome compares; only 'radicalisation' votes in a trigger cell."
    )
    note: str | None
    added_by: str | None
    added_on: str | None
    source: FindingSource


class FindingsPage(Page):
    """A page of findings (sources by id, findings in entry order)."""

    items: list[FindingAnswer]


class SourceSummary(Answer):
    """A source in a list: record, citation string, flags and number of findings."""

    id: str = Field(examples=["jasko17"])
    iri: str
    citation: str
    authors: list[str]
    year: int = Field(examples=[2017])
    title: str = Field(
        examples=[
            "Quest for significance and violent extremism: the case of domestic radicalization"
        ]
    )
    type: str
    study_design: str | None
    citation_flags: list[str]
    n_findings: int


class SourceFinding(Answer):
    """A finding as listed under its source."""

    id: str
    iri: str
    factor: str
    direction: str
    certainty: str
    drivers_stated: list[str]
    drivers_proposed: list[str]
    demographics: list[str]
    locator: str | None


class SourceAnswer(SourceSummary):
    """One source: the record, citation notes, flags, independent group, findings, cited works
    and context notes."""

    venue: str | None
    doi: str | None
    url: str | None
    language: str | None
    design: str | None
    citation_note: str | None
    overlaps_with: list[str]
    independent_group: list[str] = Field(description="Sources counted as one (overlaps joined).")
    context_notes: list[dict]
    cites: list[dict]
    added_by: str | None
    added_on: str | None
    findings: list[SourceFinding]


class SourcesPage(Page):
    """A page of sources by id."""

    items: list[SourceSummary]
