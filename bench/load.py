"""Load and fault tooling: API and store processes on 127.0.0.1, a mixed read load, writes at 1/s.

The API and store processes come from ``bench/processes.py``. Used by ``tests/test_faults.py``
and ``tests/test_soak.py`` (imported by path) and runnable as a script::

    python bench/load.py --findings 10000 --duration 60 --processes 1
    python bench/load.py --findings 10000 --duration 60 --processes 2   # two APIs, one store
    python bench/load.py --findings 10000 --duration 60 --processes 2 --store virtuoso

The read mix (matrix, factor list, factor detail, profile, findings list, health, a small SPARQL
query) is driven by ``wrk`` with a generated Lua script; with two API processes each wrk thread
is pinned to one of them, so one latency histogram covers both. In parallel one thread sends a
``PUT`` of a synthetic source every second with the write token. Only 127.0.0.1 is targeted,
every loop is bounded in time, and every process started is stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from processes import (  # noqa: E402
    BASE_IRI,
    HOST,
    ApiProcess,
    StoreProcess,
)
from synth import generate_sources, write_literature  # noqa: E402
from virtuoso import VirtuosoProcess  # noqa: E402

#: a small SPARQL query of the read mix: ten findings on one factor
SMALL_SPARQL = (
    "SELECT ?finding WHERE { ?finding <https://w3id.org/triggergraph/ontology#factor> "
    "<http://127.0.0.1:8000/factor/detention> } LIMIT 10"
)
#: the read mix, one request of each in turn per connection
READ_MIX: tuple[str, ...] = (
    "/api/v1/matrix",
    "/api/v1/factors",
    "/api/v1/factors/detention",
    "/api/v1/profile?driver=justice_seeker",
    "/api/v1/findings?limit=50",
    "/health",
    "/sparql?" + urllib.parse.urlencode({"query": SMALL_SPARQL}),
)
#: seconds a write may take before the client gives up and counts it as failed
WRITE_TIMEOUT_S = 180.0
#: seconds of the same load before the measured run; RSS "start" is taken after it
WARMUP_S = 10.0
#: seconds a write through one API may take to show through another
VISIBLE_TIMEOUT_S = 120.0
#: RSS may grow at most this much (percent) between the start and the end of a load run
RSS_GROWTH_LIMIT_PCT = 10.0
#: seconds between RSS samples during the measured run
RSS_SAMPLE_S = 10.0


# ---- data -----------------------------------------------------------------------------------
def prepare_literature(
    directory: Path, n_findings: int, seed: int = 0, constructs: Collection[str] | None = None
) -> list:
    """Write the seeded synthetic literature (``bench/synth.py``) and return its sources;
    ``constructs`` limits the constructs it uses (see ``synth.constructs_of``)."""
    sources = generate_sources(n_findings, seed=seed, constructs=constructs)
    write_literature(sources, directory, fast=True)
    return sources


def prebuild_store(sources: list, literature: Path, store) -> None:
    """Fill ``store`` with exactly what the service writes when it loads ``literature``.

    The same N-Quads (vocabulary + one graph per source), the same bookkeeping graph and the
    literature hash, so the API starts on it as on a store it loaded itself. The start-up
    SHACL pass over the whole folder is skipped: the synthetic entries are valid by
    construction, and that pass alone takes minutes at 10k findings on 2 cores.
    """
    from triggergraph.loader import literature_hash
    from triggergraph.rdf import build_nquads
    from triggergraph.service.literature import entry_hash, literature_nquads
    from triggergraph.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(base_iri=BASE_IRI)
    nquads = build_nquads(sorted(sources, key=lambda s: s.id), vocabulary)
    bookkeeping = literature_nquads(BASE_IRI, {s.id: entry_hash(s) for s in sources})
    store.replace_all(nquads + bookkeeping, content_hash=literature_hash(literature))


def prebuild_embedded(sources: list, literature: Path, store_dir: Path) -> Path:
    """:func:`prebuild_store` into an embedded Oxigraph store at ``store_dir``; return the path."""
    from triggergraph.store import OxigraphStore

    embedded = OxigraphStore(store_dir, BASE_IRI)
    try:
        prebuild_store(sources, literature, embedded)
    finally:
        embedded.close()
    return store_dir


#: What a finding edit turns the first finding's direction into.
FLIPPED = {"increases": "decreases", "decreases": "increases"}


def entry_json(source, title: str, flip: bool = False) -> bytes:
    """A source as a JSON entry body with its title replaced; with ``flip`` also its first
    finding's direction turned (increases and decreases swap, anything else becomes
    increases), an edit that changes the votes of every cell the finding counts in."""
    from triggergraph.models import dump_entry

    data = dump_entry(source)
    data["title"] = title
    if flip:
        first = data["findings"][0]
        first["direction"] = FLIPPED.get(first["direction"], "increases")
    return json.dumps(data, default=str).encode("utf-8")


# ---- the write loop -------------------------------------------------------------------------
@dataclass
class WriteStats:
    """What the 1/s writer did."""

    sent: int = 0
    ok: int = 0
    failed: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    last_title: str | None = None
    last_id: str | None = None


class WriteLoop(threading.Thread):
    """``PUT`` one synthetic source per ``interval_s`` until stopped (bounded by ``max_writes``)."""

    def __init__(
        self, url: str, token: str, sources: list, interval_s: float = 1.0, max_writes=600
    ):
        super().__init__(daemon=True)
        self.url = url
        self.token = token
        self.sources = sources
        self.interval_s = interval_s
        self.max_writes = max_writes
        self.stats = WriteStats()
        self._stop_event = threading.Event()

    def stop(self) -> WriteStats:
        """Stop after the write in flight and return the statistics."""
        self._stop_event.set()
        self.join(WRITE_TIMEOUT_S + 5)
        return self.stats

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        # A write rebuilds the whole read index; under a saturating read load that waits long
        # for the GIL, so a slow answer is measured as slow, not counted as an error.
        with httpx.Client(timeout=WRITE_TIMEOUT_S) as client:
            next_at = time.monotonic()
            while not self._stop_event.is_set() and self.stats.sent < self.max_writes:
                source = self.sources[self.stats.sent % len(self.sources)]
                title = f"{source.title} (load write {self.stats.sent + 1})"
                started = time.perf_counter()
                self.stats.sent += 1
                try:
                    answer = client.put(
                        f"{self.url}/api/v1/sources/{source.id}",
                        content=entry_json(source, title),
                        headers=headers,
                        params={"publish": "true"},  # a proposed version shows in no answer
                    )
                    status = str(answer.status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                self.stats.latencies_ms.append((time.perf_counter() - started) * 1000)
                self.stats.statuses[status] = self.stats.statuses.get(status, 0) + 1
                if status == "200":
                    self.stats.ok += 1
                    self.stats.last_title, self.stats.last_id = title, source.id
                else:
                    self.stats.failed += 1
                next_at += self.interval_s
                self._stop_event.wait(max(0.0, next_at - time.monotonic()))


# ---- the read load (wrk) --------------------------------------------------------------------
def wrk_script(ports: list[int], paths: tuple[str, ...] = READ_MIX) -> str:
    """Lua for wrk: thread i talks to ``ports[i % len(ports)]``, requests cycle through ``paths``.

    ``done`` prints one JSON line with requests, errors and latency percentiles (microseconds).

    Examples
    --------
    >>> "thread.addr" in wrk_script([8001, 8002], ("/health",))
    True
    """
    lua_ports = ", ".join(f'"{p}"' for p in ports)
    lua_paths = ", ".join(json.dumps(p) for p in paths)
    return f"""
