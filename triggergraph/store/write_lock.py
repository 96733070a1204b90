"""The store-wide write lock of a SPARQL server shared by several processes: claims in the meta graph."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pyoxigraph as ox

from triggergraph.exceptions import StoreUnavailableError
from triggergraph.namespaces import TG
from triggergraph.store.base import new_version

LOCKS_QUERY = f"SELECT ?lock WHERE {{ GRAPH ?m {{ ?m <{TG.writeLock}> ?lock }} }}"
#: Seconds after which a write lock left by a writer that died counts as released.
WRITE_LOCK_LEASE_S = 30.0


class SharedWriteLock:
    """The write lock of :class:`~triggergraph.store.sparql.SparqlStore` (see :meth:`_write_lock`)."""

    meta_graph: str
    update_url: str
    write_timeout_s: float
    _post_update: Callable[[str], None]
    _select: Callable[..., list[dict[str, Any]]]

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Hold the store-wide write lock, shared by every process that writes this store.

        A SPARQL server need not isolate concurrent updates from each other (Oxigraph
        server evaluates each on a snapshot and commits without a conflict check, so two
        gates can both open). Each writer therefore adds its own claim
        ``<meta> tg:writeLock "token"`` (time-ordered, unique) and reads the claims back: it
        holds the lock only when its claim is the only one; otherwise it withdraws it and
        tries again after a random pause. Of two writers, the one whose read-back comes
        later sees both claims, so two can never hold the lock at once. A claim older than
        :data:`WRITE_LOCK_LEASE_S` (a writer that died) is removed by the next writer.
        """
        token = new_version()
        deadline = time.monotonic() + self.write_timeout_s
        m = ox.NamedNode(self.meta_graph)
        claim = f"GRAPH {m} {{ {m} <{TG.writeLock}> {ox.Literal(token)} }}"
        stale = ox.Literal(f"{time.time_ns() - int(WRITE_LOCK_LEASE_S * 1e9):x}")
        claim_update = (
            f"DELETE {{ GRAPH {m} {{ {m} <{TG.writeLock}> ?old }} }} WHERE {{ GRAPH {m} "
            f"{{ {m} <{TG.writeLock}> ?old FILTER(STR(?old) < {stale}) }} }} ;\n"
            f"INSERT DATA {{ {claim} }}"
        )
        pause = 0.005
        try:
            while True:
                self._post_update(claim_update)
                claims = {row["lock"].value for row in self._select(LOCKS_QUERY)}
                if claims == {token}:
                    break
                self._post_update(f"DELETE DATA {{ {claim} }}")
                if time.monotonic() > deadline:
                    raise StoreUnavailableError(
                        f"the write lock of {self.update_url} stayed taken for "
                        f"{self.write_timeout_s:g} s; another writer holds it"
                    )
                time.sleep(random.uniform(pause, 2 * pause))
                pause = min(pause * 2, 0.2)
            yield
        finally:
            self._post_update(f"DELETE DATA {{ {claim} }}")
