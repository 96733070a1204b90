"""The import graph points down the layers of docs/architecture.md, and never into api/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "triggergraph"

#: layer of each top-level module or subpackage of triggergraph
LAYERS = {
    "config": 0,
    "exceptions": 0,
    "namespaces": 0,
    "models": 1,
    "effects": 1,
    "vocabulary": 2,
    "constructs": 2,
    "proposals": 2,
    "loader": 2,
    "bibliography": 2,
    "rdf": 2,
    "shapes": 2,
    "checks": 2,
    "drafts": 3,
    "store": 2,
    "query": 3,
    "sparql": 3,
    "answers": 3,
    "queries": 3,
    "verdict": 4,
    "agreement": 4,
    "readmodel": 4,
    "snapshot": 4,
    "payload": 4,
    "pickling": 1,
    # the answers' builders and text renderings read the read model and the verdicts
    "answers.builders": 4,
    "answers.text": 4,
    "service": 4,
    "graph": 5,
    "release": 5,
    "timeline": 4,
    "viewer": 5,
    "cli": 6,
    "__init__": 7,
}

#: imports that the layer order alone would allow but the design forbids
FORBIDDEN = {
    ("store", "query"),
    ("viewer", "store"),
    ("viewer", "service"),
    ("viewer", "rdf"),
}


#: subpackages and modules that sit in another layer than their package
SUBLAYERED = {("answers", "builders"), ("answers", "text")}


def layer_key(parts: list[str] | tuple[str, ...]) -> str:
    """The LAYERS key of a module given by its parts under ``triggergraph``."""
    names = [part.removesuffix(".py") for part in parts]
    if len(names) > 1 and (names[0], names[1]) in SUBLAYERED:
        return f"{names[0]}.{names[1]}"
    return names[0]


def module_key(path: Path) -> str:
    return layer_key(path.relative_to(PACKAGE).parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, imported name) for every import, resolved to absolute dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = ["triggergraph", *path.relative_to(PACKAGE).parent.parts]
    typing_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
        for child in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue  # names needed only for typing may point anywhere
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
                if not node.module:
                    found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
                    continue
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_layers(path: Path):
    source_key = module_key(path)
    if path.name == "__init__.py" and path.parent == PACKAGE:
        source_key = "__init__"
    source_layer = LAYERS.get(source_key)
    assert source_layer is not None, f"{path} is not placed in a layer; add it to LAYERS"
    for line, name in imported_modules(path):
        assert not (name == "api" or name.startswith("api.")), f"{path}:{line} imports {name}"
        if not name.startswith("triggergraph."):
            continue
        target_key = layer_key(name.split(".")[1:])
        if target_key == source_key:
            continue
        target_layer = LAYERS.get(target_key)
        assert target_layer is not None, f"{path}:{line} imports unplaced module {name}"
        assert target_layer <= source_layer, (
            f"{path}:{line} ({source_key}, layer {source_layer}) imports {name} (layer {target_layer})"
        )
        assert (source_key, target_key) not in FORBIDDEN, f"{path}:{line} imports {name}"


def test_models_do_not_touch_rdflib():
    paths = sorted((PACKAGE / "models").glob("*.py"))
    assert paths, "the models package has no modules"
    for path in paths:
        for _line, name in imported_modules(path):
            assert not name.startswith("rdflib"), f"{path.name}: {name}"


def test_api_routes_hold_no_rdf_sparql_or_networkx():
    routes = PACKAGE.parent / "api" / "routes"
    for path in sorted(routes.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for _line, name in imported_modules_any(path):
            assert not name.startswith(("rdflib", "networkx", "pyoxigraph")), f"{path}: {name}"
        assert "SELECT " not in text and "CONSTRUCT " not in text, f"{path} holds SPARQL text"


def imported_modules_any(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
    return out
