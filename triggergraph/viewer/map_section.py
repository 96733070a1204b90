"""The evidence map section's view model: levels of rows, cells, legend, totals, empty results."""

from __future__ import annotations

from typing import Any

from ..answers.map_query import MapQuery
from .html import build_url, path_segment
from .i18n import translations_for
from .labels import (
    DIRECTION_SIGNS,
    DIRECTIONS,
    LEVELS,
    STRENGTH_ORDER,
    VERDICT_SYMBOLS,
    VERDICTS,
    label_direction,
    label_level,
    label_verdict,
)
from .map_data import cached_map_data, count_evidence, keep_verdict
from .map_filters import describe_filters, map_filters
from .report import EMPTY_KINDS, EMPTY_LABELS, EMPTY_SYMBOLS
from .views import ColumnGroup, LegendItem, Link, MapCell, MapLevel, MapRow, MapSection

#: Finding filters an empty result may drop to find the nearest view, years as one.
DROPPABLE = (
    ("year_from", "year_to"),
    ("design",),
    ("population",),
    ("region",),
    ("outcome",),
    ("stage",),
    ("direct",),
)


def size_class(n_groups: int) -> str:
    """Return the mark-size class for a number of independent source groups (``n0``..``n3``).

    Examples
    --------
    >>> [size_class(n) for n in (0, 1, 3, 4)]
    ['n0', 'n1', 'n2', 'n3']
    """
    if n_groups <= 0:
        return "n0"
    if n_groups == 1:
        return "n1"
    return "n2" if n_groups <= 3 else "n3"


def verdict_legend(lang: str) -> tuple[list[LegendItem], list[LegendItem]]:
    """Return the legend: verdicts (symbol, colour) and the separate direction signs."""
    verdicts = [
        LegendItem(key=v, symbol=VERDICT_SYMBOLS[v], label=label_verdict(lang, v))
        for v in VERDICTS
        if v != "no_evidence"
    ]
    gettext = translations_for(lang).gettext
    verdicts += [
        LegendItem(key=f"e-{k}", symbol=EMPTY_SYMBOLS[k], label=gettext(EMPTY_LABELS[k]))
        for k in EMPTY_KINDS
    ]
    directions = [
        LegendItem(key=d, symbol=DIRECTION_SIGNS[d], label=label_direction(lang, d))
        for d in DIRECTIONS
    ]
    return verdicts, directions


def any_group(lang: str) -> dict:
    """The map's first column: a factor's verdict over all drivers and groups together."""
    _ = translations_for(lang).gettext
    return {"id": "any", "label": _("Any"), "columns": [{"id": "any", "label": _("all together")}]}


def _map_cell(row_label: str, column: dict, cell: dict, lang: str, keep: bool) -> MapCell:
    verdict = cell["verdict"] if cell["verdict"] in VERDICTS else "no_evidence"
    known = cell.get("direction_known", True) and verdict != "no_evidence"
    direction = cell.get("direction") if known else None
    # a null direction on a cell with evidence is a tie; shown as such, never decided here
    sign = DIRECTION_SIGNS.get(direction or "tie", "") if known else ""
    n_groups = cell.get("n_groups")
    words = [label_verdict(lang, verdict)]
    if sign:
        words.append(label_direction(lang, direction))
    ngettext = translations_for(lang).ngettext
    if n_groups is not None:
        words.append(
            ngettext(
                "%(num)d independent source group", "%(num)d independent source groups", n_groups
            )
            % {"num": n_groups}
        )
    n = cell["n_findings"]
    words.append(ngettext("%(num)d finding", "%(num)d findings", n) % {"num": n})
    empty = cell.get("empty")
    if empty:
        words = [translations_for(lang).gettext(EMPTY_LABELS[empty])]
    return MapCell(
        factor=cell.get("factor") or "",
        column=column["id"],
        verdict=verdict,
        symbol=EMPTY_SYMBOLS[empty] if empty else VERDICT_SYMBOLS[verdict],
        empty=empty or "",
        n_findings=n,
        count="" if not n_groups else str(n_groups),
        size=size_class(n_groups if n_groups is not None else n),
        off=not keep,
        aria=f"{row_label} × {column['label']}: {', '.join(words)}",
        direction=direction,
        direction_sign=sign,
    )


def _count_cells(data: dict, verdict: str | None, at: str | None) -> int:
    return sum(
        1
        for row in data["rows"]
        if not at or row.get("level") == at
        for column, cell in data["cells"][row["id"]].items()
        if column != "any" and keep_verdict(cell["verdict"], verdict)
    )


def _nearest_view(data: dict, query: MapQuery) -> tuple[str, Link | None]:
    """Say that the level and verdict leave no cell, and link the nearest setting with some."""
    lang = query.lang
    _ = translations_for(lang).gettext
    wanted, level = query.verdict, query.level
    where = label_level(lang, level) if level else _("any level")
    if wanted:
        message = _("No cells with the verdict “%(verdict)s” at %(where)s.") % {
            "verdict": label_verdict(lang, wanted),
            "where": where,
        }
    else:
        message = _("No cells at %(where)s.") % {"where": where}
    weaker = (
        list(STRENGTH_ORDER[STRENGTH_ORDER.index(wanted) + 1 :]) if wanted in STRENGTH_ORDER else []
    )
    candidates = [(v, level) for v in weaker] + [(wanted, lv) for lv in LEVELS if lv != level]
    candidates.append((None, None))
    for verdict, at in candidates:
        if _count_cells(data, verdict, at):
            text = _("Show %(verdict)s at %(where)s instead") % {
                "verdict": _("all verdicts") if not verdict else label_verdict(lang, verdict),
                "where": label_level(lang, at) if at else _("any level"),
            }
            href = build_url("/", query.params(level=at, verdict=verdict))
            return message, Link(href=href, text=text)
    return message, None


