"""The evidence map's filters as one typed query, and which findings they keep.

The map page, its cell panel, its downloads and the gaps page parse their query string into
one :class:`MapQuery`; it travels unchanged to the code that builds the cells. Level and
verdict choose which cells are on screen; the other filters choose which findings count, so
the verdicts are computed anew over the findings they keep, with the same rule as the
unfiltered map.

``region`` keeps the findings whose population lives in that region (a value of the ``region``
scale). Many findings record no region, because their source does not say; while the filter is
set those are left out, and the map says how many findings record a region at all. An unknown
parameter is refused with the list of valid ones.

Examples
--------
>>> query = MapQuery.from_params({"design": "meta_analysis", "year_from": "2015", "level": ""})
>>> query.design, query.year_from, query.level, query.narrows
('meta_analysis', 2015, None, True)
>>> MapQuery.from_params({"lang": "nl"}).narrows
False
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from ..exceptions import EntryError, Problem
from .queries import AnswerQuery, Lang

if TYPE_CHECKING:
    from ..models import Finding, Source

#: The fields that choose which findings count (level and verdict only choose cells).
FINDING_FILTERS = (
    "stage",
    "direct",
    "design",
    "outcome",
    "population",
    "region",
    "year_from",
    "year_to",
)
Year = Annotated[int | None, Field(ge=1800, le=2100, description="Publication year.")]


class MapQuery(AnswerQuery):
    """The evidence map's filters.

    ``level`` and ``verdict`` choose the cells on screen; ``stage`` (outcome stage),
    ``direct`` (leave out construct, proposed-link and otherwise indirect evidence),
    ``design`` (the source's study design), ``outcome`` (what the outcome compares),
    ``population`` (words in the finding's description of who was studied), ``region``
    (where the studied population lives, as recorded) and ``year_from``/``year_to`` (publication year, both ends included) choose the findings
    the verdicts count.
    """

    lang: Lang = "en"
    level: Annotated[Literal["micro", "meso", "macro"] | None, Field(description="Level.")] = None
    verdict: Annotated[
        Literal["strong", "moderate", "limited", "contested", "no_evidence"] | None,
        Field(description="strong/moderate/limited are minimums; the others exact."),
    ] = None
    stage: Annotated[
        Literal["attitude", "intention", "behaviour"] | None, Field(description="Outcome stage.")
    ] = None
    direct: Annotated[bool, Field(description="Count direct evidence only.")] = False
    design: Annotated[str | None, Field(max_length=60, description="Study design id.")] = None
    outcome: Annotated[
        Literal["radicalisation", "within_extremists", "disengagement"] | None,
        Field(description="What the outcome compares."),
    ] = None
    population: Annotated[
        str | None, Field(max_length=100, description="Words in the population description.")
    ] = None
    region: Annotated[
        str | None, Field(max_length=60, description="Region id: where the population lives.")
    ] = None
    year_from: Year = None
    year_to: Year = None

    @model_validator(mode="after")
    def _years_in_order(self) -> MapQuery:
        if self.year_from and self.year_to and self.year_from > self.year_to:
            raise EntryError(
                [
                    Problem(
                        None,
                        None,
                        "year_to",
                        f"{self.year_to!r} is before year_from {self.year_from!r}; "
                        "valid: a year from year_from on",
                    )
                ]
            )
        return self

    @classmethod
    def _options(cls, name: str) -> list[str]:
        """The allowed values of a closed field, also when it may be left out (``| None``)."""
        field = cls.model_fields.get(name)
        if field is None:
            return []
        for part in (field.annotation, *typing.get_args(field.annotation)):
            if typing.get_origin(part) is Literal:
                return [str(option) for option in typing.get_args(part)]
        return []

    @classmethod
    def from_params(cls, params: Mapping[str, str] | None) -> MapQuery:
        """Parse a query string: empty values (an unchosen form field) mean "not filtered".

        Raises
        ------
        EntryError
            An unknown parameter or a bad value, named with what is valid.
        """
        given = {k: v.strip() for k, v in (params or {}).items() if str(v).strip() != ""}
        if given.get("direct") == "0":
            given.pop("direct")
        return cls(**given)

    @property
    def narrows(self) -> bool:
        """Whether a filter leaves findings out (so a verdict may differ from the plain map)."""
        return any(getattr(self, name) for name in FINDING_FILTERS)

    @property
    def selects(self) -> bool:
        """Whether a filter beyond outcome stage and direct-only chooses findings."""
        return bool(
            self.design
            or self.outcome
            or self.population
            or self.region
            or self.year_from
            or self.year_to
        )

    def keeps(self, finding: Finding, source: Source) -> bool:
        """Whether ``finding`` (of ``source``) passes design, outcome, population, region, years.

        A finding with no region recorded does not pass a region filter.

        Outcome stage and direct-only are applied by the read model's matrix itself.

        Examples
        --------
        >>> from types import SimpleNamespace as NS
        >>> f = NS(outcome_kind="radicalisation", population="Dutch Muslim youth (N = 131)",
        ...        region="netherlands")
        >>> s = NS(study_design="cross_sectional_survey", year=2014)
        >>> MapQuery(population="muslim YOUTH", region="netherlands", year_to=2015).keeps(f, s)
        True
        >>> MapQuery(design="meta_analysis").keeps(f, s), MapQuery(year_from=2015).keeps(f, s)
        (False, False)
        >>> MapQuery(region="europe").keeps(f, s)
        False
        """
        if self.design and source.study_design != self.design:
            return False
        if self.outcome and finding.outcome_kind != self.outcome:
            return False
        if self.region and finding.region != self.region:
            return False
        if self.year_from and source.year < self.year_from:
            return False
        if self.year_to and source.year > self.year_to:
            return False
        if self.population:
            text = (finding.population or "").casefold()
            if not all(word in text for word in self.population.casefold().split()):
                return False
        return True

    def params(self, **changes: object) -> dict[str, str]:
        """The query string of this query (with ``changes``), leaving out unset fields.

        Examples
        --------
        >>> MapQuery(lang="nl", direct=True, year_from=2015).params(level="meso")
        {'lang': 'nl', 'level': 'meso', 'direct': '1', 'year_from': '2015'}
        """
        values = {**self.model_dump(), **changes}
        out = {}
        for name in type(self).model_fields:
            value = values.get(name)
            if value in (None, "", False):
                continue
            out[name] = "1" if value is True else str(value)
        return out
