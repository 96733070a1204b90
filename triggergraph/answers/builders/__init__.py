"""Answer builders: pure functions from the read model and a typed query to one answer model.

One module per answer family: :mod:`.factors`, :mod:`.construct`, :mod:`.drivers` (drivers
and demographics), :mod:`.findings`, :mod:`.sources`, :mod:`.matrix`, :mod:`.gaps`,
:mod:`.profile`, :mod:`.health`; :mod:`.parts` holds the pieces they share and
:mod:`.serialise` the JSON bytes of the hot answers, kept per data version. The REST routes,
the viewer and the CLI all read what these return.
"""

from .construct import build_construct, build_constructs
from .drivers import build_demographics, build_driver, build_drivers
from .factors import build_factor, build_factors
from .findings import build_finding, build_findings
from .gaps import build_gaps
from .health import build_index_health
from .matrix import build_cell, build_matrix
from .profile import PROFILE_NOTICE, build_profile
from .serialise import (
    answer_json,
    factor_json,
    factors_json,
    matrix_json,
    profile_json,
    warm_factor_lists,
)
from .sources import build_source, build_sources

__all__ = [
    "PROFILE_NOTICE",
    "answer_json",
    "build_cell",
    "build_construct",
    "build_constructs",
    "build_demographics",
    "build_driver",
    "build_drivers",
    "build_factor",
    "build_factors",
    "build_finding",
    "build_findings",
    "build_gaps",
    "build_index_health",
    "build_matrix",
    "build_profile",
    "build_source",
    "build_sources",
    "factor_json",
    "factors_json",
    "matrix_json",
    "profile_json",
    "warm_factor_lists",
]
