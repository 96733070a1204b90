"""Fields of a reference record as an entry skeleton: authors, DOI, language, venue, id."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..exceptions import Problem
from ..models import DOI_PATTERN, SOURCE_ID_PATTERN

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

_YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100)")


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
