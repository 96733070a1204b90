"""One entry's text to a validated ``Source``: the line-tracking path and the fast path."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from ..exceptions import EntryError, Problem
from ..models import Source, agent_key
from .parse import _BaseLoader, _decode, _parse_json, _parse_yaml
from .positions import _LineMap, _PathKey, format_path
from .problems import _problem_from_error, _short_repr

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary


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
