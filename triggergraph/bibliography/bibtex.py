"""BibTeX records to literature entry skeletons, with file:line errors."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..exceptions import EntryError, Problem
from .records import (
    BIBTEX_TYPES,
    BIBTEX_WEB_TYPES,
    _check_common,
    _dedupe_ids,
    _language_code,
    _normalise_doi,
    _skeleton,
    _split_plain_name,
    _venue,
    _year,
    format_author,
    source_id_from_key,
)

_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]*)")
_NON_ENTRIES = frozenset({"comment", "preamble", "string"})


def _latex_clean(value: str | None) -> str | None:
    """LaTeX accents to Unicode, braces dropped, whitespace collapsed."""
    if value is None:
        return None
    from bibtexparser.latexenc import latex_to_unicode

    text = latex_to_unicode(value).replace("{", "").replace("}", "")
    text = text.replace("---", "\u2014").replace("--", "-").replace("\\&", "&")
    text = " ".join(text.split())
    return text or None


def _split_bibtex_names(value: str) -> list[str]:
    """Split an author field on ' and ' outside braces."""
    names, depth, current = [], 0, []
    tokens = re.split(r"(\s+and\s+|[{}])", value)
    for token in tokens:
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+and\s+", token or ""):
            names.append("".join(current))
            current = []
        else:
            current.append(token)
    names.append("".join(current))
    return [n.strip() for n in names if n.strip()]


def _bibtex_authors(value: str | None) -> tuple[list[str], str]:
    """Formatted authors and the family name of the first (for the id)."""
    from bibtexparser.customization import splitname

    if not value:
        return [], ""
    authors, first_family = [], ""
    for name in _split_bibtex_names(value):
        try:
            parts = splitname(name, strict_mode=False)
        except Exception:  # splitname raises plain errors on odd names; fall back to commas
            family, given = _split_plain_name(_latex_clean(name) or name)
            parts = {"von": [], "last": [family], "first": given, "jr": []}
        last = _latex_clean(" ".join(parts["last"])) or ""
        family = " ".join([*(_latex_clean(v) or "" for v in parts["von"]), last]).strip()
        if parts["jr"]:
            family += " " + " ".join(_latex_clean(j) or "" for j in parts["jr"])
        given = [_latex_clean(g) or "" for g in parts["first"]]
        authors.append(format_author(family, given))
        first_family = first_family or last
    return authors, first_family


def _bibtex_fields(entry: dict[str, str], added_by, added_on) -> tuple[dict, dict]:
    kind = entry.get("ENTRYTYPE", "").lower()
    url = (entry.get("url") or "").strip() or None
    source_type = BIBTEX_TYPES.get(kind)
    if source_type is None and kind in BIBTEX_WEB_TYPES and url:
        source_type = "web_page"
    authors, first_family = _bibtex_authors(entry.get("author") or entry.get("editor"))
    raw_year = entry.get("year") or entry.get("date")
    year = _year(raw_year)
    container = {
        "journal_article": entry.get("journal") or entry.get("journaltitle"),
        "chapter": entry.get("booktitle"),
        "conference_paper": entry.get("booktitle"),
        "thesis": entry.get("school") or entry.get("institution"),
        "report": entry.get("institution") or entry.get("publisher"),
        "book": entry.get("publisher"),
    }.get(source_type or "")
    venue = _venue(
        _latex_clean(container),
        _latex_clean(entry.get("volume")),
        _latex_clean(entry.get("number")),
        _latex_clean(entry.get("pages")),
    )
    language = entry.get("language") or entry.get("langid")
    fields = {
        "id": source_id_from_key(entry.get("ID"), first_family, year),
        "type": source_type,
        "authors": authors,
        "year": year,
        "title": _latex_clean(entry.get("title")),
        "venue": venue,
        "doi": _normalise_doi(entry["doi"]) if entry.get("doi") else None,
        "url": url,
        "language": _language_code(_latex_clean(language) or "") if language else None,
        "added_by": added_by,
        "added_on": added_on,
    }
    raw = {"year": raw_year, "language": language, "type": kind}
    return fields, raw


def _bibtex_starts(text: str) -> list[tuple[str, str, int]]:
    """(type, key, line) of every ``@type{key,`` in the text."""
    starts = []
    for match in _ENTRY_START.finditer(text):
        kind = match.group(1).lower()
        if kind in _NON_ENTRIES:
            continue
        line = text.count("\n", 0, match.start()) + 1
        starts.append((kind, match.group(2), line))
    return starts


def _unparsed_problem(text: str, filename: str, start: tuple[str, str, int], end: int | None):
    kind, key, line = start
    lines = text.split("\n")
    segment = "\n".join(lines[line - 1 : (end - 1) if end else None])
    opened, closed = segment.count("{"), segment.count("}")
    if opened != closed:
        reason = f"unbalanced braces ({opened} '{{' but {closed} '}}')"
    elif not key:
        reason = "the entry has no citation key"
    else:
        reason = "check braces, quotes and the commas between fields"
    return Problem(filename, line, key or "", f"cannot parse @{kind} entry {key!r}: {reason}")


def skeletons_from_bibtex(
    text: str,
    *,
    filename: str,
    added_by: str | None = None,
    added_on: date | None = None,
) -> list[dict[str, Any]]:
    """Return entry skeletons (plain dicts in the entry format) for the records of a BibTeX file.

    Parameters
    ----------
    text : str
        The BibTeX text.
    filename : str
        Name used in problems.
    added_by, added_on : optional
        Provenance written into every skeleton.

    Returns
    -------
    list of dict
        One skeleton per record; its id is the citation key (lower-cased) when that is a
        valid source id, else ``<first author family><year>``; ids made unique with a/b/...

    Raises
    ------
    EntryError
        Every record that cannot be read or lacks a title, year or author, with its line.

    Examples
    --------
    >>> bib = "@article{Doe2020, author={Doe, Jane}, title={A {Test} fixture}, year={2020}}"
    >>> skeletons_from_bibtex(bib, filename="refs.bib")[0]
    {'id': 'doe2020', 'type': 'journal_article', 'authors': ['Doe, J.'], 'year': 2020, 'title': 'A Test fixture', 'findings': []}
    """
    import bibtexparser
    from bibtexparser.bibdatabase import UndefinedString
    from bibtexparser.bparser import BibTexParser

    starts = _bibtex_starts(text)
    try:
        database = bibtexparser.loads(
            text, BibTexParser(common_strings=True, ignore_nonstandard_types=False)
        )
    except UndefinedString as exc:
        name = str(exc).strip("'\"")
        match = re.search(rf"=\s*{re.escape(name)}\b", text, flags=re.IGNORECASE)
        line = text.count("\n", 0, match.start()) + 1 if match else None
        raise EntryError(
            [Problem(filename, line, "", f"undefined BibTeX string {name!r}; put it in braces")]
        ) from None
    except Exception as exc:  # the v1 parser raises assorted pyparsing errors
        raise EntryError([Problem(filename, None, "", f"cannot parse BibTeX: {exc}")]) from None
    problems: list[Problem] = []
    skeletons: list[dict[str, Any]] = []
    cursor = 0
    for entry in database.entries:
        key = entry.get("ID", "")
        line = None
        for index in range(cursor, len(starts)):
            if starts[index][1] == key:
                for skipped in range(cursor, index):
                    end = starts[skipped + 1][2] if skipped + 1 < len(starts) else None
                    problems.append(_unparsed_problem(text, filename, starts[skipped], end))
                line = starts[index][2]
                cursor = index + 1
                break
        fields, raw = _bibtex_fields(entry, added_by, added_on)
        entry_problems = _check_common(fields, raw, (filename, line, key))
        problems.extend(entry_problems)
        if not entry_problems:
            skeletons.append(_skeleton(fields))
    for skipped in range(cursor, len(starts)):
        end = starts[skipped + 1][2] if skipped + 1 < len(starts) else None
        problems.append(_unparsed_problem(text, filename, starts[skipped], end))
    if not starts and not database.entries:
        problems.append(Problem(filename, None, "", "no BibTeX entries (@type{key, ...}) found"))
    if problems:
        raise EntryError(sorted(problems, key=lambda p: p.line or 0))
    _dedupe_ids(skeletons)
    return skeletons
