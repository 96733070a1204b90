"""Literature entries: ``literature/*.yaml`` and JSON bodies to ``Source`` models, with file:line errors."""

from __future__ import annotations

import bisect
import difflib
import hashlib
import json
import os
import re
import tempfile
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from .exceptions import ConflictError, EntryError, Problem
from .models import Source, agent_key

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

#: Error types raised by the models whose message already names the bad value.
MODEL_ERROR_TYPES: frozenset[str] = frozenset(
    {
        "unknown_id",
        "not_finite",
        "ci_order",
        "out_of_range",
        "measure_missing",
        "duplicate",
        "self_overlap",
        "wrong_type",
    }
)

#: Finding keys written as a short flow mapping (``{driver: ..., basis: ...}``) in dumps.
FLOW_MAPPING_FIELDS: frozenset[str] = frozenset({"drivers"})

DUMP_WIDTH = 100

_PathKey = tuple[str | int, ...]

try:  # libyaml makes loading and dumping a large literature folder several times faster
    _BaseLoader: type = yaml.CSafeLoader
    _BaseDumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader
    _BaseDumper = yaml.SafeDumper


#: Characters YAML counts as line breaks but most editors (and the JSON parser) do not.
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


class _LineCounter:
    """Line numbers of parser marks as an editor counts them: after each newline only.

    YAML also breaks lines at NEL, U+2028 and U+2029, so its own ``mark.line`` runs ahead of
    the editor in a file holding one of them.
    """

    def __init__(self, text: str):
        self.newlines: list[int] | None = None
        # The parser marks the end of a text without a final newline one line further down.
        self.last = text.count("\n") + 1
        if any(ch in text for ch in _YAML_ONLY_BREAKS):
            self.newlines = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, mark) -> int:
        if self.newlines is None:
            return min(mark.line + 1, self.last)
        return min(bisect.bisect_left(self.newlines, mark.index) + 1, self.last)


