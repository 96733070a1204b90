"""The evidence map's filter controls: level and verdict in the page, the others on the server."""

from __future__ import annotations

from typing import Any

from ..answers.map_query import MapQuery
from .common import make_select
from .i18n import translations_for
from .labels import LEVELS, STAGE_LABELS, STAGES, label_level
from .map_data import region_coverage
from .views import Select

OUTCOMES = ("radicalisation", "within_extremists", "disengagement")


def _scale_options(index: Any, scheme: str, ids: tuple[str, ...] | None, lang: str) -> list:
    concepts = index.vocabulary.scales.get(scheme, {})
    chosen = ids if ids is not None else tuple(concepts)
    return [(i, concepts[i].label(lang) if i in concepts else i) for i in chosen]


def _region_select(index: Any, lang: str, query: MapQuery) -> Select:
    """The region filter, with how many findings record a region at all beside it."""
    _ = translations_for(lang).gettext
    select = make_select(
        "region",
        _("Region of the population"),
        [("", _("all"))] + _scale_options(index, "region", None, lang),
        query.region,
    )
    recorded, total = region_coverage(index)
    select.hint = _(
        "Recorded for %(recorded)d of %(total)d findings; the others are left out while a "
        "region is chosen."
    ) % {"recorded": recorded, "total": total}
    return select


def server_filters(index: Any, lang: str, query: MapQuery) -> list[Select]:
    """The filters that choose which findings count, shared by the map and the gaps page."""
    _ = translations_for(lang).gettext
    everything = [("", _("all"))]
    return [
        make_select(
            "design",
            _("Study design"),
            everything + _scale_options(index, "study-design", None, lang),
            query.design,
        ),
        Select(
            name="population",
            label=_("Population studied"),
            kind="text",
            value=query.population or "",
            hint=_("e.g. youth, Dutch (in English)"),
        ),
        make_select(
            "outcome",
            _("Outcome compared"),
            everything + _scale_options(index, "outcome-kind", OUTCOMES, lang),
            query.outcome,
        ),
        make_select(
            "stage",
            _("Outcome stage"),
            everything + [(s, _(STAGE_LABELS[s])) for s in STAGES],
            query.stage,
        ),
        Select(
            name="year_from",
            label=_("Published from"),
            kind="year",
            value="" if query.year_from is None else str(query.year_from),
        ),
        Select(
            name="year_to",
            label=_("up to and including"),
            kind="year",
            value="" if query.year_to is None else str(query.year_to),
        ),
        make_select(
            "direct",
            _("Evidence"),
            [("", _("direct and indirect")), ("1", _("direct evidence only"))],
            "1" if query.direct else None,
        ),
        _region_select(index, lang, query),
    ]


def map_filters(index: Any, lang: str, query: MapQuery, offline: bool) -> list[Select]:
    """Return the map's filter controls (level and verdict apply in the page)."""
    _ = translations_for(lang).gettext
    everything = [("", _("all"))]
    selects = [
        make_select(
            "level",
            _("Level"),
            everything + [(lv, label_level(lang, lv)) for lv in LEVELS],
            query.level,
            client=True,
        ),
        make_select(
            "verdict",
            _("Verdict"),
            everything
            + [
                ("strong", _("strong only")),
                ("moderate", _("moderate or stronger")),
                ("limited", _("limited or stronger (incl. contested)")),
                ("contested", _("contested only")),
                ("no_evidence", _("no evidence only")),
            ],
            query.verdict,
            client=True,
        ),
    ]
    if not offline:
        selects += server_filters(index, lang, query)
    return selects


def describe_filters(index: Any, lang: str, query: MapQuery) -> list[str]:
    """The finding filters in force, in words (for the "filtered" note and empty results).

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> from types import SimpleNamespace as NS
    >>> describe_filters(NS(vocabulary=load_vocabulary()), "nl", MapQuery(year_from=2015))
    ['gepubliceerd vanaf 2015']
    """
    _ = translations_for(lang).gettext
    words = []
    if query.design:
        words.append(
            _("study design: %(value)s")
            % {"value": _scale_options(index, "study-design", (query.design,), lang)[0][1]}
        )
    if query.population:
        words.append(_("population: “%(value)s”") % {"value": query.population})
    if query.region:
        words.append(
            _("region: %(value)s")
            % {"value": _scale_options(index, "region", (query.region,), lang)[0][1]}
        )
    if query.outcome:
        words.append(
            _("outcome compared: %(value)s")
            % {"value": _scale_options(index, "outcome-kind", (query.outcome,), lang)[0][1]}
        )
    if query.stage:
        words.append(_("outcome stage: %(value)s") % {"value": _(STAGE_LABELS[query.stage])})
    if query.year_from and query.year_to:
        words.append(
            _("published %(start)d–%(end)d") % {"start": query.year_from, "end": query.year_to}
        )
    elif query.year_from:
        words.append(_("published from %(year)d") % {"year": query.year_from})
    elif query.year_to:
        words.append(_("published up to %(year)d") % {"year": query.year_to})
    if query.direct:
        words.append(_("direct evidence only"))
    return words
