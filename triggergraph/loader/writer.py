"""``Source`` models back to entry YAML, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..exceptions import ConflictError
from ..models import Source
from .parse import _BaseDumper

#: Finding keys written as a short flow mapping (``{driver: ..., basis: ...}``) in dumps.
FLOW_MAPPING_FIELDS: frozenset[str] = frozenset({"drivers"})

DUMP_WIDTH = 100


class _EntryDumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Block-style YAML without aliases; short scalar lists and driver links in flow style."""

    def ignore_aliases(self, data):
        return True


class _FlowList(list):
    pass


class _FlowDict(dict):
    pass


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_flow_dict(dumper: yaml.SafeDumper, data: _FlowDict):
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _represent_block_dict(dumper: yaml.SafeDumper, data: dict):
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


def _represent_text(dumper: yaml.SafeDumper, data: str):
    # PyYAML folds NEL and the Unicode line separators in single quotes and loses them on load;
    # double quotes escape them.
    style = '"' if any(ch in data for ch in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_EntryDumper.add_representer(str, _represent_text)
_EntryDumper.add_representer(_FlowList, _represent_flow_list)
_EntryDumper.add_representer(_FlowDict, _represent_flow_dict)
_EntryDumper.add_representer(dict, _represent_block_dict)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, list | tuple | dict) and not value)


def _prune(value: Any, key: str | None = None) -> Any:
    """Drop empty optional values and choose flow style for short, flat parts."""
    if isinstance(value, dict):
        out = {k: _prune(v, k) for k, v in value.items() if not _is_empty(v)}
        return out
    if isinstance(value, list | tuple):
        items = [_prune(v) for v in value]
        if key in FLOW_MAPPING_FIELDS:
            return [_FlowDict(item) if isinstance(item, dict) else item for item in items]
        if all(not isinstance(v, dict | list) for v in items):
            return _FlowList(items)
        return items
    return value


def entry_data(source: Source) -> dict[str, Any]:
    """Return the entry as plain data in the order a person writes it, empty parts left out.

    Examples
    --------
    >>> s = Source(id="demo", type="report", authors=["Doe, J."], year=2020,
    ...            title="Test fixture", added_by="tests", added_on="2026-11-28")
    >>> list(entry_data(s))
    ['id', 'type', 'authors', 'year', 'title', 'language', 'added_by', 'added_on', 'findings']
    """
    data = source.model_dump(mode="python", exclude_none=True)
    findings = []
    for finding in data.get("findings", []):
        # A finding's provenance defaults to its source's; writing it again adds only noise.
        if finding.get("added_by") == source.added_by:
            finding.pop("added_by")
        if finding.get("added_on") == source.added_on:
            finding.pop("added_on")
        findings.append(finding)
    out = _prune({k: v for k, v in data.items() if k != "findings"})
    out["findings"] = [_prune(f) for f in findings]
    return out


def dump_entry_yaml(source: Source) -> str:
    """Return an entry as readable, stable YAML in the entry format of ``literature/``.

    Parameters
    ----------
    source : Source
        The entry to write.

    Returns
    -------
    str
        YAML text; :func:`parse_entry` on it gives an equal ``Source``.

    Examples
    --------
    >>> s = Source(id="demo", type="report", authors=["Doe, J."], year=2020,
    ...            title="Test fixture", added_by="tests", added_on="2026-11-28")
    >>> print(dump_entry_yaml(s), end="")
    id: demo
    type: report
    authors: ['Doe, J.']
    year: 2020
    title: Test fixture
    language: en
    added_by: tests
    added_on: 2026-11-28
    findings: []
    """
    return yaml.dump(
        entry_data(source),
        Dumper=_EntryDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=DUMP_WIDTH,
    )


def write_text_atomic(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` to ``path`` all at once; without ``overwrite`` never replace a file.

    Raises
    ------
    ConflictError
        When ``path`` exists and ``overwrite`` is false.
    """
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(temp_name, path)
        else:
            try:
                # link() fails if the target exists, so a concurrent writer cannot be clobbered.
                os.link(temp_name, path)
            except FileExistsError:
                raise ConflictError(
                    f"{path} already exists; refusing to overwrite it (use overwrite)"
                ) from None
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def write_entry(source: Source, directory: Path, *, overwrite: bool = False) -> Path:
    """Write an entry as ``<directory>/<id>.yaml``.

    Parameters
    ----------
    source : Source
        The entry.
    directory : Path
        The literature folder; created if missing.
    overwrite : bool
        Replace an existing file of the same id.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ConflictError
        When the file exists and ``overwrite`` is false (nothing is written).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{source.id}.yaml"
    if path.exists() and not overwrite:
        raise ConflictError(
            f"{path} already exists (source {source.id!r}); refusing to overwrite it"
        )
    write_text_atomic(path, dump_entry_yaml(source), overwrite=overwrite)
    return path
