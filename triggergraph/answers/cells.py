"""Cells and the small parts answers share: column and factor summaries, counted findings."""

from __future__ import annotations

from pydantic import Field, field_serializer

from .base import Answer, Ref


class FindingRef(Answer):
    """A counted finding in the matrix: the id and whether it is direct evidence."""

    id: str
    direct: bool


class CountedFinding(FindingRef):
    """A finding as one cell counts it: its certainty after downgrades and why."""

    source: str
    direction: str
    certainty: str
    effective_certainty: str
    reasons: list[str] = Field(description="Indirectness reasons that lowered it one level.")
    reported_direction: str = Field(description="The direction the source reports.")
    inverted: bool = Field(
        description="Counted with its direction inverted: its construct is the factor's "
        "protective opposite (tg:oppositeOf)."
    )
    risk_of_bias: list[str] = Field(description="Caveats that lowered it for risk of bias.")


class ContextRef(Answer):
    """A finding on the cell's factor and column that is context, not a vote."""

    id: str
    source: str
    why: str = Field(description="'within_extremists', 'disengagement' or 'bundle'.")
    direction: str


class DowngradeRef(Answer):
    """One GRADE domain that lowered the cell's certainty."""

    domain: str = Field(
        description="risk_of_bias, inconsistency, indirectness, imprecision or publication_bias."
    )
    levels: int = Field(description="Levels taken (0: named, but the body was already at D).")
    reasons: list[str]
    findings: list[str]


class Cell(Answer):
    """The verdict of one cell (factor x column) with the counts and findings behind it.

    Built by the verdict rules (:meth:`~triggergraph.verdict.CellVerdict.as_dict`) plus
    ``verdict_label``; more fields may be present (``extra="allow"``).
    """

    factor: str = Field(examples=["detention"])
    column: str = Field(examples=["justice_seeker"])
    verdict: str = Field(examples=["limited"])
    verdict_label: str = Field(examples=["limited"])
    direction: str | None = Field(
        description="increases, decreases, no_association or mixed; null without evidence and "
        "for a tie."
    )
    certainty: str | None = Field(description="Certainty of the body of evidence, A-D.")
    tie: bool = Field(description="The directions tie: no direction is given.")
    tied: list[str] = Field(description="The directions that tie.")
    n_context: int = Field(description="Findings shown as context, not counted.")
    context: list[ContextRef]
    downgrades: list[DowngradeRef] = Field(description="The domains that rated the cell down.")
    n_findings: int
    n_sources: int
    n_groups: int = Field(description="Independent groups of sources (overlaps joined).")
    n_direct: int
    n_indirect: int
    certainties: list[str]
    deciding: list[str] = Field(description="Ids of the findings that decide the verdict.")
    findings: list[CountedFinding]
    score: int
    explanation: dict[str, str] = Field(description="Why this verdict, per language (nl, en).")

    @field_serializer("findings")
    def _findings(self, findings: list) -> list[CountedFinding]:
        # the builder puts the read model's counted findings here, unvalidated (slotted
        # objects with the fields of :class:`CountedFinding`); each is given out as this
        # field's type says, made only while the answer is serialised
        return [
            f if isinstance(f, CountedFinding) else CountedFinding.model_construct(**f.as_dict())
            for f in findings
        ]


class MatrixCell(Cell):
    """A cell of the matrix: counted findings as ``{id, direct}`` and whether it meets
    ``min_verdict`` (``passes``).

    The builder fills ``findings`` with whole :class:`CountedFinding` objects (a kind of
    :class:`FindingRef`), so the viewer reads why each finding counts; serialised, a cell
    gives each as the ``{id, direct}`` of this field's type: the full finding is one
    ``/api/v1/findings/{id}`` away, and repeating it in every cell made the answer grow with
    the evidence base (1.7 MB at 10k findings).
    """

    findings: list[FindingRef]  # type: ignore[assignment]
    passes: bool

    @field_serializer("findings")
    def _findings(self, findings: list) -> list[FindingRef]:  # type: ignore[override]
        # the builder puts the read model's counted findings here, unvalidated (any object
        # with ``id`` and ``direct``); each is given out as this field's type says
        return [FindingRef.model_construct(id=f.id, direct=f.direct) for f in findings]


class ColumnRef(Answer):
    """A column of the matrix: ``any``, a driver or a demographic value."""

    id: str = Field(examples=["justice_seeker"])
    iri: str | None
    label: str
    kind: str = Field(description="'any', 'driver' or 'demographic'.")
    dimension: str | None = Field(description="sex, age or education for a demographic value.")


class FactorSummary(Answer):
    """A trigger factor in a list: ids, labels, level and group, report section."""

    id: str = Field(examples=["detention"])
    iri: str = Field(examples=["http://127.0.0.1:8000/factor/detention"])
    label: str = Field(examples=["Detention"])
    labels: dict[str, str]
    level: str | None = Field(examples=["meso"])
    level_label: str | None
    group: str | None
    group_label: str | None
    report_section: str | None
    verified: bool | None


class FactorRef(Ref):
    """A factor or construct linked from another: with how it maps (``mapping``)."""

    mapping: str | None = None
