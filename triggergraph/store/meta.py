"""Revision bookkeeping in the meta graph: versions, graph revisions, receipts and bulk ``INSERT DATA``."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

import pyoxigraph as ox

from triggergraph.namespaces import TG
from triggergraph.store.quads import named_node

#: ``expected`` revision of a graph that must not exist yet (a create).
ABSENT = ""
#: How long a write receipt stays in the meta graph, so the writer can read it back.
RECEIPT_KEEP_S = 300


# ---- versions and meta ---------------------------------------------------------------
def new_version() -> str:
    """Return a fresh opaque version string (time-ordered, unique across processes).

    Examples
    --------
    >>> new_version() != new_version()
    True
    """
    return f"{time.time_ns():x}-{uuid.uuid4().hex[:12]}"


def meta_update(meta_graph: str, version: str, content_hash: str | None, keep_hash: bool) -> str:
    """Return SPARQL Update operations that set the version (and hash) in the meta graph.

    Values are serialised as escaped N-Triples terms, never pasted raw.

    Examples
    --------
    >>> "dataVersion" in meta_update("http://x/graph/meta", "v1", None, True)
    True
    """
    g = str(ox.NamedNode(meta_graph))
    ops = [f"DELETE WHERE {{ GRAPH {g} {{ {g} <{TG.dataVersion}> ?v }} }}"]
    data = [f"{g} <{TG.dataVersion}> {ox.Literal(version)} ."]
    if not keep_hash:
        ops.append(f"DELETE WHERE {{ GRAPH {g} {{ {g} <{TG.contentHash}> ?h }} }}")
        if content_hash is not None:
            data.append(f"{g} <{TG.contentHash}> {ox.Literal(content_hash)} .")
    ops.append("INSERT DATA { GRAPH " + g + " { " + " ".join(data) + " } }")
    return " ;\n".join(ops)


def graph_version_update(
    meta_graph: str,
    version: str,
    set_graphs: Iterable[str] = (),
    clear_graphs: Iterable[str] = (),
    clear_all: bool = False,
) -> str:
    """Return SPARQL Update operations that set or remove graph revisions in the meta graph.

    Every graph of ``set_graphs`` gets revision ``version`` (replacing its old one); the
    revisions of ``clear_graphs`` are removed, or of every graph with ``clear_all``. IRIs
    and the version are serialised as escaped N-Triples terms, never pasted raw.

    Parameters
    ----------
    meta_graph : str
        IRI of the meta graph that holds the revisions.
    version : str
        The revision to set (the version the write returns).
    set_graphs, clear_graphs : iterable of str
        Graph IRIs whose revision is set, respectively removed.
    clear_all : bool
        Remove every revision first (a whole-dataset replace).

    Returns
    -------
    str
        Operations joined by ``" ;"`` ('' when there is nothing to do).

    Examples
    --------
    >>> ops = graph_version_update("http://x/graph/meta", "v1", ["http://x/graph/s1"])
    >>> [op.split(" {")[0] for op in ops.split(" ;\\n")]
    ['DELETE WHERE', 'INSERT DATA']
    >>> graph_version_update("http://x/graph/meta", "v1", clear_all=True).count("?g")
    1
    """
    g = str(ox.NamedNode(meta_graph))
    predicate = f"<{TG.graphVersion}>"
    setting = [str(named_node(iri, "graph_iri")) for iri in set_graphs]
    ops = []
    if clear_all:
        ops.append(f"DELETE WHERE {{ GRAPH {g} {{ ?g {predicate} ?r }} }}")
    else:
        clearing = dict.fromkeys(setting + [str(named_node(i, "graph_iri")) for i in clear_graphs])
        ops.extend(f"DELETE WHERE {{ GRAPH {g} {{ {s} {predicate} ?r }} }}" for s in clearing)
    if setting:
        revision = str(ox.Literal(version))
        data = " ".join(f"{s} {predicate} {revision} ." for s in dict.fromkeys(setting))
        ops.append(f"INSERT DATA {{ GRAPH {g} {{ {data} }} }}")
    return " ;\n".join(ops)


def insert_data(quads_by_graph: dict[str, list[ox.Triple]]) -> str:
    """Return one ``INSERT DATA`` operation for the given triples per graph ('' if none)."""
    blocks = []
    for graph, triples in quads_by_graph.items():
        if not triples:
            continue
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        blocks.append(f"GRAPH {ox.NamedNode(graph)} {{\n{body}\n}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}" if blocks else ""
