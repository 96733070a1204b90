"""The dated releases as the service reads them: the release log and a factor's cell history."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..answers.builders import build_factor
from ..answers.queries import ENGLISH, LangQuery
from ..timeline import ReleaseLog, ReleaseReader, factor_history

if TYPE_CHECKING:
    from ..answers import FactorHistoryAnswer
    from ..readmodel import EvidenceIndex


class Releases:
    """What :class:`~triggergraph.service.EvidenceService` reads of ``settings.release_dir``."""

    _releases: ReleaseReader
    ensure_fresh: Callable[[], EvidenceIndex]

    def release_log(self) -> ReleaseLog:
        """The dated releases in ``settings.release_dir``, oldest first (empty when none)."""
        return self._releases.log()

    def factor_history(self, ident: str, query: LangQuery = ENGLISH) -> FactorHistoryAnswer:
        """One factor's cells with their verdicts across the releases (see :mod:`..timeline`).

        Raises
        ------
        NotFoundError
            Unknown factor id (with close ids as suggestions).
        """
        factor = build_factor(self.ensure_fresh(), ident, query)
        return factor_history(factor, self.release_log(), query.lang)
