"""The query workers' copy of the data graphs: in memory, bookkeeping left out, synced by revision."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from triggergraph.exceptions import StoreError
from triggergraph.namespaces import META_GRAPH
from triggergraph.store.base import Store
from triggergraph.store.oxigraph import OxigraphStore
from triggergraph.store.precheck import QueryLimits
from triggergraph.store.virtuoso import remote_store

#: how often a sync starts over on a fresh read-only view before it gives up
SYNC_ATTEMPTS = 5


def is_bookkeeping(base_iri: str, graph_iri: str) -> bool:
    """True for ``B graph/meta`` and the graphs under it (``B graph/meta/literature``).

    Examples
    --------
    >>> is_bookkeeping("http://x/", "http://x/graph/meta/literature")
    True
    >>> is_bookkeeping("http://x/", "http://x/graph/metabolism")
    False
    """
    meta = base_iri + META_GRAPH
    return graph_iri == meta or graph_iri.startswith(meta + "/")


class Replica:
    """An in-memory Oxigraph store holding the data graphs of a source store, nothing else.

    Its default graph is the union of the data graphs only, never the bookkeeping graphs,
    on every backend, and a query that crashes or exhausts memory hits this copy in a worker
    process, never the store the API writes (nor a shared ``oxigraph serve``).

    ``source`` describes where the data is (see :func:`open_source`). :meth:`sync` reads only
    the graphs whose revision changed since the last sync.
    """

    def __init__(self, source: dict[str, Any], base_iri: str, limits: QueryLimits):
        self.source = source
        self.base_iri = base_iri
        self.copy = OxigraphStore(None, base_iri, query_limits=limits, query_workers=1)
        self.revisions: dict[str, str] | None = None
        self.version: str | None = None

    def sync(self) -> str:
        """Bring the copy up to the source's current data; return the source's version.

        A read-only view of RocksDB can meet a table file the writing process has just
        compacted away; the sync then starts over on a fresh view (up to
        :data:`SYNC_ATTEMPTS` times). A sync cut short leaves the revisions as they were, so
        the next one redoes every graph it had not finished.
        """
        for attempt in range(1, SYNC_ATTEMPTS + 1):
            try:
                return self._sync_once()
            except (OSError, RuntimeError, StoreError) as error:
                if attempt == SYNC_ATTEMPTS:
                    raise StoreError(
                        f"the query worker could not read the store after {attempt} attempts: "
                        f"{error}"
                    ) from None
                time.sleep(0.05 * attempt)
        raise AssertionError("not reached")

    def _sync_once(self) -> str:
        if self.source["kind"] == "dump":
            return self._load_dump()
        store = open_source(self.source, self.base_iri)
        try:
            version, revisions = store.graph_versions()
            revisions = {g: r for g, r in revisions.items() if not is_bookkeeping(self.base_iri, g)}
            if self.revisions is None:
                self._load_all(store)
            else:
                changed = {
                    g
                    for g in set(revisions) | set(self.revisions)
                    if revisions.get(g) != self.revisions.get(g)
                }
                for graph in sorted(changed):
                    node = ox.NamedNode(graph)
                    self.copy.store.remove_graph(node)
                    if graph in revisions:
                        text = store.graph_ntriples(graph)
                        self.copy.store.load(
                            text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=node
                        )
        finally:
            store.close()
        self.revisions, self.version = revisions, version
        return version

    def _load_all(self, store: Store) -> None:
        if isinstance(store, OxigraphStore):
            data = store.store.dump(format=ox.RdfFormat.N_QUADS)
        else:
            data = store.dump_nquads().encode("utf-8")
        self._replace(data)

    def _load_dump(self) -> str:
        path = Path(self.source["path"])
        version = self.source.get("version", "")
        if version != self.version:
            self._replace(path.read_bytes())
            self.version = version
        return version

    def _replace(self, nquads: bytes) -> None:
        fresh = ox.Store()
        fresh.load(nquads, format=ox.RdfFormat.N_QUADS)
        for graph in list(fresh.named_graphs()):
            if isinstance(graph, ox.NamedNode) and is_bookkeeping(self.base_iri, graph.value):
                fresh.remove_graph(graph)
        self.copy._store = fresh


def open_source(source: dict[str, Any], base_iri: str) -> Store:
    """Open the store a replica reads from: ``oxigraph`` (read-only) or ``sparql`` (in the
    API store's dialect, so a Virtuoso is read as one)."""
    if source["kind"] == "oxigraph":
        return OxigraphStore(Path(source["path"]), base_iri, read_only=True, query_workers=1)
    if source["kind"] == "sparql":
        auth = tuple(source["auth"]) if source.get("auth") else None
        return remote_store(
            source.get("dialect", "standard"),
            source["query_url"],
            source.get("update_url"),
            base_iri,
            auth=auth,
            write_timeout_s=float(source.get("timeout_s", 60.0)),
        )
    raise StoreError(f"unknown replica source {source.get('kind')!r}")
