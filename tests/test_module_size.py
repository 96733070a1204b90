"""Modules a newcomer can hold in their head: no module in triggergraph/ or api/ over 500 lines,
no class over 300 (issue 11), without exceptions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("triggergraph", "api")
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 300


def oversize(path: Path, root: Path = ROOT) -> list[str]:
    """One message per limit ``path`` exceeds: ``file:line: what has N lines (limit M)``."""
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(root).as_posix()
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{name}:1: module has {lines} lines (limit {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(text, filename=name)):
        if isinstance(node, ast.ClassDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            size = node.end_lineno - start + 1
            if size > MAX_CLASS_LINES:
                found.append(
                    f"{name}:{node.lineno}: class {node.name} has {size} lines "
                    f"(limit {MAX_CLASS_LINES})"
                )
    return found


def python_files() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "__pycache__" not in path.parts
    )


def test_modules_and_classes_within_limits():
    problems = [message for path in python_files() for message in oversize(path)]
    assert not problems, "split these:\n" + "\n".join(problems)


def test_oversize_reports_file_line_and_size(tmp_path: Path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_CLASS_LINES))
    module = tmp_path / "big.py"
    padding = "\n" * (MAX_MODULE_LINES - MAX_CLASS_LINES)
    module.write_text(f'"""Big."""\n\n\nclass Huge:\n{body}\n{padding}', encoding="utf-8")
    assert oversize(module, tmp_path) == [
        f"big.py:1: module has {MAX_MODULE_LINES + 4} lines (limit {MAX_MODULE_LINES})",
        f"big.py:4: class Huge has {MAX_CLASS_LINES + 1} lines (limit {MAX_CLASS_LINES})",
    ]


def test_oversize_silent_within_limits(tmp_path: Path):
    module = tmp_path / "small.py"
    module.write_text('"""Small."""\n\n\nclass Tiny:\n    x = 1\n', encoding="utf-8")
    assert oversize(module, tmp_path) == []
