"""The server processes of benchmarks and tests: the API under uvicorn and ``oxigraph serve``.

One module for both: ``bench/run.py`` and ``bench/load.py`` start servers with it, and so do the
tests (imported by path, ``tests/bench_scripts.py``). Every process listens on 127.0.0.1 only
and is stopped by its owner (SIGTERM, then SIGKILL after ``STOP_TIMEOUT_S``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
HOST = "127.0.0.1"
#: one base IRI for every process, so a restarted or second process reads the IRIs minted before
BASE_IRI = "http://127.0.0.1:8000/"
START_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 15.0
#: how often a starting server is asked whether it answers
POLL_S = 0.02


def describe_checkout(path: Path) -> str:
    """A checkout named by its commit, for a result file (not by where it lies on a machine)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return "a checkout of unknown commit"
    return f"a checkout of {done.stdout.strip()}"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def read_status_kib(pid: int, field_name: str = "VmRSS") -> int | None:
    """Return one ``kB`` field of ``/proc/<pid>/status`` (``VmRSS``, ``VmHWM``), or None.

    Examples
    --------
    >>> read_status_kib(os.getpid()) > 0
    True
    """
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return None


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it (children, grandchildren, ...), from ``/proc``.

    Examples
    --------
    >>> process_tree(os.getpid())[0] == os.getpid()
    True
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) may hold spaces and parentheses: split after its end
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all processes below it, summed (kB)."""
    return sum(read_status_kib(p) or 0 for p in process_tree(pid))


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) one process has used so far; 0.0 once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_log_tail(path: Path, chars: int) -> str:
    """The last ``chars`` characters of a server's log, or "" when it cannot be read."""
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def wait_ready(
    server, answers: Callable[[httpx.Client], bool], name: str, deadline: float
) -> float:
    """Ask ``answers(client)`` until it is true; return the seconds since ``server.started``.

    One client serves every attempt: a new client costs over 100 ms of CPU (its TLS context),
    which at 50 attempts a second took a core from the server being timed on 2 cores.
    Raises RuntimeError with the end of the log when the process exits first, and stops it
    when ``deadline`` (``time.monotonic()``) passes first.
    """
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                code, server.process = server.process.returncode, None
                raise RuntimeError(f"{name} exited with {code}:\n{server.log_tail()}")
            try:
                if answers(client):
                    return time.monotonic() - server.started
            except httpx.TransportError:
                pass
            time.sleep(POLL_S)
    server.stop()
    raise RuntimeError(f"{name} did not answer in {deadline - server.started:g} s")


