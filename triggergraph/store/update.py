"""Compare-and-set graph writes as one SPARQL Update: the gate, the receipt, the backends' base."""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Iterable

import pyoxigraph as ox

from triggergraph.namespaces import TG
from triggergraph.store.base import (
    ABSENT,
    RECEIPT_KEEP_S,
    Store,
    named_node,
    new_version,
    parse_ntriples,
)


class UpdateStore(Store):
    """A store written with SPARQL Update (embedded Oxigraph, a SPARQL server).

    Every graph write is the one gated update of :meth:`_graph_update`; a backend applies
    it atomically in :meth:`_gated` and says, from the write's receipt, whether its gate
    opened.
    """

    def replace_graph(
        self,
        graph_iri: str,
        ntriples: str,
        expected: str | None = None,
        owned: Iterable[str] = (),
    ) -> str:
        update, version = self._graph_update(graph_iri, ntriples, expected, owned)
        return self._gated(update, version, graph_iri, expected, not ntriples.strip())

    def delete_graph(self, graph_iri: str, expected: str | None = None) -> str:
        update, version = self._graph_update(graph_iri, None, expected)
        return self._gated(update, version, graph_iri, expected, True)

    @abstractmethod
    def _gated(
        self, update: str, version: str, graph_iri: str, expected: str | None, emptied: bool
    ) -> str:
        """Apply ``update`` atomically and return ``version``, or raise
        :class:`PreconditionFailedError` when its receipt is missing (the gate stayed shut).
        A graph the write left empty (``emptied``) is dropped afterwards."""

    def _graph_update(
        self,
        graph_iri: str,
        ntriples: str | None,
        expected: str | None = None,
        owned: Iterable[str] = (),
    ) -> tuple[str, str]:
        """The one SPARQL Update that writes a named graph; returns ``(update, version)``.

        Its first operation is the gate: only when the preconditions hold (``expected``
        revision, no ``owned`` subject in another graph) does it set the new data version,
        the graph's revision and a write receipt (``tg:writeReceipt``, the new version).
        The operations after it delete the graph's triples and insert the new ones only
        where that receipt exists, so a failed precondition changes nothing. A backend that
        applies one update atomically writes all of it or nothing; after it, the receipt
        says whether the write happened (:meth:`_receipt_query`). Invalid N-Triples and
        the meta graph raise before anything is sent.
        """
        graph = self._check_graph_iri(graph_iri)
        triples = parse_ntriples(ntriples) if ntriples is not None else []
        owned_nodes = [named_node(str(iri), "owned") for iri in owned]
        version = new_version()
        return gated_graph_update(
            self.meta_graph, graph, triples, version, expected, owned_nodes
        ), version

    def _receipt_query(self, version: str) -> str:
        """ASK whether the write that returned ``version`` passed its gate."""
        m = ox.NamedNode(self.meta_graph)
        return f"ASK {{ GRAPH {m} {{ {m} <{TG.writeReceipt}> {ox.Literal(version)} }} }}"


def gated_graph_update(
    meta_graph: str,
    graph: ox.NamedNode,
    triples: list[ox.Triple],
    version: str,
    expected: str | None,
    owned: list[ox.NamedNode],
) -> str:
    """Return the compare-and-set SPARQL Update that replaces (or, without triples, drops) a graph.

    Operation 1 (the gate) matches only when the preconditions hold and then sets the data
    version, the graph's revision (removed when the graph is dropped) and the receipt
    ``<meta> tg:writeReceipt "version"``, dropping receipts older than
    :data:`RECEIPT_KEEP_S`. Operations 2 and 3 delete the graph's triples and insert the new
    ones only where that receipt exists. Every term is serialised as an escaped N-Triples
    term; the new triples sit in an ``INSERT ... WHERE`` with one solution, so their blank
    nodes are written once.

    Parameters
    ----------
    meta_graph : str
        IRI of the bookkeeping graph.
    graph : pyoxigraph.NamedNode
        The graph written.
    triples : list of pyoxigraph.Triple
        Its new content (empty: the graph is dropped).
    version : str
        The new data version (and the graph's revision and the receipt).
    expected : str or None
        The graph's revision the writer saw, :data:`ABSENT` for none, None for no check.
    owned : list of pyoxigraph.NamedNode
        Subjects no other named graph (meta graph aside) may hold.

    Examples
    --------
    >>> g = ox.NamedNode("http://x/graph/s1")
    >>> ops = gated_graph_update("http://x/graph/meta", g, [], "v2", ABSENT, [])
    >>> [op.split(" ")[0] for op in ops.split(" ;\\n")]
    ['DELETE', 'DELETE']
    >>> "FILTER(!BOUND(?rev))" in ops
    True
    """
    m = ox.NamedNode(meta_graph)
    new = ox.Literal(version)
    cutoff = ox.Literal(f"{time.time_ns() - RECEIPT_KEEP_S * 10**9:x}")
    data_version, graph_version, receipt = (
        f"<{TG.dataVersion}>",
        f"<{TG.graphVersion}>",
        f"<{TG.writeReceipt}>",
    )
    inserted = [f"{m} {data_version} {new} .", f"{m} {receipt} {new} ."]
    if triples:
        inserted.append(f"{graph} {graph_version} {new} .")
    where = [
        f"OPTIONAL {{ GRAPH {m} {{ {m} {data_version} ?version }} }}",
        f"OPTIONAL {{ GRAPH {m} {{ {graph} {graph_version} ?rev }} }}",
        f"OPTIONAL {{ GRAPH {m} {{ {m} {receipt} ?old FILTER(STR(?old) < {cutoff}) }} }}",
    ]
    if expected == ABSENT:
        where.append("FILTER(!BOUND(?rev))")
    elif expected is not None:
        where.append(f"FILTER(BOUND(?rev) && STR(?rev) = {ox.Literal(expected)})")
    if owned:
        values = " ".join(str(node) for node in owned)
        where.append(
            f"FILTER NOT EXISTS {{ VALUES ?owned {{ {values} }} GRAPH ?other {{ ?owned ?op ?oo }} "
            f"FILTER(?other != {graph} && ?other != {m}) }}"
        )
    gate = (
        f"DELETE {{ GRAPH {m} {{ {m} {data_version} ?version . {graph} {graph_version} ?rev . "
        f"{m} {receipt} ?old }} }}\n"
        f"INSERT {{ GRAPH {m} {{ {' '.join(inserted)} }} }}\n"
        f"WHERE {{ {' '.join(where)} }}"
    )
    passed = f"GRAPH {m} {{ {m} {receipt} {new} }}"
    ops = [
        gate,
        f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ {passed} GRAPH {graph} {{ ?s ?p ?o }} }}",
    ]
    if triples:
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        ops.append(f"INSERT {{ GRAPH {graph} {{\n{body}\n}} }} WHERE {{ {passed} }}")
    return " ;\n".join(ops)
