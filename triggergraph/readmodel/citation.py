"""Small facts read off entries: a source's citation string, whether a finding fits a profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Finding, Source


def carries_all(finding: Finding, chosen: Mapping[str, str]) -> bool:
    """Whether ``finding`` carries every chosen profile attribute (the AND of a profile).

    ``chosen`` maps ``driver``/``sex``/``age``/``education`` to a driver id or demographic value.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> f = NS(drivers=[NS(driver="justice_seeker")], demographics=["sex_male"])
    >>> carries_all(f, {"driver": "justice_seeker", "sex": "sex_male"})
    True
    >>> carries_all(f, {"driver": "justice_seeker", "age": "age_18_25"})
    False
    """
    for dimension, value in chosen.items():
        if dimension == "driver":
            if not any(link.driver == value for link in finding.drivers):
                return False
        elif value not in finding.demographics:
            return False
    return True


def format_citation(source: Source) -> str:
    """Return an APA-like reference string for a source.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> format_citation(S(authors=["Jasko, K.", "LaFree, G."], year=2017, title="Quest",
    ...                   venue="Political Psychology 38(5)", doi="10.1111/pops.12376", url=None))
    'Jasko, K., & LaFree, G. (2017). Quest. Political Psychology 38(5). https://doi.org/10.1111/pops.12376'
    """
    authors = list(source.authors)
    names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + ", & " + authors[-1]
    title = source.title if source.title.endswith((".", "?", "!")) else source.title + "."
    text = f"{names} ({source.year}). {title}"
    if source.venue:
        text += f" {source.venue}."
    if source.doi:
        text += f" https://doi.org/{source.doi}"
    elif source.url:
        text += f" {source.url}"
    return text
