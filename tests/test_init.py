"""The curated public surface: every name in ``__all__`` resolves, and nothing else leaks."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import triggergraph


@pytest.mark.parametrize("name", triggergraph.__all__)
def test_public_name_resolves(name):
    assert getattr(triggergraph, name) is not None


def test_public_names_come_from_their_modules():
    for name, module in triggergraph._EXPORTS.items():
        assert getattr(importlib.import_module(module), name) is getattr(triggergraph, name)


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        triggergraph.no_such_name  # noqa: B018


def test_import_of_a_module_stays_light():
    # Importing the entry models must not drag in the store, the web stack or the viewer.
    code = (
        "import sys, triggergraph.models; "
        "heavy = {'pyoxigraph', 'fastapi', 'pyvis', 'networkx', 'rdflib'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
