"""The evidence map's data: rows, column groups and cells over the findings a :class:`MapQuery` keeps."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from ..answers import Cell, MatrixAnswer
from ..answers.builders import build_finding, build_matrix
from ..answers.map_query import MapQuery
from ..answers.queries import LangQuery, MatrixQuery
from ..exceptions import EntryError, Problem
from .common import card_data, column_groups, finding_card, label_reason
from .labels import STRENGTH_ORDER
from .report import empty_kind


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


def check_map_query(index: Any, query: MapQuery) -> MapQuery:
    """Return ``query`` if its study design and region are ones the vocabulary knows; else raise.

    Raises
    ------
    EntryError
        Names ``design`` or ``region``, the bad value and the valid values.
    """
    from difflib import get_close_matches

    for name, scheme, what in (
        ("design", "study-design", "a study design"),
        ("region", "region", "a region"),
    ):
        value = getattr(query, name)
        valid = list(index.vocabulary.scales.get(scheme, {}))
        if value is not None and value not in valid:
            raise EntryError(
                [
                    Problem(
                        None,
                        None,
                        name,
                        f"{value!r} is not {what}; valid: {', '.join(valid)}",
                        tuple(get_close_matches(value, valid, n=3, cutoff=0.5)),
                    )
                ]
            )
    return query


def region_coverage(index: Any) -> tuple[int, int]:
    """How many findings record a region, and of how many findings in all.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> found = {"a": (NS(region="netherlands"), None), "b": (NS(region=None), None)}
    >>> region_coverage(NS(findings=found))
    (1, 2)
    """
    findings = index.findings.values()
    return sum(1 for finding, _ in findings if finding.region is not None), len(findings)


def filtered_matrix(index: Any, query: MapQuery) -> MatrixAnswer:
    """The matrix (every column) over the findings ``query`` keeps.

    Outcome stage and direct-only go to the matrix as they are; design, outcome, population,
    region and years as the finding filter :meth:`MapQuery.keeps`. Verdicts follow the one rule of
    the unfiltered map.
    """
    check_map_query(index, query)
    matrix_query = MatrixQuery(
        cols="all", outcome_stage=query.stage, direct_only=query.direct, lang=query.lang
    )
    return build_matrix(index, matrix_query, keep=query.keeps if query.selects else None)


def explanation_of(cell: Cell | None, lang: str) -> str:
    """A cell's explanation in ``lang`` (English when ``lang`` has none)."""
    if cell is None:
        return ""
    return cell.explanation.get(lang) or cell.explanation.get("en") or ""


def counted_item(item: Any, lang: str) -> dict:
    """How one finding counts in a cell: direct or not, why not, its effective certainty."""
    # a built cell carries each counted finding whole (the read model's, or an answer's):
    # why it is indirect, its certainty
    whole = item if hasattr(item, "effective_certainty") else None
    return {
        "id": item.id,
        "direct": item.direct,
        "reasons": [label_reason(lang, r) for r in whole.reasons] if whole else [],
        "effective_certainty": whole.effective_certainty if whole else None,
    }


def _empty(factor: str, column_kind: str, verdict: str, before: str | None) -> str | None:
    kind = empty_kind(factor, column_kind, verdict)
    if kind and before and before != "no_evidence":
        return "filtered"
    return kind


_MAP_DATA: WeakKeyDictionary = WeakKeyDictionary()


def cached_map_data(index: Any, query: MapQuery) -> dict:
    """:func:`build_map_data` without findings, kept per index (a new index after a write
    starts afresh), so the map page costs the matrix once per language and set of filters."""
    per_index = _MAP_DATA.setdefault(index, {})
    key = query.model_copy(update={"level": None, "verdict": None})
    if key not in per_index:
        per_index[key] = build_map_data(index, key, with_findings=False)
    return per_index[key]


def build_map_data(index: Any, query: MapQuery, *, with_findings: bool = True) -> dict:
    """Collect everything the map shows (rows, columns, cells, findings) from the index.

    Parameters
    ----------
    index : EvidenceIndex
        The read model.
    query : MapQuery
        The filters; those that choose findings (see :attr:`MapQuery.narrows`) recompute the
        verdicts over what they keep. Level and verdict are applied by the map section.
    with_findings : bool
        Also collect each cell's counted findings and their cards (downloads, offline copy).

    Returns
    -------
    dict
        ``{"rows": [...], "groups": [...], "cells": {factor: {column: {...}}}, "findings": {...}}``
        with plain (unescaped) strings; cell explanations are in ``query.lang``. A cell left
        empty by the filters that has evidence without them is ``empty: "filtered"``.

    Raises
    ------
    EntryError
        A study design or region the vocabulary does not know.
    """
    lang = query.lang
    matrix = filtered_matrix(index, query)
    rows = [row.model_dump() for row in matrix.rows]
    groups = column_groups(index, lang)
    # a cell the filters empty may hold evidence without them: "filtered away"
    plain = build_matrix(index, MatrixQuery(cols="all", lang=lang)) if query.narrows else matrix
    plain_overall = {r.id: r.overall.verdict for r in plain.rows}
    cells: dict[str, dict[str, dict]] = {}
    finding_ids: set[str] = set()
    for row in matrix.rows:
        row_cells = cells.setdefault(row.id, {})
        found = matrix.cells.get(row.id, {})
        before_row = plain.cells.get(row.id, {})
        for group in groups:
            for column in group["columns"]:
                cell = found.get(column["id"])
                verdict = cell.verdict if cell is not None else "no_evidence"
                before = before_row.get(column["id"])
                counted = (
                    [counted_item(item, lang) for item in cell.findings]
                    if with_findings and cell is not None
                    else []
                )
                finding_ids.update(c["id"] for c in counted)
                row_cells[column["id"]] = {
                    "verdict": verdict,
                    "n_findings": cell.n_findings if cell is not None else 0,
                    "n_groups": cell.n_groups if cell is not None else 0,
                    "direction": cell.direction if cell is not None else None,
                    "explanation": explanation_of(cell, lang),
                    "deciding": list(cell.deciding) if cell is not None else [],
                    "findings": counted,
                    "empty": _empty(
                        row.id, group["id"], verdict, before.verdict if before else None
                    ),
                }
        overall = row.overall
        row_cells["any"] = {
            "verdict": overall.verdict,
            "n_findings": overall.n_findings,
            "n_groups": overall.n_groups,
            "direction": overall.direction,
            "direction_known": True,
            "empty": _empty(row.id, "any", overall.verdict, plain_overall.get(row.id)),
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


def count_evidence(
    data: dict, verdict: str | None = None, level: str | None = None, *, with_any: bool = False
) -> int:
    """The cells with evidence that pass ``verdict`` at ``level``; the "any" column only
    ``with_any`` (a finding with no driver or group counts there alone)."""
    return sum(
        1
        for row in data["rows"]
        if not level or row.get("level") == level
        for column, cell in data["cells"][row["id"]].items()
        if (with_any or column != "any")
        and cell["verdict"] != "no_evidence"
        and keep_verdict(cell["verdict"], verdict)
    )
