"""Cell verdicts: which findings count toward a (factor x driver/group) cell, and what they add up to.

Pure functions over entry models and the vocabulary, in four parts: which findings count and
how directly (:mod:`.counting`), the direction vote (:mod:`.direction`), the GRADE-style
certainty of the body of evidence (:mod:`.certainty`) and the explanation (:mod:`.explain`);
:mod:`.cells` puts them together. The rule is written out for people in ``docs/verdicts.md``.
"""

from .cells import (
    CellVerdict,
    as_columns,
    check_min_verdict,
    compute_cell,
    compute_cells,
    compute_matrix,
    decide,
    find_gaps,
    meets_min_verdict,
    rank_cells,
    rank_profile,
)
from .certainty import Downgrade, rate_body
from .counting import (
    ContextFinding,
    CountedFinding,
    EvidencePair,
    RoutedEvidence,
    column_kind,
    downgrade,
    finding_columns,
    group_sources,
    route_by_factor,
    touched_cells,
)
from .explain import cell_report, explain_cell
from .terms import (
    ANY_COLUMN,
    ANY_LABELS,
    CERTAINTIES,
    CERTAINTY_WEIGHTS,
    CONTEXT_LABELS,
    DIRECTION_WORDS,
    DOMAIN_LABELS,
    DOMAINS,
    STRENGTH_ORDER,
    VERDICT_LABELS,
    VERDICT_RANK,
    VERDICTS,
    VOTING_DIRECTIONS,
)

__all__ = [
    "ANY_COLUMN",
    "ANY_LABELS",
    "CERTAINTIES",
    "CERTAINTY_WEIGHTS",
    "CONTEXT_LABELS",
    "DIRECTION_WORDS",
    "DOMAINS",
    "DOMAIN_LABELS",
    "STRENGTH_ORDER",
    "VERDICTS",
    "VERDICT_LABELS",
    "VERDICT_RANK",
    "VOTING_DIRECTIONS",
    "CellVerdict",
    "ContextFinding",
    "CountedFinding",
    "Downgrade",
    "EvidencePair",
    "RoutedEvidence",
    "as_columns",
    "cell_report",
    "check_min_verdict",
    "column_kind",
    "compute_cell",
    "compute_cells",
    "compute_matrix",
    "decide",
    "downgrade",
    "explain_cell",
    "find_gaps",
    "finding_columns",
    "group_sources",
    "meets_min_verdict",
    "rank_cells",
    "rank_profile",
    "rate_body",
    "route_by_factor",
    "touched_cells",
]
