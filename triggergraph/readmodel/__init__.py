"""The read model: sources, findings and cell verdicts in memory, one immutable index per data version.

:class:`EvidenceIndex` (:mod:`.index`) holds the tables and every precomputed cell and makes
the next index after a write with :meth:`~EvidenceIndex.updated`, recomputing only what the
write reaches (:mod:`.changes`). :mod:`.checks` validates the values a read asks for;
:mod:`.citation` reads small facts off entries. The answers are built from the index by
:mod:`triggergraph.answers.builders`.
"""

from .checks import LANGS, MAX_LIMIT, check_known, check_lang, check_page, check_scale
from .citation import carries_all, format_citation
from .index import MAX_CACHED_ANSWERS, EvidenceIndex

__all__ = [
    "LANGS",
    "MAX_CACHED_ANSWERS",
    "MAX_LIMIT",
    "EvidenceIndex",
    "carries_all",
    "check_known",
    "check_lang",
    "check_page",
    "check_scale",
    "format_citation",
]
