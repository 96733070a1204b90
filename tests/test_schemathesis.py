"""Property-based tests of every documented route with schemathesis against a real uvicorn process."""

from __future__ import annotations

import shutil
import threading
from collections import Counter

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from tests.api.conftest import FIXTURES, TOKEN, api_server_process
from triggergraph.config import Settings

pytestmark = [pytest.mark.server]

#: Examples per operation: enough to reach every parameter, small enough for CI on 2 cores.
MAX_EXAMPLES = 25

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]

#: Cases sent and status codes seen, per operation (read by the summary test below).
CASES: Counter[str] = Counter()
STATUSES: Counter[tuple[str, int]] = Counter()
_COUNT_LOCK = threading.Lock()


@pytest.fixture(scope="module")
def schemathesis_server(tmp_path_factory):
    """The app under uvicorn with the embedded Oxigraph store and a write token."""
    root = tmp_path_factory.mktemp("schemathesis")
    folder = root / "literature"
    shutil.copytree(FIXTURES, folder)
    env = {
        "TRIGGERGRAPH_STORE": "oxigraph",
        "TRIGGERGRAPH_STORE_PATH": str(root / "store"),
        "TRIGGERGRAPH_LITERATURE_DIR": str(folder),
        "TRIGGERGRAPH_SPARQL_TIMEOUT_S": "2",
        "TRIGGERGRAPH_MAX_BODY_BYTES": "20000",
    }
    server = api_server_process(env, root / "server.log").start()
    try:
        yield server
    finally:
        server.stop()


@schemathesis.serializer("application/sparql-query")
def serialize_sparql_query(ctx, value):
    """Send a generated query string as the UTF-8 request body."""
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")


#: The OpenAPI document the app publishes at /openapi.json (building the app opens no store).
OPENAPI = create_app(Settings(store="memory", api_token=TOKEN)).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_route_answers_within_its_schema(case, schemathesis_server):
    response = case.call(
        base_url=schemathesis_server.url,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    label = f"{case.method} {case.path}"
    with _COUNT_LOCK:
        CASES[label] += 1
        STATUSES[(label, response.status_code)] += 1
    case.validate_response(response, checks=CHECKS)


def test_every_route_was_exercised_summary(schemathesis_server):
    served = httpx.get(schemathesis_server.url + "/openapi.json", timeout=10).json()
    assert served == OPENAPI
    operations = {
        f"{method.upper()} {path}" for path, item in OPENAPI["paths"].items() for method in item
    }
    documented = sum(n for label, n in CASES.items() if label in operations)
    probes = sum(n for label, n in CASES.items() if label not in operations)
    print(
        f"\nschemathesis: {len(operations)} operations, {documented} cases on them, "
        f"{probes} undocumented-method probes"
    )
    for label in sorted(operations & set(CASES)):
        codes = sorted((code, n) for (lab, code), n in STATUSES.items() if lab == label)
        print(f"  {label}: {CASES[label]} cases, statuses {codes}")
    assert not any(code >= 500 for (_, code) in STATUSES)
    if CASES:  # empty when this test is selected alone
        assert operations <= set(CASES), f"never called: {operations - set(CASES)}"
