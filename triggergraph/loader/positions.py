"""Where things are in an entry file: the line of every key and item, and dotted field paths."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from .parse import _LineCounter

_PathKey = tuple[str | int, ...]
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