class _EntryYAMLError(Exception):
    """A structural problem the YAML parser accepts but an entry must not have."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _EntryLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that also rejects aliases and duplicate keys, which hide mistakes."""

    def __init__(self, text: str):
        super().__init__(text)
        self.line_of = _LineCounter(text)

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:
            raise _EntryYAMLError(
                self.line_of(node.start_mark),
                "YAML anchors and aliases (&name / *name) are not allowed in entries; "
                "write the value out",
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _EntryYAMLError(
                        self.line_of(key_node.start_mark),
                        "YAML merge keys (<<) are not allowed in entries",
                    )
                if isinstance(key_node, yaml.ScalarNode):
                    line = self.line_of(key_node.start_mark)
                    if key_node.value in seen:
                        raise _EntryYAMLError(
                            line,
                            f"key {key_node.value!r} appears twice in one mapping "
                            f"(first at line {seen[key_node.value]})",
                        )
                    seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


# ---- parsing ------------------------------------------------------------------------


def _parse_yaml(text: str, filename: str) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Parse YAML text into plain data and its node tree, or into problems."""
    loader = _EntryLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return (
                None,
                None,
                [Problem(filename, 1, "", "the file is empty; expected an entry mapping")],
            )
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = loader.line_of(mark) if mark is not None else None
        where = f"line {line}, column {mark.column + 1}" if mark is not None else "unknown position"
        what = exc.problem or exc.context or "cannot parse"
        if exc.problem and exc.context and exc.context_mark is not None:
            what += (
                f" ({exc.context} at line {loader.line_of(exc.context_mark)}, "
                f"column {exc.context_mark.column + 1})"
            )
        return None, None, [Problem(filename, line, "", f"malformed YAML ({where}): {what}")]
    except yaml.reader.ReaderError as exc:
        return None, None, [_reader_problem(exc, text, filename)]
    except yaml.YAMLError as exc:
        return None, None, [Problem(filename, None, "", f"malformed YAML: {exc}")]
    except _EntryYAMLError as exc:
        return None, None, [Problem(filename, exc.line, "", exc.message)]
    finally:
        loader.dispose()
    return data, node, []


def _reader_problem(exc: yaml.reader.ReaderError, text: str, filename: str) -> Problem:
    """A character YAML refuses (controls, U+FFFE ...), located by line and column."""
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    # The C reader gives a byte offset, the Python one a character offset; the reader stops at
    # the first such character, so its first occurrence is the place.
    index = text.find(character)
    if index < 0:
        return Problem(filename, None, "", f"malformed YAML: {exc}")
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    code = f"U+{ord(character):04X}"
    escape = f"\\x{ord(character):02x}" if ord(character) < 0x100 else f"\\u{ord(character):04x}"
    return Problem(
        filename,
        line,
        "",
        f"character {code} is not allowed in YAML text (line {line}, column {column}); "
        f'delete it, or write it as "{escape}" inside a double-quoted string',
    )


def _parse_json(text: str, filename: str) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Parse JSON text; its node tree (for line numbers) comes from the YAML composer."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return (
            None,
            None,
            [
                Problem(
                    filename,
                    exc.lineno,
                    "",
                    f"malformed JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
                )
            ],
        )
    try:
        node = yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:
        # JSON that YAML 1.1 cannot read (rare) still loads, only without line numbers.
        node = None
    return data, node, []


def _decode(content: str | bytes, filename: str) -> tuple[str | None, list[Problem]]:
    if isinstance(content, str):
        return content.removeprefix("\ufeff"), []
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return None, [Problem(filename, line, "", f"not valid UTF-8 text (byte {exc.start})")]


# ---- locating problems --------------------------------------------------------------


class _LineMap:
    """Lines of every key and item of one entry, from the parser's node marks."""

    def __init__(self, node: yaml.Node | None, text: str = ""):
        self.root = node
        self.line = _LineCounter(text)
        self._lines: dict[_PathKey, int] | None = None
        self._starts: dict[_PathKey, int] = {}

    def _build(self) -> dict[_PathKey, int]:
        if self._lines is None:
            self._lines = {}
            if self.root is not None:
                self._walk(self.root, ())
        return self._lines

    def _walk(self, node: yaml.Node, path: _PathKey) -> None:
        assert self._lines is not None
        self._starts[path] = self.line(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                child = (*path, key_node.value)
                self._lines[child] = self.line(key_node.start_mark)
                self._walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*path, index)
                self._lines[child] = self.line(item.start_mark)
                self._walk(item, child)

    def direct_line(self, path: _PathKey) -> int | None:
        """Line of the key or item at ``path``, found by walking down without a full map."""
        node = self.root
        line = None
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                match = next(
                    (
                        (k, v)
                        for k, v in node.value
                        if isinstance(k, yaml.ScalarNode) and k.value == part
                    ),
                    None,
                )
                if match is None:
                    return line
                line, node = self.line(match[0].start_mark), match[1]
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and part < len(node.value)
            ):
                node = node.value[part]
                line = self.line(node.start_mark)
            else:
                return line
        return line

    def line_of(self, path: _PathKey) -> int | None:
        """Line of the key (or list item) at ``path``; the nearest enclosing one if absent."""
        lines = self._build()
        probe = tuple(path)
        while probe:
            if probe in lines:
                return lines[probe]
            probe = probe[:-1]
        return self._starts.get((), None)

    def start_of(self, path: _PathKey) -> int | None:
        """Line where the value at ``path`` starts (a mapping's first key)."""
        self._build()
        probe = tuple(path)
        while probe:
            if probe in self._starts:
                return self._starts[probe]
            probe = probe[:-1]
        return self._starts.get((), None)


def format_path(path: Iterable[str | int]) -> str:
    """Return a field path as written in problems.

    Examples
    --------
    >>> format_path(("findings", 2, "drivers", 1, "driver"))
    'findings[2].drivers[1].driver'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``list[Model] | None`` and friends."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _model_at(path: _PathKey) -> type[BaseModel] | None:
    """The entry model that holds the mapping at ``path`` (``Source`` at the top)."""
    model: type[BaseModel] | None = Source
    for part in path:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_of(field.annotation) if field is not None else None
    return model


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _strip_hint(message: str) -> str:
    """Drop the model's own "did you mean" tail; :class:`Problem` prints the suggestions."""
    return re.sub(r";\s*did you mean .*\?$", "", message)


