"""The ``Source`` model (one literature entry) with its cited works and context notes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .compact import compact
from .fields import (
    DOI_PATTERN,
    Day,
    EntryModel,
    FindingId,
    ShortText,
    SourceId,
    Text,
    Url,
    Whole,
    _check_scale,
    _error,
    _unique,
    _unknown,
    _vocabulary,
)
from .finding import Finding


class CitedWork(EntryModel):
    """A work the source cites, known only by what the source gives."""

    first_author: ShortText
    year: Whole | None = Field(default=None, ge=1800, le=2100)
    co_authors: ShortText | None = None
    note: Text | None = None
    locator: ShortText | None = None
    factor: str | None = Field(default=None, description="Trigger factor it is cited for.")

    @field_validator("factor")
    @classmethod
    def _known_factor(cls, value: str | None, info: ValidationInfo) -> str | None:
        vocab = _vocabulary(info)
        if value is not None and vocab is not None and value not in vocab.factors:
            raise _unknown("factor", value, vocab.factors)
        return value


class ContextNote(EntryModel):
    """Something a source says that is context, not a factor-level finding (e.g. its evidence base)."""

    id: FindingId | None = Field(default=None, description="Id in the compiled fact sheet, if any.")
    text: Text
    locator: ShortText | None = None
    verified_from: Url | None = None


class Source(EntryModel):
    """One literature entry: the bibliographic record and its findings (``literature/<id>.yaml``)."""

    id: SourceId = Field(description="Equals the file name without .yaml.", examples=["jasko17"])
    type: str = Field(description="Source type id, e.g. 'journal_article', 'report'.")
    authors: list[ShortText] = Field(
        min_length=1, description="'Family, I.' in the source's order."
    )
    year: Whole = Field(ge=1800, le=2100)
    title: Text
    venue: Text | None = None
    doi: Annotated[str, StringConstraints(pattern=DOI_PATTERN, max_length=300)] | None = None
    url: Url | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "en"
    design: Text | None = Field(default=None, description="The design as the source describes it.")
    study_design: str | None = None
    citation_note: Text | None = None
    citation_flags: list[str] = Field(default_factory=list)
    overlaps_with: list[SourceId] = Field(
        default_factory=list, description="Sources that share primary studies with this one."
    )
    context_notes: list[ContextNote] = Field(default_factory=list)
    cites: list[CitedWork] = Field(default_factory=list)
    added_by: ShortText
    added_on: Day
    findings: list[Finding] = Field(default_factory=list)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str, info: ValidationInfo) -> str:
        return _check_scale(info, "source-type", value)

    @field_validator("study_design")
    @classmethod
    def _known_design(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _check_scale(info, "study-design", value)

    @field_validator("citation_flags")
    @classmethod
    def _known_flags(cls, values: list[str], info: ValidationInfo) -> list[str]:
        return _unique(
            [_check_scale(info, "citation-flag", v, i) for i, v in enumerate(values)],
            "citation_flags",
        )

    @field_validator("overlaps_with")
    @classmethod
    def _unique_overlaps(cls, values: list[str]) -> list[str]:
        return _unique(values, "overlaps_with")

    @model_validator(mode="after")
    def _fill_and_check(self) -> Source:
        seen: set[str] = set()
        for finding in self.findings:
            if finding.id in seen:
                raise _error(
                    "duplicate", "finding id {id!r} occurs twice in this source", {"id": finding.id}
                )
            seen.add(finding.id)
            if finding.added_by is None:
                finding.added_by = self.added_by
            if finding.added_on is None:
                finding.added_on = self.added_on
        if self.id in self.overlaps_with:
            raise _error("self_overlap", "a source cannot overlap with itself", {})
        # the read model keeps every source: compact, it takes about a third of the memory
        return compact(self)


def dump_entry(source: Source) -> dict[str, Any]:
    """Return the entry as plain data in the order a person writes it (for YAML output)."""
    return source.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
