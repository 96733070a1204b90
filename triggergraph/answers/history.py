"""A factor's per-cell verdict history across the dated releases, as an answer."""

from __future__ import annotations

from pydantic import Field

from .base import Answer


class ReleaseRef(Answer):
    """A dated release: its version label and the day it was issued (ISO date)."""

    version: str
    issued: str | None = Field(description="ISO date; None when the release does not say.")


class VerdictSpan(Answer):
    """A verdict a cell held from one release on, until the next span (or now)."""

    verdict: str
    since: ReleaseRef


class CellHistory(Answer):
    """One cell of a factor (the ``any`` column or a driver/demographic value) over the releases.

    ``spans`` lists the verdicts the cell held in the releases, oldest first, with consecutive
    releases of one verdict merged; it is empty when no release exists. ``verdict`` is the
    cell's verdict now; ``unreleased_change`` is True when it differs from the latest release.
    """

    column: str
    column_label: str
    verdict: str
    released_verdict: str | None = Field(
        description="The verdict in the latest release; None when no release exists."
    )
    unreleased_change: bool
    spans: list[VerdictSpan]


class FactorHistoryAnswer(Answer):
    """Every cell of one factor with its verdict history across the releases.

    ``releases`` is empty when no release has been made: the history then starts at the first
    release.
    """

    factor: str
    label: str
    releases: list[ReleaseRef]
    cells: list[CellHistory]