def _refine_location(error: dict, data: Any) -> _PathKey:
    """Point model-level errors at the field they are about."""
    loc: _PathKey = tuple(error["loc"])
    kind = error["type"]
    message = error["msg"]
    below = (error.get("ctx") or {}).get("loc")
    if below:
        # The model named the part it is about (see ``models._error``).
        return (*loc, *below)
    if kind in ("out_of_range", "not_finite"):
        name = message.split(" ", 1)[0]
        if name in ("value", "ci"):
            return (*loc, name)
    if kind == "ci_order":
        return (*loc, "ci")
    if kind == "self_overlap":
        return (*loc, "overlaps_with")
    if kind == "duplicate" and loc == () and isinstance(data, dict):
        match = re.search(r"finding id '([^']*)'", message)
        findings = data.get("findings")
        if match and isinstance(findings, list):
            hits = [
                i
                for i, f in enumerate(findings)
                if isinstance(f, dict) and str(f.get("id")) == match.group(1)
            ]
            if len(hits) > 1:
                return ("findings", hits[1], "id")
    if kind == "duplicate" and "driver is linked twice" in message:
        return (*loc, "drivers")
    value = error.get("input")
    if kind == "unknown_id" and isinstance(value, list):
        # A list validator reports the whole list; point at the item it rejected.
        for index, item in enumerate(value):
            if message.startswith(repr(item) + " "):
                return (*loc, index)
    return loc


def _problem_from_error(error: dict, data: Any, lines: _LineMap, filename: str) -> Problem:
    kind = error["type"]
    path = _refine_location(error, data)
    suggestions = tuple((error.get("ctx") or {}).get("suggestions") or ())
    value = error.get("input")
    if kind == "missing":
        return Problem(
            filename, lines.start_of(path[:-1]), format_path(path), "required field is missing"
        )
    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        valid = sorted(model.model_fields) if model is not None else []
        close = tuple(difflib.get_close_matches(str(path[-1]), valid, n=3, cutoff=0.6))
        message = f"unknown field {str(path[-1])!r}"
        if not close and valid:
            message += "; valid fields: " + ", ".join(valid)
        return Problem(filename, lines.line_of(path), format_path(path), message, close)
    if kind in MODEL_ERROR_TYPES:
        message = _strip_hint(error["msg"]) if suggestions else error["msg"]
    else:
        detail = error["msg"]
        detail = detail[:1].lower() + detail[1:]
        message = f"{_short_repr(value)} is not valid: {detail}"
    return Problem(filename, lines.line_of(path), format_path(path), message, suggestions)


# ---- single entries -----------------------------------------------------------------


def _read_entry(text: str, filename: str, media_type: str) -> tuple[Any, _LineMap, list[Problem]]:
    if media_type == "json":
        data, node, problems = _parse_json(text, filename)
    else:
        data, node, problems = _parse_yaml(text, filename)
    lines = _LineMap(node, text)
    if problems:
        return None, lines, problems
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"{type(data).__name__} {_short_repr(data)}"
        return (
            None,
            lines,
            [
                Problem(
                    filename,
                    1,
                    "",
                    f"an entry must be a mapping of fields (id, type, ...), got {kind}",
                )
            ],
        )
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        return (
            None,
            lines,
            [
                Problem(
                    filename,
                    lines.line_of((str(key),)) or 1,
                    str(key),
                    f"field names must be text, got {_short_repr(key)}; valid fields: "
                    + ", ".join(sorted(Source.model_fields)),
                )
                for key in bad_keys
            ],
        )
    return data, lines, []


def _agent_problems(source: Source, lines: _LineMap, filename: str) -> list[Problem]:
    """Two spellings of one agent (same :func:`~triggergraph.models.agent_key`) in one entry.

    The RDF names an agent by that key, so the build would refuse the entry; say so here, where
    the file and line are known.
    """
    names = {agent_key(source.added_by): source.added_by}
    problems = []
    for index, finding in enumerate(source.findings):
        name = finding.added_by or source.added_by
        other = names.setdefault(agent_key(name), name)
        if other != name:
            path = ("findings", index, "added_by")
            problems.append(
                Problem(
                    filename,
                    lines.line_of(path),
                    format_path(path),
                    f"{name!r} and {other!r} would be one agent <agent/{agent_key(name)}>; "
                    "write the name the same way",
                )
            )
    return problems


