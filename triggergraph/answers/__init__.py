"""The answers of triggergraph: one pydantic model per answer, shared by REST, viewer and CLI.

Each answer (factor list, factor, matrix, profile, gaps, findings, sources, health, drivers,
demographics, construct, a factor's cell history) is defined here once. The REST routes use these models as their
response models, so the OpenAPI document is generated from them; the viewer's templates and
the CLI read the same shapes. The typed query objects the routes parse and the read model
takes (:class:`MatrixQuery`, ...) live in :mod:`triggergraph.answers.queries`.

Each answer is built by one pure function of :mod:`triggergraph.answers.builders` from the
read model (:class:`~triggergraph.readmodel.EvidenceIndex`) and the typed query;
:mod:`triggergraph.answers.text` renders the matrix and the gaps for the terminal and as CSV.
The models allow fields they do not name (``extra="allow"``), so a part added to a cell's
verdict is served before it is named here.
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
