"""Start and stop a real ``oxigraph serve`` process on 127.0.0.1 for tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 5.0


def find_oxigraph_binary() -> str:
    """Return the ``oxigraph`` command installed next to the running Python."""
    here = str(Path(sys.executable).parent)
    found = shutil.which("oxigraph", path=here) or shutil.which("oxigraph")
    if found is None:
        raise RuntimeError(
            f"the oxigraph command is not installed (looked in {here} and PATH); "
            "install the 'oxigraph' test dependency"
        )
    return found


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """One ``oxigraph serve`` process with its data directory.

    ``timeout_s`` is the server's own query time limit (``--timeout-s``), which stops
    runaway queries on the server after the client gave up on them.
    """

    def __init__(self, location: Path, port: int | None = None, timeout_s: float = 5.0):
        self.location = Path(location)
        self.port = port or free_port()
        self.timeout_s = timeout_s
        self.process: subprocess.Popen | None = None
        self.log_path = self.location.parent / f"{self.location.name}-oxigraph.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    def start(self) -> OxigraphServer:
        """Start the process and wait until it answers a query."""
        self.location.mkdir(parents=True, exist_ok=True)
        command = [
            find_oxigraph_binary(),
            "serve",
            "--location",
            str(self.location),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout-s",
            str(int(max(1, self.timeout_s))),
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"oxigraph serve exited with {self.process.returncode}: "
                    + self.log_path.read_text(errors="replace")[-2000:]
                )
            try:
                response = httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=1.0)
                if response.status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer on {self.base_url} in time")

    def stop(self) -> None:
        """Terminate the process (kill it if it does not end) and wait for it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_S)
        self.process = None

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