def _cells_text(lang: str, n: int) -> str:
    ngettext = translations_for(lang).ngettext
    return ngettext("%(num)d cell with evidence", "%(num)d cells with evidence", n) % {"num": n}


def _nearest_filters(index: Any, data: dict, query: MapQuery) -> tuple[str, Link | None]:
    """Say that the finding filters leave no evidence; link the one filter fewer that leaves most."""
    lang = query.lang
    _ = translations_for(lang).gettext
    message = _("No finding in the literature we hold matches these filters (%(filters)s).") % {
        "filters": "; ".join(describe_filters(index, lang, query))
    }
    best, best_n = None, 0
    for names in DROPPABLE:
        if not any(getattr(query, name) for name in names):
            continue
        looser = query.model_copy(
            update={name: False if name == "direct" else None for name in names}
        )
        n = count_evidence(cached_map_data(index, looser), with_any=True)
        if n > best_n:
            best, best_n = looser, n
    if best is None:
        plain = MapQuery(lang=lang)
        return message, Link(
            href=build_url("/", plain.params()),
            text=_("Show %(cells)s without filters")
            % {
                "cells": _cells_text(
                    lang, count_evidence(cached_map_data(index, plain), with_any=True)
                )
            },
        )
    rest = describe_filters(index, lang, best)
    cells = _cells_text(lang, best_n)
    text = (
        _("Show %(cells)s with only: %(filters)s") % {"cells": cells, "filters": "; ".join(rest)}
        if rest
        else _("Show %(cells)s without filters") % {"cells": cells}
    )
    return message, Link(href=build_url("/", best.params()), text=text)


def _downloads(query: MapQuery) -> list[Link]:
    _ = translations_for(query.lang).gettext
    return [
        Link(
            href=build_url("/map/download", {**query.params(), "format": fmt}), text=text, note=fmt
        )
        for fmt, text in (
            ("csv", _("Cells on screen (CSV)")),
            ("ris", _("Their sources (RIS)")),
            ("bib", _("Their sources (BibTeX)")),
        )
    ]


def build_map_section(
    data: dict, query: MapQuery, *, index: Any = None, offline: bool = False
) -> MapSection:
    """Return the map section's view model from :func:`~.map_data.build_map_data`'s result.

    ``index`` is needed for the filter controls and, when the finding filters leave no
    evidence, to find the nearest view with some.
    """
    lang = query.lang
    groups = [any_group(lang), *data["groups"]]
    columns = [c for g in groups for c in g["columns"]]
    levels = []
    shown = 0
    column_totals = [0] * len(columns)
    for level in LEVELS:
        rows = []
        hidden = bool(query.level and query.level != level)
        for row in (r for r in data["rows"] if r.get("level") == level):
            label = str(row.get("label") or row["id"])
            cells = []
            for i, column in enumerate(columns):
                cell = {**data["cells"][row["id"]][column["id"]], "factor": row["id"]}
                keep = keep_verdict(cell["verdict"], query.verdict)
                shown += keep and not hidden and column["id"] != "any"
                if cell["verdict"] != "no_evidence":
                    column_totals[i] += 1
                cells.append(_map_cell(label, column, cell, lang, keep))
            href = (
                None
                if offline
                else build_url(f"/factors/{path_segment(row['id'])}", {"lang": lang})
            )
            total = sum(1 for c in cells[1:] if c.verdict != "no_evidence")
            rows.append(MapRow(id=row["id"], label=label, href=href, cells=cells, total=total))
        if rows:
            levels.append(
                MapLevel(id=level, label=label_level(lang, level), hidden=hidden, rows=rows)
            )
    # the grid has one tab stop: the first cell of the first level on screen
    visible = [lv for lv in levels if not lv.hidden] or levels
    if visible:
        visible[0].rows[0].cells[0].tab_stop = True
    verdicts, directions = verdict_legend(lang)
    empty, nearest = "", None
    if query.narrows and index is not None and not count_evidence(data, with_any=True):
        empty, nearest = _nearest_filters(index, data, query)
    elif not shown:
        empty, nearest = _nearest_view(data, query)
    _ = translations_for(lang).gettext
    filtered = (
        _("Counting only findings with: %(filters)s.")
        % {"filters": "; ".join(describe_filters(index, lang, query))}
        if query.narrows and index is not None
        else ""
    )
    return MapSection(
        filters=map_filters(index, lang, query, offline),
        groups=[
            ColumnGroup(
                id=g["id"],
                label=g["label"],
                columns=[Link(href=c["id"], text=c["label"]) for c in g["columns"]],
            )
            for g in groups
        ],
        levels=levels,
        legend=verdicts,
        directions=directions,
        shown=shown,
        n_columns=len(columns),
        column_totals=column_totals,
        empty=empty,
        nearest=nearest,
        downloads=[] if offline else _downloads(query),
        offline=offline,
        filtered=filtered,
        with_evidence=count_evidence(data, with_any=True),
    )