local ports = {{{lua_ports}}}
local paths = {{{lua_paths}}}
local made = 0
function setup(thread)
  made = made + 1
  local port = ports[((made - 1) % #ports) + 1]
  thread.addr = wrk.lookup("{HOST}", port)[1]
end
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("GET", paths[((counter - 1) % #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{{"requests":%.0f,"duration_us":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,' ..
    '"status":%.0f,"timeout":%.0f,"p50_us":%.0f,"p99_us":%.0f,"max_us":%.0f}}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass
class ReadLoad:
    """Figures of one wrk run."""

    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    error_kinds: dict[str, int]


def run_wrk(
    ports: list[int], duration_s: float, connections: int = 16, threads: int | None = None
) -> ReadLoad:
    """Run the read mix against ``ports`` for ``duration_s`` seconds with wrk.

    Raises
    ------
    RuntimeError
        When wrk is missing or prints no summary.
    """
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    threads = threads or max(2, len(ports))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(ports))
    try:
        command = [binary, "-t", str(threads), "-c", str(max(connections, threads))]
        command += ["-d", f"{int(duration_s)}s", "--timeout", "10s", "-s", script.name]
        command.append(f"http://{HOST}:{ports[0]}/")
        out = subprocess.run(
            command, capture_output=True, text=True, timeout=duration_s + 60, check=False
        )
    finally:
        os.unlink(script.name)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith('{"requests"')]
    if not lines:
        raise RuntimeError(f"wrk gave no summary: {out.stdout[-1000:]} {out.stderr[-1000:]}")
    data = json.loads(lines[-1])
    kinds = {k: int(data[k]) for k in ("connect", "read", "write", "status", "timeout")}
    duration = data["duration_us"] / 1e6
    return ReadLoad(
        requests=int(data["requests"]),
        duration_s=round(duration, 2),
        rps=round(data["requests"] / duration, 1),
        p50_ms=round(data["p50_us"] / 1000, 2),
        p99_ms=round(data["p99_us"] / 1000, 2),
        max_ms=round(data["max_us"] / 1000, 2),
        errors=sum(kinds.values()),
        error_kinds=kinds,
    )


def check_mix(url: str) -> dict[str, int]:
    """One GET of each path of the mix; status by path (all must be 200 before loading)."""
    with httpx.Client(timeout=60.0) as client:
        return {path: client.get(url + path).status_code for path in READ_MIX}


class RssSampler(threading.Thread):
    """RSS of every API process every :data:`RSS_SAMPLE_S` seconds, to see whether it levels off."""

    def __init__(self, apis: list[ApiProcess]):
        super().__init__(daemon=True)
        self.apis = apis
        self.series: list[list[float]] = [[] for _ in apis]
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(RSS_SAMPLE_S):
            for samples, api in zip(self.series, self.apis, strict=True):
                samples.append(round((api.rss_kib() or 0) / 1024, 1))

    def stop(self) -> list[list[float]]:
        """Stop sampling and return one series (MiB) per API process."""
        self._stop_event.set()
        self.join(RSS_SAMPLE_S + 5)
        return self.series


@dataclass
class LoadResult:
    """One load run: reads, writes, memory per API process, cross-process visibility."""

    processes: int
    backend: str
    findings: int
    duration_s: float
    connections: int
    reads: ReadLoad
    writes: dict
    rss_start_mib: list[float]
    rss_end_mib: list[float]
    rss_growth_pct: list[float]
    write_visible_elsewhere_s: float | None = None


def run_load(
    apis: list[ApiProcess],
    sources: list,
    token: str,
    duration_s: float,
    connections: int = 16,
    write_sources: int = 20,
    warmup_s: float = WARMUP_S,
) -> dict:
    """Drive the read mix on all ``apis`` and writes at up to 1/s on the first; return figures.

    The writer sends the next write one second after the previous one was sent, or when its
    answer came, whichever is later. RSS is read after start-up (``rss_cold_mib``), after
    ``warmup_s`` seconds of the same load (``rss_start_mib``) and at the end. With two or
    more APIs the last write through the first is looked up through the last one, and the
    seconds until it showed are reported (None when it never did in ``VISIBLE_TIMEOUT_S``).
    """
    rss_cold = [api.rss_kib() or 0 for api in apis]
    ports = [api.port for api in apis]
    if warmup_s > 0:
        warm = WriteLoop(apis[0].url, token, sources[-write_sources:], max_writes=int(warmup_s))
        warm.start()
        try:
            run_wrk(ports, warmup_s, connections)
        finally:
            warm.stop()
    rss_start = [api.rss_kib() or 0 for api in apis]
    writer = WriteLoop(apis[0].url, token, sources[:write_sources], max_writes=int(duration_s) + 5)
    sampler = RssSampler(apis)
    writer.start()
    sampler.start()
    try:
        reads = run_wrk(ports, duration_s, connections)
    finally:
        stats = writer.stop()
        series = sampler.stop()
    rss_end = [api.rss_kib() or 0 for api in apis]
    visible_s = None
    if len(apis) > 1 and stats.last_id is not None:
        visible_s = wait_for_title(apis[-1].url, stats.last_id, stats.last_title, VISIBLE_TIMEOUT_S)
    lat = sorted(stats.latencies_ms)
    writes = {
        "sent": stats.sent,
        "ok": stats.ok,
        "failed": stats.failed,
        "statuses": stats.statuses,
        "rate_per_s": round(stats.ok / reads.duration_s, 3),
        "p50_ms": round(lat[len(lat) // 2], 1) if lat else None,
        "max_ms": round(lat[-1], 1) if lat else None,
    }
    result = asdict(
        LoadResult(
            processes=len(apis),
            backend=apis[0].env.get("TRIGGERGRAPH_STORE", ""),
            findings=sum(len(s.findings) for s in sources),
            duration_s=duration_s,
            connections=connections,
            reads=reads,
            writes=writes,
            rss_start_mib=[round(k / 1024, 1) for k in rss_start],
            rss_end_mib=[round(k / 1024, 1) for k in rss_end],
            rss_growth_pct=[
                round(100.0 * (end - start) / start, 1) if start else 0.0
                for start, end in zip(rss_start, rss_end, strict=True)
            ],
            write_visible_elsewhere_s=visible_s,
        )
    )
    result["rss_cold_mib"] = [round(k / 1024, 1) for k in rss_cold]
    result["rss_every_s"] = RSS_SAMPLE_S
    result["rss_series_mib"] = series
    result["warmup_s"] = warmup_s
    return result


def wait_for_title(url: str, source_id: str, title: str | None, timeout_s: float) -> float | None:
    """Seconds until ``GET /api/v1/sources/{id}`` at ``url`` shows ``title``; None on timeout."""
    started = time.monotonic()
    with httpx.Client(timeout=10.0) as client:
        while time.monotonic() - started < timeout_s:
            try:
                answer = client.get(f"{url}/api/v1/sources/{source_id}")
            except httpx.TimeoutException:
                continue  # busy reloading its index; ask again until the deadline
            if answer.status_code == 200 and answer.json().get("title") == title:
                return round(time.monotonic() - started, 2)
            time.sleep(0.1)
    return None


def api_env(
    literature: Path,
    token: str,
    store_path: Path | None = None,
    sparql_url: str | None = None,
    virtuoso: VirtuosoProcess | None = None,
) -> dict[str, str]:
    """``TRIGGERGRAPH_*`` variables for an API on the oxigraph (path) or sparql (URL) backend;
    with ``virtuoso``, the sparql backend on that server in its dialect."""
    env = {"TRIGGERGRAPH_LITERATURE_DIR": str(literature), "TRIGGERGRAPH_API_TOKEN": token}
    if virtuoso is not None:
        env.update(
            TRIGGERGRAPH_STORE="sparql",
            TRIGGERGRAPH_SPARQL_URL=virtuoso.query_url,
            TRIGGERGRAPH_SPARQL_UPDATE_URL=virtuoso.update_url,
            TRIGGERGRAPH_SPARQL_DIALECT="virtuoso",
            TRIGGERGRAPH_SPARQL_USER=virtuoso.user,
            TRIGGERGRAPH_SPARQL_PASSWORD=virtuoso.password,
        )
    elif sparql_url is not None:
        env.update(TRIGGERGRAPH_STORE="sparql", TRIGGERGRAPH_SPARQL_URL=sparql_url)
    else:
        env.update(TRIGGERGRAPH_STORE="oxigraph", TRIGGERGRAPH_STORE_PATH=str(store_path))
    return env


def measure(
    processes: int,
    n_findings: int,
    duration_s: float,
    connections: int,
    workdir: Path,
    shared: str = "oxigraph-serve",
) -> dict:
    """Set up the data and servers for one configuration, run the load, stop everything.

    ``processes == 1``: one API on the embedded oxigraph backend. ``processes >= 2``: that
    many APIs on one shared store (sparql backend), ``shared`` naming it (``oxigraph-serve``
    or ``virtuoso``), load split across them.
    """
    literature = workdir / "literature"
    sources = prepare_literature(literature, n_findings)
    token = secrets.token_hex(16)
    started: list = []
    try:
        from triggergraph.store import SparqlStore, VirtuosoStore

        if processes == 1:
            store_dir = prebuild_embedded(sources, literature, workdir / "store")
            env = api_env(literature, token, store_path=store_dir)
            apis = [ApiProcess(env, workdir / "api-0.log")]
        elif shared == "virtuoso":
            virtuoso = VirtuosoProcess(workdir / "virtuoso", workdir / "virtuoso.log")
            started.append(virtuoso.start())
            remote = VirtuosoStore(
                virtuoso.query_url, None, BASE_IRI, auth=virtuoso.auth, write_timeout_s=600
            )
            try:
                prebuild_store(sources, literature, remote)
            finally:
                remote.close()
            env = api_env(literature, token, virtuoso=virtuoso)
            apis = [ApiProcess(env, workdir / f"api-{i}.log") for i in range(processes)]
        else:
            server = StoreProcess(workdir / "oxigraph", workdir / "oxigraph.log")
            started.append(server.start())
            remote = SparqlStore(server.query_url, None, BASE_IRI, write_timeout_s=600)
            try:
                prebuild_store(sources, literature, remote)
            finally:
                remote.close()
            env = api_env(literature, token, sparql_url=server.query_url)
            apis = [ApiProcess(env, workdir / f"api-{i}.log") for i in range(processes)]
        load_started = time.monotonic()
        for api in apis:
            # one after the other: the first loads literature/ into the store, the rest reuse it
            started.append(api.start())
        load_s = round(time.monotonic() - load_started, 1)
        for api in apis:
            bad = {p: s for p, s in check_mix(api.url).items() if s != 200}
            if bad:
                raise RuntimeError(f"the read mix is not all 200 on {api.url}: {bad}")
        result = run_load(apis, sources, token, duration_s, connections)
        result["startup_s"] = load_s
        result["store"] = "embedded oxigraph" if processes == 1 else shared
        return result
    finally:
        for process in reversed(started):
            process.stop()


def report(result: dict, out: Path | None) -> None:
    """Stamp ``result`` with the date and CPU count, print it as JSON and write it to ``out``."""
    result["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    result["cpus"] = os.cpu_count()
    text = json.dumps(result, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line; prints one JSON object with the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--store",
        choices=("oxigraph-serve", "virtuoso"),
        default="oxigraph-serve",
        help="the shared store of --processes 2",
    )
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tg-load-") as folder:
        result = measure(
            args.processes,
            args.findings,
            args.duration,
            args.connections,
            Path(folder),
            shared=args.store,
        )
    report(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
