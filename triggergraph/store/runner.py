"""Running queries: the query and dataset a backend runs, on bounded worker threads with a deadline."""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from triggergraph.exceptions import (
    QueryTimeoutError,
)
from triggergraph.store.results import timeout_error

#: How many rows a worker reads between two looks at the clock.
DEADLINE_CHECK_EVERY = 256
T = TypeVar("T")


@dataclass(frozen=True)
class QueryDataset:
    """An RDF dataset named by the request (``default-graph-uri`` / ``named-graph-uri``).

    It replaces the query's own ``FROM``/``FROM NAMED`` clauses, as the SPARQL 1.1 Protocol
    says. An empty ``default_graphs`` is an empty default graph.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryRun:
    """One query as a backend runs it: text with values bound, form, limits and dataset.

    ``own_dataset`` tells that the text has ``FROM``/``FROM NAMED`` clauses (they then
    replace the union default graph); ``dataset`` is a dataset named by the request, which
    replaces both; ``client`` marks queries sent by endpoint clients (own workers).
    """

    text: str
    kind: str
    own_dataset: bool
    timeout_s: float
    max_rows: int
    dataset: QueryDataset | None = None
    client: bool = False


# ---- bounded query workers ------------------------------------------------------------
class QueryRunner:
    """Run queries on a bounded set of daemon threads, giving up after a deadline.

    The caller waits at most ``timeout_s``. A query the engine cannot stop (pyoxigraph
    computes aggregates and sorts inside one native call that releases the GIL but has no
    cancel hook) keeps its worker busy until it finishes, so at most ``workers`` such
    queries burn CPU at once and later queries get :class:`QueryTimeoutError` ("busy")
    instead of piling up. Store reads and writes never go through the runner, so a
    runaway query never blocks them. With ``interruptible=True`` (pure-Python engines
    like rdflib) the worker is also stopped by raising an exception inside it.
    """

    def __init__(self, workers: int, interruptible: bool = False):
        self.workers = workers
        self.interruptible = interruptible
        self._slots = threading.BoundedSemaphore(workers)

    def run(self, work: Callable[[float], T], timeout_s: float) -> T:
        """Call ``work(deadline)`` in a worker; return its value or raise its error.

        ``deadline`` is a ``time.monotonic()`` value the work may check between rows.
        """
        deadline = time.monotonic() + timeout_s
        if not self._slots.acquire(timeout=timeout_s):
            raise QueryTimeoutError(
                f"all {self.workers} query workers are busy with earlier long queries; "
                "try again later"
            )
        done = threading.Event()
        outcome: dict[str, Any] = {}
        state_lock = threading.Lock()
        state = {"finished": False}

        def target() -> None:
            try:
                try:
                    outcome["value"] = work(deadline)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    outcome["error"] = exc
                finally:
                    with state_lock:
                        state["finished"] = True
            except BaseException:  # noqa: BLE001 - a stop request that came late
                pass
            finally:
                self._slots.release()
                done.set()

        thread = threading.Thread(target=target, name="triggergraph-query", daemon=True)
        thread.start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            if self.interruptible and thread.ident is not None:
                # Only while the work runs: a stop request must never hit the slot release.
                with state_lock:
                    if not state["finished"]:
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(thread.ident), ctypes.py_object(QueryTimeoutError)
                        )
            raise timeout_error(timeout_s)
        if "error" in outcome:
            error = outcome["error"]
            if isinstance(error, QueryTimeoutError) and not str(error):
                raise timeout_error(timeout_s)
            raise error
        return outcome["value"]


def check_deadline(count: int, deadline: float, timeout_s: float) -> None:
    """Raise QueryTimeoutError when ``deadline`` passed (looks every few rows)."""
    if count % DEADLINE_CHECK_EVERY == 0 and time.monotonic() > deadline:
        raise timeout_error(timeout_s)
