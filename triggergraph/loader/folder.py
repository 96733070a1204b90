"""A literature folder to ``Source`` models: entry files, cross-file checks and the folder hash."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import EntryError, Problem
from ..models import Source
from .entry import _load_fast, _read_entry, _validate
from .parse import _decode, _parse_yaml
from .positions import _LineMap, _PathKey

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary


def entry_files(directory: Path) -> list[Path]:
    """The entry files of a literature folder, sorted by name."""
    return sorted(Path(directory).glob("*.yaml"))


class _LazyLines:
    """Line numbers of one entry file, composed from the file only when a problem needs one.

    The fast path never builds the node tree; the cross-file checks ask for a line only when
    they report a problem, which is rare.
    """

    def __init__(self, path: Path, filename: str, lines: _LineMap | None = None):
        self.path = path
        self.filename = filename
        self._lines = lines

    def direct_line(self, key: _PathKey) -> int | None:
        if self._lines is None:
            text, _ = _decode(self.path.read_bytes(), self.filename)
            _, node, _ = _parse_yaml(text or "", self.filename)
            self._lines = _LineMap(node, text or "")
        return self._lines.direct_line(key)


def line_of(path: Path, key: tuple[str | int, ...], filename: str | None = None) -> int | None:
    r"""Line of the key or list item at ``key`` in an entry file (None if it is not there).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     entry = Path(folder) / "x.yaml"
    ...     _ = entry.write_text("id: x\nfindings:\n- id: F1\n  direction: increases\n")
    ...     line_of(entry, ("findings", 0, "direction"))
    4
    """
    return _LazyLines(Path(path), filename or Path(path).name).direct_line(key)


def close_overlaps(sources: list[Source]) -> list[Source]:
    """Make ``overlaps_with`` symmetric: if A names B, B names A too (a copy where it changes).

    Overlap is symmetric by definition, so an entry need list it on one side only.

    Examples
    --------
    >>> from datetime import date
    >>> a = Source(id="a", type="report", authors=["X"], year=2020, title="A", overlaps_with=["b"],
    ...            added_by="t", added_on=date(2026, 1, 1))
    >>> b = a.model_copy(update={"id": "b", "overlaps_with": []})
    >>> [s.overlaps_with for s in close_overlaps([a, b])]
    [['b'], ['a']]
    """
    by_id = {source.id: source for source in sources}
    extra: dict[str, list[str]] = {}
    for source in sources:
        for other in source.overlaps_with:
            target = by_id.get(other)
            if target is not None and source.id not in target.overlaps_with:
                extra.setdefault(other, []).append(source.id)
    return [
        s.model_copy(update={"overlaps_with": [*s.overlaps_with, *sorted(set(extra[s.id]))]})
        if s.id in extra
        else s
        for s in sources
    ]


@dataclass
class _Facts:
    """What the cross-file checks need of one entry, so its node tree can be let go."""

    filename: str
    path: Path
    lines: _LazyLines
    source_id: str | None = None
    findings: list[tuple[int, str]] = field(default_factory=list)
    overlaps: list[tuple[int, str]] = field(default_factory=list)

    def line(self, key: _PathKey) -> int | None:
        return self.lines.direct_line(key)


def _facts_of(filename: str, path: Path, data: dict, lines: _LineMap | None) -> _Facts:
    # a slow-path file's node tree is let go: its lines are composed again if ever needed
    del lines
    facts = _Facts(filename, path, _LazyLines(path, filename))
    source_id = data.get("id")
    if isinstance(source_id, str):
        facts.source_id = source_id
    findings = data.get("findings")
    if isinstance(findings, list):
        for index, finding in enumerate(findings):
            finding_id = finding.get("id") if isinstance(finding, dict) else None
            if isinstance(finding_id, str):
                facts.findings.append((index, finding_id))
    overlaps = data.get("overlaps_with")
    if isinstance(overlaps, list):
        for index, other in enumerate(overlaps):
            if isinstance(other, str):
                facts.overlaps.append((index, other))
    return facts


def _cross_file_problems(records: list[_Facts]) -> list[Problem]:
    """File name = id, finding ids unique over all files, ``overlaps_with`` names known sources."""
    problems: list[Problem] = []
    known_ids = {facts.source_id for facts in records if facts.source_id is not None}
    first_finding: dict[str, tuple[_Facts, int]] = {}
    for facts in records:
        if facts.source_id is not None and facts.source_id != facts.path.stem:
            problems.append(
                Problem(
                    facts.filename,
                    facts.line(("id",)),
                    "id",
                    f"id {facts.source_id!r} does not match the file name {facts.path.name!r}; "
                    f"rename the file to '{facts.source_id}.yaml' or set id: {facts.path.stem}",
                )
            )
        for index, finding_id in facts.findings:
            if finding_id not in first_finding:
                first_finding[finding_id] = (facts, index)
                continue
            other, other_index = first_finding[finding_id]
            if other.filename == facts.filename:
                continue  # the model already reports duplicates inside one entry
            other_line = other.line(("findings", other_index, "id"))
            where = f"{other.filename}:{other_line}" if other_line else other.filename
            problems.append(
                Problem(
                    facts.filename,
                    facts.line(("findings", index, "id")),
                    f"findings[{index}].id",
                    f"finding id {finding_id!r} is also used in {where}; finding ids must be "
                    "unique over all sources",
                )
            )
        for index, other_id in facts.overlaps:
            if other_id not in known_ids:
                close = tuple(
                    difflib.get_close_matches(other_id, sorted(known_ids), n=3, cutoff=0.6)
                )
                problems.append(
                    Problem(
                        facts.filename,
                        facts.line(("overlaps_with", index)),
                        f"overlaps_with[{index}]",
                        f"{other_id!r} is not a source in this literature folder",
                        close,
                    )
                )
    return problems


def _display_name(path: Path, directory: Path) -> str:
    """The file as the caller named its folder, e.g. ``literature/jasko17.yaml``."""
    return str(Path(directory) / path.name)


def load_literature(directory: Path, vocabulary: Vocabulary | None) -> list[Source]:
    """Load and validate every ``*.yaml`` entry in a folder.

    Parameters
    ----------
    directory : Path
        The literature folder (``literature/``).
    vocabulary : Vocabulary or None
        Controlled values to check ids against.

    Returns
    -------
    list of Source
        The entries sorted by id.

    Raises
    ------
    EntryError
        With every problem of every file (not only the first), sorted by file and line.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     load_literature(Path(folder), None)
    []
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise EntryError([Problem(str(directory), None, "", "literature folder does not exist")])
    problems: list[Problem] = [
        Problem(
            _display_name(path, directory),
            None,
            "",
            f"entries must be named <id>.yaml; rename to '{path.stem}.yaml' so it is loaded",
        )
        for path in sorted(directory.glob("*.yml"))
    ]
    records: list[_Facts] = []
    sources: list[Source] = []
    for path in entry_files(directory):
        filename = _display_name(path, directory)
        text, decode_problems = _decode(path.read_bytes(), filename)
        if text is None:
            problems.extend(decode_problems)
            continue
        fast = _load_fast(text, filename, vocabulary)
        if fast is not None:
            data, source = fast
            records.append(_facts_of(filename, path, data, None))
            sources.append(source)
            continue
        # anything unusual: the line-tracking loader, for exact file:line problems
        data, lines, read_problems = _read_entry(text, filename, "yaml")
        if read_problems:
            problems.extend(read_problems)
            continue
        records.append(_facts_of(filename, path, data, lines))
        source, model_problems = _validate(data, lines, filename, vocabulary)
        problems.extend(model_problems)
        if source is not None:
            sources.append(source)
    problems.extend(_cross_file_problems(records))
    if problems:
        problems.sort(key=lambda p: (p.file or "", p.line or 0, p.field))
        raise EntryError(problems)
    return close_overlaps(sorted(sources, key=lambda s: s.id))


def literature_hash(directory: Path) -> str:
    """Return a sha256 over the sorted entry file names and their contents.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     len(literature_hash(Path(folder)))
    64
    """
    digest = hashlib.sha256()
    for path in entry_files(directory):
        content = path.read_bytes()
        name = path.name.encode("utf-8")
        # Length prefixes keep "a" + "bc" and "ab" + "c" apart.
        digest.update(len(name).to_bytes(8, "big") + name)
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()
