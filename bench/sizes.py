"""One size of synthetic literature, and the bundled literature's cold start, measured on a server."""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from loadgen import http_get, measure_load
from processes import BENCH_DIR, REPO_ROOT, ApiProcess
from sparql_compare import (
    SPARQL_FILES,
    SPARQL_JSON,
    build_rdflib_dataset,
    load_sparql,
    sparql_row_count,
    sparql_url,
    time_rdflib,
)
from synth import generate_sources, write_literature

#: the base IRI the server runs with; bench/queries/*.rq spell their IRIs under it
BENCH_BASE_IRI = "http://127.0.0.1:8000/"
FACTOR_ID = "detention"
DRIVER_ID = "justice_seeker"
TRIVIAL_PATH = "/bench/trivial"
#: REST question -> path; the SPARQL question of the same name asks the same thing
REST_PATHS: dict[str, str] = {
    "trivial": TRIVIAL_PATH,
    "matrix": "/api/v1/matrix",
    "factor": f"/api/v1/factors/{FACTOR_ID}",
    "profile": f"/api/v1/profile?driver={DRIVER_ID}",
}
#: default seconds a server may take to load before the size is reported as not loaded
LOAD_TIMEOUT_S = 600.0


def parse_size(text: str) -> int:
    """Return the number of findings for '1k', '10k', '100k' or a plain integer.

    Examples
    --------
    >>> [parse_size(s) for s in ("1k", "250", "100K")]
    [1000, 250, 100000]
    """
    text = text.strip().lower()
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    return int(text)


def format_size(n: int) -> str:
    """'1k' for 1000, '2500' for 2500.

    Examples
    --------
    >>> format_size(100_000), format_size(2500)
    ('100k', '2500')
    """
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_server(literature: Path, store_dir: Path, log_path: Path) -> ApiProcess:
    """The benchmark app (``bench_app:app``) over the embedded store, not started yet.

    Settings are passed the documented way (``TRIGGERGRAPH_*`` for the child's ``config.py``).
    """
    env = {
        "TRIGGERGRAPH_STORE": "oxigraph",
        "TRIGGERGRAPH_STORE_PATH": str(store_dir),
        "TRIGGERGRAPH_LITERATURE_DIR": str(literature),
        "TRIGGERGRAPH_BASE_IRI": BENCH_BASE_IRI,
    }
    return ApiProcess(env, log_path, app="bench_app:app", app_dir=BENCH_DIR)


def mib(kib: int | None) -> float | None:
    """KiB to MiB, one decimal."""
    return round(kib / 1024, 1) if kib is not None else None


