"""Tests of the query pool: answers from the copy, crashes and runaways end in one child only."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import orjson
import pytest
from bench_scripts import load_bench
from sparql_shapes import CRASHING, RUNAWAY, SLOW_COUNT

from triggergraph.exceptions import (
    QueryError,
    QueryLimitError,
    QueryTimeoutError,
    ResultLimitError,
    TooManyQueriesError,
)
from triggergraph.sparql import PoolLimits, QueryPool
from triggergraph.store import (
    MemoryStore,
    OxigraphStore,
    QueryDataset,
    SparqlStore,
    VirtuosoStore,
)
from triggergraph.store.precheck import QueryLimits

load = load_bench("processes")
BASE = "http://127.0.0.1:8000/"
JSON = "application/sparql-results+json"
G1, G2 = BASE + "graph/one", BASE + "graph/two"
LITERATURE = BASE + "graph/meta/literature"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ARITHMETIC = CRASHING["arithmetic"]
#: limits loose enough to let the crashing shapes through to the engine
LOOSE = QueryLimits(max_chars=10_000_000, max_depth=10**6, max_chain=10**6)


def ntriples(prefix: str, count: int) -> str:
    return "".join(f'<{BASE}{prefix}/{i}> <{BASE}p/{i % 7}> "{i}" .\n' for i in range(count))


def fill(store) -> None:
    store.replace_graph(G1, ntriples("one", 1500))
    store.replace_graph(G2, ntriples("two", 500))
    store.replace_graph(LITERATURE, f"<{LITERATURE}> <http://purl.org/dc/terms/hasPart> <{G1}> .")


def count(pool: QueryPool, query: str = COUNT, dataset: QueryDataset | None = None, **kw) -> int:
    body, media = pool.run(query, JSON, pool.store.version(), dataset=dataset, **kw)
    assert media == JSON
    return int(orjson.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def embedded(tmp_path):
    store = OxigraphStore(tmp_path / "store", BASE)
    fill(store)
    yield store
    store.close()


def make_pool(store, **limits) -> QueryPool:
    values = {"timeout_s": 1.5, "max_rows": 100, "workers": 2, "memory_cap_mb": 300}
    return QueryPool(store, PoolLimits(**{**values, **limits}))


@pytest.fixture
def pool(embedded):
    pool = make_pool(embedded, query=LOOSE)
    yield pool
    pool.close()


def test_default_graph_is_the_data_graphs_without_bookkeeping(pool):
    assert count(pool) == 2000
    meta = "ASK { ?g <https://w3id.org/triggergraph/ontology#graphVersion> ?r }"
    body, _ = pool.run(meta, JSON, pool.store.version())
    assert orjson.loads(body)["boolean"] is False


def test_from_and_request_dataset_choose_graphs(pool):
    assert count(pool, f"SELECT (COUNT(*) AS ?n) FROM <{G2}> WHERE {{ ?s ?p ?o }}") == 500
    assert count(pool, "SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE { ?s ?p ?o }") == 0
    assert count(pool, COUNT, QueryDataset((G1, G2))) == 2000
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(pool, named, QueryDataset((), (G2,))) == 500
    assert count(pool, COUNT, QueryDataset((), (G2,))) == 0


def test_a_write_is_seen_by_the_next_query(pool, embedded):
    assert count(pool) == 2000
    embedded.replace_graph(G2, ntriples("two", 10))
    embedded.delete_graph(G1)
    assert count(pool) == 10


def test_crash_ends_one_child_and_the_pool_goes_on(pool):
    assert count(pool) == 2000
    worker = pool.worker_pid
    with pytest.raises(QueryError, match="stopped its worker process"):
        pool.run(ARITHMETIC, JSON, pool.store.version())
    assert pool.crashed == 1
    assert count(pool) == 2000
    assert pool.worker_pid == worker


def test_runaway_is_killed_at_the_time_limit_and_stops_using_cpu(pool):
    count(pool)  # the worker is up
    started = time.monotonic()
    with pytest.raises((QueryTimeoutError, QueryError)) as info:
        pool.run(RUNAWAY, JSON, pool.store.version())
    elapsed = time.monotonic() - started
    assert elapsed < pool.limits.timeout_s + 1.0
    if isinstance(info.value, QueryTimeoutError):
        assert "time limit of 1.5 s" in str(info.value)
    else:  # the memory cap ended it first
        assert "memory cap of 300 MB" in str(info.value)
    time.sleep(0.5)
    assert load.process_tree(pool.worker_pid) == [pool.worker_pid]
    before = load.cpu_seconds(pool.worker_pid)
    time.sleep(1.0)
    assert load.cpu_seconds(pool.worker_pid) - before < 0.2


def test_memory_cap_stops_a_query_that_grows(embedded):
    pool = make_pool(embedded, timeout_s=20.0, memory_cap_mb=150)
    try:
        count(pool)
        started = time.monotonic()
        with pytest.raises(QueryError, match="memory cap of 150 MB"):
            pool.run(RUNAWAY, JSON, embedded.version())
        assert time.monotonic() - started < 20.0
        assert count(pool) == 2000
    finally:
        pool.close()


def test_result_over_limit_is_result_limit_error(pool):
    with pytest.raises(ResultLimitError, match="result limit of 100 rows"):
        pool.run("SELECT * WHERE { ?s ?p ?o }", JSON, pool.store.version())


def test_limits_are_checked_before_the_worker(embedded):
    pool = make_pool(embedded)
    try:
        with pytest.raises(QueryLimitError, match="sparql_max_chain"):
            pool.run(ARITHMETIC, JSON, embedded.version())
        assert pool.worker_pid is None  # refused before any worker was started
    finally:
        pool.close()


def test_a_client_over_its_queue_gets_too_many_queries(embedded):
    pool = make_pool(embedded, queue_per_client=1, timeout_s=2.0)
    try:
        count(pool)
        errors: list[BaseException] = []

        def runaway() -> None:
            try:
                # a count that streams: hours of CPU in constant memory, so the memory cap cannot
                # end it before the second query arrives (a sorting runaway could)
                pool.run(SLOW_COUNT, JSON, embedded.version(), client="10.0.0.1")
            except QueryError as error:
                errors.append(error)

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)
        with pytest.raises(TooManyQueriesError, match="sparql_queue_per_client"):
            pool.run(COUNT, JSON, embedded.version(), client="10.0.0.1")
        assert count(pool, client="10.0.0.2") == 2000
        thread.join(10)
        assert errors  # the runaway was stopped
        assert count(pool, client="10.0.0.1") == 2000
    finally:
        pool.close()


def test_memory_store_is_served_from_a_dump():
    store = MemoryStore(BASE)
    fill(store)
    pool = make_pool(store)
    try:
        assert count(pool) == 2000
        store.delete_graph(G1)
        assert count(pool) == 500
    finally:
        pool.close()


@pytest.fixture(params=["oxigraph-serve", "virtuoso"])
def remote(request):
    """An emptied store on each kind of shared server, in its dialect."""
    if request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        store = VirtuosoStore(server.query_url, None, BASE, auth=server.auth)
    else:
        server = request.getfixturevalue("oxigraph_server")
        store = SparqlStore(server.query_url, None, BASE)
    store.replace_all("")
    return store


@pytest.mark.server
def test_remote_store_is_copied_and_never_sees_client_queries(remote):
    """The worker reopens the store in its dialect: on Virtuoso the copy holds the data
    graphs only (2,000 triples), none of Virtuoso's own graphs."""
    store = remote
    fill(store)
    pool = make_pool(store, query=LOOSE)
    try:
        assert count(pool) == 2000
        with pytest.raises(QueryError, match="stopped its worker process"):
            pool.run(ARITHMETIC, JSON, store.version())
        assert store.ping()
        store.delete_graph(G2)
        assert count(pool) == 1500
    finally:
        pool.close()
        store.close()


def test_closing_the_pool_ends_a_running_query(embedded):
    pool = make_pool(embedded, timeout_s=30.0, memory_cap_mb=2000)
    count(pool)
    first_worker = pool.worker_pid
    # a query that runs for hours in constant memory: the memory cap cannot end it first
    thread = threading.Thread(
        target=lambda: pytest.raises(QueryError, pool.run, SLOW_COUNT, JSON, embedded.version())
    )
    thread.start()
    deadline = time.monotonic() + 30
    children: list[int] = []
    while not children and thread.is_alive() and time.monotonic() < deadline:
        # the pool's worker as it is now (it is started again if it died)
        children = load.process_tree(pool.worker_pid or first_worker)[1:]
        time.sleep(0.02)
    assert children, (
        f"the query was never seen running: query thread alive {thread.is_alive()}, "
        f"worker {first_worker} -> {pool.worker_pid}"
    )
    pool.close()
    thread.join(10)
    time.sleep(0.5)
    assert not [pid for pid in children if running(pid)]


def running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"
