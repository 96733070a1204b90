"""Entry drafts for the curation form: a skeleton from a pasted DOI, BibTeX or RIS record, and checks.

A draft is a plain dict in the entry format. :func:`check_draft` gives the problems that
``triggergraph validate`` would report (models, then SHACL), each with the path of its field
(``findings[0].factor``) so the form can show it next to that field, plus the warnings a
curator needs before submitting: findings that reach no cell of the map, and sources that
look like the same work (same DOI, or the same title once case, accents and punctuation are
ignored).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from .bibliography import skeletons_from_bibtex, skeletons_from_ris
from .checks import check_sources
from .constructs import fold_text
from .exceptions import EntryError, Problem
from .loader import parse_entry
from .shapes import validate_sources

if TYPE_CHECKING:
    from .models import Source
    from .vocabulary import Vocabulary

#: where problems of a form submission are said to be
FORM_FILE = "<form>"

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_RIS_START = re.compile(r"^TY  - ", re.MULTILINE)


def _problem(field: str, message: str) -> EntryError:
    return EntryError([Problem(FORM_FILE, None, field, message)])


def normalise_title(title: str) -> str:
    """A title reduced to lower-case ASCII words, for spotting the same work twice.

    Examples
    --------
    >>> normalise_title("Quest for Significance — and  Violent Extremism!")
    'quest for significance and violent extremism'
    """
    return " ".join(re.findall(r"[a-z0-9]+", fold_text(title)))


def normalise_doi(doi: str) -> str:
    """A DOI without resolver prefix, in lower case (DOIs are case-insensitive).

    Examples
    --------
    >>> normalise_doi("https://doi.org/10.1111/POPS.12376")
    '10.1111/pops.12376'
    """
    match = _DOI.search(doi)
    return (match.group(1) if match else doi).rstrip(".,;").lower()


def draft_from_paste(text: str, *, added_by: str, today: date) -> dict[str, Any]:
    """Start a draft from one pasted BibTeX record, RIS record or DOI.

    A BibTeX or RIS record fills the source fields as ``triggergraph add`` does. A DOI alone
    fills only ``doi``: this server looks nothing up on the internet, so authors, year and
    title are then typed in from the paper.

    Raises
    ------
    EntryError
        The paste is none of the three, holds more than one record, or a record is
        incomplete (the importer's problems, with their field).

    Examples
    --------
    >>> draft_from_paste("doi:10.1111/pops.12376", added_by="A", today=date(2026, 12, 1))["doi"]
    '10.1111/pops.12376'
    """
    text = text.strip()
    if not text:
        raise _problem("paste", "paste a DOI, one BibTeX record or one RIS record")
    if text.startswith("@"):
        skeletons = skeletons_from_bibtex(
            text, filename="<paste>", added_by=added_by, added_on=today
        )
    elif _RIS_START.search(text):
        skeletons = skeletons_from_ris(text, filename="<paste>", added_by=added_by, added_on=today)
    elif _DOI.search(text):
        return {
            "doi": normalise_doi(text),
            "added_by": added_by,
            "added_on": today.isoformat(),
            "findings": [],
        }
    else:
        raise _problem(
            "paste",
            "this is not a DOI (10.xxxx/...), a BibTeX record (@article{...}) or a RIS "
            "record (TY  - JOUR ...)",
        )
    if len(skeletons) != 1:
        raise _problem("paste", f"paste one record at a time; this paste holds {len(skeletons)}")
    draft = dict(skeletons[0])
    if "added_on" in draft:
        draft["added_on"] = str(draft["added_on"])
    return draft


def find_duplicates(draft: dict[str, Any], sources: Iterable[Source]) -> list[dict[str, str]]:
    """Sources that look like the draft's work: ``[{source_id, title, by}]``, ``by`` doi or title.

    The draft's own id is skipped, so editing a source does not find itself.
    """
    own_id = draft.get("id")
    doi = normalise_doi(str(draft["doi"])) if draft.get("doi") else None
    title = normalise_title(str(draft["title"])) if draft.get("title") else None
    found = []
    for source in sources:
        if source.id == own_id:
            continue
        if doi and source.doi and normalise_doi(source.doi) == doi:
            found.append({"source_id": source.id, "title": source.title, "by": "doi"})
        elif title and normalise_title(source.title) == title:
            found.append({"source_id": source.id, "title": source.title, "by": "title"})
    return found


def _problem_dict(problem: Problem) -> dict[str, Any]:
    return {
        "field": problem.field,
        "message": problem.message,
        "suggestions": list(problem.suggestions),
    }


def check_draft(
    draft: dict[str, Any],
    vocabulary: Vocabulary,
    sources: Iterable[Source],
    *,
    replacing: str | None = None,
) -> dict[str, Any]:
    """Check a draft as ``validate`` would, plus the corpus checks a write makes.

    Parameters
    ----------
    draft : dict
        The entry as the form holds it.
    vocabulary : Vocabulary
    sources : iterable of Source
        The sources already stored (for taken ids and duplicates).
    replacing : str, optional
        The id of the source this draft replaces, if it edits one.

    Returns
    -------
    dict
        ``{ok, problems: [{field, message, suggestions}], warnings: [{field, message}],
        duplicates: [{source_id, title, by}]}``; ``ok`` is true when there is no problem
        (warnings and duplicates do not block a submission).
    """
    stored = list(sources)
    problems: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    source: Source | None = None
    try:
        source = parse_entry(
            json.dumps(draft), filename=FORM_FILE, vocabulary=vocabulary, media_type="json"
        )
    except EntryError as error:
        problems = [_problem_dict(p) for p in error.problems]
    except RecursionError:
        problems = [{"field": "", "message": "the entry is nested too deeply", "suggestions": []}]
    if source is not None:
        problems = [_problem_dict(p) for p in validate_sources([source], vocabulary)]
        positions = {f.id: n for n, f in enumerate(source.findings)}
        for check in check_sources([source], vocabulary):
            found = _problem_dict(check.problem)
            found["field"] = _by_position(found["field"], positions)
            (problems if check.severity == "error" else warnings).append(found)
        problems += _corpus_problems(source, stored, replacing)
    else:
        warnings = _unparsed_reach_warnings(draft, vocabulary)
    return {
        "ok": not problems,
        "problems": problems,
        "warnings": warnings,
        "duplicates": find_duplicates(draft, stored),
    }


def _unparsed_reach_warnings(draft: dict[str, Any], vocabulary: Vocabulary) -> list[dict]:
    """While the draft does not load yet: the findings whose factor reaches no cell as a vote."""
    out = []
    for index, finding in enumerate(draft.get("findings") or []):
        factor = finding.get("factor") if isinstance(finding, dict) else None
        known = isinstance(factor, str) and factor in vocabulary.constructs
        if known and not vocabulary.triggers_for(factor):
            out.append(
                {
                    "field": f"findings[{index}].factor",
                    "message": f"construct {factor!r} counts toward no cell of the map",
                    "suggestions": [],
                }
            )
    return out


def _by_position(field: str, positions: dict[str, int]) -> str:
    """``findings[<finding id>].x`` (as ``validate`` names it) -> ``findings[<position>].x``.

    Examples
    --------
    >>> _by_position("findings[F7].effect.value", {"F7": 2})
    'findings[2].effect.value'
    """
    match = re.match(r"^findings\[([^\]]+)\](.*)$", field)
    if match and match.group(1) in positions:
        return f"findings[{positions[match.group(1)]}]{match.group(2)}"
    return field


def _corpus_problems(source: Source, stored: list[Source], replacing: str | None) -> list[dict]:
    problems = []
    if replacing is None and any(s.id == source.id for s in stored):
        problems.append(
            {
                "field": "id",
                "message": f"source {source.id!r} already exists; choose another id",
                "suggestions": [],
            }
        )
    owners = {f.id: s.id for s in stored for f in s.findings}
    own = replacing or source.id
    for index, finding in enumerate(source.findings):
        owner = owners.get(finding.id)
        if owner is not None and owner != own:
            problems.append(
                {
                    "field": f"findings[{index}].id",
                    "message": f"finding id {finding.id!r} is already used by source {owner!r}",
                    "suggestions": [],
                }
            )
    return problems
