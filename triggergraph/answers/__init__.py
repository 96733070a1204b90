"""The answers of triggergraph: one pydantic model per answer, shared by REST, viewer and CLI.

Each answer (factor list, factor, matrix, profile, gaps, findings, sources, health, drivers,
demographics, construct, a factor's cell history) is defined here once. The REST routes use these models as their
response models, so the OpenAPI document is generated from them; the viewer's templates and
the CLI read the same shapes. The typed query objects the routes parse and the read model
takes (:class:`MatrixQuery`, ...) live in :mod:`triggergraph.answers.queries`.

The dicts are still built by :class:`~triggergraph.index.EvidenceIndex`; the models list the
fields every answer has and allow more (``extra="allow"``), so a field added to a cell or a
finding there is served before it is named here.
"""

from __future__ import annotations

from .cells import Cell, ColumnRef, CountedFinding, FactorSummary, FindingRef, MatrixCell
from .evidence import (
    EffectAnswer,
    FindingAnswer,
    FindingsPage,
    SourceAnswer,
    SourceFinding,
    SourcesPage,
    SourceSummary,
)
from .factors import (
    ConstructAnswer,
    ConstructListItem,
    ConstructsPage,
    FactorAnswer,
    FactorListItem,
    FactorsPage,
    MappingRef,
)
from .health import HealthAnswer, IndexHealth, ProblemAnswer
from .history import CellHistory, FactorHistoryAnswer, ReleaseRef, VerdictSpan
from .matrix import MatrixAnswer, MatrixFilters, MatrixLevel
from .profile import (
    DemographicsAnswer,
    DriverAnswer,
    DriversAnswer,
    GapEntry,
    GapsAnswer,
    ProfileAnswer,
    ProfileChoice,
    RankedFactor,
)
from .proposals import ConstructProposalAnswer, ConstructProposalsPage, ProposedMapping
from .queries import (
    ConstructsQuery,
    FactorsQuery,
    FindingsQuery,
    LangQuery,
    MatrixQuery,
    ProfileQuery,
    SourcesQuery,
)

__all__ = [
    "Cell",
    "CellHistory",
    "ColumnRef",
    "ConstructAnswer",
    "ConstructListItem",
    "ConstructProposalAnswer",
    "ConstructProposalsPage",
    "ConstructsPage",
    "ConstructsQuery",
    "CountedFinding",
    "DemographicsAnswer",
    "DriverAnswer",
    "DriversAnswer",
    "EffectAnswer",
    "FactorAnswer",
    "FactorHistoryAnswer",
    "FactorListItem",
    "FactorSummary",
    "FactorsPage",
    "FactorsQuery",
    "FindingAnswer",
    "FindingRef",
    "FindingsPage",
    "FindingsQuery",
    "MappingRef",
    "GapEntry",
    "GapsAnswer",
    "HealthAnswer",
    "IndexHealth",
    "LangQuery",
    "MatrixAnswer",
    "MatrixCell",
    "MatrixFilters",
    "MatrixLevel",
    "MatrixQuery",
    "ProblemAnswer",
    "ProfileAnswer",
    "ProfileChoice",
    "ProfileQuery",
    "ProposedMapping",
    "RankedFactor",
    "ReleaseRef",
    "SourceAnswer",
    "SourceFinding",
    "SourceSummary",
    "SourcesPage",
    "SourcesQuery",
    "VerdictSpan",
]
