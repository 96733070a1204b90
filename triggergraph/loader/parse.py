"""YAML and JSON entry text to plain data and its node tree, rejecting aliases, merge keys and duplicate keys."""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

import yaml

from ..exceptions import Problem

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
