"""A real uvicorn process serving ``api.main:app`` on a free 127.0.0.1 port, for tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from oxigraph_server import free_port

REPO = Path(__file__).resolve().parents[1]


class UvicornServer:
    """The app under uvicorn, configured only through ``TRIGGERGRAPH_*`` environment variables."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONPATH": str(REPO), **env}
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, timeout_s: float = 30.0):
        """Start the process and wait until ``/health`` answers 200; return ``self``."""
        command = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--log-level", "warning"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"server did not answer in {timeout_s} s:\n{self.log.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        """Terminate (then kill) the process."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None
