"""What running client SPARQL in a worker process costs: start, memory, per-query overhead, sync.

One run, medians, 2-core shared machine; run as::

    python bench/sparql_pool.py --findings 10000 --repeat 40

It builds the seeded synthetic literature (``bench/synth.py``) into an embedded store, then
measures: the worker's start (copying the data graphs), the worker's resident memory, the
median latency of a small query run on the store in process and through the pool (a fork per
query), and how long the next query waits after one source graph was rewritten (the copy
syncs that graph only). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from load import SMALL_SPARQL, prebuild_store, prepare_literature  # noqa: E402
from processes import BASE_IRI, read_status_kib  # noqa: E402

JSON = "application/sparql-results+json"


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def measure(n_findings: int, repeat: int, workdir: Path) -> dict:
    """Figures for one store of ``n_findings`` synthetic findings."""
    from triggergraph.sparql import PoolLimits, QueryPool
    from triggergraph.store import OxigraphStore

    sources = prepare_literature(workdir / "literature", n_findings)
    store = OxigraphStore(workdir / "store", BASE_IRI)
    prebuild_store(sources, workdir / "literature", store)
    pool = QueryPool(store, PoolLimits(timeout_s=60.0))
    try:
        started = time.perf_counter()
        pool.run("ASK {}", JSON, store.version())
        start_s = time.perf_counter() - started
        worker_rss = read_status_kib(pool.worker_pid) or 0
        direct, pooled = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            store.query_serialized(SMALL_SPARQL, JSON)
            direct.append(time.perf_counter() - started)
            started = time.perf_counter()
            pool.run(SMALL_SPARQL, JSON, store.version())
            pooled.append(time.perf_counter() - started)
        graph = BASE_IRI + "graph/" + sources[0].id
        store.replace_graph(graph, store.graph_ntriples(graph))
        started = time.perf_counter()
        pool.run(SMALL_SPARQL, JSON, store.version())
        sync_s = time.perf_counter() - started
    finally:
        pool.close()
        store.close()
    return {
        "findings": n_findings,
        "repeat": repeat,
        "worker_start_s": round(start_s, 2),
        "worker_rss_mib": round(worker_rss / 1024, 1),
        "small_query_in_process_p50_ms": median_ms(direct),
        "small_query_in_worker_p50_ms": median_ms(pooled),
        "first_query_after_one_write_ms": round(sync_s * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tg-sparql-pool-") as folder:
        print(json.dumps(measure(args.findings, args.repeat, Path(folder)), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
