"""What the report and the practitioner tool say per trigger factor (``report.yaml``), and empty kinds."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from .i18n import N_

REPORT_FILE = Path(__file__).resolve().parent / "report.yaml"

#: The three kinds of empty cell, told apart everywhere a cell is shown.
EMPTY_KINDS = ("not_studied", "not_encoded", "filtered")
EMPTY_SYMBOLS = {"not_studied": "–", "not_encoded": "?", "filtered": " "}
EMPTY_LABELS = {
    "not_studied": N_("not studied in the literature we hold"),
    "not_encoded": N_("rated by the report, but its table is not encoded"),
    "filtered": N_("filtered away"),
}


@lru_cache(maxsize=1)
def read_report() -> dict:
    """Return the report data (summary tables, report text per factor, tool pages).

    Examples
    --------
    >>> read_report()["summary_tables"]["status"]
    'not encoded'
    """
    with REPORT_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def factor_report(factor_id: str) -> dict:
    """Return what ``report.yaml`` holds for one factor (``{}`` when nothing).

    Examples
    --------
    >>> factor_report("breaking_social_bonds")["report_text"]["section"]
    '4.1'
    """
    return read_report().get("factors", {}).get(factor_id) or {}


def empty_kind(factor_id: str, column_kind: str, verdict: str) -> str | None:
    """Return why a cell is empty, or ``None`` when it has evidence.

    ``column_kind`` is ``any``, ``driver`` or a demographic dimension (``sex``, ``age``,
    ``education``). A factor whose summary table the report has, for a column the table rates,
    is ``not_encoded``; every other empty cell is ``not_studied`` (in the literature we hold).

    Examples
    --------
    >>> empty_kind("detention", "sex", "no_evidence"), empty_kind("detention", "any", "no_evidence")
    ('not_encoded', 'not_studied')
    >>> empty_kind("detention", "sex", "limited") is None
    True
    """
    if verdict != "no_evidence":
        return None
    rated = read_report()["summary_tables"]["columns"]
    if factor_report(factor_id).get("summary_table") and column_kind in rated:
        return "not_encoded"
    return "not_studied"
