"""One evidence-map cell's findings, a page at a time, as the map's script fetches them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answers.builders import build_cell, build_factor, build_finding
from ..answers.map_query import MapQuery
from ..answers.queries import LangQuery, MatrixQuery
from ..readmodel import check_known
from .common import card_data, check_choice, column_groups, finding_card
from .map_data import check_map_query, counted_item, explanation_of

CELL_PAGE_SIZE = 20
#: The cell's own parameters; the rest of the query string is the map's filters.
CELL_PARAMS = ("factor", "column", "offset", "limit")


def read_cell_params(index: Any, params: Mapping[str, str] | None) -> tuple[MapQuery, dict]:
    """Check the cell query: the map's filters, and factor, column and the page of findings."""
    params = dict(params or {})
    own = {name: params.pop(name, None) for name in CELL_PARAMS}
    query = check_map_query(index, MapQuery.from_params(params))
    columns = ["any"] + [c["id"] for g in column_groups(index, query.lang) for c in g["columns"]]
    factor = own["factor"] or ""
    # unknown ids raise NotFoundError with suggestions
    check_known("factor", factor, index.vocabulary.factors)
    column = check_choice("column", own["column"], columns)
    if column is None:
        column = check_choice("column", "<none>", columns)
    bounds = {}
    for name, default, top in (("offset", 0, 10**9), ("limit", CELL_PAGE_SIZE, 100)):
        raw = own[name] if own[name] is not None else str(default)
        if not str(raw).isdigit() or not 0 <= int(raw) <= top:
            check_choice(name, raw, [f"a whole number from 0 to {top}"])
        bounds[name] = int(raw)
    return query, {"factor": factor, "column": column, **bounds}


def build_cell_findings(index: Any, params: Mapping[str, str] | None) -> dict:
    """Return one map cell's findings, one page at a time, as the map's script shows them.

    Parameters
    ----------
    index : EvidenceIndex
        The read model.
    params : Mapping[str, str]
        ``factor``, ``column`` (``any`` or a driver or group id), ``offset`` and ``limit`` (at
        most 100), and the map's filters (:class:`~triggergraph.answers.map_query.MapQuery`),
        which choose the findings the cell counts.

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
    query, chosen = read_cell_params(index, params)
    lang = query.lang
    if chosen["column"] == "any" and not query.narrows:
        cell = build_factor(index, chosen["factor"], LangQuery(lang=lang)).overall
    else:
        cell = build_cell(
            index,
            chosen["factor"],
            chosen["column"],
            MatrixQuery(cols="all", outcome_stage=query.stage, direct_only=query.direct, lang=lang),
            keep=query.keeps if query.selects else None,
        )
    items = list(cell.findings) if cell is not None else []
    start, stop = chosen["offset"], chosen["offset"] + chosen["limit"]
    counted = [counted_item(item, lang) for item in items[start:stop]]
    return {
        "factor": chosen["factor"],
        "column": chosen["column"],
        "explanation": explanation_of(cell, lang),
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
