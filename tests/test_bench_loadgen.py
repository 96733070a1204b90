"""bench/loadgen.py: no percentile is printed without the requests behind it."""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bench_scripts import load_bench

loadgen = load_bench("loadgen")


class _Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - the name http.server calls
        time.sleep(0.6)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_measure_load_slow_route_times_enough_requests_for_its_median(slow_url):
    load = loadgen.measure_load(slow_url, 1, 1)
    assert load.requests < loadgen.MIN_SAMPLES
    assert load.tool.endswith("+sequential")
    assert load.p50_ms is not None and load.p50_ms >= 600
    assert load.p99_ms is None  # far fewer than P99_MIN_SAMPLES requests


def test_asyncio_load_runs_where_an_event_loop_is_running_already(slow_url):
    # a test process with Playwright's sync API open runs an event loop in its main thread;
    # the same is made here on a thread of the test's own (this worker's main thread may
    # hold Playwright's loop already, where the test could not start one)
    done: dict = {}

    async def inside_a_running_loop():
        done["load"] = loadgen.run_asyncio_load(slow_url, 1, 0.5, None)

    def caller():
        try:
            asyncio.run(inside_a_running_loop())
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            done["error"] = error

    thread = threading.Thread(target=caller)
    thread.start()
    thread.join(timeout=30)
    assert "error" not in done, done.get("error")
    assert done["load"].tool == "asyncio"
    assert done["load"].requests >= 1
