"""The evidence map page: trigger factors (rows, by level) × drivers and demographic groups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from weakref import WeakKeyDictionary

from ..answers import Cell, CountedFinding, FindingRef, MatrixAnswer
from ..answers.builders import build_factor, build_finding, build_matrix
from ..answers.queries import LangQuery, MatrixQuery
from ..readmodel import check_known
from .common import (
    card_data,
    check_choice,
    check_lang,
    column_groups,
    finding_card,
    label_reason,
    make_select,
    page_frame,
)
from .html import build_url, path_segment
from .i18n import translations_for
from .labels import (
    DIRECTION_SIGNS,
    DIRECTIONS,
    LEVELS,
    STAGE_LABELS,
    STAGES,
    STRENGTH_ORDER,
    VERDICT_SYMBOLS,
    VERDICTS,
    label_direction,
    label_level,
    label_verdict,
)
from .report import EMPTY_KINDS, EMPTY_LABELS, EMPTY_SYMBOLS, empty_kind
from .templating import render_template
from .views import ColumnGroup, LegendItem, Link, MapCell, MapLevel, MapPage, MapRow, MapSection

VERDICT_FILTERS = ("strong", "moderate", "limited", "contested", "no_evidence")


def keep_verdict(verdict: str, wanted: str | None) -> bool:
    """Return whether a cell with ``verdict`` passes the verdict filter ``wanted``.

    ``strong``/``moderate``/``limited`` are minimums in the order strong > moderate > limited
    (``limited`` also keeps contested cells, which have evidence); ``contested`` and
    ``no_evidence`` keep only that verdict.

    Examples
    --------
    >>> keep_verdict("moderate", "limited"), keep_verdict("limited", "moderate")
    (True, False)
    >>> keep_verdict("contested", "limited"), keep_verdict("no_evidence", "limited")
    (True, False)
    """
    if not wanted:
        return True
    if wanted in ("contested", "no_evidence"):
        return verdict == wanted
    if verdict == "contested":
        return wanted == "limited"
    if verdict not in STRENGTH_ORDER:
        return False
    return STRENGTH_ORDER.index(verdict) <= STRENGTH_ORDER.index(wanted)


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


def read_map_params(params: Mapping[str, str] | None) -> dict:
    """Check the map's query parameters and return them as filter values."""
    params = params or {}
    return {
        "lang": check_lang(params.get("lang", "en")),
        "level": check_choice("level", params.get("level"), LEVELS),
        "verdict": check_choice("verdict", params.get("verdict"), VERDICT_FILTERS),
        "stage": check_choice("stage", params.get("stage"), STAGES),
        "direct": check_choice("direct", params.get("direct"), ("1",)),
    }


def _explanation(cell: Cell | None, lang: str) -> str:
    if cell is None:
        return ""
    return cell.explanation.get(lang) or cell.explanation.get("en") or ""


def _empty(
    factor: str, column_kind: str, cell: Cell | None, unfiltered: MatrixAnswer
) -> str | None:
    verdict = cell.verdict if cell is not None else "no_evidence"
    kind = empty_kind(factor, column_kind, verdict)
    if kind and cell is not None:
        before = unfiltered.cells.get(factor, {}).get(cell.column)
        if before is not None and before.verdict != "no_evidence":
            return "filtered"
    return kind


_MAP_DATA: WeakKeyDictionary = WeakKeyDictionary()


def cached_map_data(index: Any, *, lang: str, stage: str | None, direct: bool) -> dict:
    """:func:`build_map_data` without findings, kept per index (a new index after a write
    starts afresh), so the map page costs the matrix once per language and filter."""
    per_index = _MAP_DATA.setdefault(index, {})
    key = (lang, stage, direct)
    if key not in per_index:
        per_index[key] = build_map_data(
            index, lang=lang, stage=stage, direct=direct, with_findings=False
        )
    return per_index[key]


