"""Server benchmark: load time, memory, REST and SPARQL latency at 1k/10k/100k synthetic findings.

Everything is measured in one run on this machine, so the ratios compare like with like:

* load: process start of the server until ``/health`` answers 200 (literature -> store -> index);
* peak memory: ``VmHWM`` of the server process after loading and all requests;
* REST: ``/api/v1/matrix``, ``/api/v1/factors/{id}``, ``/api/v1/profile?driver=justice_seeker``
  and the framework floor ``/bench/trivial`` (see ``bench/bench_app.py``) on one uvicorn process
  (uvloop + httptools); latency with one connection, requests/s with several;
* SPARQL: the same question as text, on rdflib's in-memory engine in this process and on the
  server's ``/sparql`` (Oxigraph), with the row counts compared;
* cold start with the bundled ``literature/``: process start until ``/health`` answers 200.

Run ``python bench/run.py --help``. Load is generated with ``wrk`` (``apt-get install -y wrk``);
without it a slower asyncio client is used and the output says so. Only 127.0.0.1 is targeted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from synth import generate_sources, write_literature  # noqa: E402

#: the base IRI the server runs with; bench/queries/*.rq spell their IRIs under it
BENCH_BASE_IRI = "http://127.0.0.1:8000/"
HOST = "127.0.0.1"
SIZES_DEFAULT = "1k,10k,100k"
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
#: SPARQL question -> (folder, file); the matrix query has no bound values, the others have
#: their value written into a bench copy because /sparql over HTTP cannot carry bindings
SPARQL_FILES: dict[str, tuple[Path, str]] = {
    "matrix": (REPO_ROOT / "triggergraph" / "queries", "matrix_driver.rq"),
    "factor": (BENCH_DIR / "queries", "factor_detention.rq"),
    "profile": (BENCH_DIR / "queries", "profile_justice_seeker.rq"),
}
SPARQL_JSON = "application/sparql-results+json"
#: default seconds a server may take to load before the size is reported as not loaded
LOAD_TIMEOUT_S = 600.0
#: rdflib: repeat a query while the runs so far took less than this, at most MAX_RUNS times
RDFLIB_BUDGET_S = 20.0
RDFLIB_MAX_RUNS = 5
#: rdflib: stop one question after this many seconds and report "> cap" (a lower bound)
RDFLIB_CAP_S = 60.0
WRK_INSTALL_HINT = "wrk not found: install it with `apt-get install -y wrk` (Debian/Ubuntu)"


# ---- small helpers ----------------------------------------------------------------------
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


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def read_vmhwm_kib(pid: int, field_name: str = "VmHWM") -> int | None:
    """Peak resident set size (VmHWM, or another ``/proc`` status field) in KiB, or None."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field_name}:\s+(\d+)\s+kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def http_get(url: str, accept: str | None = None, timeout: float = 30.0) -> tuple[int, bytes]:
    """GET ``url``; return (status, body) also for 4xx/5xx answers."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def machine_info() -> dict:
    """Cores, memory, CPU model and the versions that matter for the numbers."""
    info = {"cores": os.cpu_count(), "python": platform.python_version()}
    try:
        meminfo = Path("/proc/meminfo").read_text()
        total_kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
        info["memory_gib"] = round(total_kib / 1024 / 1024, 1)
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
        info["cpu"] = model.group(1).strip() if model else platform.processor()
    except (OSError, AttributeError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    for package in ("fastapi", "uvicorn", "uvloop", "httptools", "rdflib", "pyoxigraph"):
        try:
            info[package] = version(package)
        except PackageNotFoundError:
            info[package] = None
    wrk = shutil.which("wrk")
    if wrk:
        out = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout
        info["wrk"] = out.split()[1] if out.split()[1:] else "present"
    return info


# ---- the server process -------------------------------------------------------------------
class Server:
    """One uvicorn process serving ``bench_app:app`` on 127.0.0.1 with its own store folder."""

    def __init__(self, literature_dir: Path, store_dir: Path, log_path: Path):
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        # Settings are passed the documented way (TRIGGERGRAPH_* for the child's config.py).
        env = dict(os.environ)
        env.update(
            PYTHONPATH=str(REPO_ROOT),
            TRIGGERGRAPH_STORE="oxigraph",
            TRIGGERGRAPH_STORE_PATH=str(store_dir),
            TRIGGERGRAPH_LITERATURE_DIR=str(literature_dir),
            TRIGGERGRAPH_BASE_IRI=BENCH_BASE_IRI,
        )
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "bench_app:app",
            "--app-dir",
            str(BENCH_DIR),
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout_s: float = LOAD_TIMEOUT_S) -> float:
        """Seconds from process start until ``/health`` answered 200; raises on exit/timeout."""
        deadline = self.started + timeout_s
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                status, _ = http_get(self.base_url + "/health", timeout=5.0)
            except OSError:
                status = None
            if status == 200:
                return time.perf_counter() - self.started
            time.sleep(0.02)
        tail = self.log_tail()
        raise RuntimeError(
            f"server not ready after {timeout_s:.0f} s" + (f":\n{tail}" if tail else "")
        )

    def peak_rss_mib(self) -> float | None:
        kib = read_vmhwm_kib(self.process.pid)
        return round(kib / 1024, 1) if kib is not None else None

    def rss_mib(self) -> float | None:
        """Resident set size now (VmRSS): what the server keeps once the load is over."""
        kib = read_vmhwm_kib(self.process.pid, "VmRSS")
        return round(kib / 1024, 1) if kib is not None else None

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


# ---- load generation ----------------------------------------------------------------------
@dataclass
class Load:
    """One load measurement of one URL."""

    connections: int
    duration_s: float
    requests: int = 0
    rps: float = 0.0
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    tool: str = "wrk"


WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def parse_wrk(output: str, load: Load) -> Load:
    """Fill ``load`` from ``wrk --latency`` output.

    Examples
    --------
    >>> text = '''  Latency Distribution
    ...      50%  412.00us
    ...      99%    2.10ms
    ...   1000 requests in 5.00s, 1.00MB read
    ...   Non-2xx or 3xx responses: 3
    ... Requests/sec:    200.10'''
    >>> load = parse_wrk(text, Load(connections=1, duration_s=5))
    >>> load.p50_ms, load.p99_ms, load.requests, load.rps, load.errors
    (0.412, 2.1, 1000, 200.1, 3)
    """

    def latency(percent: str) -> float | None:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        return round(float(match.group(1)) * WRK_UNITS[match.group(2)], 3) if match else None

    load.p50_ms = latency("50")
    load.p99_ms = latency("99")
    if match := re.search(r"(\d+) requests in", output):
        load.requests = int(match.group(1))
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        load.rps = float(match.group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors:(.*)", output):
        errors += sum(int(n) for n in re.findall(r"\d+", match.group(1)))
    load.errors = errors
    return load


def run_wrk(url: str, connections: int, duration_s: float, accept: str | None) -> Load:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration_s:g}s",
        "--latency",
        "--timeout",
        "30s",
    ]
    if accept:
        command += ["-H", f"Accept: {accept}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration_s + 60)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed: {out.stderr.strip()}")
    return parse_wrk(out.stdout, Load(connections=connections, duration_s=duration_s))


async def _client(host, port, target, accept, stop_at, latencies, errors) -> None:
    """One keep-alive HTTP/1.1 connection sending GETs until ``stop_at``."""
    reader, writer = await asyncio.open_connection(host, port)
    head = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n"
    if accept:
        head += f"Accept: {accept}\r\n"
    request = (head + "\r\n").encode()
    try:
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - start) * 1000)
            if not status_line.split()[1:2] or not status_line.split()[1].startswith(b"2"):
                errors.append(status_line)
    finally:
        writer.close()


def run_asyncio_load(url: str, connections: int, duration_s: float, accept: str | None) -> Load:
    """Fallback load generator (raw asyncio, keep-alive); saturates earlier than wrk."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors: list[bytes] = []

    async def main() -> None:
        stop_at = time.perf_counter() + duration_s
        await asyncio.gather(
            *(
                _client(parts.hostname, parts.port, target, accept, stop_at, latencies, errors)
                for _ in range(connections)
            )
        )

    started = time.perf_counter()
    asyncio.run(main())
    elapsed = time.perf_counter() - started
    latencies.sort()
    load = Load(connections=connections, duration_s=duration_s, tool="asyncio")
    load.requests = len(latencies)
    load.rps = round(len(latencies) / elapsed, 1)
    if latencies:
        load.p50_ms = round(latencies[len(latencies) // 2], 3)
        load.p99_ms = round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 3)
    load.errors = len(errors)
    return load


def measure_load(url: str, connections: int, duration_s: float, accept: str | None = None) -> Load:
    """Latency percentiles and requests/s of GET ``url`` for ``duration_s`` seconds."""
    if shutil.which("wrk"):
        return run_wrk(url, connections, duration_s, accept)
    return run_asyncio_load(url, connections, duration_s, accept)


# ---- SPARQL -------------------------------------------------------------------------------
def load_sparql(question: str) -> str:
    """The query text of a question, with the shared prefixes in front when it has none."""
    folder, name = SPARQL_FILES[question]
    text = (folder / name).read_text(encoding="utf-8")
    if "PREFIX tg:" in text:
        return text
    from triggergraph.namespaces import PREFIXES

    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + text


def sparql_url(base_url: str, query: str) -> str:
    return f"{base_url}/sparql?" + urllib.parse.urlencode({"query": query})


def sparql_row_count(base_url: str, query: str) -> tuple[int | None, str | None]:
    """Rows of the answer of ``/sparql`` (JSON results) or the error it gave."""
    status, body = http_get(sparql_url(base_url, query), accept=SPARQL_JSON, timeout=120)
    if status != 200:
        return None, f"HTTP {status}: {body[:200].decode(errors='replace')}"
    return len(json.loads(body)["results"]["bindings"]), None


def build_rdflib_dataset(sources, vocabulary):
    """The same dataset the server stores, as an rdflib Dataset (union default graph)."""
    from triggergraph.rdf import build_dataset

    dataset = build_dataset(sources, vocabulary)
    dataset.default_union = True
    return dataset


def _rdflib_child(dataset, query: str, conn) -> None:
    """Run ``query`` repeatedly and send (seconds, rows) after each run (forked process)."""
    total = 0.0
    for _ in range(RDFLIB_MAX_RUNS):
        start = time.perf_counter()
        rows = len(list(dataset.query(query)))
        elapsed = time.perf_counter() - start
        conn.send((elapsed, rows))
        total += elapsed
        if total >= RDFLIB_BUDGET_S:
            break
    conn.close()


def time_rdflib(dataset, query: str, cap_s: float) -> dict:
    """Median ms of ``query`` on rdflib, run in a forked child that is killed after ``cap_s``.

    Returns ``{"median_ms", "rows", "runs", "capped_at_s"}``; ``median_ms`` is None and
    ``capped_at_s`` set when not even one run finished within the cap.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # fork shares the built dataset with the child instead of pickling millions of triples
    child = context.Process(target=_rdflib_child, args=(dataset, query, sender))
    child.start()
    sender.close()
    times: list[float] = []
    rows = None
    deadline = time.perf_counter() + cap_s
    capped = False
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            capped = True
            break
        if not receiver.poll(remaining):
            capped = True
            break
        try:
            elapsed, rows = receiver.recv()
        except EOFError:
            break
        times.append(elapsed)
    if child.is_alive():
        child.kill()
    child.join()
    receiver.close()
    return {
        "median_ms": round(statistics.median(times) * 1000, 3) if times else None,
        "rows": rows,
        "runs": len(times),
        "capped_at_s": cap_s if capped and not times else None,
    }


# ---- one size -----------------------------------------------------------------------------
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
    sources = generate_sources(n_findings, seed=args.seed, vocabulary=vocabulary)
    literature = workdir / f"literature-{label}"
    write_literature(sources, literature, fast=True)
    result.generate_s = round(time.perf_counter() - start, 2)
    result.sources = len(sources)
    log(f"[{label}] {len(sources)} sources written in {result.generate_s} s; starting server")

    server = Server(literature, workdir / f"store-{label}", workdir / f"server-{label}.log")
    try:
        result.load_s = round(server.wait_ready(args.load_timeout), 3)
        result.ready_rss_mib = server.rss_mib()
        log(
            f"[{label}] ready after {result.load_s} s (literature -> store -> index), "
            f"RSS {result.ready_rss_mib} MiB"
        )
        for name, path in REST_PATHS.items():
            url = server.base_url + path
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
            rows, error = sparql_row_count(server.base_url, query)
            if error:
                result.problems.append(f"/sparql {question}: {error}")
                continue
            latency = measure_load(
                sparql_url(server.base_url, query), 1, args.duration, accept=SPARQL_JSON
            )
            result.oxigraph_sparql[question] = {**asdict(latency), "rows": rows}
            log(f"[{label}] /sparql {question}: p50 {latency.p50_ms} ms, {rows} rows")
        result.peak_rss_mib = server.peak_rss_mib()
        result.steady_rss_mib = server.rss_mib()
        log(
            f"[{label}] server peak RSS {result.peak_rss_mib} MiB, "
            f"after all requests {result.steady_rss_mib} MiB"
        )
    except RuntimeError as error:
        result.problems.append(str(error))
        log(f"[{label}] {error}")
        if result.peak_rss_mib is None:
            # how much memory the server had reached when it was given up on
            result.peak_rss_mib = server.peak_rss_mib()
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
            server = Server(literature, store_dir, workdir / f"server-bundled-{i}.log")
            try:
                times.append(server.wait_ready(timeout_s=120))
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


# ---- report -------------------------------------------------------------------------------
def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator rounded, or None when either is missing.

    Examples
    --------
    >>> ratio(3.0, 1.5), ratio(None, 2.0)
    (2.0, None)
    """
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def compute_ratios(result: SizeResult) -> dict[str, dict]:
    """REST vs trivial, rdflib vs REST and rdflib vs /sparql, per question (medians).

    When rdflib hit its cap the cap stands in for its time, so its ratios are lower bounds
    (``rdflib_capped`` is True).
    """
    trivial = result.rest_latency.get("trivial", {}).get("p50_ms")
    out: dict[str, dict] = {}
    for question in ("matrix", "factor", "profile"):
        rest = result.rest_latency.get(question, {}).get("p50_ms")
        oxi = result.oxigraph_sparql.get(question, {}).get("p50_ms")
        timing = result.rdflib_sparql.get(question, {})
        capped = timing.get("capped_at_s") is not None
        rdf = timing["capped_at_s"] * 1000 if capped else timing.get("median_ms")
        out[question] = {
            "rest_over_trivial": ratio(rest, trivial),
            "rdflib_over_rest": ratio(rdf, rest),
            "rdflib_over_oxigraph_sparql": ratio(rdf, oxi),
            "rdflib_capped": capped,
        }
    return out


def judge(value: float | None, bound: float, *, at_most: bool = False, lower: bool = False) -> str:
    """'met', 'NOT met', 'not measured' or 'unknown' for a ratio against its target.

    Examples
    --------
    >>> judge(250.0, 100), judge(3.1, 2, at_most=True), judge(None, 20), judge(50.0, 100, lower=True)
    ('met', 'NOT met', 'not measured', 'unknown (rdflib capped)')
    """
    if value is None:
        return "not measured"
    if at_most:
        return "met" if value <= bound else "NOT met"
    if value > bound:
        return "met"
    return "unknown (rdflib capped)" if lower else "NOT met"


def check_targets(result: SizeResult) -> list[tuple[str, str]]:
    """(target, "measured: verdict") for each size-dependent benchmark target at one size."""
    rows: list[tuple[str, str]] = []
    ratios = compute_ratios(result)
    for question in ("matrix", "factor", "profile"):
        r = ratios[question]["rest_over_trivial"]
        verdict = judge(r, 2.0, at_most=True)
        rows.append((f"REST {question} p50 within 2x of trivial", _outcome(_cell(r, "x"), verdict)))
    for key, bound, text in (
        ("rdflib_over_rest", 100, "REST {q} >100x faster than rdflib SPARQL"),
        ("rdflib_over_oxigraph_sparql", 20, "/sparql (Oxigraph) {q} >20x faster than rdflib"),
    ):
        for question in ("matrix", "factor", "profile"):
            r = ratios[question]
            measured = ("> " if r["rdflib_capped"] else "") + _cell(r[key], "x")
            verdict = judge(r[key], bound, lower=r["rdflib_capped"])
            rows.append((text.format(q=question), _outcome(measured, verdict)))
    rss = result.peak_rss_mib
    verdict = judge(None if rss is None else rss * 1.048576, 400, at_most=True)
    if result.load_s is None and verdict == "met":
        # below the target only because loading was given up on
        verdict = "not measured (did not load)"
    note = "" if result.load_s is not None or rss is None else " when given up"
    rows.append(("server peak memory < 400 MB", _outcome(_cell(rss, " MiB") + note, verdict)))
    return rows


def _outcome(measured: str, verdict: str) -> str:
    return verdict if measured.strip("> ") == "-" else f"{measured}: {verdict}"


def _cell(value, suffix: str = "") -> str:
    return "-" if value is None else f"{value}{suffix}"


def render_markdown(info: dict, results: list[SizeResult], cold: dict | None, args) -> str:
    """The results as Markdown tables (what ``bench/README.md`` quotes)."""
    lines = [
        f"Run {info['started']} on {info.get('cores')} cores, {info.get('memory_gib')} GiB "
        f"({info.get('cpu', 'cpu unknown')}); Python {info['python']}, fastapi "
        f"{info.get('fastapi')}, uvicorn {info.get('uvicorn')} (uvloop {info.get('uvloop')}, "
        f"httptools {info.get('httptools')}), rdflib {info.get('rdflib')}, pyoxigraph "
        f"{info.get('pyoxigraph')}; load tool {info['load_tool']}; {args.duration:g} s per "
        f"measurement, latency at 1 connection, throughput at {args.connections}.",
        "",
        "| findings | sources | load s | peak RSS MiB | RSS when ready MiB "
        "| RSS after requests MiB | rdflib build s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {format_size(r.findings)} | {r.sources} | {_cell(r.load_s)} | "
            f"{_cell(r.peak_rss_mib)} | {_cell(getattr(r, 'ready_rss_mib', None))} | "
            f"{_cell(getattr(r, 'steady_rss_mib', None))} | {_cell(r.rdflib_build_s)} |"
        )
    lines += [
        "",
        "| findings | route | p50 ms | p99 ms | req/s (1 conn) | req/s (N conn) | body bytes |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for name, path in REST_PATHS.items():
            lat = r.rest_latency.get(name, {})
            thr = r.rest_throughput.get(name, {})
            lines.append(
                f"| {format_size(r.findings)} | `{path}` | {_cell(lat.get('p50_ms'))} | "
                f"{_cell(lat.get('p99_ms'))} | {_cell(lat.get('rps'))} | {_cell(thr.get('rps'))} | "
                f"{_cell(r.rest_bytes.get(name))} |"
            )
    lines += [
        "",
        "| findings | question | REST p50 ms | /sparql Oxigraph p50 ms | rdflib median ms (runs) "
        "| rows | REST / trivial | rdflib / REST | rdflib / Oxigraph |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ratios = compute_ratios(r)
        for question in ("matrix", "factor", "profile"):
            rest = r.rest_latency.get(question, {}).get("p50_ms")
            oxi = r.oxigraph_sparql.get(question, {})
            rdf = r.rdflib_sparql.get(question, {})
            rows = rdf.get("rows") if rdf.get("rows") is not None else oxi.get("rows")
            q = ratios[question]
            if q["rdflib_capped"]:
                rdf_cell = f"> {rdf['capped_at_s'] * 1000:g} (capped)"
            else:
                rdf_cell = _cell(rdf.get("median_ms")) + (f" ({rdf['runs']})" if rdf else "")
            bound = ">" if q["rdflib_capped"] else ""
            lines.append(
                f"| {format_size(r.findings)} | {question} | {_cell(rest)} | "
                f"{_cell(oxi.get('p50_ms'))} | {rdf_cell} | "
                f"{_cell(rows)} | {_cell(q['rest_over_trivial'], 'x')} | "
                f"{bound}{_cell(q['rdflib_over_rest'], 'x')} | "
                f"{bound}{_cell(q['rdflib_over_oxigraph_sparql'], 'x')} |"
            )
    if cold is not None:
        lines += [
            "",
            f"Cold start with the bundled literature ({cold['entries']} entries), process start "
            f"until `/health` is 200, median of {cold['runs']}: fresh store "
            f"{_cell(cold.get('fresh_store_s'), ' s')}, restart with the store kept "
            f"{_cell(cold.get('restart_s'), ' s')}.",
        ]
    if results:
        per_size = [check_targets(r) for r in results]
        lines += [
            "",
            "| target | " + " | ".join(format_size(r.findings) for r in results) + " |",
            "|---|" + "---|" * len(results),
        ]
        for i, (target, _) in enumerate(per_size[0]):
            lines.append(f"| {target} | " + " | ".join(rows[i][1] for rows in per_size) + " |")
    if cold is not None:
        lines += ["", "| target | measured |", "|---|---|"]
        for key, text in (
            ("fresh_store_s", "cold start, bundled literature, < 2 s (fresh store)"),
            ("restart_s", "cold start, bundled literature, < 2 s (restart, store kept)"),
        ):
            value = cold.get(key)
            lines.append(
                f"| {text} | {_outcome(_cell(value, ' s'), judge(value, 2.0, at_most=True))} |"
            )
    problems = [(format_size(r.findings), p) for r in results for p in r.problems]
    if cold:
        problems += [("bundled", p) for p in cold.get("problems", [])]
    if problems:
        lines += ["", "Problems:"] + [f"- {size}: {p}" for size, p in problems]
    return "\n".join(lines) + "\n"


def render_saved(path: Path) -> str:
    """Markdown of a run saved as JSON by this script (same figures, current layout)."""
    payload = json.loads(Path(path).read_text(encoding="utf-8"))
    names = {f for f in SizeResult.__dataclass_fields__}
    results = [
        SizeResult(**{k: v for k, v in size.items() if k in names}) for size in payload["sizes"]
    ]
    saved = payload["args"]
    args = argparse.Namespace(
        duration=float(saved["duration"]), connections=int(saved["connections"])
    )
    return render_markdown(payload["machine"], results, payload["cold_start"], args)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; see ``--help``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--sizes", default=SIZES_DEFAULT, help=f"comma-separated sizes (default {SIZES_DEFAULT})"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8, help="connections for req/s")
    parser.add_argument("--cold-starts", type=int, default=5, help="starts for the median")
    parser.add_argument(
        "--load-timeout",
        type=float,
        default=LOAD_TIMEOUT_S,
        help=f"seconds a server may take to load one size (default {LOAD_TIMEOUT_S:g})",
    )
    parser.add_argument("--skip-rdflib", action="store_true", help="skip the rdflib comparison")
    parser.add_argument(
        "--rdflib-cap",
        type=float,
        default=RDFLIB_CAP_S,
        help=f"seconds after which one rdflib question is stopped (default {RDFLIB_CAP_S:g})",
    )
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold-start runs")
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=BENCH_DIR / "results",
        help="where the JSON and Markdown of this run are written",
    )
    parser.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="only print the tables of a run saved earlier (bench/results/run-*.json)",
    )
    args = parser.parse_args(argv)
    if args.render:
        print(render_saved(args.render), end="")
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or min(sizes) < 1:
        parser.error(f"--sizes needs positive sizes, got {args.sizes!r}")

    info = machine_info()
    info["started"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    info["load_tool"] = "wrk" if shutil.which("wrk") else "asyncio (fallback)"
    if not shutil.which("wrk"):
        log(WRK_INSTALL_HINT + "; using the slower asyncio client instead")

    results: list[SizeResult] = []
    cold = None
    with tempfile.TemporaryDirectory(prefix="triggergraph-bench-") as tmp:
        workdir = Path(tmp)
        if not args.skip_cold:
            cold = measure_cold_start(args, workdir)
            log(f"cold start: {cold}")
        for n in sizes:
            results.append(measure_size(n, args, workdir))

    markdown = render_markdown(info, results, cold, args)
    print(markdown)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = info["started"].replace(":", "").replace("-", "")
    payload = {
        "machine": info,
        # results_dir is left out: an absolute path says nothing about the figures
        "args": {k: str(v) for k, v in vars(args).items() if k not in ("results_dir", "render")},
        "sizes": [asdict(r) | {"ratios": compute_ratios(r)} for r in results],
        "cold_start": cold,
    }
    (args.results_dir / f"run-{stamp}.json").write_text(json.dumps(payload, indent=2) + "\n")
    (args.results_dir / f"run-{stamp}.md").write_text(markdown)
    log(f"results written to {args.results_dir / f'run-{stamp}'}.json/.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
