"""Virtuoso's dialect as text: the two requests of a gated write, data blocks, its JSON read."""

from __future__ import annotations

import time
from collections.abc import Mapping

import orjson
import pyoxigraph as ox

from triggergraph.namespaces import TG
from triggergraph.store.base import ABSENT, RECEIPT_KEEP_S
from triggergraph.store.update import held_nowhere_else

#: Triples per ``INSERT DATA`` operation: a large operation becomes a large SQL statement.
INSERT_BLOCK = 1_000
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def receipt_update(
    meta_graph: str,
    version: str,
    expected: Mapping[ox.NamedNode, str],
    owner: ox.NamedNode | None,
    owned: list[ox.NamedNode],
) -> str:
    """Request 1 of a Virtuoso write: insert the receipt only where the preconditions hold.

    ``VALUES ?gate { 1 }`` gives the WHERE one solution to filter (on Virtuoso a lone
    ``FILTER NOT EXISTS`` as the whole WHERE ignores the data); a graph that must not exist
    is ``FILTER NOT EXISTS`` (not an unbound ``OPTIONAL``).

    Examples
    --------
    >>> g = ox.NamedNode("http://x/graph/s1")
    >>> text = receipt_update("http://x/graph/meta", "v2", {g: ""}, None, [])
    >>> text.startswith("INSERT {") and "FILTER NOT EXISTS" in text and "DELETE" not in text
    True
    """
    m = ox.NamedNode(meta_graph)
    graph_version = f"<{TG.graphVersion}>"
    where = ["VALUES ?gate { 1 }"]
    for number, (graph, revision) in enumerate(expected.items()):
        if revision == ABSENT:
            where.append(f"FILTER NOT EXISTS {{ GRAPH {m} {{ {graph} {graph_version} ?any }} }}")
        else:
            where.append(
                f"GRAPH {m} {{ {graph} {graph_version} ?rev{number} }} "
                f"FILTER(STR(?rev{number}) = {ox.Literal(revision)})"
            )
    if owned:
        values = " ".join(str(node) for node in owned)
        others = f"?other != {m}" + (f" && ?other != {owner}" if owner is not None else "")
        where += held_nowhere_else(values, others, "not_exists")
    receipt = f"{m} <{TG.writeReceipt}> {ox.Literal(version)}"
    return f"INSERT {{ GRAPH {m} {{ {receipt} }} }} WHERE {{ {' '.join(where)} }}"


def change_ops(
    meta_graph: str,
    version: str,
    replace: Mapping[ox.NamedNode, list[ox.Triple]],
    add: Mapping[ox.NamedNode, list[ox.Triple]],
) -> list[str]:
    """Request 2 of a Virtuoso write: the data, the revisions and the version, in order.

    Every delete binds all its variables (``DELETE WHERE``), receipts older than
    :data:`RECEIPT_KEEP_S` go, and the new triples are :func:`insert_ops`.

    Examples
    --------
    >>> g = ox.NamedNode("http://x/graph/s1")
    >>> ops = change_ops("http://x/graph/meta", "v2", {g: []}, {})
    >>> [op.split(" {")[0] for op in ops]
    ['DELETE WHERE', 'DELETE WHERE', 'DELETE', 'DELETE WHERE', 'INSERT DATA']
    """
    m = ox.NamedNode(meta_graph)
    new = ox.Literal(version)
    cutoff = ox.Literal(f"{time.time_ns() - RECEIPT_KEEP_S * 10**9:x}")
    data_version, graph_version, receipt = (
        f"<{TG.dataVersion}>",
        f"<{TG.graphVersion}>",
        f"<{TG.writeReceipt}>",
    )
    changed = list(dict.fromkeys([*replace, *add]))
    written = [g for g in changed if replace.get(g) or add.get(g)]
    ops = [f"DELETE WHERE {{ GRAPH {m} {{ {m} {data_version} ?version }} }}"]
    ops += [f"DELETE WHERE {{ GRAPH {m} {{ {g} {graph_version} ?rev }} }}" for g in changed]
    ops.append(
        f"DELETE {{ GRAPH {m} {{ {m} {receipt} ?old }} }} "
        f"WHERE {{ GRAPH {m} {{ {m} {receipt} ?old FILTER(STR(?old) < {cutoff}) }} }}"
    )
    ops += [f"DELETE WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}" for g in replace]
    meta = [f"{m} {data_version} {new} ."] + [f"{g} {graph_version} {new} ." for g in written]
    ops.append(f"INSERT DATA {{ GRAPH {m} {{ {' '.join(meta)} }} }}")
    triples = {g: [*replace.get(g, []), *add.get(g, [])] for g in changed}
    return ops + insert_ops(triples)


def insert_ops(graphs: Mapping[ox.NamedNode, list[ox.Triple]]) -> list[str]:
    """``INSERT DATA`` operations of at most :data:`INSERT_BLOCK` triples each.

    Virtuoso takes no blank nodes in ``INSERT DATA``: the triples that hold one go, all of
    them, into one ``INSERT {...} WHERE {}`` (one ``GRAPH`` block per graph), so a label
    names one node across them.

    Examples
    --------
    >>> g = ox.NamedNode("http://x/g")
    >>> t = ox.Triple(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"))
    >>> b = ox.Triple(ox.BlankNode("b0"), ox.NamedNode("http://x/p"), ox.Literal("o"))
    >>> [op.split(" {")[0] for op in insert_ops({g: [t] * 1001 + [b]})]
    ['INSERT DATA', 'INSERT DATA', 'INSERT']
    """
    ops = []
    blank: list[str] = []
    for graph, triples in graphs.items():
        plain, linked = [], []
        for t in triples:
            line = f"{t.subject} {t.predicate} {t.object} ."
            if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
                linked.append(line)
            else:
                plain.append(line)
        if linked:
            # one GRAPH block per graph: Virtuoso 7.2.5 fails on a template naming one twice
            blank.append(f"GRAPH {graph} {{\n" + "\n".join(linked) + "\n}")
        for start in range(0, len(plain), INSERT_BLOCK):
            body = "\n".join(plain[start : start + INSERT_BLOCK])
            ops.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
    if blank:
        ops.append("INSERT {\n" + "\n".join(blank) + "\n} WHERE { }")
    return ops


def standard_json(body: bytes) -> bytes:
    """Virtuoso's SPARQL JSON results as the standard says them.

    ``typed-literal`` becomes ``literal``, ``nodeID://b1`` the blank node ``b1``, and an
    ``xsd:boolean`` ``1``/``0`` becomes ``true``/``false``.

    Examples
    --------
    >>> raw = b'{"head": {"vars": ["o"]}, "results": {"bindings": [{"o": {"type": "typed-literal", '
    >>> raw += b'"datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"}}]}}'
    >>> orjson.loads(standard_json(raw))["results"]["bindings"][0]["o"]["value"]
    'true'
    """
    try:
        answer = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body
    for row in answer.get("results", {}).get("bindings", []):
        for term in row.values():
            kind = term.get("type")
            if kind == "typed-literal":
                term["type"] = "literal"
                if term.get("datatype") == XSD_BOOLEAN:
                    term["value"] = {"1": "true", "0": "false"}.get(term["value"], term["value"])
            elif kind == "bnode":
                term["value"] = term["value"].removeprefix("nodeID://")
    return orjson.dumps(answer)
