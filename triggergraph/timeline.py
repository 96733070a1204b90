"""Each cell's verdict across the dated releases: read back from the release folder.

``triggergraph release`` writes one folder per release with ``matrix-<version>.json`` (every
cell's verdict, the release's ``sequence`` and, since this module, its ``issued`` date). This
module reads those files back, oldest release first, and builds a factor's per-cell history:
"limited since release 1.1 (2026-12-04); was no evidence". Releases are never overwritten, so
what was read is kept for as long as the set of release folders stays the same.

A cell absent from a release (a factor or column added later) counts as ``no_evidence`` there,
as in the release changelog.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .answers import CellHistory, FactorAnswer, FactorHistoryAnswer, ReleaseRef, VerdictSpan
from .exceptions import EntryError, Problem
from .verdict import ANY_COLUMN, ANY_LABELS

#: the verdict of a cell a release does not hold
NO_EVIDENCE = "no_evidence"


@dataclass(frozen=True)
class ReleasedCells:
    """One release as far as the history needs it: its version, date, order and verdicts."""

    version: str
    issued: str | None
    sequence: int
    verdicts: Mapping[tuple[str, str], str] = field(hash=False, compare=False)

    def ref(self) -> dict[str, Any]:
        """The release as a :class:`~triggergraph.answers.ReleaseRef` dict."""
        return {"version": self.version, "issued": self.issued}


@dataclass(frozen=True)
class ReleaseLog:
    """The releases found in one folder, oldest first.

    Hashable by the releases' versions and sequences (their contents never change), so a page
    built from it is rebuilt when a release is added and not otherwise.
    """

    releases: tuple[ReleasedCells, ...] = ()

    def cell(self, factor: str, column: str) -> list[str]:
        """The cell's verdict in each release, oldest first."""
        return [r.verdicts.get((factor, column), NO_EVIDENCE) for r in self.releases]


def _problem(path: Path, message: str) -> EntryError:
    return EntryError([Problem(file=str(path), line=None, field="release", message=message)])


def _issued_from_description(folder: Path) -> str | None:
    """``dcterms:issued`` of a release written before the matrix file held its date."""
    from rdflib import Graph
    from rdflib.namespace import DCTERMS

    path = folder / "description.ttl"
    if not path.is_file():
        return None
    graph = Graph().parse(path, format="turtle")
    dates = sorted(str(o) for o in graph.objects(None, DCTERMS.issued))
    return dates[0] if dates else None


def read_release(path: Path) -> ReleasedCells:
    """Read one release's ``matrix-<version>.json``.

    Raises
    ------
    EntryError
        The file cannot be read or lacks ``version``, ``sequence`` or ``cells``, naming it.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        verdicts = {(str(c["factor"]), str(c["column"])): str(c["verdict"]) for c in data["cells"]}
        version, sequence = str(data["version"]), int(data["sequence"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _problem(path, f"cannot read this release: {exc}") from None
    issued = data.get("issued") or _issued_from_description(path.parent)
    return ReleasedCells(version, issued and str(issued), sequence, verdicts)


class ReleaseReader:
    """Reads the releases of one folder, again only when its set of release files changes.

    Examples
    --------
    >>> import tempfile
    >>> ReleaseReader(Path(tempfile.mkdtemp()) / "none").log().releases
    ()
    """

    def __init__(self, release_dir: Path):
        self.release_dir = Path(release_dir)
        self._lock = threading.Lock()
        self._seen: tuple[str, ...] | None = None
        self._log = ReleaseLog()

    def log(self) -> ReleaseLog:
        """The releases, oldest first (by ``sequence``); empty when the folder is missing."""
        if not self.release_dir.is_dir():
            return ReleaseLog()
        # a folder starting with "." is a release being written (see release.py)
        paths = sorted(
            p for p in self.release_dir.glob("*/matrix-*.json") if not p.parent.name.startswith(".")
        )
        names = tuple(str(p) for p in paths)
        with self._lock:
            if names != self._seen:
                releases = sorted((read_release(p) for p in paths), key=lambda r: r.sequence)
                self._log, self._seen = ReleaseLog(tuple(releases)), names
            return self._log


def cell_spans(log: ReleaseLog, factor: str, column: str) -> list[VerdictSpan]:
    """The verdicts a cell held across the releases, consecutive equal verdicts merged.

    Examples
    --------
    >>> log = ReleaseLog((ReleasedCells("1", "2026-11-01", 1, {}),
    ...                   ReleasedCells("2", "2026-12-01", 2, {("f", "any"): "limited"}),
    ...                   ReleasedCells("3", "2026-12-20", 3, {("f", "any"): "limited"})))
    >>> [(s.verdict, s.since.version) for s in cell_spans(log, "f", "any")]
    [('no_evidence', '1'), ('limited', '2')]
    """
    spans: list[VerdictSpan] = []
    for release, verdict in zip(log.releases, log.cell(factor, column), strict=True):
        if not spans or spans[-1].verdict != verdict:
            spans.append(VerdictSpan(verdict=verdict, since=ReleaseRef(**release.ref())))
    return spans


def factor_history(factor: FactorAnswer, log: ReleaseLog, lang: str = "en") -> FactorHistoryAnswer:
    """A factor's cells with their history.

    Parameters
    ----------
    factor : FactorAnswer
        The factor answer of the read model: its cells give the verdicts now and its columns
        the column labels.
    log : ReleaseLog
        The releases, oldest first.
    lang : str
        Language of the ``any`` column's label (the others come with ``factor``).

    Returns
    -------
    FactorHistoryAnswer
        The ``any`` cell first, then the factor's columns, each with its verdict now, in the
        latest release, and its spans across the releases.
    """
    columns = [(ANY_COLUMN, ANY_LABELS[lang], factor.overall)]
    for column in factor.columns:
        columns.append((column.id, column.label or column.id, factor.cells.get(column.id)))
    out = []
    for column, label, cell in columns:
        now = cell.verdict if cell is not None else NO_EVIDENCE
        spans = cell_spans(log, factor.id, column)
        released = spans[-1].verdict if spans else None
        out.append(
            CellHistory(
                column=column,
                column_label=str(label),
                verdict=now,
                released_verdict=released,
                unreleased_change=released is not None and released != now,
                spans=spans,
            )
        )
    return FactorHistoryAnswer(
        factor=factor.id,
        label=factor.label or factor.id,
        releases=[ReleaseRef(**r.ref()) for r in log.releases],
        cells=out,
    )
