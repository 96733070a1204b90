"""Load generation for the benchmark: ``wrk`` with one or many connections, or an asyncio fallback."""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

HOST = "127.0.0.1"
#: fewest samples behind a median, and behind a 99th percentile, that the benchmark prints
MIN_SAMPLES = 3
P99_MIN_SAMPLES = 100
WRK_INSTALL_HINT = "wrk not found: install it with `apt-get install -y wrk` (Debian/Ubuntu)"


def http_get(url: str, accept: str | None = None, timeout: float = 30.0) -> tuple[int, bytes]:
    """GET ``url``; return (status, body) also for 4xx/5xx answers."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


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
    # on a thread of its own: the caller's thread may be running an event loop already (a
    # test process with Playwright's sync API open), where asyncio.run refuses to start
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="loadgen") as pool:
        pool.submit(lambda: asyncio.run(main())).result()
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
    """Latency percentiles and requests/s of GET ``url`` for ``duration_s`` seconds.

    A percentile is only given with enough requests behind it: p50 needs ``MIN_SAMPLES``,
    p99 ``P99_MIN_SAMPLES``. When a slow route answers fewer than ``MIN_SAMPLES`` times in
    ``duration_s``, that many more requests are timed one after the other for the p50.
    """
    if shutil.which("wrk"):
        load = run_wrk(url, connections, duration_s, accept)
    else:
        load = run_asyncio_load(url, connections, duration_s, accept)
    if load.requests < P99_MIN_SAMPLES:
        load.p99_ms = None
    if load.requests < MIN_SAMPLES:
        load.p50_ms, load.tool = timed_median(url, accept), load.tool + "+sequential"
    return load


def timed_median(url: str, accept: str | None = None, samples: int = 0) -> float | None:
    """Median ms of ``samples`` (default ``MIN_SAMPLES``) GETs of ``url``, one at a time;
    None when any of them fails."""
    times = []
    for _ in range(samples or MIN_SAMPLES):
        started = time.perf_counter()
        status, _body = http_get(url, accept, timeout=600)
        if not 200 <= status < 300:
            return None
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 3)
