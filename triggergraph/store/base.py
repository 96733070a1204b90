"""The store interface every backend implements: named graphs per source, SPARQL, a version."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

#: Result formats ``Store.query_serialized`` accepts, by media type.
SELECT_FORMATS: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_FORMATS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@dataclass
class QueryResult:
    """A parsed query answer.

    ``kind`` is ``"select"`` (``variables`` and ``rows`` of plain Python values / str IRIs),
    ``"ask"`` (``boolean``) or ``"graph"`` (``triples`` as N-Triples text).
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: str | None = None


class Store(ABC):
    """A quad store holding one named graph per source plus the vocabulary and meta graphs.

    Every write is atomic (all of a named graph or nothing) and durable before it returns,
    and bumps :meth:`version`.
    """

    backend: str = "abstract"

    def __init__(self, base_iri: str):
        self.base_iri = base_iri

    # ---- writes --------------------------------------------------------------------
    @abstractmethod
    def replace_all(self, nquads: str, content_hash: str | None = None) -> str:
        """Replace the whole dataset with ``nquads`` (N-Quads text); return the new version."""

    @abstractmethod
    def replace_graph(self, graph_iri: str, ntriples: str) -> str:
        """Atomically replace one named graph with ``ntriples``; return the new version."""

    @abstractmethod
    def delete_graph(self, graph_iri: str) -> str:
        """Atomically drop one named graph; return the new version."""

    # ---- reads ---------------------------------------------------------------------
    @abstractmethod
    def graph_names(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def graph_ntriples(self, graph_iri: str) -> str:
        """N-Triples of one named graph ('' if it does not exist)."""

    @abstractmethod
    def dump_nquads(self) -> str:
        """The whole dataset as N-Quads."""

    @abstractmethod
    def query(self, sparql: str, bindings: dict[str, Any] | None = None, timeout_s: float | None = None) -> QueryResult:
        """Run a read-only query with bound values (never formatted into the text)."""

    @abstractmethod
    def query_serialized(self, sparql: str, media_type: str, timeout_s: float | None = None) -> tuple[bytes, str]:
        """Run a read-only query and return ``(body, media type)`` in the requested format."""

    @abstractmethod
    def version(self) -> str:
        """Opaque data version; changes on every write, also when another process wrote."""

    @abstractmethod
    def content_hash(self) -> str | None:
        """Hash of the literature last loaded with :meth:`replace_all`, if any."""

    def ping(self) -> bool:
        """True when the store answers."""
        try:
            self.version()
        except Exception:
            return False
        return True

    def close(self) -> None:
        """Release files, processes or connections."""
