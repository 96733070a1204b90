"""Network projections of the evidence: factors linked to drivers and groups, layout and GraphML."""

from __future__ import annotations

import io
import math
import random
from typing import TYPE_CHECKING

import networkx as nx

from .answers.builders import build_matrix
from .answers.queries import MatrixQuery
from .exceptions import NotFoundError
from .verdict import VERDICT_LABELS, check_min_verdict, meets_min_verdict
from .vocabulary import suggest

if TYPE_CHECKING:
    from .readmodel import EvidenceIndex

#: Up to this many nodes the layout is two columns (factors | drivers and groups); above it a
#: hub-and-ring layout, because one column of thousands of nodes cannot be read.
BIPARTITE_MAX_NODES = 300
LEVEL_ORDER: dict[str, int] = {"micro": 0, "meso": 1, "macro": 2}


def node_key(kind: str, ident: str) -> str:
    """Return the graph node key of a concept, e.g. ``factor/detention`` (its IRI path).

    Examples
    --------
    >>> node_key("driver", "justice_seeker")
    'driver/justice_seeker'
    """
    return f"{kind}/{ident}"


def _clean(attrs: dict) -> dict:
    """GraphML cannot store None, so absent attributes are left out instead."""
    return {k: v for k, v in attrs.items() if v is not None}


def project_graph(
    index: EvidenceIndex,
    *,
    lang: str = "en",
    level: str | None = None,
    driver: str | None = None,
    min_verdict: str | None = None,
    demographic: str | None = None,
) -> nx.Graph:
    """Project the evidence matrix onto a graph: factors linked to drivers and demographic groups.

    Parameters
    ----------
    index : EvidenceIndex
    lang : str
        Language of the ``label`` attributes ("nl" or "en").
    level : str, optional
        Keep only factors of this level.
    driver : str, optional
        Keep only this driver's column (with ``demographic``: both).
    min_verdict : str, optional
        Keep only edges whose cell meets it (``limited`` also keeps ``contested``).
    demographic : str, optional
        A demographic value id, or a dimension id (all its values).

    Returns
    -------
    networkx.Graph
        Nodes keyed ``factor/{id}``, ``driver/{id}``, ``demographic/{id}`` with attributes
        ``kind`` ("factor" | "driver" | "demographic"), ``id``, ``label``, ``iri`` and
        ``level`` (factors), ``dimension`` (groups), ``n_findings`` (factors, overall). One edge
        per cell with evidence, with ``weight`` = ``score``, ``verdict``, ``verdict_label``,
        ``direction`` (``tie`` for a tie), ``certainty``, ``n_groups``, ``n_findings``,
        ``score``, ``explanation`` (in ``lang``) and
        ``deciding`` (comma-separated finding ids). With a column or verdict filter, factors
        left without edges are dropped.

    Examples
    --------
    >>> from triggergraph.readmodel import EvidenceIndex
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> g = project_graph(EvidenceIndex.build([], load_vocabulary()))
    >>> g.number_of_edges(), g.nodes["driver/justice_seeker"]["kind"]
    (0, 'driver')
    """
    check_min_verdict(min_verdict)
    matrix = build_matrix(index, MatrixQuery(cols="all", level=level, lang=lang))
    columns = matrix.columns
    if driver is not None or demographic is not None:
        wanted: set[str] = set()
        if driver is not None:
            drivers = [c.id for c in columns if c.kind == "driver"]
            if driver not in drivers:
                raise NotFoundError("driver", driver, suggest(driver, drivers))
            wanted.add(driver)
        if demographic is not None:
            values = [c for c in columns if c.kind == "demographic"]
            chosen = {c.id for c in values if demographic in (c.id, c.dimension)}
            if not chosen:
                options = sorted({c.id for c in values} | {c.dimension for c in values})
                raise NotFoundError("demographic", demographic, suggest(demographic, options))
            wanted |= chosen
        columns = [c for c in columns if c.id in wanted]
    graph = nx.Graph(lang=lang)
    for column in columns:
        graph.add_node(
            node_key(column.kind, column.id),
            **_clean(
                {
                    "kind": column.kind,
                    "id": column.id,
                    "label": column.label,
                    "iri": column.iri,
                    "dimension": column.dimension,
                }
            ),
        )
    filtered = driver is not None or demographic is not None or min_verdict is not None
    for row in matrix.rows:
        edges = []
        for column in columns:
            cell = matrix.cells[row.id][column.id]
            if cell.verdict == "no_evidence":
                continue
            if min_verdict is not None and not meets_min_verdict(cell.verdict, min_verdict):
                continue
            edges.append((column, cell))
        if filtered and not edges:
            continue
        key = node_key("factor", row.id)
        graph.add_node(
            key,
            **_clean(
                {
                    "kind": "factor",
                    "id": row.id,
                    "label": row.label,
                    "iri": row.iri,
                    "level": row.level,
                    "n_findings": row.overall.n_findings,
                }
            ),
        )
        for column, cell in edges:
            graph.add_edge(
                key,
                node_key(column.kind, column.id),
                **_clean(
                    {
                        "weight": cell.score,
                        "score": cell.score,
                        "verdict": cell.verdict,
                        "verdict_label": VERDICT_LABELS[cell.verdict][lang],
                        "direction": "tie" if cell.tie else cell.direction,
                        "certainty": cell.certainty,
                        "n_groups": cell.n_groups,
                        "n_findings": cell.n_findings,
                        "explanation": cell.explanation[lang],
                        "deciding": ",".join(cell.deciding),
                    }
                ),
            )
    return graph


