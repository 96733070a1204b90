"""The query worker process: holds the replica and forks one capped child per query.

Started by :class:`~triggergraph.sparql.pool.QueryPool` as ``python -m
triggergraph.sparql.worker`` with a Unix socket as its standard input. The first message
configures it (where the data is, base IRI, limits, memory cap); it loads the replica and
answers ``{"ready": version}``. Each later message is one query with the socket for its
answer attached; nothing is answered on the control socket. The worker syncs the replica
when the API saw a newer data version, then forks (a failure is written to the query's
socket). The child sends its pid on that socket, lowers its address-space limit (``RLIMIT_AS``) to what it has plus the
cap, runs the query on the copy it shares with its parent, writes the answer and exits; the
API kills it at the time limit. The worker itself stays single-threaded, so forking it is
safe, and a crash or a memory blow-up ends one child only.
"""

from __future__ import annotations

import ctypes
import gc
import math
import os
import resource
import signal
import socket
import sys
import time
import traceback
from contextlib import suppress
from typing import Any

from triggergraph.exceptions import QueryTimeoutError, TriggergraphError
from triggergraph.sparql.replica import Replica
from triggergraph.sparql.wire import recv_message, send_message
from triggergraph.store.base import QueryDataset
from triggergraph.store.precheck import QueryLimits

#: ``prctl`` option that signals a process when its parent dies (linux/prctl.h)
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True)
#: errors a child may report by name; anything else becomes a QueryError
REPORTED_ERRORS = ("QueryError", "QueryLimitError", "ResultLimitError", "QueryTimeoutError")


def address_space_bytes() -> int:
    """Virtual memory size of this process now (``VmSize``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def answer_query(replica: Replica, request: dict[str, Any], out: socket.socket) -> None:
    """Run one query in a forked child and write its answer to ``out`` (child side)."""
    cap = int(request["memory_cap_bytes"])
    limit = address_space_bytes() + cap
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # a backstop in case the API could not kill this child: CPU seconds up to the deadline
    seconds = max(1, math.ceil(float(request["deadline"]) - time.monotonic()) + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    # a crash on a hostile query is expected: no core file (writing one takes seconds)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    dataset = request.get("dataset")
    try:
        body, media = replica.copy.query_serialized(
            request["query"],
            request["media_type"],
            # the API kills this child at its own limit; this one only ends stray threads
            timeout_s=float(request["timeout_s"]) + 30.0,
            max_rows=int(request["max_rows"]),
            dataset=QueryDataset(*map(tuple, dataset)) if dataset is not None else None,
        )
    except MemoryError:
        header = {"error": "QueryError", "message": _cap_message(cap)}
        body = b""
    except TriggergraphError as error:
        name = type(error).__name__
        header = {"error": name if name in REPORTED_ERRORS else "QueryError", "message": str(error)}
        body = b""
    except Exception as error:  # noqa: BLE001 - an engine bug on an odd query is the query failing
        header = {"error": "QueryError", "message": f"the query failed: {error}"}
        body = b""
    else:
        header = {"media_type": media, "length": len(body)}
    send_message(out, header)
    out.sendall(body)


def _cap_message(cap: int) -> str:
    return (
        f"the query needed more than the memory cap of {cap // (1024 * 1024)} MB "
        "(sparql_worker_memory_mb); narrow it or add LIMIT"
    )


def serve(control: socket.socket) -> None:
    """The worker's loop: configure, load, then fork one child per query until EOF."""
    config, _ = recv_message(control)
    limits = QueryLimits(**config["limits"])
    replica = Replica(config["source"], config["base_iri"], limits)
    synced_for = config.get("version")
    replica.sync()
    send_message(control, {"ready": replica.version})
    # children are never waited for: the kernel reaps them
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while True:
        try:
            request, fds = recv_message(control, with_fds=True)
        except EOFError:
            return
        if not fds:
            continue
        out = socket.socket(fileno=fds[0])
        try:
            if "source" in request:
                replica.source = request["source"]
            if request.get("version") != synced_for:
                replica.sync()
                synced_for = request.get("version")
            if time.monotonic() >= float(request["deadline"]):
                raise QueryTimeoutError("the query waited for the worker past its time limit")
            # objects made so far stay out of the collector's sight, so children do not touch
            # (and so copy) the pages they share with the worker
            gc.freeze()
            if os.fork() == 0:
                gc.disable()
                _child(control, replica, request, out)
        except Exception as error:  # noqa: BLE001 - reported on the query's socket; we go on
            if not isinstance(error, QueryTimeoutError):
                traceback.print_exc(file=sys.stderr)
            name = "QueryTimeoutError" if isinstance(error, QueryTimeoutError) else None
            message = str(error) if name else f"the query worker could not read the store: {error}"
            with suppress(OSError):
                send_message(out, {"error": name or "StoreUnavailableError", "message": message})
        finally:
            out.close()


def _child(control: socket.socket, replica: Replica, request: dict, out: socket.socket) -> None:
    code = 0
    try:
        # if the worker dies (the API stopped it), its children die with it
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:
            os._exit(1)
        control.close()
        send_message(out, {"pid": os.getpid()})
        answer_query(replica, request, out)
    except BaseException:  # noqa: BLE001 - a child must never return into the worker's loop
        code = 1
    finally:
        os._exit(code)


def main() -> None:
    """Entry point: the control socket is standard input."""
    control = socket.socket(fileno=os.dup(0))
    serve(control)


if __name__ == "__main__":
    main()
