"""Crashing and runaway SPARQL against real servers: the API, REST and a shared store stay up.

Two setups: one API on the embedded store, and two APIs sharing one real ``oxigraph serve``.
In each, one API runs with limits loose enough that the crashing shapes reach the query
engine (the worker's child dies, nothing else), the other keeps the default limits (the scan
refuses them before any store). While the attacks run, pollers ask ``/health`` and a REST
answer of every API, and a sampler sums the memory of each API's process tree.
"""

from __future__ import annotations

import statistics
import threading
import time

import httpx
import pytest
from bench_scripts import load_bench
from sparql_shapes import CRASHING, RUNAWAY

from tests.api.conftest import FIXTURES, ApiProcess, api_server_process

load = load_bench("processes")

TIMEOUT_S = 2.0
CAP_MB = 400
#: the process tree of an API may grow at most this much over its cap while attacked
SLACK_MB = 200
LOOSE = {
    "TRIGGERGRAPH_SPARQL_MAX_CHARS": "1000000",
    "TRIGGERGRAPH_SPARQL_MAX_CHAIN": "1000000",
    "TRIGGERGRAPH_SPARQL_MAX_DEPTH": "1000000",
}
#: figures of the last run of each setup, printed for the reliability table
FIGURES: dict[str, dict] = {}


def env_for(root, literature, loose: bool, **backend: str) -> dict[str, str]:
    env = {
        "TRIGGERGRAPH_LITERATURE_DIR": str(literature),
        "TRIGGERGRAPH_SPARQL_TIMEOUT_S": str(TIMEOUT_S),
        "TRIGGERGRAPH_SPARQL_WORKER_MEMORY_MB": str(CAP_MB),
        "TRIGGERGRAPH_MAX_BODY_BYTES": "2000000",
        "TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S": "0.5",
        **backend,
    }
    return {**env, **LOOSE} if loose else env


@pytest.fixture(scope="module")
def literature(tmp_path_factory):
    import shutil

    folder = tmp_path_factory.mktemp("isolation") / "literature"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, literature):
    root = tmp_path_factory.mktemp("embedded")
    backend = {"TRIGGERGRAPH_STORE": "oxigraph", "TRIGGERGRAPH_STORE_PATH": str(root / "store")}
    server = api_server_process(
        env_for(root, literature, True, **backend), root / "api.log"
    ).start()
    try:
        yield [server], None
    finally:
        server.stop()


@pytest.fixture(scope="module")
def shared(tmp_path_factory, literature):
    root = tmp_path_factory.mktemp("shared")
    store = load.StoreProcess(root / "data", query_timeout_s=5.0).start()
    apis: list[ApiProcess] = []
    try:
        backend = {"TRIGGERGRAPH_STORE": "sparql", "TRIGGERGRAPH_SPARQL_URL": store.query_url}
        for number, loose in enumerate((True, False)):
            env = env_for(root, literature, loose, **backend)
            apis.append(api_server_process(env, root / f"api-{number}.log").start())
        yield apis, store
    finally:
        for api in apis:
            api.stop()
        store.stop()


class Watch:
    """Pollers of /health and a REST answer per API, and a memory sampler per process tree."""

    def __init__(self, apis: list[ApiProcess]):
        self.apis = apis
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.latencies: list[float] = []
        self.peak_kib = {api.pid: 0 for api in apis}
        self.threads = [
            threading.Thread(target=self._poll, args=(api.url + path,), daemon=True)
            for api in apis
            for path in ("/health", "/api/v1/findings?limit=5")
        ]
        self.threads.append(threading.Thread(target=self._sample, daemon=True))

    def _poll(self, url: str) -> None:
        with httpx.Client(timeout=30) as http:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    status = http.get(url).status_code
                except httpx.HTTPError:
                    status = 0
                self.latencies.append(time.perf_counter() - started)
                self.statuses.append(status)
                time.sleep(0.05)

    def _sample(self) -> None:
        while not self.stop.wait(0.05):
            for pid in self.peak_kib:
                self.peak_kib[pid] = max(self.peak_kib[pid], load.tree_rss_kib(pid))

    def __enter__(self) -> Watch:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


def busy_cpu_s(api: ApiProcess, seconds: float) -> float:
    """CPU the API's query processes (everything below the API) use over ``seconds``."""
    below = [p for p in load.process_tree(api.pid) if p != api.pid]
    before = sum(load.cpu_seconds(p) for p in below)
    time.sleep(seconds)
    return sum(load.cpu_seconds(p) for p in below) - before


def post(api: ApiProcess, query: str) -> httpx.Response:
    return httpx.post(
        api.url + "/sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )


@pytest.mark.server
@pytest.mark.parametrize("setup", ["embedded", "shared"])
def test_crashing_and_runaway_queries_leave_api_rest_and_store_up(request, setup):
    apis, store = request.getfixturevalue(setup)
    for api in apis:  # start each query worker and take the memory baseline after it
        assert post(api, "ASK { ?s ?p ?o }").status_code == 200
    baseline = {api.pid: load.tree_rss_kib(api.pid) for api in apis}
    answers: dict[str, list[int]] = {}
    cutoffs: list[float] = []
    idle_cpu: list[float] = []
    with Watch(apis) as watch:
        for name, query in CRASHING.items():
            answers[name] = []
            for api in apis:
                response = post(api, query)
                answers[name].append(response.status_code)
                body = response.json()
                # default limits: refused before any store (400); loose limits: the engine
                # crashed in a child (400) or was still building its plan at the limit (503)
                assert response.status_code in (400, 503), (name, body)
                assert any(
                    text in body["detail"]
                    for text in ("worker process", "sparql_max_", "time limit")
                ), body
        for api in apis:
            started = time.monotonic()
            response = post(api, RUNAWAY)
            cutoffs.append(time.monotonic() - started)
            body = response.json()
            assert response.status_code in (503, 400), body
            assert "time limit" in body["detail"] or "memory cap" in body["detail"], body
            # within 2 s of the limit, nothing below the API computes any more
            time.sleep(0.5)
            idle_cpu.append(busy_cpu_s(api, 1.0))
        time.sleep(0.3)
    assert set(watch.statuses) == {200}, sorted(set(watch.statuses))
    assert len(watch.statuses) >= 20 * len(apis)
    for cutoff in cutoffs:
        assert cutoff < TIMEOUT_S + 1.0, cutoffs
    for used in idle_cpu:
        assert used < 0.25, idle_cpu
    for api in apis:
        grown_mb = (watch.peak_kib[api.pid] - baseline[api.pid]) / 1024
        assert grown_mb < CAP_MB + SLACK_MB, (api.url, grown_mb)
        assert post(api, "ASK { ?s ?p ?o }").json()["boolean"] is True
        assert api.process.poll() is None
    if store is not None:
        assert store.process.poll() is None
        assert httpx.post(store.query_url, data={"query": "ASK {}"}, timeout=10).status_code == 200
    FIGURES[setup] = {
        "crash_answers": answers,
        "runaway_answered_s": [round(c, 2) for c in cutoffs],
        "cpu_below_api_after_s": [round(c, 3) for c in idle_cpu],
        "tree_growth_mb": [
            round((watch.peak_kib[a.pid] - baseline[a.pid]) / 1024, 1) for a in apis
        ],
        "polls": len(watch.statuses),
        "poll_median_ms": round(statistics.median(watch.latencies) * 1000, 1),
        "poll_max_ms": round(max(watch.latencies) * 1000, 1),
    }
    print(f"\nisolation figures ({setup}): {FIGURES[setup]}")
