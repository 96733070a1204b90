"""Shared fixtures. Each group of fixtures sits in its own section, owned by the part it serves."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:
    # pytest runs with --import-mode=importlib, which does not put tests/ on sys.path.
    sys.path.insert(0, str(TESTS_DIR))

from oxigraph_server import OxigraphServer  # noqa: E402


# ---- store servers (tests/oxigraph_server.py) -------------------------------------------
@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One real ``oxigraph serve`` for the whole session (``.query_url``, ``.update_url``).

    The data persists between tests that use it: start from a known state, e.g. with
    ``SparqlStore(...).replace_all("")``.
    """
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-serve") / "data")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def start_oxigraph_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[], OxigraphServer]]:
    """Factory for extra servers a test may stop or kill itself; all are stopped afterwards."""
    servers: list[OxigraphServer] = []

    def start() -> OxigraphServer:
        server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-extra") / "data")
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


# --- viewer -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_index():
    """The read model over the small fixture corpus in ``tests/data/api`` (not the shipped one)."""
    from pathlib import Path

    from triggergraph.index import EvidenceIndex
    from triggergraph.loader import load_literature
    from triggergraph.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    folder = Path(__file__).resolve().parent / "data" / "api"
    return EvidenceIndex.build(load_literature(folder, vocabulary), vocabulary)