def build_map_data(
    index: Any,
    *,
    lang: str,
    stage: str | None = None,
    direct: bool = False,
    with_findings: bool = True,
) -> dict:
    """Collect everything the map shows (rows, columns, cells, findings) from the index.

    Returns
    -------
    dict
        ``{"rows": [...], "groups": [...], "cells": {factor: {column: {...}}}, "findings": {...}}``
        with plain (unescaped) strings; cell explanations are in ``lang``.
    """
    matrix = build_matrix(
        index, MatrixQuery(cols="all", outcome_stage=stage, direct_only=direct, lang=lang)
    )
    rows = [row.model_dump() for row in matrix.rows]
    groups = column_groups(index, lang)
    cells: dict[str, dict[str, dict]] = {}
    finding_ids: set[str] = set()
    # with outcome-stage or direct-only filters, a cell left empty may hold evidence unfiltered
    unfiltered = (
        build_matrix(index, MatrixQuery(cols="all", lang=lang)) if stage or direct else matrix
    )
    for row in matrix.rows:
        row_cells = matrix.cells.get(row.id, {})
        for group in groups:
            for column in group["columns"]:
                cell = row_cells.get(column["id"])
                counted = (
                    [_counted(item, lang) for item in cell.findings]
                    if with_findings and cell is not None
                    else []
                )
                finding_ids.update(c["id"] for c in counted)
                cells.setdefault(row.id, {})[column["id"]] = {
                    "verdict": cell.verdict if cell is not None else "no_evidence",
                    "n_findings": cell.n_findings if cell is not None else 0,
                    "n_groups": cell.n_groups if cell is not None else 0,
                    "direction": cell.direction if cell is not None else None,
                    "explanation": _explanation(cell, lang),
                    "deciding": list(cell.deciding) if cell is not None else [],
                    "findings": counted,
                    "empty": _empty(row.id, group["id"], cell, unfiltered),
                }
        overall = row.overall
        cells.setdefault(row.id, {})["any"] = {
            "verdict": overall.verdict,
            "n_findings": overall.n_findings,
            "n_groups": overall.n_groups,
            "direction": overall.direction,
            "direction_known": True,
            "empty": empty_kind(row.id, "any", overall.verdict),
            "explanation": "",
            "deciding": [],
            "findings": [],
            "any": True,
        }
    findings = {
        fid: card_data(finding_card(index, build_finding(index, fid, LangQuery(lang=lang)), lang))
        for fid in (sorted(finding_ids) if with_findings else [])
    }
    return {"rows": rows, "groups": groups, "cells": cells, "findings": findings}


def server_filters(lang: str, chosen: dict) -> list:
    """The filters the server applies (outcome stage, direct only), shared by map and gaps."""
    _ = translations_for(lang).gettext
    return [
        make_select(
            "stage",
            _("Outcome stage"),
            [("", _("all"))] + [(s, _(STAGE_LABELS[s])) for s in STAGES],
            chosen["stage"],
        ),
        make_select(
            "direct",
            _("Evidence"),
            [("", _("direct and indirect")), ("1", _("direct evidence only"))],
            chosen["direct"],
        ),
    ]


def map_filters(lang: str, chosen: dict, offline: bool) -> list:
    """Return the map's filter selects (level and verdict apply in the page)."""
    _ = translations_for(lang).gettext
    everything = [("", _("all"))]
    selects = [
        make_select(
            "level",
            _("Level"),
            everything + [(lv, label_level(lang, lv)) for lv in LEVELS],
            chosen["level"],
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
            chosen["verdict"],
            client=True,
        ),
    ]
    if not offline:
        selects += server_filters(lang, chosen)
    return selects


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


def _nearest_view(data: dict, chosen: dict, lang: str) -> tuple[str, Link | None]:
    """Say that the filters leave no cell, and link the nearest filter setting that shows some."""
    _ = translations_for(lang).gettext
    wanted = chosen["verdict"]
    level = chosen["level"]
    where = label_level(lang, level) if level else _("any level")
    if wanted:
        message = _("No cells with the verdict “%(verdict)s” at %(where)s.") % {
            "verdict": label_verdict(lang, wanted),
            "where": where,
        }
    else:
        message = _("No cells at %(where)s.") % {"where": where}

    def count(verdict: str | None, at: str | None) -> int:
        return sum(
            1
            for row in data["rows"]
            if not at or row.get("level") == at
            for column, cell in data["cells"][row["id"]].items()
            if column != "any" and keep_verdict(cell["verdict"], verdict)
        )

    weaker = (
        list(STRENGTH_ORDER[STRENGTH_ORDER.index(wanted) + 1 :]) if wanted in STRENGTH_ORDER else []
    )
    candidates = [(v, level) for v in weaker] + [(wanted, lv) for lv in LEVELS if lv != level]
    candidates.append((None, None))
    params = {"stage": chosen["stage"], "direct": chosen["direct"], "lang": lang}
    for verdict, at in candidates:
        n = count(verdict, at)
        if n:
            text = _("Show %(verdict)s at %(where)s instead") % {
                "verdict": _("all verdicts") if not verdict else label_verdict(lang, verdict),
                "where": label_level(lang, at) if at else _("any level"),
            }
            return message, Link(
                href=build_url("/", {**params, "level": at, "verdict": verdict}), text=text
            )
    return message, None


def build_map_section(data: dict, lang: str, chosen: dict, *, offline: bool = False) -> MapSection:
    """Return the map section's view model from :func:`build_map_data`'s result."""
    groups = [any_group(lang), *data["groups"]]
    columns = [c for g in groups for c in g["columns"]]
    levels = []
    shown = 0
    column_totals = [0] * len(columns)
    for level in LEVELS:
        rows = []
        hidden = bool(chosen["level"] and chosen["level"] != level)
        for row in (r for r in data["rows"] if r.get("level") == level):
            label = str(row.get("label") or row["id"])
            cells = []
            for i, column in enumerate(columns):
                cell = {**data["cells"][row["id"]][column["id"]], "factor": row["id"]}
                keep = keep_verdict(cell["verdict"], chosen["verdict"])
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
    _ = translations_for(lang).gettext
    query = {k: chosen[k] for k in ("level", "verdict", "stage", "direct")} | {"lang": lang}
    downloads = [
        Link(href=build_url("/map/download", {**query, "format": fmt}), text=text, note=fmt)
        for fmt, text in (
            ("csv", _("Cells on screen (CSV)")),
            ("ris", _("Their sources (RIS)")),
            ("bib", _("Their sources (BibTeX)")),
        )
    ]
    empty, nearest = ("", None) if shown else _nearest_view(data, chosen, lang)
    return MapSection(
        filters=map_filters(lang, chosen, offline),
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
        downloads=[] if offline else downloads,
        offline=offline,
    )


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


