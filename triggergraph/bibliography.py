"""BibTeX and RIS records to literature entry skeletons, and writing those skeletons safely."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .exceptions import ConflictError, EntryError, Problem
from .loader import dump_entry_yaml, parse_entry, write_text_atomic
from .models import DOI_PATTERN, SOURCE_ID_PATTERN

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

#: BibTeX entry type -> source-type id.
BIBTEX_TYPES: dict[str, str] = {
    "article": "journal_article",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "inproceedings": "conference_paper",
    "conference": "conference_paper",
}
#: BibTeX types that are a web page when they carry a URL.
BIBTEX_WEB_TYPES: frozenset[str] = frozenset({"misc", "online", "electronic", "www"})

#: RIS ``TY`` -> source-type id.
RIS_TYPES: dict[str, str] = {
    "JOUR": "journal_article",
    "EJOUR": "journal_article",
    "JFULL": "journal_article",
    "MGZN": "journal_article",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "RPRT": "report",
    "THES": "thesis",
    "CONF": "conference_paper",
    "CPAPER": "conference_paper",
    "GOVDOC": "government_document",
}
#: RIS types that are a web page when they carry a URL.
RIS_WEB_TYPES: frozenset[str] = frozenset({"ELEC", "WEB", "BLOG", "GEN"})

#: Language names as reference managers write them -> ISO 639-1 code.
LANGUAGE_CODES: dict[str, str] = {
    "english": "en",
    "dutch": "nl",
    "nederlands": "nl",
    "flemish": "nl",
    "german": "de",
    "deutsch": "de",
    "french": "fr",
    "français": "fr",
    "spanish": "es",
    "italian": "it",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "finnish": "fi",
    "polish": "pl",
    "portuguese": "pt",
    "arabic": "ar",
    "turkish": "tr",
}

#: Order of the keys of a skeleton, as in the entry format.
SKELETON_KEYS: tuple[str, ...] = (
    "id",
    "type",
    "authors",
    "year",
    "title",
    "venue",
    "doi",
    "url",
    "language",
    "added_by",
    "added_on",
    "findings",
)

_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]*)")
_NON_ENTRIES = frozenset({"comment", "preamble", "string"})
_YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100)")


# ---- shared helpers -----------------------------------------------------------------


def _ascii_slug(text: str) -> str:
    """Lowercase ASCII letters and digits only: 'Doosje-Schön' -> 'doosjeschon'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _initials(given: Iterable[str]) -> str:
    """'Arie W.' -> 'A. W.'; 'Jean-Pierre' -> 'J.-P.'."""
    out = []
    for token in given:
        parts = [p for p in token.split("-") if p]
        letters = [p[0].upper() + "." for p in parts if p[0].isalpha()]
        if letters:
            out.append("-".join(letters))
    return " ".join(out)


def format_author(family: str, given: Iterable[str] = ()) -> str:
    """Return an author as written in entries.

    Examples
    --------
    >>> format_author("Kruglanski", ["Arie", "W."])
    'Kruglanski, A. W.'
    >>> format_author("World Health Organization")
    'World Health Organization'
    """
    initials = _initials(given)
    return f"{family}, {initials}" if initials else family


def _split_plain_name(name: str) -> tuple[str, list[str]]:
    """'Jasko, Katarzyna' or 'Katarzyna Jasko' -> ('Jasko', ['Katarzyna'])."""
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.replace(".", ". ").split()
    tokens = name.split()
    return (tokens[-1], tokens[:-1]) if tokens else ("", [])


def _normalise_doi(value: str) -> str:
    doi = value.strip()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    return doi


def _language_code(value: str) -> str | None:
    text = value.strip().lower()
    if re.fullmatch(r"[a-z]{2}([-_][a-z]{2})?", text):
        return text[:2]
    return LANGUAGE_CODES.get(text)


def _venue(container: str | None, volume: str | None, number: str | None, pages: str | None):
    """'Political Psychology', '38', '5', '815-831' -> 'Political Psychology 38(5), 815-831'."""
    if not container:
        return None
    venue = container
    if volume:
        venue += f" {volume}"
        if number:
            venue += f"({number})"
    if pages:
        venue += f", {pages}"
    return venue


def _skeleton(fields: dict[str, Any]) -> dict[str, Any]:
    out = {key: fields[key] for key in SKELETON_KEYS if fields.get(key) not in (None, "")}
    out["findings"] = []
    return out