def _validate(data: dict, lines: _LineMap, filename: str, vocabulary: Vocabulary | None):
    try:
        source = Source.model_validate(data, context={"vocabulary": vocabulary})
    except ValidationError as exc:
        problems = [
            _problem_from_error(error, data, lines, filename)
            for error in exc.errors(include_url=False)
        ]
        return None, problems
    problems = _agent_problems(source, lines, filename)
    return (None, problems) if problems else (source, [])


class _FastFallback(Exception):
    """The fast loader met something only the line-tracking loader reports properly."""


class _FastLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """libyaml with the entry rules checked cheaply (no line numbers): any hit falls back."""

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:
            raise _FastFallback  # an alias
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            keys = []
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _FastFallback
                if isinstance(key_node, yaml.ScalarNode):
                    keys.append(key_node.value)
            if len(set(keys)) != len(keys):
                raise _FastFallback  # a duplicate key
        return super().construct_mapping(node, deep=deep)


class _NoLines:
    """Stands in for the line map while the fast path checks an entry; any use falls back."""

    def line_of(self, path: _PathKey) -> int | None:
        raise _FastFallback

    start_of = direct_line = line_of


def _load_fast(text: str, filename: str, vocabulary: Vocabulary | None):
    """``(data, source)`` for a valid entry via libyaml and pydantic; ``None`` for anything else.

    ``None`` sends the file through the line-tracking loader, which reports the problems with
    file and line exactly as before; this path only makes the common, valid case fast.
    """
    if "&" in text or "*" in text or "<<" in text:
        return None  # maybe an anchor, alias or merge key: let the careful loader decide
    loader = _FastLoader(text)
    try:
        data = loader.get_single_data()
    except (yaml.YAMLError, _FastFallback, RecursionError):
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        return None
    try:
        source = Source.model_validate(data, context={"vocabulary": vocabulary})
        if _agent_problems(source, _NoLines(), filename):  # type: ignore[arg-type]
            return None
    except (ValidationError, _FastFallback):
        return None
    return data, source


def _media_kind(media_type: str) -> str | None:
    lowered = media_type.lower()
    if "json" in lowered:
        return "json"
    if "yaml" in lowered or "yml" in lowered:
        return "yaml"
    return None


def parse_entry(
    content: str | bytes,
    *,
    filename: str,
    vocabulary: Vocabulary | None,
    media_type: str = "yaml",
) -> Source:
    r"""Parse and validate one entry given as YAML or JSON text.

    Parameters
    ----------
    content : str or bytes
        The entry text (UTF-8 when bytes).
    filename : str
        Name used in problems, e.g. ``"literature/x.yaml"`` or ``"<request body>"``.
    vocabulary : Vocabulary or None
        Controlled values to check ids against; ``None`` checks structure only.
    media_type : str
        ``"yaml"`` or ``"json"`` (media types such as ``application/json`` also work).

    Returns
    -------
    Source
        The validated entry.

    Raises
    ------
    EntryError
        With every problem found, each with line and field path.

    Examples
    --------
    >>> text = 'id: demo\ntype: report\nauthors: ["Doe, J."]\nyear: 2020\n' \
    ...        'title: Test fixture\nadded_by: tests\nadded_on: 2026-11-28\n'
    >>> parse_entry(text, filename="demo.yaml", vocabulary=None).title
    'Test fixture'
    >>> try:
    ...     parse_entry("id: demo\ntitle: x: y\n", filename="x.yaml", vocabulary=None)
    ... except EntryError as exc:
    ...     print(exc)
    x.yaml:2: malformed YAML (line 2, column 9): mapping values are not allowed in this context
    """
    kind = _media_kind(media_type)
    if kind is None:
        raise EntryError(
            [
                Problem(
                    filename, None, "", f"unsupported media type {media_type!r}; send YAML or JSON"
                )
            ]
        )
    text, problems = _decode(content, filename)
    if problems or text is None:
        raise EntryError(problems)
    data, lines, problems = _read_entry(text, filename, kind)
    if problems:
        raise EntryError(problems)
    source, problems = _validate(data, lines, filename, vocabulary)
    if problems:
        raise EntryError(problems)
    return source


# ---- a folder of entries ------------------------------------------------------------


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


# ---- writing entries ----------------------------------------------------------------


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


__all__ = [
    "dump_entry_yaml",
    "entry_data",
    "entry_files",
    "format_path",
    "literature_hash",
    "load_literature",
    "parse_entry",
    "write_entry",
    "write_text_atomic",
]
