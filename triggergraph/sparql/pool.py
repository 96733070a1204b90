"""Client SPARQL outside the API process: admission per client, a worker process, kill at the limit.

:class:`QueryPool` owns one worker process (:mod:`triggergraph.sparql.worker`) that holds an
in-memory copy of the data graphs and forks a child per query. The API side:

1. admission: each client address may have ``queue_per_client`` queries running or waiting
   (more: :class:`TooManyQueriesError`, HTTP 429); at most ``workers`` queries run at once,
   and a query that finds no free slot within its time limit gets :class:`QueryTimeoutError`
   ("busy", 503);
2. the query and a fresh socket go to the worker, which forks a child; the child sends its pid
   on that socket, then the answer (the worker sends an error there if it cannot start one);
3. the answer is awaited on that socket until the time limit; then the child is killed
   (``SIGKILL``), so a runaway stops using CPU and memory at once. A child that dies (a
   segfault in the engine, the memory cap) ends that one query with a 400 naming what
   happened; the API and the other queries go on.

Nothing else waits on this pool: REST reads, ``/health`` and writes use the store directly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from triggergraph.exceptions import (
    QueryError,
    QueryLimitError,
    QueryTimeoutError,
    ResultLimitError,
    StoreUnavailableError,
    TooManyQueriesError,
    TriggergraphError,
)
from triggergraph.sparql.wire import WireClosedError, recv_exactly, recv_message, send_message
from triggergraph.store.base import QueryDataset, Store
from triggergraph.store.memory import MemoryStore
from triggergraph.store.oxigraph import OxigraphStore
from triggergraph.store.precheck import QueryLimits, precheck

#: errors the worker or a child may report, by name
ERRORS: dict[str, type[TriggergraphError]] = {
    "QueryError": QueryError,
    "QueryLimitError": QueryLimitError,
    "ResultLimitError": ResultLimitError,
    "QueryTimeoutError": QueryTimeoutError,
    "StoreUnavailableError": StoreUnavailableError,
}
#: seconds the worker may take to load the data at start
START_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class PoolLimits:
    """Limits of the pool (from :class:`~triggergraph.config.Settings`)."""

    timeout_s: float = 10.0
    max_rows: int = 10_000
    workers: int = 2
    memory_cap_mb: int = 1024
    queue_per_client: int = 4
    query: QueryLimits = QueryLimits()


class QueryPool:
    """Runs client queries in capped, killable child processes of one worker process.

    Parameters
    ----------
    store : Store
        The API's store; the worker reads the same data (read-only for the embedded
        store, over HTTP for the sparql backend, from a dump file for the memory store).
    limits : PoolLimits
        Time, rows, concurrency, memory cap and admission.
    """

    def __init__(self, store: Store, limits: PoolLimits):
        self.store = store
        self.limits = limits
        self._slots = threading.BoundedSemaphore(limits.workers)
        self._control_lock = threading.Lock()
        self._admission_lock = threading.Lock()
        self._per_client: Counter[str] = Counter()
        self._process: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self._dump_dir: tempfile.TemporaryDirectory | None = None
        self._dump_version: str | None = None
        self._uses_dump = False
        self.killed = 0
        self.crashed = 0

    # ---- life cycle ----------------------------------------------------------------------
    def start(self, version: str) -> None:
        """Start the worker and wait until it loaded the data of ``version``."""
        with self._control_lock:
            self._start(version)

    def _start(self, version: str) -> None:
        self._stop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "triggergraph.sparql.worker"],
                stdin=theirs,
                stdout=subprocess.DEVNULL,
                env={**os.environ, "MALLOC_ARENA_MAX": "2"},
                close_fds=True,
            )
        finally:
            theirs.close()
        self._control = ours
        config = {
            "source": self._source(version),
            "base_iri": self.store.base_iri,
            "limits": asdict(self.limits.query),
            "version": version,
        }
        send_message(ours, config)
        try:
            recv_message(ours, time.monotonic() + START_TIMEOUT_S)
        except (EOFError, TimeoutError, OSError) as error:
            self._stop()
            raise StoreUnavailableError(
                f"the SPARQL query worker did not start: {type(error).__name__}"
            ) from None

    def close(self) -> None:
        """Stop the worker (its running children are killed with it)."""
        with self._control_lock:
            self._stop()
        if self._dump_dir is not None:
            self._dump_dir.cleanup()
            self._dump_dir = None

    def _stop(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(10)

    @property
    def worker_pid(self) -> int | None:
        """Process id of the worker, while it runs."""
        return self._process.pid if self._process is not None else None

    def _source(self, version: str) -> dict[str, Any]:
        # imported here: the remote store brings httpx, which a start on an embedded store
        # need not load
        from triggergraph.store.sparql import SparqlStore

        store = self.store
        if isinstance(store, OxigraphStore) and store.path is not None:
            return {"kind": "oxigraph", "path": str(store.path)}
        if isinstance(store, SparqlStore):
            return {
                "kind": "sparql",
                "query_url": store.query_url,
                "update_url": store.update_url,
                "auth": list(store.auth) if store.auth else None,
                "dialect": store.dialect,
                "timeout_s": store.write_timeout_s,
            }
        if isinstance(store, MemoryStore | OxigraphStore):
            self._uses_dump = True
            return self._dump_source(version)
        raise QueryError(f"the {store.backend} store cannot serve client queries")

    def _dump_source(self, version: str) -> dict[str, Any]:
        """The memory store lives in this process: the worker loads a dump of each version."""
        if self._dump_dir is None:
            self._dump_dir = tempfile.TemporaryDirectory(prefix="triggergraph-sparql-")
        path = Path(self._dump_dir.name) / "dump.nq"
        if self._dump_version != version or not path.exists():
            partial = path.with_suffix(".part")
            partial.write_text(self.store.dump_nquads(), encoding="utf-8")
            partial.replace(path)
            self._dump_version = version
        return {"kind": "dump", "path": str(path), "version": version}

    # ---- queries -------------------------------------------------------------------------
    @contextmanager
    def admitted(self, client: str) -> Iterator[None]:
        """Count one query of ``client`` while it waits or runs; 429 over the bound."""
        with self._admission_lock:
            if self._per_client[client] >= self.limits.queue_per_client:
                raise TooManyQueriesError(
                    f"this client already has {self.limits.queue_per_client} SPARQL queries "
                    "running or waiting (sparql_queue_per_client); wait for their answers"
                )
            self._per_client[client] += 1
        try:
            yield
        finally:
            with self._admission_lock:
                self._per_client[client] -= 1
                if self._per_client[client] <= 0:
                    del self._per_client[client]

    def run(
        self,
        sparql: str,
        media_type: str,
        version: str,
        client: str = "",
        dataset: QueryDataset | None = None,
    ) -> tuple[bytes, str]:
        """Run one client query on the data of ``version``; return ``(body, media type)``.

        Raises
        ------
        QueryLimitError, QueryError
            Refused by :func:`~triggergraph.store.precheck.precheck`, malformed, or the
            child died (crash, memory cap).
        ResultLimitError
            The answer is longer than the row limit.
        QueryTimeoutError
            Past the time limit (the child was killed), or no slot free in time.
        TooManyQueriesError
            ``client`` has too many queries running or waiting.
        """
        precheck(sparql, self.limits.query)
        timeout = self.limits.timeout_s
        with self.admitted(client):
            if not self._slots.acquire(timeout=timeout):
                raise QueryTimeoutError(
                    f"all {self.limits.workers} SPARQL query slots stayed busy for "
                    f"{timeout:g} s; try again later"
                )
            try:
                self._ensure_started(version)
                deadline = time.monotonic() + timeout
                return self._run(sparql, media_type, version, dataset, deadline)
            finally:
                self._slots.release()

    def _ensure_started(self, version: str) -> None:
        """Start the worker when it is not running (first query, or it died)."""
        with self._control_lock:
            if self._process is None or self._process.poll() is not None:
                self._start(version)

    def _run(
        self,
        sparql: str,
        media_type: str,
        version: str,
        dataset: QueryDataset | None,
        deadline: float,
    ) -> tuple[bytes, str]:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        request = {
            "query": sparql,
            "media_type": media_type,
            "version": version,
            "timeout_s": self.limits.timeout_s,
            "max_rows": self.limits.max_rows,
            "memory_cap_bytes": self.limits.memory_cap_mb * 1024 * 1024,
            "dataset": (
                [list(dataset.default_graphs), list(dataset.named_graphs)] if dataset else None
            ),
        }
        request["deadline"] = deadline  # CLOCK_MONOTONIC: the same clock in every process
        pid: int | None = None
        try:
            self._dispatch(request, theirs, version, deadline)
            theirs.close()
            try:
                # the child's pid first (or the worker's error), then the answer
                first, _ = recv_message(ours, deadline)
                if "error" in first:
                    header, body = first, b""
                else:
                    pid = int(first["pid"])
                    header, _ = recv_message(ours, deadline)
                    body = recv_exactly(ours, int(header.get("length", 0)), deadline)
            except TimeoutError:
                # with no pid yet, the child stops itself: it checks the deadline at its start
                # and has a CPU-time limit
                self._kill(pid)
                self.killed += 1
                raise QueryTimeoutError(
                    f"query ran longer than the time limit of {self.limits.timeout_s:g} s "
                    "and was stopped"
                ) from None
            except (WireClosedError, OSError, ValueError):
                self._kill(pid)
                self.crashed += 1
                raise QueryError(
                    "the query stopped its worker process (the query engine crashed on it, "
                    f"or it needed more than the memory cap of {self.limits.memory_cap_mb} MB); "
                    "simplify the query"
                ) from None
        finally:
            theirs.close()
            ours.close()
        if "error" in header:
            raise ERRORS.get(header["error"], QueryError)(header["message"])
        return body, header["media_type"]

    def _dispatch(
        self, request: dict[str, Any], answer_socket: socket.socket, version: str, deadline: float
    ) -> None:
        """Hand the query and its answer socket to the worker (nothing comes back here)."""
        if not self._control_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise QueryTimeoutError("the SPARQL query worker is busy; try again")
        try:
            if self._control is None:
                raise QueryTimeoutError("the SPARQL query worker stopped; try again")
            if self._uses_dump:
                request["source"] = self._dump_source(version)
            try:
                send_message(self._control, request, [answer_socket.fileno()])
            except OSError:
                self._stop()  # the worker is gone: started afresh by the next query
                raise QueryTimeoutError("the SPARQL query worker stopped; try again") from None
        finally:
            self._control_lock.release()

    @staticmethod
    def _kill(pid: int | None) -> None:
        if pid is None:
            return
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
