"""DOIs as entries share them: normalising, and the one duplicate-DOI check."""

from __future__ import annotations

from ..exceptions import Problem
from .source import Source


def normalise_doi(doi: str) -> str:
    """A DOI as two entries of the same work would share it: resolver prefix gone, lower case.

    Examples
    --------
    >>> normalise_doi("https://doi.org/10.1080/ABC.12")
    '10.1080/abc.12'
    """
    text = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    return text.lower()


def duplicate_doi_problems(
    sources: list[Source], existing: list[Source] = (), where: str | None = None
) -> list[Problem]:
    """One problem for each source whose DOI another source already has.

    The one check behind ``triggergraph add``, ``triggergraph validate`` and the API's POST
    and PUT: the same work entered twice would be counted twice.

    Parameters
    ----------
    sources : list of Source
        The entries to check (also against each other, in order).
    existing : list of Source
        Entries already there; a source is never compared with one of the same id.
    where : str, optional
        The file named in problems (default ``literature/<id>.yaml``).

    Examples
    --------
    >>> a = Source(id="a", type="report", authors=["A, B."], year=2020, title="T",
    ...            doi="10.1234/x", added_by="t", added_on="2026-01-01")
    >>> b = a.model_copy(update={"id": "b", "doi": "10.1234/X"})
    >>> [p.message for p in duplicate_doi_problems([b], [a])]
    ["DOI '10.1234/X' is already the DOI of source 'a'; enter a work once (edit 'a' instead)"]
    """
    owner: dict[str, str] = {}
    for source in existing:
        if source.doi:
            owner.setdefault(normalise_doi(source.doi), source.id)
    problems = []
    for source in sources:
        if not source.doi:
            continue
        key = normalise_doi(source.doi)
        other = owner.setdefault(key, source.id)
        if other != source.id:
            problems.append(
                Problem(
                    where or f"literature/{source.id}.yaml",
                    None,
                    "doi",
                    f"DOI {source.doi!r} is already the DOI of source {other!r}; "
                    f"enter a work once (edit {other!r} instead)",
                )
            )
    return problems