def _column_sort_key(graph: nx.Graph, node: str) -> tuple:
    data = graph.nodes[node]
    kind_rank = 0 if data.get("kind") == "driver" else 1
    return (kind_rank, data.get("dimension") or "", node)


def _factor_sort_key(graph: nx.Graph, node: str) -> tuple:
    level = graph.nodes[node].get("level") or ""
    return (LEVEL_ORDER.get(level, len(LEVEL_ORDER)), level, node)


def _spread(count: int, gaps: list[int] | None = None) -> list[float]:
    """``count`` positions in [0, 1], with an extra empty slot before each index in ``gaps``."""
    gaps = gaps or []
    slots = count + len(gaps)
    if slots <= 1:
        return [0.5] * count
    out, slot = [], 0
    for i in range(count):
        if i in gaps:
            slot += 1
        out.append(slot / (slots - 1))
        slot += 1
    return out


def layout_graph(graph: nx.Graph, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Compute node positions in the unit square, deterministically and in pure Python.

    Up to :data:`BIPARTITE_MAX_NODES` nodes: factors in a left column grouped by level (with
    a gap between levels), drivers and demographic groups in a right column. Larger graphs:
    the driver/group nodes (hubs) on an inner circle, each factor on an outer ring at the
    weighted mean angle of the hubs it links to (micro innermost, macro outermost), staggered
    over sub-rings so neighbours do not overlap. Runs in O(n log n).

    Parameters
    ----------
    graph : networkx.Graph
        A graph from :func:`project_graph` (or any graph with ``kind`` node attributes).
    seed : int
        Seed of the small jitter that breaks ties between factors with the same hubs.

    Returns
    -------
    dict
        ``{node: (x, y)}`` with ``0 <= x, y <= 1``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("factor/a", kind="factor", level="micro")
    >>> g.add_node("driver/d", kind="driver")
    >>> g.add_edge("factor/a", "driver/d", weight=4)
    >>> layout_graph(g)
    {'factor/a': (0.1, 0.5), 'driver/d': (0.9, 0.5)}
    """
    factors = sorted(
        (n for n, d in graph.nodes(data=True) if d.get("kind") == "factor"),
        key=lambda n: _factor_sort_key(graph, n),
    )
    factor_set = set(factors)
    hubs = sorted(
        (n for n in graph.nodes if n not in factor_set), key=lambda n: _column_sort_key(graph, n)
    )
    if graph.number_of_nodes() <= BIPARTITE_MAX_NODES:
        return _bipartite(graph, factors, hubs)
    return _hub_ring(graph, factors, hubs, seed)


def _bipartite(
    graph: nx.Graph, factors: list[str], hubs: list[str]
) -> dict[str, tuple[float, float]]:
    level_breaks = [
        i
        for i in range(1, len(factors))
        if graph.nodes[factors[i]].get("level") != graph.nodes[factors[i - 1]].get("level")
    ]
    kind_breaks = [
        i
        for i in range(1, len(hubs))
        if _column_sort_key(graph, hubs[i])[:2] != _column_sort_key(graph, hubs[i - 1])[:2]
    ]
    pos: dict[str, tuple[float, float]] = {}
    for node, y in zip(factors, _spread(len(factors), level_breaks), strict=True):
        pos[node] = (0.1, round(y, 6))
    for node, y in zip(hubs, _spread(len(hubs), kind_breaks), strict=True):
        pos[node] = (0.9, round(y, 6))
    return pos


def _hub_ring(
    graph: nx.Graph, factors: list[str], hubs: list[str], seed: int
) -> dict[str, tuple[float, float]]:
    rng = random.Random(seed)
    pos: dict[str, tuple[float, float]] = {}
    hub_angle: dict[str, float] = {}
    for i, node in enumerate(hubs):
        angle = 2 * math.pi * i / max(len(hubs), 1)
        hub_angle[node] = angle
        pos[node] = (0.5 + 0.2 * math.cos(angle), 0.5 + 0.2 * math.sin(angle))
    bands: dict[int, list[tuple[float, str]]] = {}
    for node in factors:
        sx = sy = 0.0
        for neighbour in graph.neighbors(node):
            if neighbour in hub_angle:
                w = float(graph.edges[node, neighbour].get("weight", 1) or 1)
                sx += w * math.cos(hub_angle[neighbour])
                sy += w * math.sin(hub_angle[neighbour])
        jitter = rng.uniform(-0.15, 0.15)
        angle = math.atan2(sy, sx) + jitter if (sx or sy) else rng.uniform(0, 2 * math.pi)
        band = _factor_sort_key(graph, node)[0]
        bands.setdefault(band, []).append((angle % (2 * math.pi), node))
    n_bands = max(len(bands), 1)
    for b, band in enumerate(sorted(bands)):
        members = sorted(bands[band])
        inner = 0.28 + 0.2 * b / n_bands
        outer = 0.28 + 0.2 * (b + 1) / n_bands
        rings = max(1, math.ceil(math.sqrt(len(members) / 40)))
        for k, (angle, node) in enumerate(members):
            radius = inner + (outer - inner) * ((k % rings) + 0.5) / rings
            pos[node] = (0.5 + radius * math.cos(angle), 0.5 + radius * math.sin(angle))
    return {node: (round(x, 6), round(y, 6)) for node, (x, y) in pos.items()}


def neighbourhood(graph: nx.Graph, node_id: str) -> nx.Graph:
    """Return the subgraph of one node and its neighbours (a copy).

    Parameters
    ----------
    graph : networkx.Graph
    node_id : str
        A node key (``factor/detention``) or a bare id (``detention``) if that is unique.

    Raises
    ------
    NotFoundError
        For an unknown node, with close node keys.

    Examples
    --------
    >>> g = nx.path_graph(["factor/a", "driver/b", "factor/c"])
    >>> sorted(neighbourhood(g, "a").nodes)
    ['driver/b', 'factor/a']
    """
    key = node_id
    if key not in graph:
        matches = [n for n in graph.nodes if isinstance(n, str) and n.split("/", 1)[-1] == node_id]
        if len(matches) != 1:
            raise NotFoundError("node", node_id, suggest(node_id, [str(n) for n in graph.nodes]))
        key = matches[0]
    return graph.subgraph([key, *graph.neighbors(key)]).copy()


def write_graphml(graph: nx.Graph) -> bytes:
    """Serialise a graph as GraphML (UTF-8 bytes).

    Examples
    --------
    >>> write_graphml(nx.path_graph(2)).startswith(b"<?xml")
    True
    """
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()
