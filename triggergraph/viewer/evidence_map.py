"""The evidence map page: trigger factors (rows, by level) × drivers and demographic groups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answers.queries import MatrixQuery
from .common import (
    check_choice,
    check_lang,
    column_groups,
    label_reason,
    summarise_finding,
)
from .html import (
    LEVEL_LABELS,
    STAGE_LABELS,
    STRENGTH_ORDER,
    VERDICT_LABELS,
    VERDICT_SYMBOLS,
    VERDICTS,
    escape_html,
    label_verdict,
    render_options,
    render_page,
    text_for,
)

LEVELS = ("micro", "meso", "macro")
STAGES = ("attitude", "intention", "behaviour")
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


def size_class(n_findings: int) -> str:
    """Return the mark-size class for a number of findings (``n0``..``n3``)."""
    if n_findings <= 0:
        return "n0"
    if n_findings == 1:
        return "n1"
    return "n2" if n_findings <= 3 else "n3"


def _flatten_rows(rows: list) -> list[dict]:
    flat = []
    for row in rows:
        if isinstance(row, Mapping) and "factors" in row:
            for factor in row["factors"]:
                flat.append(
                    {**factor, "level": factor.get("level") or row.get("id") or row.get("level")}
                )
        else:
            flat.append(dict(row))
    return flat


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


def build_map_data(
    index: Any, *, lang: str, stage: str | None = None, direct: bool = False
) -> dict:
    """Collect everything the map shows (rows, columns, cells, findings) from the index.

    Returns
    -------
    dict
        ``{"rows": [...], "groups": [...], "cells": {factor: {column: {...}}}, "findings": {...}}``
        with plain (unescaped) strings; cell explanations are in ``lang``.
    """
    matrix = index.matrix(
        MatrixQuery(cols="all", outcome_stage=stage, direct_only=direct, lang=lang)
    )
    rows = _flatten_rows(matrix.get("rows", []))
    groups = column_groups(index, lang)
    cells: dict[str, dict[str, dict]] = {}
    finding_ids: set[str] = set()
    raw_cells = matrix.get("cells", {})
    for row in rows:
        for group in groups:
            for column in group["columns"]:
                cell = (raw_cells.get(row["id"]) or {}).get(column["id"]) or {}
                explanation = cell.get("explanation") or {}
                if isinstance(explanation, Mapping):
                    explanation = explanation.get(lang) or explanation.get("en") or ""
                counted = []
                for item in cell.get("findings") or []:
                    item = item if isinstance(item, Mapping) else {"id": item}
                    finding_ids.add(item["id"])
                    counted.append(
                        {
                            "id": item["id"],
                            "direct": bool(item.get("direct", True)),
                            "reasons": [label_reason(lang, r) for r in item.get("reasons") or []],
                            "effective_certainty": item.get("effective_certainty"),
                        }
                    )
                cells.setdefault(row["id"], {})[column["id"]] = {
                    "verdict": cell.get("verdict") or "no_evidence",
                    "n_findings": int(cell.get("n_findings") or 0),
                    "direction": cell.get("direction"),
                    "explanation": explanation,
                    "deciding": list(cell.get("deciding") or []),
                    "findings": counted,
                }
    findings = {}
    for fid in sorted(finding_ids):
        findings[fid] = summarise_finding(index.finding(fid, lang), lang)
    return {"rows": rows, "groups": groups, "cells": cells, "findings": findings}


def _render_filters(lang: str, chosen: dict, offline: bool) -> str:
    level_opts = [("", text_for(lang, "all"))] + [(lv, LEVEL_LABELS[lang][lv]) for lv in LEVELS]
    verdict_opts = [
        ("", text_for(lang, "all")),
        ("strong", text_for(lang, "min_strong")),
        ("moderate", text_for(lang, "min_moderate")),
        ("limited", text_for(lang, "min_limited")),
        ("contested", text_for(lang, "only_contested")),
        ("no_evidence", text_for(lang, "only_empty")),
    ]
    parts = [
        '<form class="filters" method="get" action="/" id="map-filters">',
        f'<input type="hidden" name="lang" value="{escape_html(lang)}">',
        f'<label>{escape_html(text_for(lang, "level"))} <select name="level" data-client="1">'
        f"{render_options(level_opts, chosen['level'])}</select></label>",
        f'<label>{escape_html(text_for(lang, "verdict"))} <select name="verdict" data-client="1">'
        f"{render_options(verdict_opts, chosen['verdict'])}</select></label>",
    ]
    if not offline:
        stage_opts = [("", text_for(lang, "all"))] + [(s, STAGE_LABELS[lang][s]) for s in STAGES]
        direct_opts = [
            ("", text_for(lang, "direct_and_indirect")),
            ("1", text_for(lang, "direct_only")),
        ]
        parts += [
            f'<label>{escape_html(text_for(lang, "outcome_stage"))} <select name="stage">'
            f"{render_options(stage_opts, chosen['stage'])}</select></label>",
            f'<label>{escape_html(text_for(lang, "evidence"))} <select name="direct">'
            f"{render_options(direct_opts, chosen['direct'])}</select></label>",
            f'<button type="submit">{escape_html(text_for(lang, "apply"))}</button>',
            f'<a class="button" href="/?lang={escape_html(lang)}">{escape_html(text_for(lang, "reset"))}</a>',
        ]
    else:
        parts.append(f'<p class="note">{escape_html(text_for(lang, "offline_note"))}</p>')
    parts.append("</form>")
    return "".join(parts)


def render_legend(lang: str) -> str:
    """Return the verdict legend (symbol, colour swatch, name) and the mark-size note."""
    items = "".join(
        f'<li><span class="swatch v-{v}" aria-hidden="true">{VERDICT_SYMBOLS[v]}</span> '
        f"{escape_html(VERDICT_LABELS[lang][v])}</li>"
        for v in VERDICTS
    )
    sizes = "".join(
        f'<span class="swatch v-moderate {c}" aria-hidden="true"><span class="mark">●</span></span>'
        for c in ("n1", "n2", "n3")
    )
    return (
        f'<section class="legend" aria-label="{escape_html(text_for(lang, "legend"))}">'
        f"<h2>{escape_html(text_for(lang, 'legend'))}</h2><ul>{items}</ul>"
        f"<p>{sizes} {escape_html(text_for(lang, 'marksize'))}</p></section>"
    )


def render_map_table(data: dict, lang: str, chosen: dict, *, link_factors: bool = True) -> str:
    """Return the map's ``<table>``: level headers, one row per factor, one cell per column."""
    groups = data["groups"]
    n_cols = sum(len(g["columns"]) for g in groups)
    head1 = f'<th rowspan="2" scope="col">{escape_html(text_for(lang, "factor"))}</th>' + "".join(
        f'<th colspan="{len(g["columns"])}" scope="colgroup" class="grp">{escape_html(g["label"])}</th>'
        for g in groups
    )
    head2 = "".join(
        f'<th scope="col" class="col"><span>{escape_html(c["label"])}</span></th>'
        for g in groups
        for c in g["columns"]
    )
    body = []
    for level in LEVELS:
        rows = [r for r in data["rows"] if r.get("level") == level]
        if not rows:
            continue
        hidden = " hidden" if chosen["level"] and chosen["level"] != level else ""
        body.append(
            f'<tbody data-level="{level}"{hidden}><tr class="level"><th colspan="{n_cols + 1}" '
            f'scope="rowgroup">{escape_html(LEVEL_LABELS[lang][level])}</th></tr>'
        )
        for row in rows:
            label = escape_html(row.get("label") or row["id"])
            if link_factors:
                name = f'<a href="/factors/{escape_html(row["id"])}?lang={lang}">{label}</a>'
            else:
                name = label
            cells = []
            for group in groups:
                for column in group["columns"]:
                    cell = data["cells"][row["id"]][column["id"]]
                    verdict = cell["verdict"] if cell["verdict"] in VERDICTS else "no_evidence"
                    off = "" if keep_verdict(verdict, chosen["verdict"]) else " off"
                    aria = (
                        f"{row.get('label') or row['id']} × {column['label']}: "
                        f"{label_verdict(lang, verdict)}, {cell['n_findings']} {text_for(lang, 'n_findings')}"
                    )
                    cells.append(
                        f'<td class="cell v-{verdict} {size_class(cell["n_findings"])}{off}" tabindex="0" '
                        f'role="button" data-factor="{escape_html(row["id"])}" '
                        f'data-column="{escape_html(column["id"])}" data-verdict="{verdict}" '
                        f'data-n="{cell["n_findings"]}" aria-label="{escape_html(aria)}">'
                        f'<span class="mark" aria-hidden="true">{VERDICT_SYMBOLS[verdict]}</span></td>'
                    )
            body.append(
                f'<tr data-factor="{escape_html(row["id"])}"><th scope="row">{name}</th>{"".join(cells)}</tr>'
            )
        body.append("</tbody>")
    return (
        '<div class="table-wrap"><table class="map" id="evidence-map">'
        f"<thead><tr>{head1}</tr><tr>{head2}</tr></thead>{''.join(body)}</table></div>"
    )


