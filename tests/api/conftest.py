"""Fixtures of the HTTP tests: settings on a temporary literature folder, a TestClient, real servers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bench_scripts import load_bench
from fastapi.testclient import TestClient

from api.main import create_app
from triggergraph.config import Settings

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "data" / "api"
TOKEN = "test-token-0123456789"


def make_entry(source_id: str, finding_ids: list[str], factor: str = "detention") -> dict:
    """A valid entry built for tests (not a real study)."""
    return {
        "id": source_id,
        "type": "report",
        "authors": ["Fixture, T."],
        "year": 2026,
        "title": f"API test fixture {source_id} (not a real study)",
        "added_by": "triggergraph tests",
        "added_on": "2026-11-28",
        "findings": [
            {
                "id": fid,
                "factor": factor,
                "drivers": [{"driver": "meaning_seeker", "basis": "proposed"}],
                "direction": "increases",
                "certainty": "D",
                "certainty_reasons": ["test fixture; not evidence"],
                "locator": "n/a (test fixture)",
            }
            for fid in finding_ids
        ],
    }


def entry_yaml(source_id: str, finding_ids: list[str], factor: str = "detention") -> bytes:
    return yaml.safe_dump(make_entry(source_id, finding_ids, factor), sort_keys=False).encode()


@pytest.fixture
def settings(tmp_path, literature) -> Settings:
    return Settings(
        store="memory",
        store_path=tmp_path / "store",
        literature_dir=literature,
        api_token=TOKEN,
        version_check_interval_s=0,
        max_body_bytes=20_000,
    )


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def auth() -> dict:
    return {"Authorization": f"Bearer {TOKEN}"}


#: the server process of tests and benchmarks alike (bench/processes.py)
ApiProcess = load_bench("processes").ApiProcess


def api_server_process(env: dict[str, str], log: Path) -> ApiProcess:
    """The app under a real uvicorn process on 127.0.0.1, configured through TRIGGERGRAPH_* vars."""
    base = {
        # one base for every server, so a restarted server finds the IRIs it minted
        "TRIGGERGRAPH_BASE_IRI": "http://127.0.0.1:8000/",
        "TRIGGERGRAPH_API_TOKEN": TOKEN,
    }
    return ApiProcess({**base, **env}, log)


@pytest.fixture
def api_server(tmp_path, literature):
    """Factory of real servers; every server started is stopped after the test."""
    started: list[ApiProcess] = []

    def start(**env: str) -> ApiProcess:
        values = {
            "TRIGGERGRAPH_STORE": "oxigraph",
            "TRIGGERGRAPH_STORE_PATH": str(tmp_path / "store"),
            "TRIGGERGRAPH_LITERATURE_DIR": str(literature),
            "TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S": "0.2",
            **env,
        }
        server = api_server_process(values, tmp_path / f"server-{len(started)}.log")
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def token() -> str:
    return TOKEN


@pytest.fixture(name="entry_yaml")
def entry_yaml_fixture():
    """``entry_yaml(source_id, finding_ids, factor="detention") -> bytes``."""
    return entry_yaml


@pytest.fixture(name="make_entry")
def make_entry_fixture():
    """``make_entry(source_id, finding_ids, factor="detention") -> dict``."""
    return make_entry


@pytest.fixture(scope="module")
def read_client(tmp_path_factory):
    """One app per test module for tests that only read (opening a store costs about a second)."""
    root = tmp_path_factory.mktemp("read")
    folder = root / "literature"
    shutil.copytree(FIXTURES, folder)
    settings = Settings(
        store="memory",
        store_path=root / "store",
        literature_dir=folder,
        api_token=TOKEN,
        version_check_interval_s=60,
        max_body_bytes=20_000,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def module_server(tmp_path_factory):
    """One real server per test module, for tests that only read (a start costs seconds)."""
    root = tmp_path_factory.mktemp("server")
    folder = root / "literature"
    shutil.copytree(FIXTURES, folder)
    env = {
        "TRIGGERGRAPH_STORE": "oxigraph",
        "TRIGGERGRAPH_STORE_PATH": str(root / "store"),
        "TRIGGERGRAPH_LITERATURE_DIR": str(folder),
    }
    server = api_server_process(env, root / "server.log").start()
    try:
        yield server
    finally:
        server.stop()