CELL_PAGE_SIZE = 20


def _counted(item: FindingRef, lang: str) -> dict:
    # a built cell carries each counted finding whole: why it is indirect, its certainty
    whole = item if isinstance(item, CountedFinding) else None
    return {
        "id": item.id,
        "direct": item.direct,
        "reasons": [label_reason(lang, r) for r in whole.reasons] if whole else [],
        "effective_certainty": whole.effective_certainty if whole else None,
    }


def read_cell_params(index: Any, params: Mapping[str, str] | None) -> dict:
    """Check the cell query: factor, column, filters, language and the page of findings."""
    params = params or {}
    chosen = read_map_params(params)
    columns = ["any"] + [
        c["id"] for g in column_groups(index, chosen["lang"]) for c in g["columns"]
    ]
    factor = params.get("factor") or ""
    # unknown ids raise NotFoundError with suggestions
    check_known("factor", factor, index.vocabulary.factors)
    column = check_choice("column", params.get("column"), columns)
    if column is None:
        column = check_choice("column", "<none>", columns)
    bounds = {}
    for name, default, top in (("offset", 0, 10**9), ("limit", CELL_PAGE_SIZE, 100)):
        raw = params.get(name, str(default))
        if not str(raw).isdigit() or not 0 <= int(raw) <= top:
            check_choice(name, raw, [f"a whole number from 0 to {top}"])
        bounds[name] = int(raw)
    return {**chosen, "factor": factor, "column": column, **bounds}


def build_cell_findings(index: Any, params: Mapping[str, str] | None) -> dict:
    """Return one map cell's findings, one page at a time, as the map's script shows them.

    Parameters
    ----------
    index : EvidenceIndex
        The read model.
    params : Mapping[str, str]
        ``factor``, ``column`` (``any`` or a driver or group id), the map filters (``stage``,
        ``direct``), ``lang``, ``offset`` and ``limit`` (at most 100).

    Returns
    -------
    dict
        ``{"factor", "column", "explanation", "total", "offset", "next_offset", "deciding",
        "counted", "findings"}``: ``counted`` says how each finding counts (direct or why indirect);
        ``findings`` holds the cards keyed by id; ``next_offset`` is ``None`` on the last page.

    Raises
    ------
    EntryError, NotFoundError
        A bad parameter or an unknown factor.
    """
    chosen = read_cell_params(index, params)
    lang = chosen["lang"]
    cell: Cell | None
    if chosen["column"] == "any":
        cell = build_factor(index, chosen["factor"], LangQuery(lang=lang)).overall
    else:
        matrix = build_matrix(
            index,
            MatrixQuery(
                cols="all",
                outcome_stage=chosen["stage"],
                direct_only=bool(chosen["direct"]),
                lang=lang,
            ),
        )
        cell = matrix.cells.get(chosen["factor"], {}).get(chosen["column"])
    items = list(cell.findings) if cell is not None else []
    start, stop = chosen["offset"], chosen["offset"] + chosen["limit"]
    counted = [_counted(item, lang) for item in items[start:stop]]
    return {
        "factor": chosen["factor"],
        "column": chosen["column"],
        "explanation": _explanation(cell, lang),
        "total": len(items),
        "offset": start,
        "next_offset": stop if stop < len(items) else None,
        "deciding": list(cell.deciding) if cell is not None else [],
        "counted": counted,
        "findings": {
            c["id"]: card_data(
                finding_card(index, build_finding(index, c["id"], LangQuery(lang=lang)), lang)
            )
            for c in counted
        },
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
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> MapPage:
    """Return the evidence map page's view model.

    Raises
    ------
    EntryError
        A parameter has a value that is not allowed (the problem names it and the valid ones).
    """
    chosen = read_map_params({**(params or {}), "lang": lang})
    lang = chosen["lang"]
    data = cached_map_data(index, lang=lang, stage=chosen["stage"], direct=bool(chosen["direct"]))
    keep = {k: chosen[k] for k in ("level", "verdict", "stage", "direct")}
    _ = translations_for(lang).gettext
    return MapPage(
        **page_frame(
            lang,
            _("Evidence map"),
            "/",
            keep,
            scripts=["map.js"],
            data={"map": map_client(data, lang)},
        ),
        map=build_map_section(data, lang, chosen),
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
        Query parameters: ``level``, ``verdict``, ``stage``, ``direct`` (``"1"``).

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
