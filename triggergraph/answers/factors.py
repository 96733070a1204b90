"""Trigger factors and constructs as answers: the factor list, one factor, one construct."""

from __future__ import annotations

from pydantic import Field

from .base import Page, Ref
from .cells import Cell, ColumnRef, FactorRef, FactorSummary
from .evidence import FindingAnswer


class FactorListItem(FactorSummary):
    """A factor in the list: its overall (``any``) cell and, when filtered by columns, those cells."""

    overall: Cell
    cells: dict[str, Cell] | None = Field(
        default=None,
        description="Only with driver/sex/age/education filters: those columns.",
        exclude_if=lambda cells: cells is None,
    )


class FactorsPage(Page):
    """A page of trigger factors in report order."""

    items: list[FactorListItem]


class FactorAnswer(FactorSummary):
    """One factor: definitions, broader/narrower, related constructs, every cell, its findings."""

    alt_labels: list[str]
    definition: str | None
    definitions: dict[str, str]
    notes: dict[str, str]
    report_page: int | None
    tool_page: str | None
    broader: Ref | None
    narrower: list[Ref]
    related_constructs: list[FactorRef]
    overall: Cell
    columns: list[ColumnRef]
    cells: dict[str, Cell]
    findings: list[FindingAnswer]


class MappingRef(FactorRef):
    """A trigger factor a construct maps to: the mapping, what it means, its polarity."""

    meaning: str
    polarity: str = Field(
        description="'same', or 'opposite' for a protective opposite whose findings count "
        "with their direction inverted."
    )


class ConstructListItem(Ref):
    """A construct as the vocabulary describes it, without findings."""

    labels: dict[str, str]
    definition: str | None
    definitions: dict[str, str]
    alt_labels: list[str]
    notes: dict[str, str]
    level: str | None
    maps_to: list[MappingRef]
    mapping_note: dict[str, str] = Field(description="Why it is mapped so (nl, en), if given.")
    counts_for_a_cell: bool = Field(
        description="False when findings on the construct count for no cell of the matrix."
    )
    sources: list[str] = Field(
        default_factory=list, description="The works the term was taken from, as cited there."
    )


class ConstructsPage(Page):
    """A page of constructs, by id."""

    items: list[ConstructListItem]


class ConstructAnswer(Ref):
    """One related risk-factor construct: definitions, the factors it maps to, its findings.

    ``maps_to`` is empty when the construct informs no trigger factor (its findings then count
    for no cell).
    """

    labels: dict[str, str]
    definition: str | None
    definitions: dict[str, str]
    level: str | None
    level_label: str | None
    maps_to: list[MappingRef]
    mapping_note: dict[str, str]
    counts_for_a_cell: bool
    findings: list[FindingAnswer]
