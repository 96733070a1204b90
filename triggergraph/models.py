"""The entry format: pydantic models for a literature source and its findings.

Controlled values (factor, driver, demographic and scale ids) are checked against the
vocabulary read from ``ontology/``, passed in the validation context::

    Source.model_validate(data, context={"vocabulary": vocab})

Without a vocabulary in the context only the structure and ranges are checked.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .exceptions import Problem

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]{0,63}$"
FINDING_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
SourceId = Annotated[str, StringConstraints(pattern=SOURCE_ID_PATTERN)]
FindingId = Annotated[str, StringConstraints(pattern=FINDING_ID_PATTERN)]
#: Characters a URL may hold but an IRI may not; stored percent-encoded so the RDF holds the
#: same text as the entry (``rdf`` writes ``tg:verifiedFrom`` as an IRI).
IRI_UNSAFE = re.compile(r'[<>"{}|\\^`]')


def _iri_safe(url: str) -> str:
    return IRI_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", url)


# Controls are refused, not encoded: a URL with one is a paste accident, not an address.
Url = Annotated[
    str,
    StringConstraints(pattern=r"^https?://[^\s\x00-\x1f\x7f]+$", max_length=2000),
    AfterValidator(_iri_safe),
]


def _not_yes_no(value: Any) -> Any:
    """Refuse booleans where numbers belong (YAML reads ``yes``/``true`` as one)."""
    if isinstance(value, bool):
        raise _error(
            "wrong_type",
            "{value!r} is a yes/no value, not a number; write the number",
            {"value": value},
        )
    return value


def _not_number_day(value: Any) -> Any:
    """Refuse numbers for dates (pydantic would read them as seconds since 1970)."""
    if isinstance(value, int | float):
        raise _error(
            "wrong_type",
            "{value!r} is a number, not a date; write the date as YYYY-MM-DD",
            {"value": value},
        )
    return value


Number = Annotated[float, BeforeValidator(_not_yes_no)]
Whole = Annotated[int, BeforeValidator(_not_yes_no)]
Day = Annotated[date, BeforeValidator(_not_number_day)]

#: Bounds each effect measure must respect (inclusive; None = open).
MEASURE_RANGES: dict[str, tuple[float | None, float | None]] = {
    "r": (-1.0, 1.0),
    "fisher_z": (-5.0, 5.0),
    "odds_ratio": (0.0, None),
    "risk_ratio": (0.0, None),
    "ratio": (0.0, None),
    "percent": (0.0, 100.0),
    "count": (0.0, None),
    "cohen_d": (-10.0, 10.0),
    "hedges_g": (-10.0, 10.0),
    "hazard_ratio": (0.0, None),
    "beta": (None, None),
}


def _error(code: str, template: str, context: dict[str, Any]) -> PydanticCustomError:
    """A validation error whose message is formatted here (pydantic templates do no ``!r``).

    ``context["loc"]``, if given, is the path below the validated model the error is about; the
    loader appends it to the error's location.
    """
    kept = {k: v for k, v in context.items() if k in ("suggestions", "loc")}
    # pydantic fills ``{key}`` placeholders one context key after the other and knows no
    # ``{{`` escape; with the message as the last key, braces in a value come through unchanged.
    kept["message"] = template.format(**context)
    return PydanticCustomError(code, "{message}", kept)


def _unique(values: list[str], what: str) -> list[str]:
    """Refuse a repeated value: RDF keeps a set, so the repeat would vanish on the way."""
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise _error(
                "duplicate",
                "{value!r} is listed twice in {what}; list each value once",
                {"value": value, "what": what, "loc": (index,)},
            )
        seen.add(value)
    return values


def agent_key(name: str) -> str:
    """Return the key two ``added_by`` names share when they would be one agent in the RDF.

    Must equal ``triggergraph.rdf.agent_slug`` (a test checks it).

    Examples
    --------
    >>> agent_key("Müller, K.") == agent_key("muller k")
    True
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "agent-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def _vocabulary(info: ValidationInfo) -> Vocabulary | None:
    context = info.context or {}
    return context.get("vocabulary")


def _unknown(kind: str, value: str, choices, index: int | None = None) -> PydanticCustomError:
    from difflib import get_close_matches

    options = sorted(choices)
    close = get_close_matches(str(value), options, n=3, cutoff=0.6)
    if close:
        hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
    else:
        shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
        hint = f"valid values: {shown}"
    return _error(
        "unknown_id",
        "{value!r} is not a {kind}; {hint}",
        {"value": value, "kind": kind, "hint": hint, "suggestions": close}
        | ({} if index is None else {"loc": (index,)}),
    )


def _check_scale(
    info: ValidationInfo, scheme: str, value: str | None, index: int | None = None
) -> str | None:
    """``value`` if the scale has it; ``index`` is its place when it is an item of a list."""
    vocab = _vocabulary(info)
    if value is None or vocab is None:
        return value
    if value not in vocab.scales[scheme]:
        raise _unknown(f"{scheme.replace('-', ' ')} value", value, vocab.scales[scheme], index)
    return value


class EntryModel(BaseModel):
    """Base of all entry models: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


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
        return self


def dump_entry(source: Source) -> dict[str, Any]:
    """Return the entry as plain data in the order a person writes it (for YAML output)."""
    return source.model_dump(mode="json", exclude_none=True, exclude_defaults=False)


def normalise_doi(doi: str) -> str:
    """A DOI as two entries of the same work would share it: resolver prefix gone, lower case.

    Examples
    --------
    >>> normalise_doi("https://doi.org/10.1080/ABC.12")
    '10.1080/abc.12'
    """
    text = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    return text.lower()


def duplicate_doi_problems(
    sources: list[Source], existing: list[Source] = (), where: str | None = None
) -> list[Problem]:
    """One problem for each source whose DOI another source already has.

    The one check behind ``triggergraph add``, ``triggergraph validate`` and the API's POST
    and PUT: the same work entered twice would be counted twice.

    Parameters
    ----------
    sources : list of Source
        The entries to check (also against each other, in order).
    existing : list of Source
        Entries already there; a source is never compared with one of the same id.
    where : str, optional
        The file named in problems (default ``literature/<id>.yaml``).

    Examples
    --------
    >>> a = Source(id="a", type="report", authors=["A, B."], year=2020, title="T",
    ...            doi="10.1234/x", added_by="t", added_on="2026-01-01")
    >>> b = a.model_copy(update={"id": "b", "doi": "10.1234/X"})
    >>> [p.message for p in duplicate_doi_problems([b], [a])]
    ["DOI '10.1234/X' is already the DOI of source 'a'; enter a work once (edit 'a' instead)"]
    """
    owner: dict[str, str] = {}
    for source in existing:
        if source.doi:
            owner.setdefault(normalise_doi(source.doi), source.id)
    problems = []
    for source in sources:
        if not source.doi:
            continue
        key = normalise_doi(source.doi)
        other = owner.setdefault(key, source.id)
        if other != source.id:
            problems.append(
                Problem(
                    where or f"literature/{source.id}.yaml",
                    None,
                    "doi",
                    f"DOI {source.doi!r} is already the DOI of source {other!r}; "
                    f"enter a work once (edit {other!r} instead)",
                )
            )
    return problems
