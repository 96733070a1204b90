"""RIS records to literature entry skeletons, with file:line errors."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..exceptions import EntryError, Problem
from .records import (
    RIS_TYPES,
    RIS_WEB_TYPES,
    _check_common,
    _dedupe_ids,
    _language_code,
    _make_id,
    _normalise_doi,
    _skeleton,
    _split_plain_name,
    _venue,
    _year,
    format_author,
)

_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


def _ris_structure(text: str, filename: str) -> tuple[list[int], list[Problem]]:
    """Start lines of the records, or problems where the TY ... ER structure breaks."""
    starts: list[int] = []
    problems: list[Problem] = []
    open_at: int | None = None
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.rstrip()
        if not line.strip():
            continue
        match = _RIS_TAG.match(line)
        tag = match.group(1) if match else None
        if tag == "TY":
            if open_at is not None:
                problems.append(
                    Problem(
                        filename,
                        number,
                        "TY",
                        f"new record starts before the record at line {open_at} ended (ER  - )",
                    )
                )
            open_at = number
            starts.append(number)
        elif tag == "ER":
            if open_at is None:
                problems.append(
                    Problem(filename, number, "ER", "ER  -  without a record (TY  - ) to end")
                )
            open_at = None
        elif open_at is None:
            problems.append(
                Problem(
                    filename,
                    number,
                    "",
                    f"text outside a record: {line[:60]!r}; records start with 'TY  - '",
                )
            )
    if open_at is not None:
        problems.append(Problem(filename, open_at, "ER", "record is not ended with 'ER  - '"))
    if not starts and not problems:
        problems.append(Problem(filename, None, "", "no RIS records (TY  - ... ER  - ) found"))
    return starts, problems


def _ris_fields(record: dict[str, Any], added_by, added_on) -> tuple[dict, dict]:
    kind = str(record.get("type_of_reference", "")).upper()
    urls = record.get("urls") or []
    url = urls[0].strip() if urls else None
    source_type = RIS_TYPES.get(kind)
    if source_type is None and kind in RIS_WEB_TYPES and url:
        source_type = "web_page"
    names = record.get("authors") or record.get("first_authors") or record.get("editors") or []
    authors, first_family = [], ""
    for name in names:
        family, given = _split_plain_name(name.strip())
        authors.append(format_author(family, given))
        first_family = first_family or family
    raw_year = record.get("year") or record.get("date") or record.get("publication_year")
    year = _year(raw_year)
    pages = None
    if record.get("start_page"):
        pages = record["start_page"] + (f"-{record['end_page']}" if record.get("end_page") else "")
    container = {
        "journal_article": record.get("journal_name")
        or record.get("secondary_title")
        or record.get("alternate_title3"),
        "chapter": record.get("secondary_title"),
        "conference_paper": record.get("secondary_title"),
    }.get(source_type or "") or record.get("publisher")
    language = record.get("language")
    fields = {
        "id": _make_id(first_family, year),
        "type": source_type,
        "authors": authors,
        "year": year,
        "title": (record.get("title") or record.get("primary_title") or "").strip() or None,
        "venue": _venue(container, record.get("volume"), record.get("number"), pages),
        "doi": _normalise_doi(record["doi"]) if record.get("doi") else None,
        "url": url,
        "language": _language_code(language) if language else None,
        "added_by": added_by,
        "added_on": added_on,
    }
    raw = {"year": raw_year, "language": language, "type": kind}
    return fields, raw


def skeletons_from_ris(
    text: str,
    *,
    filename: str,
    added_by: str | None = None,
    added_on: date | None = None,
) -> list[dict[str, Any]]:
    """Return entry skeletons for the records of a RIS file.

    Parameters
    ----------
    text : str
        The RIS text.
    filename : str
        Name used in problems.
    added_by, added_on : optional
        Provenance written into every skeleton.

    Returns
    -------
    list of dict
        One skeleton per record (see :func:`skeletons_from_bibtex`).

    Raises
    ------
    EntryError
        Broken TY/ER structure, or records without title, year or author, with their line.

    Examples
    --------
    >>> ris = "TY  - RPRT\\nAU  - Doe, Jane\\nTI  - Test fixture\\nPY  - 2021\\nER  - \\n"
    >>> skeletons_from_ris(ris, filename="refs.ris")[0]["id"]
    'doe2021'
    """
    import rispy

    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    starts, problems = _ris_structure(text, filename)
    if problems:
        raise EntryError(problems)
    try:
        records = rispy.loads(text)
    except Exception as exc:  # rispy raises plain errors on input it cannot map
        raise EntryError([Problem(filename, None, "", f"cannot parse RIS: {exc}")]) from None
    skeletons: list[dict[str, Any]] = []
    for number, (record, line) in enumerate(zip(records, starts, strict=False), start=1):
        label = str(record.get("id") or f"record{number}")
        fields, raw = _ris_fields(record, added_by, added_on)
        record_problems = _check_common(fields, raw, (filename, line, label))
        if record_problems and fields.get("type") is None:
            # The BibTeX-centred type hint does not help here; name the RIS types instead.
            record_problems[-1] = Problem(
                filename,
                line,
                f"{label}.type",
                f"RIS type {raw['type']!r} has no source type; valid: "
                + ", ".join(sorted(RIS_TYPES))
                + " (or ELEC/WEB with a UR url)",
            )
        problems.extend(record_problems)
        if not record_problems:
            skeletons.append(_skeleton(fields))
    if problems:
        raise EntryError(problems)
    _dedupe_ids(skeletons)
    return skeletons
