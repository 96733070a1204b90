"""Tests and benchmarks share one server-process module, ``bench/processes.py``, and call it."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def bench_subclasses(path: Path, root: Path = TESTS) -> list[str]:
    """``file:line class`` for each class in ``path`` whose base comes from ``load_bench(...)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            calls = [n for n in ast.walk(base) if isinstance(n, ast.Call)]
            if any(getattr(call.func, "id", None) == "load_bench" for call in calls):
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}")
    return found


def test_no_test_subclasses_a_bench_class():
    found = [hit for path in sorted(TESTS.rglob("*.py")) for hit in bench_subclasses(path)]
    assert not found, "call bench/processes.py instead of subclassing it:\n" + "\n".join(found)


def test_bench_subclasses_finds_a_subclass(tmp_path: Path):
    module = tmp_path / "case.py"
    module.write_text('class Server(load_bench("processes").ApiProcess):\n    pass\n')
    assert bench_subclasses(module, tmp_path) == ["case.py:1 Server"]
