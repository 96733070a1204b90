"""The evidence matrix as an answer: factors (rows) by drivers or demographic values (columns)."""

from __future__ import annotations

from pydantic import Field

from .base import Answer
from .cells import ColumnRef, FactorSummary, MatrixCell


class MatrixFilters(Answer):
    """The filters the matrix was computed with."""

    level: str | None
    min_verdict: str | None
    outcome_stage: str | None
    direct_only: bool


class OverallVerdict(Answer):
    """A row's overall (``any``) verdict."""

    verdict: str
    verdict_label: str
    direction: str | None = Field(description="null without evidence and for a tie.")
    tie: bool
    certainty: str | None = Field(description="Certainty of the body of evidence, A-D.")
    n_findings: int
    n_groups: int = Field(description="Independent groups of sources.")


class MatrixRow(FactorSummary):
    """A row of the matrix: the factor and its overall verdict."""

    overall: OverallVerdict


class MatrixLevel(Answer):
    """The rows of one level (micro, meso, macro), in report order."""

    id: str
    label: str
    factors: list[str]


class MatrixAnswer(Answer):
    """One verdict per factor and column, with counts and the reasons for it.

    ``cells`` is ``{factor id: {column id: cell}}`` for every row and column listed.
    """

    cols: str = Field(examples=["driver"])
    lang: str = Field(examples=["en"])
    version: str
    filters: MatrixFilters
    columns: list[ColumnRef]
    rows: list[MatrixRow]
    levels: list[MatrixLevel]
    cells: dict[str, dict[str, MatrixCell]] = Field(
        examples=[{"detention": {"justice_seeker": {"verdict": "..."}}}]
    )
    legend: dict[str, str] = Field(description="Verdict id to its label in ``lang``.")
