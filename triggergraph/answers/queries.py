"""Typed queries: the parameters of each answer, parsed once and passed unchanged to the read model.

A REST route parses its query string into one of these (``Annotated[MatrixQuery, Query()]``),
the CLI builds the same object from its options, and both hand it unchanged to
:class:`~triggergraph.service.EvidenceService` and on to the builder of the answer
(:mod:`triggergraph.answers.builders`), which reads it off the read model. A query is frozen
(hashable), so it is also the key of the cached answer.

A bad value or an unknown parameter raises :class:`~triggergraph.exceptions.EntryError` naming
the field, the bad value and what would be valid (HTTP 422), from every caller alike.

Examples
--------
>>> MatrixQuery(cols="sex", lang="nl").cols
'sex'
>>> try:
...     MatrixQuery(colums="sex")
... except EntryError as error:
...     print(error.problems[0].message)
unknown parameter 'colums'; valid: cols, rows, level, min_verdict, outcome_stage, direct_only, lang
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..exceptions import EntryError, Problem
from ..vocabulary import suggest

#: The largest ``offset`` a list accepts: past it a page is empty anyway, and a bigger number
#: would not fit the 64-bit integers of the JSON answer.
MAX_OFFSET = 1_000_000_000
#: The largest page a list answers.
MAX_LIMIT = 500

Lang = Annotated[Literal["en", "nl"], Field(description="Label language.")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Items in the page.")]
Text = Annotated[str | None, Field(max_length=200, description="Text to search for.")]
Driver = Annotated[str | None, Field(description="Driver id.", examples=["justice_seeker"])]
Sex = Annotated[str | None, Field(description="Sex group id.", examples=["sex_male"])]
Age = Annotated[str | None, Field(description="Age group id.", examples=["age_18_25"])]
Education = Annotated[
    str | None, Field(description="Education group id.", examples=["education_low"])
]
Level = Annotated[str | None, Field(description="micro, meso or macro.", examples=["meso"])]
MinVerdict = Annotated[
    str | None,
    Field(description="strong, moderate or limited (limited also keeps contested)."),
]
OutcomeStage = Annotated[str | None, Field(description="attitude, intention or behaviour.")]


class AnswerQuery(BaseModel):
    """The parameters of one answer: frozen, no unknown parameter, errors as :class:`EntryError`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _entry_errors(cls, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except ValidationError as error:
            raise EntryError([cls._problem(item) for item in error.errors()]) from None

    @classmethod
    def _problem(cls, item: dict) -> Problem:
        """One pydantic error as a problem that names the field, the value and what is valid."""
        name = ".".join(str(part) for part in item["loc"]) or cls.__name__
        value = item.get("input")
        if item["type"] == "extra_forbidden":
            valid = list(cls.model_fields)
            return Problem(
                None,
                None,
                name,
                f"unknown parameter {name!r}; valid: {', '.join(valid)}",
                tuple(suggest(name, valid)),
            )
        options = cls._options(name)
        if options:
            return Problem(
                None,
                None,
                name,
                f"{value!r} is not a valid {name}; valid: {', '.join(options)}",
                tuple(suggest(value, options)),
            )
        return Problem(None, None, name, f"{value!r}: {item['msg']}")

    @classmethod
    def _options(cls, name: str) -> list[str]:
        """The allowed values of a field with a closed set (a ``Literal``), else none."""
        field = cls.model_fields.get(name)
        if field is None or typing.get_origin(field.annotation) is not Literal:
            return []
        return [str(option) for option in typing.get_args(field.annotation)]


class LangQuery(AnswerQuery):
    """An answer with labels in one language and no other parameter."""

    lang: Lang = "en"


#: The query of an answer in English with no other parameter.
ENGLISH = LangQuery()


class FactorsQuery(AnswerQuery):
    """Trigger factors in report order, filtered and paged.

    ``driver``, ``sex``, ``age``, ``education`` keep factors whose cell for every given column
    meets ``min_verdict`` (or has any evidence without it); without them ``min_verdict`` applies
    to the factor's overall cell. ``q`` is case-insensitive text in the id or a label.
    """

    level: Level = None
    driver: Driver = None
    sex: Sex = None
    age: Age = None
    education: Education = None
    min_verdict: MinVerdict = None
    q: Text = None
    lang: Lang = "en"
    offset: Offset = 0
    limit: Limit = 50


class ConstructsQuery(AnswerQuery):
    """Constructs whose id, Dutch or English label or definition holds every word of ``q``."""

    q: Text = None
    lang: Lang = "en"
    offset: Offset = 0
    limit: Limit = 100


class FindingsQuery(AnswerQuery):
    """Findings matching every filter given, paged.

    ``factor`` is a trigger factor (the findings that count toward it) or a construct;
    ``demographic`` a group or a whole dimension; the others are exact matches.
    """

    factor: Annotated[
        str | None, Field(description="Factor or construct id.", examples=["detention"])
    ] = None
    driver: Driver = None
    demographic: Annotated[
        str | None,
        Field(description="Demographic group or dimension id.", examples=["age_under_18"]),
    ] = None
    source: Annotated[str | None, Field(description="Source id.", examples=["jasko17"])] = None
    direction: Annotated[
        str | None, Field(description="increases, decreases, no_association or mixed.")
    ] = None
    certainty: Annotated[str | None, Field(description="A, B, C or D.")] = None
    outcome_stage: OutcomeStage = None
    lang: Lang = "en"
    offset: Offset = 0
    limit: Limit = 50


class SourcesQuery(AnswerQuery):
    """Sources by id, paged; ``q`` searches id, title, authors, venue and year."""

    q: Annotated[
        str | None, Field(max_length=200, description="Text in authors, title or venue.")
    ] = None
    offset: Offset = 0
    limit: Limit = 50


class MatrixQuery(AnswerQuery):
    """The evidence map: trigger factors (rows) by ``cols``.

    ``cols`` is ``driver``, ``sex``, ``age``, ``education`` or ``all`` (drivers and every
    group). ``min_verdict`` keeps the rows with at least one cell that meets it (every cell
    still comes back, with ``passes``); ``outcome_stage`` and ``direct_only`` count fewer
    findings, so their verdicts are computed anew.
    """

    cols: Annotated[
        Literal["driver", "sex", "age", "education", "all"], Field(description="Columns.")
    ] = "driver"
    rows: Annotated[Literal["factor"], Field(description="Rows: trigger factors.")] = "factor"
    level: Level = None
    min_verdict: MinVerdict = None
    outcome_stage: OutcomeStage = None
    direct_only: Annotated[bool, Field(description="Leave out construct (indirect) evidence.")] = (
        False
    )
    lang: Lang = "en"


class ProfileQuery(AnswerQuery):
    """A profile: a driver and/or demographic groups; at least one must be given."""

    driver: Driver = None
    sex: Sex = None
    age: Age = None
    education: Education = None
    lang: Lang = "en"
