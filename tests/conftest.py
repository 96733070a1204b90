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

from bench_scripts import load_bench  # noqa: E402

StoreProcess = load_bench("processes").StoreProcess
VirtuosoProcess = load_bench("virtuoso").VirtuosoProcess
#: the store server's own query time limit in tests: runaway queries stop soon after the
#: client gave up on them
STORE_QUERY_TIMEOUT_S = 5.0


# ---- store servers (bench/processes.py) ---------------------------------------------------
@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreProcess]:
    """One real ``oxigraph serve`` for the whole session (``.query_url``, ``.update_url``).

    The data persists between tests that use it: start from a known state, e.g. with
    ``SparqlStore(...).replace_all("")``.
    """
    server = StoreProcess(
        tmp_path_factory.mktemp("oxigraph-serve") / "data", query_timeout_s=STORE_QUERY_TIMEOUT_S
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoProcess]:
    """One real Virtuoso 7 (``virtuoso-t`` of the Debian package) for the whole session.

    ``.query_url``, ``.update_url`` (``/sparql-auth``) and ``.auth`` (digest login). Skipped
    only where the binary is not installed. The data persists between tests that use it:
    start from a known state, e.g. with ``VirtuosoStore(...).replace_all("")``.
    """
    if not VirtuosoProcess.available():
        pytest.skip(
            "virtuoso-t is not installed (Debian package virtuoso-opensource); "
            "make test installs it when run as root"
        )
    server = VirtuosoProcess(
        tmp_path_factory.mktemp("virtuoso") / "db", query_timeout_s=STORE_QUERY_TIMEOUT_S
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def start_oxigraph_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[], StoreProcess]]:
    """Factory for extra servers a test may stop or kill itself; all are stopped afterwards."""
    servers: list[StoreProcess] = []

    def start() -> StoreProcess:
        server = StoreProcess(
            tmp_path_factory.mktemp("oxigraph-extra") / "data",
            query_timeout_s=STORE_QUERY_TIMEOUT_S,
        )
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