@dataclass
class SizeResult:
    """Everything measured at one size."""

    findings: int
    sources: int = 0
    generate_s: float | None = None
    load_s: float | None = None
    peak_rss_mib: float | None = None
    ready_rss_mib: float | None = None
    steady_rss_mib: float | None = None
    rest_latency: dict[str, dict] = field(default_factory=dict)
    rest_throughput: dict[str, dict] = field(default_factory=dict)
    rest_bytes: dict[str, int] = field(default_factory=dict)
    oxigraph_sparql: dict[str, dict] = field(default_factory=dict)
    rdflib_build_s: float | None = None
    rdflib_sparql: dict[str, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def measure_size(n_findings: int, args, workdir: Path) -> SizeResult:
    """Generate, load and measure one size; never raises for a failing route (records it)."""
    from triggergraph.vocabulary import load_vocabulary

    result = SizeResult(findings=n_findings)
    label = format_size(n_findings)
    vocabulary = load_vocabulary(base_iri=BENCH_BASE_IRI)
    start = time.perf_counter()
    constructs = getattr(args, "constructs", None)
    sources = generate_sources(
        n_findings, seed=args.seed, vocabulary=vocabulary, constructs=constructs
    )
    literature = workdir / f"literature-{label}"
    write_literature(sources, literature, fast=True)
    result.generate_s = round(time.perf_counter() - start, 2)
    result.sources = len(sources)
    log(f"[{label}] {len(sources)} sources written in {result.generate_s} s; starting server")

    server = bench_server(literature, workdir / f"store-{label}", workdir / f"server-{label}.log")
    try:
        result.load_s = round(server.start(args.load_timeout).ready_s, 3)
        result.ready_rss_mib = mib(server.rss_kib())
        log(
            f"[{label}] ready after {result.load_s} s (literature -> store -> index), "
            f"RSS {result.ready_rss_mib} MiB"
        )
        for name, path in REST_PATHS.items():
            url = server.url + path
            status, body = http_get(url, timeout=120)
            if status != 200:
                result.problems.append(f"GET {path}: HTTP {status} {body[:200]!r}")
                continue
            result.rest_bytes[name] = len(body)
            latency = measure_load(url, 1, args.duration)
            throughput = measure_load(url, args.connections, args.duration)
            result.rest_latency[name] = asdict(latency)
            result.rest_throughput[name] = asdict(throughput)
            log(
                f"[{label}] {path}: p50 {latency.p50_ms} ms, p99 {latency.p99_ms} ms, "
                f"{throughput.rps:.0f} req/s at {args.connections} connections"
            )
        for question in SPARQL_FILES:
            query = load_sparql(question)
            rows, error = sparql_row_count(server.url, query)
            if error:
                result.problems.append(f"/sparql {question}: {error}")
                continue
            latency = measure_load(
                sparql_url(server.url, query), 1, args.duration, accept=SPARQL_JSON
            )
            result.oxigraph_sparql[question] = {**asdict(latency), "rows": rows}
            log(f"[{label}] /sparql {question}: p50 {latency.p50_ms} ms, {rows} rows")
        result.peak_rss_mib = mib(server.rss_kib("VmHWM"))
        result.steady_rss_mib = mib(server.rss_kib())
        log(
            f"[{label}] server peak RSS {result.peak_rss_mib} MiB, "
            f"after all requests {result.steady_rss_mib} MiB"
        )
    except RuntimeError as error:
        result.problems.append(str(error))
        log(f"[{label}] {error}")
        if result.peak_rss_mib is None:
            # how much memory the server had reached when it was given up on
            result.peak_rss_mib = mib(server.rss_kib("VmHWM"))
    finally:
        server.stop()

    if result.load_s is None:
        # without the server there is nothing to compare rdflib with at this size
        log(f"[{label}] server did not load; rdflib comparison skipped")
    elif not args.skip_rdflib:
        start = time.perf_counter()
        dataset = build_rdflib_dataset(sources, vocabulary)
        result.rdflib_build_s = round(time.perf_counter() - start, 2)
        log(f"[{label}] rdflib dataset built in {result.rdflib_build_s} s")
        for question in SPARQL_FILES:
            timing = time_rdflib(dataset, load_sparql(question), args.rdflib_cap)
            result.rdflib_sparql[question] = timing
            rows = timing["rows"]
            oxi_rows = result.oxigraph_sparql.get(question, {}).get("rows")
            if rows is not None and oxi_rows is not None and oxi_rows != rows:
                result.problems.append(
                    f"SPARQL {question}: rdflib gave {rows} rows, /sparql gave {oxi_rows}"
                )
            log(f"[{label}] rdflib {question}: {timing}")
        del dataset
    return result


def measure_cold_start(args, workdir: Path) -> dict:
    """Median seconds until ``/health`` is 200 with the bundled literature: fresh store, restart."""
    literature = REPO_ROOT / "literature"
    fresh: list[float] = []
    restart: list[float] = []
    problems: list[str] = []
    store = workdir / "store-bundled-restart"
    for i in range(args.cold_starts):
        for times, store_dir in ((fresh, workdir / f"store-bundled-fresh-{i}"), (restart, store)):
            server = bench_server(literature, store_dir, workdir / f"server-bundled-{i}.log")
            try:
                times.append(server.start(timeout_s=120).ready_s)
            except RuntimeError as error:
                problems.append(str(error))
                break
            finally:
                server.stop()
        if problems:
            break
    # the first start on the shared store loads it, so it is a fresh start, not a restart
    restart = restart[1:]
    entries = len(list(literature.glob("*.yaml")))
    out = {"entries": entries, "problems": problems}
    out["fresh_store_s"] = round(statistics.median(fresh), 3) if fresh else None
    out["restart_s"] = round(statistics.median(restart), 3) if restart else None
    out["runs"] = len(fresh)
    return out
