"""BibTeX and RIS records to literature entry skeletons, and writing those skeletons safely.

``bibtex`` and ``ris`` read the two formats, ``records`` turns the fields of one record into
an entry skeleton (authors, DOI, language, venue, id), ``skeletons`` writes them as
``literature/<id>.yaml`` files.
"""

from __future__ import annotations

from .bibtex import BIBTEX_TYPES, skeletons_from_bibtex
from .records import format_author
from .ris import RIS_TYPES, skeletons_from_ris
from .skeletons import add_skeletons

__all__ = [
    "BIBTEX_TYPES",
    "RIS_TYPES",
    "add_skeletons",
    "format_author",
    "skeletons_from_bibtex",
    "skeletons_from_ris",
]