def stop_process(process: subprocess.Popen | None) -> None:
    """SIGTERM, then SIGKILL if the process does not end in time; wait for it."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT_S)


class ApiProcess:
    """The API (``api.main:app``) under one uvicorn process on 127.0.0.1.

    Settings reach the child the documented way, as ``TRIGGERGRAPH_*`` variables read by its
    ``config.py``.

    Parameters
    ----------
    settings_env : dict
        ``TRIGGERGRAPH_*`` variables (store, paths, token, ...).
    log_path : Path
        File the server's output is appended to.
    port : int, optional
        A free port is picked when omitted; pass the old one to restart on the same address.
    app : str
        The ASGI app as ``module:attribute``; the benchmark serves ``bench_app:app``.
    app_dir : Path, optional
        Folder ``app`` is imported from, when it is not the repository root.

    After :meth:`start`, ``ready_s`` holds the seconds from process start until ``/health``
    answered 200 (the load time the benchmark reports).
    """

    def __init__(
        self,
        settings_env: dict[str, str],
        log_path: Path,
        port: int | None = None,
        *,
        app: str = "api.main:app",
        app_dir: Path | None = None,
    ):
        self.app = app
        self.app_dir = app_dir
        self.ready_s: float | None = None
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = Path(log_path)
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "TRIGGERGRAPH_BASE_IRI": BASE_IRI,
            **settings_env,
        }
        self.process: subprocess.Popen | None = None
        self.started = 0.0

    @property
    def pid(self) -> int | None:
        """Process id while running."""
        return self.process.pid if self.process is not None else None

    def start(self, timeout_s: float = START_TIMEOUT_S) -> ApiProcess:
        """Start uvicorn and wait until ``/health`` answers 200."""
        command = [sys.executable, "-m", "uvicorn", self.app, "--host", HOST]
        if self.app_dir is not None:
            command += ["--app-dir", str(self.app_dir)]
        command += ["--port", str(self.port), "--loop", "uvloop", "--http", "httptools"]
        command += ["--no-access-log", "--log-level", "warning"]
        self.started = time.monotonic()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.ready_s = wait_ready(
            self,
            lambda client: client.get(self.url + "/health", timeout=5.0).status_code == 200,
            f"API on {self.url}",
            self.started + timeout_s,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, nothing is flushed by the process."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT_S)
            self.process = None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not end in time; wait for the process."""
        stop_process(self.process)
        self.process = None

    def rss_kib(self, field_name: str = "VmRSS") -> int | None:
        """Resident memory of the server process now (``VmRSS``), or its peak (``VmHWM``)."""
        return read_status_kib(self.pid, field_name) if self.pid is not None else None

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log."""
        return read_log_tail(self.log_path, chars)

    def get_json(self, path: str, **params: str) -> Any:
        """GET ``path`` (with query ``params``) and return the JSON body; a non-2xx raises."""
        response = httpx.get(self.url + path, params=params, timeout=10)
        response.raise_for_status()
        return response.json()


class StoreProcess:
    """One ``oxigraph serve`` on 127.0.0.1 over a data folder (the sparql backend's store).

    Parameters
    ----------
    location : Path
        The data folder (created when missing).
    log_path : Path, optional
        File the server's output is appended to; by default ``<location>-oxigraph.log`` next
        to the data folder.
    port : int, optional
        A free port is picked when omitted; pass the old one to restart on the same address.
    query_timeout_s : float
        The server's own query time limit (``--timeout-s``). The API reads the whole store
        back at start-up with a 60 s client limit, so a shorter limit would cut that short;
        tests pass a few seconds, so runaway queries stop soon after the client gave up.
    """

    def __init__(
        self,
        location: Path,
        log_path: Path | None = None,
        port: int | None = None,
        query_timeout_s: float = 60.0,
    ):
        self.location = Path(location)
        self.port = port or free_port()
        self.log_path = (
            Path(log_path)
            if log_path is not None
            else self.location.parent / f"{self.location.name}-oxigraph.log"
        )
        self.query_timeout_s = query_timeout_s
        self.process: subprocess.Popen | None = None
        self.started = 0.0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    def start(self, timeout_s: float = 30.0) -> StoreProcess:
        """Start the server and wait until it answers a query."""
        here = str(Path(sys.executable).parent)
        binary = shutil.which("oxigraph", path=here) or shutil.which("oxigraph")
        if binary is None:
            raise RuntimeError(
                f"the oxigraph command is not installed (looked in {here} and PATH); "
                "install the 'oxigraph' test dependency"
            )
        self.location.mkdir(parents=True, exist_ok=True)
        command = [binary, "serve", "--location", str(self.location), "--bind"]
        command += [f"{HOST}:{self.port}", "--timeout-s", str(int(max(1, self.query_timeout_s)))]
        self.started = time.monotonic()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_ready(
            self,
            lambda client: (
                client.post(self.query_url, data={"query": "ASK {}"}, timeout=1.0).status_code
                == 200
            ),
            f"oxigraph serve on {self.base_url}",
            self.started + timeout_s,
        )
        return self

    def stop(self) -> None:
        """Terminate (kill if needed) and wait."""
        stop_process(self.process)
        self.process = None

    def log_tail(self, chars: int = 2000) -> str:
        """The end of the server's log."""
        return read_log_tail(self.log_path, chars)
