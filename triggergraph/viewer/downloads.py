"""Downloads of what the map shows: its cells as CSV, the sources behind them as RIS or BibTeX."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..answers.builders import build_source
from ..answers.map_query import MapQuery
from .common import check_choice
from .labels import label_direction, label_level, label_verdict
from .map_data import build_map_data, keep_verdict
from .map_section import any_group

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
}

if TYPE_CHECKING:
    from ..answers import SourceAnswer
RIS_TYPES = {"journal_article": "JOUR", "report": "RPRT", "book": "BOOK", "chapter": "CHAP"}
BIB_TYPES = {
    "journal_article": "article",
    "report": "techreport",
    "book": "book",
    "chapter": "incollection",
}


def _shown_cells(index: Any, query: MapQuery) -> tuple[dict, list[tuple[dict, dict, dict]]]:
    """The map's data and the (row, column, cell) triples the filters leave on screen."""
    data = build_map_data(index, query)
    columns = [c for g in [any_group(query.lang), *data["groups"]] for c in g["columns"]]
    shown = [
        (row, column, data["cells"][row["id"]][column["id"]])
        for row in data["rows"]
        if not query.level or row.get("level") == query.level
        for column in columns
        if keep_verdict(data["cells"][row["id"]][column["id"]]["verdict"], query.verdict)
    ]
    return data, shown


def _csv(shown: list, lang: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["factor", "factor_label", "level", "column", "column_label", "verdict", "direction",
         "independent_source_groups", "findings"]
    )  # fmt: skip
    for row, column, cell in shown:
        has_evidence = cell["verdict"] != "no_evidence"
        known = has_evidence and cell.get("direction_known", True)
        writer.writerow(
            [
                row["id"],
                row.get("label") or row["id"],
                label_level(lang, row.get("level")),
                column["id"],
                column["label"],
                label_verdict(lang, cell["verdict"]),
                label_direction(lang, cell.get("direction")) if known else "",
                "" if cell.get("n_groups") is None else cell["n_groups"],
                cell["n_findings"],
            ]
        )
    return buffer.getvalue()


def _sources(index: Any, data: dict, shown: list) -> list[SourceAnswer]:
    ids: list[str] = []
    for _row, _column, cell in shown:
        for item in cell.get("findings") or []:
            source_id = (data["findings"].get(item["id"]) or {}).get("source")
            if source_id and source_id not in ids:
                ids.append(source_id)
    return [build_source(index, i) for i in sorted(ids)]


def _ris(sources: list[SourceAnswer]) -> str:
    lines = []
    for s in sources:
        lines.append(f"TY  - {RIS_TYPES.get(s.type, 'GEN')}")
        lines += [f"AU  - {a}" for a in s.authors]
        for tag, key in (
            ("TI", "title"),
            ("PY", "year"),
            ("T2", "venue"),
            ("DO", "doi"),
            ("UR", "url"),
        ):
            value = getattr(s, key)
            if value:
                lines.append(f"{tag}  - {' '.join(str(value).split())}")
        lines += [f"ID  - {s.id}", "ER  - ", ""]
    return "\n".join(lines)


def _bib_value(value: object) -> str:
    # braces keep capitals; a brace or backslash in the text itself is dropped
    return "{" + re.sub(r"[{}\\]", "", " ".join(str(value).split())) + "}"


def _bib(sources: list[SourceAnswer]) -> str:
    entries = []
    for s in sources:
        fields = [("author", " and ".join(s.authors))]
        fields += [(k, getattr(s, k)) for k in ("title", "year", "doi", "url")]
        venue_key = "journal" if s.type == "journal_article" else "howpublished"
        fields.append((venue_key, s.venue))
        body = ",\n".join(f"  {k} = {_bib_value(v)}" for k, v in fields if v)
        key = re.sub(r"[^A-Za-z0-9_-]", "", s.id)
        entries.append(f"@{BIB_TYPES.get(s.type, 'misc')}{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


def build_map_download(index: Any, params: Mapping[str, str] | None) -> tuple[str, str, str]:
    """Return ``(file name, media type, text)`` of what the map shows with ``params``.

    ``format`` is ``csv`` (one line per cell on screen: verdict, direction, independent source
    groups, findings), ``ris`` or ``bib`` (the sources behind those cells' findings); the map's
    filters (:class:`~triggergraph.answers.map_query.MapQuery`) choose the cells and the
    findings they count.

    Raises
    ------
    EntryError
        A bad format or filter value (named, with the valid ones).
    """
    params = dict(params or {})
    fmt = check_choice("format", params.pop("format", None) or "csv", FORMATS)
    query = MapQuery.from_params(params)
    data, shown = _shown_cells(index, query)
    if fmt == "csv":
        text = _csv(shown, query.lang)
    else:
        sources = _sources(index, data, shown)
        text = _ris(sources) if fmt == "ris" else _bib(sources)
    media_type, suffix = FORMATS[fmt]
    return f"triggergraph-map.{suffix}", media_type, text
