"""The evidence map page: trigger factors (rows, by level) × drivers and demographic groups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answers.map_query import MapQuery
from .common import page_frame
from .i18n import translations_for
from .labels import DIRECTIONS, VERDICTS, label_direction, label_verdict
from .map_data import cached_map_data, check_map_query
from .map_section import any_group, build_map_section
from .report import EMPTY_KINDS, EMPTY_LABELS
from .templating import render_template
from .views import MapPage


def client_texts(lang: str) -> dict:
    """The interface words the map script needs, in ``lang``."""
    _ = translations_for(lang).gettext
    return {
        "explanation": _("Why this verdict"),
        "findings": _("Findings"),
        "no_findings": _(
            "No finding we hold links these. That is not evidence that there is no link."
        ),
        "close": _("Close"),
        "certainty": _("Certainty"),
        "effective": _("effective"),
        "direct": _("direct"),
        "indirect": _("indirect"),
        "deciding": _("decides the verdict"),
        "open_factor": _("Open factor page"),
        "notes": _("Notes (English)"),
        "how_counted": _("How it counts"),
        "loading": _("Loading the findings…"),
        "more": _("Show more findings"),
        "load_failed": _("The findings could not be loaded. Reload the page to try again."),
        "verdicts": {v: label_verdict(lang, v) for v in VERDICTS},
        "empty": {k: _(EMPTY_LABELS[k]) for k in EMPTY_KINDS},
        "directions": {d: label_direction(lang, d) for d in DIRECTIONS},
    }


def _cells_only(cells: dict) -> dict:
    # what the online map ships: verdict, direction and counts; the explanation (it names
    # finding ids, so it grows with the corpus) and the findings come when a cell is opened
    return {
        factor: {
            column: {
                k: v for k, v in cell.items() if k not in ("findings", "deciding", "explanation")
            }
            for column, cell in row.items()
        }
        for factor, row in cells.items()
    }


def map_client(data: dict, lang: str, *, offline: bool = False) -> dict:
    """Return the JSON the map's script reads: cells and names; findings only offline.

    Online, a cell's findings are fetched from ``/map/cell`` when it is opened, so the page's
    size depends on factors × columns, not on the number of findings.
    """
    return {
        "lang": lang,
        "texts": client_texts(lang),
        "cells": data["cells"] if offline else _cells_only(data["cells"]),
        "findings": data["findings"] if offline else None,
        "rows": {r["id"]: r.get("label") or r["id"] for r in data["rows"]},
        "columns": {
            c["id"]: c["label"] for g in [any_group(lang), *data["groups"]] for c in g["columns"]
        },
        "links": not offline,
    }


def build_map_page(
    index: Any,
    *,
    lang: str = "en",
    params: Mapping[str, str] | None = None,
    query: MapQuery | None = None,
) -> MapPage:
    """Return the evidence map page's view model.

    Parameters
    ----------
    index : EvidenceIndex
        The read model; only its public methods are used.
    lang : str
        ``"nl"`` or ``"en"``; used when no ``query`` is given.
    params : Mapping[str, str], optional
        The query string, parsed into a :class:`MapQuery` when no ``query`` is given.
    query : MapQuery, optional
        The map's filters, as the route parsed them.

    Raises
    ------
    EntryError
        A parameter has a value that is not allowed (the problem names it and the valid ones).
    """
    if query is None:
        query = MapQuery.from_params({**(params or {}), "lang": lang})
    query = check_map_query(index, query)
    lang = query.lang
    data = cached_map_data(index, query)
    _ = translations_for(lang).gettext
    return MapPage(
        **page_frame(
            lang,
            _("Evidence map"),
            "/",
            {k: v for k, v in query.params().items() if k != "lang"},
            scripts=["map.js"],
            data={"map": map_client(data, lang)},
        ),
        map=build_map_section(data, query, index=index),
    )


def render_evidence_map(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render the evidence map (home page).

    Parameters
    ----------
    index : EvidenceIndex
        The read model; only its public methods are used.
    lang : str
        ``"nl"`` or ``"en"``.
    params : Mapping[str, str], optional
        Query parameters: the fields of :class:`MapQuery` (``level``, ``verdict``, ``stage``,
        ``direct``, ``design``, ``outcome``, ``population``, ``year_from``, ``year_to``).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    EntryError
        A parameter has a value that is not allowed (the problem names it and the valid ones).
    """
    page = build_map_page(index, lang=lang, params=params)
    return render_template(page.template, page.lang, view=page)