def client_texts(lang: str) -> dict:
    """The interface words the map/network scripts need, in ``lang``."""
    keys = (
        "explanation", "findings", "no_findings", "close", "certainty", "effective", "effect",
        "locator", "direct", "indirect", "why_indirect", "deciding", "source", "shown_cells",
        "open_factor", "nodes", "edges", "direction", "kind_factor", "kind_driver", "kind_demographic",
        "neighbourhood", "show_all", "n_findings", "verdict",
    )  # fmt: skip
    return {k: text_for(lang, k) for k in keys} | {"verdicts": VERDICT_LABELS[lang]}


def render_map_section(
    index: Any, lang: str, chosen: dict, *, offline: bool = False
) -> tuple[str, dict]:
    """Return the map section's HTML and the JSON data its script needs."""
    data = build_map_data(index, lang=lang, stage=chosen["stage"], direct=bool(chosen["direct"]))
    shown = sum(
        1
        for row in data["rows"]
        if not chosen["level"] or row.get("level") == chosen["level"]
        for cell in data["cells"][row["id"]].values()
        if keep_verdict(cell["verdict"], chosen["verdict"])
    )
    html = (
        f'<section id="nav_map" class="map-section"><h1>{escape_html(text_for(lang, "map_title"))}</h1>'
        f'<p class="intro">{escape_html(text_for(lang, "map_intro"))}</p>'
        f"{_render_filters(lang, chosen, offline)}"
        f'<p class="status" id="map-status" aria-live="polite"><span id="shown-count">{shown}</span> '
        f"{escape_html(text_for(lang, 'shown_cells'))}</p>"
        f"{render_legend(lang)}"
        f'<div class="map-layout">{render_map_table(data, lang, chosen, link_factors=not offline)}'
        f'<aside id="cell-details" class="details" tabindex="-1" aria-live="polite" hidden></aside></div>'
        "</section>"
    )
    client = {
        "lang": lang,
        "texts": client_texts(lang),
        "cells": data["cells"],
        "findings": data["findings"],
        "rows": {r["id"]: r.get("label") or r["id"] for r in data["rows"]},
        "columns": {c["id"]: c["label"] for g in data["groups"] for c in g["columns"]},
        "links": not offline,
    }
    return html, client


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
    chosen = read_map_params({**(params or {}), "lang": lang})
    lang = chosen["lang"]
    section, client = render_map_section(index, lang, chosen)
    keep = {k: chosen[k] for k in ("level", "verdict", "stage", "direct")}
    return render_page(
        title=text_for(lang, "nav_map"),
        body=section,
        lang=lang,
        path="/",
        params=keep,
        scripts=["map.js"],
        data={"map": client},
    )
