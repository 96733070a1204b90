"""A Virtuoso Open-Source 7 server (``virtuoso-t``) on 127.0.0.1 in its own folder.

Used like :class:`processes.StoreProcess` by ``bench/load.py`` and the tests (imported by path,
``tests/bench_scripts.py``): a generated ``virtuoso.ini`` puts the database, its logs and both
ports (SQL and HTTP, free ports on 127.0.0.1) in one folder, and ``virtuoso-t +foreground``
runs on it until :meth:`VirtuosoProcess.stop`. The ``dba`` account (password ``dba`` on a new
database) writes through ``/sparql-auth`` with HTTP digest login.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from processes import HOST, free_port, read_log_tail, stop_process, wait_ready  # noqa: E402

#: the Debian package's server binary
BINARY = "virtuoso-t"
#: the account a new database opens with (``dba``/``dba``); it may write through /sparql-auth
USER = "dba"
PASSWORD = "dba"

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = .
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 256M
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {d}/vsp
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
EnabledDavVSP = 0
HTTPProxyEnabled = 0
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxSortedTopRows = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = {query_timeout_s}
"""


class VirtuosoProcess:
    """One ``virtuoso-t`` on 127.0.0.1 over a database folder (the sparql backend's store).

    Parameters
    ----------
    location : Path
        The database folder (created when missing); the generated ``virtuoso.ini``, the
        database and Virtuoso's own log sit in it.
    log_path : Path, optional
        File the server's console output is appended to; by default
        ``<location>-virtuoso.log`` next to the folder.
    query_timeout_s : float
        The server's own query time limit (``MaxQueryExecutionTime``): Virtuoso then answers
        with what it found so far and says so in its ``X-SQL-State: S1TAT`` header.
    max_rows : int
        ``ResultSetMaxRows``: Virtuoso cuts every longer answer to this many rows without an
        error, so it must exceed the largest read the API makes (the whole store at start-up).
    buffers : int
        ``NumberOfBuffers`` (8 KiB pages of cache); the default suits tests, a deployment
        gives it about two thirds of the memory meant for Virtuoso.
    """

    def __init__(
        self,
        location: Path,
        log_path: Path | None = None,
        query_timeout_s: float = 60.0,
        max_rows: int = 10_000_000,
        buffers: int = 20_000,
    ):
        self.location = Path(location)
        self.sql_port = free_port()
        self.port = free_port()
        self.log_path = (
            Path(log_path)
            if log_path is not None
            else self.location.parent / f"{self.location.name}-virtuoso.log"
        )
        self.query_timeout_s = query_timeout_s
        self.max_rows = max_rows
        self.buffers = buffers
        self.user, self.password = USER, PASSWORD
        self.process: subprocess.Popen | None = None
        self.started = 0.0

    @staticmethod
    def available() -> bool:
        """True when the ``virtuoso-t`` binary is installed."""
        return shutil.which(BINARY) is not None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/sparql-auth"

    @property
    def auth(self) -> tuple[str, str]:
        """``(user, password)`` for the update endpoint's digest login."""
        return self.user, self.password

    def ini_text(self) -> str:
        """The generated ``virtuoso.ini``."""
        return INI.format(
            d=self.location,
            host=HOST,
            sql_port=self.sql_port,
            http_port=self.port,
            buffers=self.buffers,
            dirty=self.buffers * 3 // 4,
            max_rows=self.max_rows,
            query_timeout_s=int(max(1, self.query_timeout_s)),
        )

    def start(self, timeout_s: float = 120.0) -> VirtuosoProcess:
        """Write the ini, start the server and wait until ``/sparql`` answers a query."""
        binary = shutil.which(BINARY)
        if binary is None:
            raise RuntimeError(
                f"{BINARY} is not installed; install the Debian package virtuoso-opensource"
            )
        (self.location / "vsp").mkdir(parents=True, exist_ok=True)
        ini = self.location / "virtuoso.ini"
        ini.write_text(self.ini_text(), encoding="utf-8")
        command = [binary, "+foreground", "+configfile", str(ini)]
        self.started = time.monotonic()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=self.location, stdout=log, stderr=subprocess.STDOUT
            )
        wait_ready(self, self._answers, f"virtuoso-t on {self.base_url}", self.started + timeout_s)
        return self

    def _answers(self, client: httpx.Client) -> bool:
        response = client.post(self.query_url, data={"query": "ASK {}"}, timeout=1.0)
        return response.status_code == 200

    def stop(self) -> None:
        """Terminate (kill if needed) and wait."""
        stop_process(self.process)
        self.process = None

    def log_tail(self, chars: int = 2000) -> str:
        """The end of the console output and of Virtuoso's own log."""
        own = read_log_tail(self.location / "virtuoso.log", chars)
        return read_log_tail(self.log_path, chars) + ("\n" + own if own else "")