def _check_common(
    fields: dict[str, Any], raw: dict[str, str | None], where: tuple[str, int | None, str]
) -> list[Problem]:
    """Title, year, authors, DOI, URL and language of one record; ``where`` = (file, line, label)."""
    filename, line, label = where
    problems = []
    if not fields.get("title"):
        problems.append(Problem(filename, line, f"{label}.title", f"entry {label!r} has no title"))
    year_text = raw.get("year")
    if not year_text:
        problems.append(Problem(filename, line, f"{label}.year", f"entry {label!r} has no year"))
    elif fields.get("year") is None:
        problems.append(
            Problem(
                filename,
                line,
                f"{label}.year",
                f"{year_text!r} is not a year (expected four digits, 1800-2100)",
            )
        )
    if not fields.get("authors"):
        problems.append(
            Problem(filename, line, f"{label}.author", f"entry {label!r} has no author or editor")
        )
    doi = fields.get("doi")
    if doi and not re.match(DOI_PATTERN, doi):
        problems.append(
            Problem(
                filename, line, f"{label}.doi", f"{doi!r} does not look like a DOI (10.xxxx/...)"
            )
        )
    url = fields.get("url")
    if url and not re.match(r"^https?://\S+$", url):
        problems.append(Problem(filename, line, f"{label}.url", f"{url!r} is not an http(s) URL"))
    language = raw.get("language")
    if language and fields.get("language") is None:
        problems.append(
            Problem(
                filename,
                line,
                f"{label}.language",
                f"{language!r} is not a language this importer knows; use a two-letter code "
                "such as 'en' or 'nl'",
            )
        )
    if fields.get("type") is None:
        problems.append(
            Problem(
                filename,
                line,
                f"{label}.type",
                f"entry type {raw.get('type')!r} has no source type; valid: "
                + ", ".join(sorted(set(BIBTEX_TYPES) | {"misc or online with a url"})),
            )
        )
    return problems


def _year(text: str | None) -> int | None:
    match = _YEAR.search(text or "")
    return int(match.group(1)) if match else None


def _dedupe_ids(skeletons: list[dict[str, Any]]) -> None:
    """Give ids that occur more than once a/b/c... suffixes, in file order."""
    counts: dict[str, int] = {}
    for skeleton in skeletons:
        counts[skeleton["id"]] = counts.get(skeleton["id"], 0) + 1
    taken = {sid for sid, n in counts.items() if n == 1}
    seen: dict[str, int] = {}
    for skeleton in skeletons:
        base = skeleton["id"]
        if counts[base] == 1:
            continue
        index = seen.get(base, 0)
        while True:
            suffix = _letters(index)
            index += 1
            if f"{base}{suffix}" not in taken:
                break
        seen[base] = index
        skeleton["id"] = f"{base}{suffix}"
        taken.add(skeleton["id"])


def _letters(index: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa'."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _make_id(first_family: str, year: int | None) -> str:
    slug = _ascii_slug(first_family)[:40] or "anon"
    return f"{slug}{year or ''}"


def source_id_from_key(key: str | None, first_family: str, year: int | None) -> str:
    """The citation key (lower-cased) when it is a valid source id, else ``<family><year>``.

    Examples
    --------
    >>> source_id_from_key("Jasko2017", "Jasko", 2017)
    'jasko2017'
    >>> source_id_from_key("jasko:2017:quest", "Jasko", 2017)
    'jasko2017'
    """
    candidate = (key or "").strip().lower()
    if candidate and re.match(SOURCE_ID_PATTERN, candidate):
        return candidate
    return _make_id(first_family, year)


# ---- BibTeX -------------------------------------------------------------------------


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


# ---- RIS ----------------------------------------------------------------------------

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


# ---- writing ------------------------------------------------------------------------


def add_skeletons(
    skeletons: list[dict[str, Any]],
    directory: Path,
    *,
    added_by: str,
    added_on: date,
    overwrite: bool = False,
    vocabulary: Vocabulary | None = None,
) -> list[Path]:
    """Write skeletons as ``<directory>/<id>.yaml``; all of them or none.

    Parameters
    ----------
    skeletons : list of dict
        From :func:`skeletons_from_bibtex` or :func:`skeletons_from_ris`.
    directory : Path
        The literature folder.
    added_by, added_on
        Provenance written into every entry.
    overwrite : bool
        Replace entries whose id already exists. Without it an existing id is refused.
    vocabulary : Vocabulary, optional
        Check the source types against it.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ConflictError
        An id already has a file (nothing is written).
    EntryError
        A skeleton does not load back as an entry (nothing is written).
    """
    directory = Path(directory)
    prepared = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, skeleton in enumerate(skeletons):
        data = {**skeleton, "added_by": added_by, "added_on": added_on}
        data.setdefault("findings", [])
        source_id = str(data.get("id"))
        target = directory / f"{source_id}.yaml"
        if source_id in seen:
            problems.append(
                Problem(str(target), None, "id", f"id {source_id!r} occurs twice in this import")
            )
            continue
        seen[source_id] = index
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        try:
            source = parse_entry(text, filename=str(target), vocabulary=vocabulary)
        except EntryError as exc:
            problems.extend(exc.problems)
            continue
        prepared.append((source, target))
    if problems:
        raise EntryError(problems)
    existing = [(s.id, t) for s, t in prepared if t.exists()]
    if existing and not overwrite:
        named = ", ".join(f"{sid!r} ({target})" for sid, target in existing)
        raise ConflictError(
            f"refusing to overwrite existing entries: {named}; edit them by hand or use overwrite"
        )
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    created: list[Path] = []
    try:
        for source, target in prepared:
            existed = target.exists()
            write_text_atomic(target, dump_entry_yaml(source), overwrite=overwrite)
            written.append(target)
            if not existed:
                created.append(target)
    except BaseException:
        # A file that appeared meanwhile stops the import; take back what this call created.
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return written


__all__ = [
    "BIBTEX_TYPES",
    "RIS_TYPES",
    "add_skeletons",
    "format_author",
    "skeletons_from_bibtex",
    "skeletons_from_ris",
]
