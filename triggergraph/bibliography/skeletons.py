"""Writing entry skeletons as literature files: all of them or none, never over a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..exceptions import ConflictError, EntryError, Problem
from ..loader import dump_entry_yaml, parse_entry, write_text_atomic

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary


def add_skeletons(
    skeletons: list[dict[str, Any]],
    directory: Path,
    *,
    added_by: str,
    added_on: date,
    overwrite: bool = False,
    vocabulary: Vocabulary | None = None,
) -> list[Path]:
    """Write skeletons as ``<directory>/<id>.yaml``; all of them or none.

    Parameters
    ----------
    skeletons : list of dict
        From :func:`skeletons_from_bibtex` or :func:`skeletons_from_ris`.
    directory : Path
        The literature folder.
    added_by, added_on
        Provenance written into every entry.
    overwrite : bool
        Replace entries whose id already exists. Without it an existing id is refused.
    vocabulary : Vocabulary, optional
        Check the source types against it.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ConflictError
        An id already has a file (nothing is written).
    EntryError
        A skeleton does not load back as an entry (nothing is written).
    """
    directory = Path(directory)
    prepared = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, skeleton in enumerate(skeletons):
        data = {**skeleton, "added_by": added_by, "added_on": added_on}
        data.setdefault("findings", [])
        source_id = str(data.get("id"))
        target = directory / f"{source_id}.yaml"
        if source_id in seen:
            problems.append(
                Problem(str(target), None, "id", f"id {source_id!r} occurs twice in this import")
            )
            continue
        seen[source_id] = index
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        try:
            source = parse_entry(text, filename=str(target), vocabulary=vocabulary)
        except EntryError as exc:
            problems.extend(exc.problems)
            continue
        prepared.append((source, target))
    if problems:
        raise EntryError(problems)
    existing = [(s.id, t) for s, t in prepared if t.exists()]
    if existing and not overwrite:
        named = ", ".join(f"{sid!r} ({target})" for sid, target in existing)
        raise ConflictError(
            f"refusing to overwrite existing entries: {named}; edit them by hand or use overwrite"
        )
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    created: list[Path] = []
    try:
        for source, target in prepared:
            existed = target.exists()
            write_text_atomic(target, dump_entry_yaml(source), overwrite=overwrite)
            written.append(target)
            if not existed:
                created.append(target)
    except BaseException:
        # A file that appeared meanwhile stops the import; take back what this call created.
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return written
