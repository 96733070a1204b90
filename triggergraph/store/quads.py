"""Write input: IRIs, N-Triples and N-Quads parsed to pyoxigraph triples, or a clear ``EntryError``."""

from __future__ import annotations

import pyoxigraph as ox

from triggergraph.exceptions import (
    ConflictError,
    EntryError,
    Problem,
)


# ---- parsing input -------------------------------------------------------------------
def named_node(iri: str, field_name: str) -> ox.NamedNode:
    """Return ``iri`` as a validated absolute IRI or raise :class:`EntryError`.

    Examples
    --------
    >>> named_node("http://127.0.0.1:8000/graph/x", "graph_iri").value
    'http://127.0.0.1:8000/graph/x'
    """
    try:
        node = ox.NamedNode(iri)
    except ValueError as exc:
        raise EntryError(
            [Problem(None, None, field_name, f"{iri!r} is not a valid IRI ({exc})")]
        ) from None
    if ":" not in iri:
        raise EntryError([Problem(None, None, field_name, f"{iri!r} is not an absolute IRI")])
    return node


def _syntax_problem(exc: SyntaxError, what: str) -> EntryError:
    line = exc.lineno if isinstance(exc.lineno, int) else None
    return EntryError([Problem(what, line, "", f"invalid {what}: {exc.msg}")])


def parse_ntriples(text: str) -> list[ox.Triple]:
    """Parse N-Triples text; raise :class:`EntryError` naming the line on bad input.

    Examples
    --------
    >>> len(parse_ntriples('<http://a/s> <http://a/p> "x" .\\n'))
    1
    """
    try:
        return [q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]
    except SyntaxError as exc:
        raise _syntax_problem(exc, "N-Triples") from None


def parse_nquads(text: str, meta_graph: str) -> dict[str, list[ox.Triple]]:
    """Parse N-Quads into triples per named graph, refusing default-graph and meta quads."""
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        quads = list(ox.parse(text, format=ox.RdfFormat.N_QUADS))
    except SyntaxError as exc:
        raise _syntax_problem(exc, "N-Quads") from None
    for number, quad in enumerate(quads, start=1):
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode):
            raise EntryError(
                [
                    Problem(
                        "N-Quads",
                        None,
                        "",
                        f"quad {number} ({quad.triple}) has no named graph; "
                        "every triple must sit in a named graph",
                    )
                ]
            )
        if graph.value == meta_graph:
            raise ConflictError(f"quad {number} writes the bookkeeping graph {meta_graph}")
        graphs.setdefault(graph.value, []).append(quad.triple)
    return graphs
