"""The network page: a pyvis network built from the networkx projection, laid out in Python.

pyvis builds the node/edge/option data; the page template is ours (escaped, no CDN), because
pyvis's own template is not autoescaped and loads vis-network and Bootstrap from CDNs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .common import check_choice, check_lang, column_groups, make_select, page_frame
from .i18n import translations_for
from .labels import (
    DIRECTION_SIGNS,
    DIRECTIONS,
    LEVEL_COLOURS,
    LEVELS,
    STRENGTH_ORDER,
    VERDICT_COLOURS,
    VERDICT_SYMBOLS,
    VERDICTS,
    label_direction,
    label_level,
    label_verdict,
)
from .report import factor_report
from .templating import render_template
from .views import LegendItem, NetworkPage, NetworkSection

#: vis-network options: physics off (positions come from Python), cheap edges, keyboard on.
NETWORK_OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {
        "hover": True,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "navigationButtons": False,
        "tooltipDelay": 3600000,
        "hideEdgesOnDrag": True,
        # 10,000 edges per frame make zooming a slide show; they come back when zooming stops
        "hideEdgesOnZoom": True,
    },
    "edges": {"smooth": False},
    "nodes": {"font": {"size": 14, "face": "system-ui, Arial, sans-serif"}},
}

EDGE_COLOURS = {**VERDICT_COLOURS, "limited": "#7FB8DA", "no_evidence": "#BBBBBB"}
EDGE_DASHES: dict[str, object] = {"contested": [8, 5], "limited": [2, 4]}
KIND_SHAPES = {"factor": "dot", "driver": "square", "demographic": "diamond"}
KIND_COLOURS = {"driver": "#333333", "demographic": "#999999"}
POSITION_SCALE = 1000.0
#: above this many nodes, factor labels are not drawn on the canvas (see build_network_data)
LABEL_NODE_LIMIT = 500
#: above this many nodes, a zoom or drag draws nodes as plain squares until it stops
LIGHT_NODE_LIMIT = 1500


def _group_style(shape: str, colour: str, size: int) -> dict:
    return {
        "shape": shape,
        "size": size,
        "color": {
            "background": colour,
            "border": "#222222",
            "highlight": {"background": colour, "border": "#000000"},
        },
    }


#: Node styles by group, so 5,000 nodes do not each carry their own colour object.
NODE_GROUPS = {
    **{
        f"factor_{level}": _group_style("dot", colour, 16)
        for level, colour in LEVEL_COLOURS.items()
    },
    "factor": _group_style("dot", "#E69F00", 16),
    # a report section that was never read: hollow and dashed, so it does not look like evidence
    "factor_placeholder": {
        **_group_style("dot", "#FFFFFF", 16),
        "shapeProperties": {"borderDashes": [4, 3]},
        "borderWidth": 2,
    },
    "driver": _group_style("square", KIND_COLOURS["driver"], 22),
    "demographic": _group_style("diamond", KIND_COLOURS["demographic"], 22),
}


def node_group(kind: str, level: str | None) -> str:
    """Return the vis-network group of a node (its shape and colour).

    Examples
    --------
    >>> node_group("factor", "meso"), node_group("driver", None)
    ('factor_meso', 'driver')
    """
    if kind == "factor":
        return f"factor_{level}" if level in LEVEL_COLOURS else "factor"
    return kind if kind in NODE_GROUPS else "factor"


def build_network_data(graph: Any, positions: Mapping[Any, Any], *, lang: str = "en") -> dict:
    """Turn a networkx projection and its layout into vis-network data, via pyvis.

    Parameters
    ----------
    graph : networkx.Graph
        Nodes carry ``kind`` (factor/driver/demographic), ``label``, ``level``; edges carry
        ``verdict``, ``weight`` or ``score``, ``n_findings`` and ``explanation``.
    positions : Mapping
        ``node -> (x, y)`` from ``layout_graph``; scaled to pixels here.
    lang : str
        Language of explanations picked from ``{nl, en}`` dicts.

    Returns
    -------
    dict
        ``{"nodes": [...], "edges": [...], "options": {...}, "label_all": bool, "light": bool}``
        (``light``: draw plain squares while the view moves) — plain
        strings, not escaped (the page embeds it with :func:`dump_script_json` and the script
        uses ``textContent``). Nodes carry ``name``; the script draws it beside the node, for
        every node when ``label_all`` and otherwise only once zoomed in.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node("factor:x", kind="factor", label="<b>X</b>", level="micro")
    >>> g.add_node("driver:y", kind="driver", label="Y")
    >>> g.add_edge("factor:x", "driver:y", verdict="moderate", score=4, n_findings=2)
    >>> data = build_network_data(g, {"factor:x": (0, 0), "driver:y": (1, 1)})
    >>> [n["name"] for n in data["nodes"]], data["edges"][0]["verdict"], data["options"]["physics"]
    (['<b>X</b>', 'Y'], 'moderate', {'enabled': False})
    """
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    net = Network(height="100%", width="100%", cdn_resources="local")
    net.set_options(json.dumps({**NETWORK_OPTIONS, "groups": NODE_GROUPS}))
    # add_node/add_edge scan every existing node and edge (quadratic at 5,000 nodes);
    # networkx already guarantees unique nodes and edges, so we append pyvis objects directly.
    many = graph.number_of_nodes() > LABEL_NODE_LIMIT
    for node, attrs in graph.nodes(data=True):
        kind = attrs.get("kind", "factor")
        level = attrs.get("level")
        x, y = positions.get(node, (0.0, 0.0)) if positions else (0.0, 0.0)
        extra = {"level": level} if level else {}
        ident = attrs.get("id")
        if ident and str(ident) != str(node):
            extra["ident"] = str(ident)
        group = node_group(kind, level)
        if kind == "factor" and factor_report(str(attrs.get("id") or node).rsplit("/", 1)[-1]).get(
            "placeholder"
        ):
            group = "factor_placeholder"
            extra["placeholder"] = True
        options = Node(
            str(node),
            KIND_SHAPES.get(kind, "dot"),
            str(attrs.get("label") or node),
            group=group,
            x=round(float(x) * POSITION_SCALE, 1),
            y=round(float(y) * POSITION_SCALE, 1),
            kind=kind,
            **extra,
        ).options
        del options["shape"]  # the group sets it
        options["name"] = options["label"]
        # labels are drawn by the page beside the node (never under it, on the edges), and
        # for large graphs only once zoomed in (level of detail); see static/network.js
        del options["label"]
        net.nodes.append(options)
        net.node_ids.append(str(node))
        net.node_map[str(node)] = options
    for source, target, attrs in graph.edges(data=True):
        verdict = attrs.get("verdict") or "limited"
        score = float(attrs.get("score", attrs.get("weight", 1)) or 1)
        explanation = attrs.get("explanation") or ""
        if isinstance(explanation, Mapping):
            explanation = explanation.get(lang) or explanation.get("en") or ""
        extra = {"dashes": EDGE_DASHES[verdict]} if verdict in EDGE_DASHES else {}
        direction = attrs.get("direction")
        if verdict != "no_evidence" and (direction or "direction" in attrs):
            # a null or "tie" direction is a tie; the sign is drawn beside the edge's middle
            extra["direction"] = str(direction or "tie")
            extra["sign"] = DIRECTION_SIGNS.get(str(direction or "tie"), "")
        if explanation:
            extra["explanation"] = str(explanation)
        net.edges.append(
            Edge(
                str(source),
                str(target),
                color=EDGE_COLOURS.get(verdict, "#999999"),
                width=round(1 + min(score, 16.0) / 3, 2),
                verdict=verdict,
                score=score,
                n_findings=int(attrs.get("n_findings") or 0),
                **extra,
            ).options
        )
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "label_all": not many,
        "light": graph.number_of_nodes() > LIGHT_NODE_LIMIT,
    }


def network_legend(lang: str) -> dict:
    """Return the network legend: node colours per level and kind, edge styles per verdict."""
    _ = translations_for(lang).gettext
    return {
        "levels": [
            LegendItem(
                key=level,
                symbol="",
                label=f"{_('trigger factor')}: {label_level(lang, level)}",
                colour=colour,
            )
            for level, colour in LEVEL_COLOURS.items()
        ],
        "kinds": [
            LegendItem(
                key="placeholder",
                symbol="",
                label=_("placeholder: a report section that was not read"),
            ),
            LegendItem(key="square", symbol="", label=_("driver"), colour=KIND_COLOURS["driver"]),
            LegendItem(
                key="diamond", symbol="", label=_("group"), colour=KIND_COLOURS["demographic"]
            ),
        ],
        "edges": [
            LegendItem(
                key=v,
                symbol=VERDICT_SYMBOLS[v],
                label=label_verdict(lang, v),
                colour=EDGE_COLOURS[v],
            )
            for v in ("strong", "moderate", "limited", "contested")
        ],
        "directions": [
            LegendItem(key=d, symbol=DIRECTION_SIGNS[d], label=label_direction(lang, d))
            for d in DIRECTIONS
        ],
    }


def build_network_section(
    data: dict,
    lang: str,
    *,
    filters: list | None = None,
    offline: bool = False,
    graphml_url: str | None = None,
) -> NetworkSection:
    """Return the network section's view model: tools, canvas, details panel and legend."""
    return NetworkSection(
        filters=filters or [],
        names=[str(n["name"]) for n in data["nodes"]],
        n_nodes=len(data["nodes"]),
        n_edges=len(data["edges"]),
        graphml_url=graphml_url,
        offline=offline,
        **network_legend(lang),
    )


def read_network_params(index: Any, params: Mapping[str, str] | None, lang: str) -> dict:
    """Check the network filters (level, driver, min_verdict, demographic)."""
    params = params or {}
    groups = column_groups(index, lang)
    drivers = [c["id"] for g in groups if g["id"] == "driver" for c in g["columns"]]
    demographics = [g["id"] for g in groups if g["id"] != "driver"]
    demographics += [c["id"] for g in groups if g["id"] != "driver" for c in g["columns"]]
    return {
        "level": check_choice("level", params.get("level"), ("micro", "meso", "macro")),
        "driver": check_choice("driver", params.get("driver"), drivers),
        "min_verdict": check_choice("min_verdict", params.get("min_verdict"), STRENGTH_ORDER),
        "demographic": check_choice("demographic", params.get("demographic"), demographics),
    }


def network_filters(index: Any, lang: str, chosen: dict) -> list:
    """Return the network's filter selects."""
    _ = translations_for(lang).gettext
    groups = column_groups(index, lang)
    everything = [("", _("all"))]
    level_opts = everything + [(lv, label_level(lang, lv)) for lv in LEVELS]
    driver_opts = everything + [
        (c["id"], c["label"]) for g in groups if g["id"] == "driver" for c in g["columns"]
    ]
    demo_opts = list(everything)
    for g in groups:
        if g["id"] != "driver":
            demo_opts.append((g["id"], f"{g['label']}: {_('all')}"))
            demo_opts += [(c["id"], f"{g['label']}: {c['label']}") for c in g["columns"]]
    verdict_opts = everything + [(v, label_verdict(lang, v)) for v in STRENGTH_ORDER]
    return [
        make_select("level", _("Level"), level_opts, chosen["level"]),
        make_select("driver", _("Driver"), driver_opts, chosen["driver"]),
        make_select("min_verdict", _("Minimum verdict"), verdict_opts, chosen["min_verdict"]),
        make_select("demographic", _("Group"), demo_opts, chosen["demographic"]),
    ]


def client_network_texts(lang: str) -> dict:
    """Interface words the network script needs."""
    _ = translations_for(lang).gettext
    return {
        "details": _("Details"),
        "click_node": _(
            "Click a node (or pick one in the search box and press Enter) to see its details."
        ),
        "neighbourhood": _("Show only this node's neighbourhood"),
        "show_all": _("Show all nodes"),
        "kind_factor": _("trigger factor"),
        "kind_driver": _("driver"),
        "kind_demographic": _("group"),
        "n_findings": _("findings"),
        "level": _("Level"),
        "open_factor": _("Open factor page"),
        "verdict": _("Verdict"),
        "nodes": _("nodes"),
        "edges": _("edges"),
        "verdicts": {v: label_verdict(lang, v) for v in VERDICTS},
        "levels": {lv: label_level(lang, lv) for lv in LEVELS},
        "directions": {d: label_direction(lang, d) for d in DIRECTIONS},
        "placeholder": _("placeholder: a report section that was not read"),
    }


def build_network_html_page(
    graph: Any,
    positions: Mapping[Any, Any],
    *,
    lang: str = "en",
    filters: list | None = None,
    params: Mapping[str, object] | None = None,
    graphml_url: str | None = None,
) -> NetworkPage:
    """Return the network page's view model for any projection-like networkx graph."""
    data = build_network_data(graph, positions, lang=lang)
    client = {"lang": lang, "texts": client_network_texts(lang), "links": True, **data}
    return NetworkPage(
        **page_frame(
            lang,
            translations_for(lang).gettext("Network"),
            "/network",
            params,
            scripts=["vendor/vis-network.min.js", "network.js"],
            data={"network": client},
        ),
        network=build_network_section(data, lang, filters=filters, graphml_url=graphml_url),
    )


def render_network_html(
    graph: Any,
    positions: Mapping[Any, Any],
    *,
    lang: str = "en",
    params: Mapping[str, object] | None = None,
    graphml_url: str | None = None,
) -> str:
    """Render a whole network page for any projection-like networkx graph (also used by the bench).

    Parameters
    ----------
    graph : networkx.Graph
        See :func:`build_network_data`.
    positions : Mapping
        Layout computed once in Python.
    lang : str
        ``"nl"`` or ``"en"``.
    params : Mapping, optional
        Query parameters kept in the language switch link.
    graphml_url : str, optional
        Link to the server's GraphML export.

    Returns
    -------
    str
    """
    page = build_network_html_page(
        graph, positions, lang=lang, params=params, graphml_url=graphml_url
    )
    return render_template(page.template, lang, view=page)


def project_network(index: Any, lang: str, chosen: Mapping[str, str | None]) -> tuple[Any, Any]:
    """Return the filtered projection of the index and its layout (via ``triggergraph.graph``)."""
    from ..graph import layout_graph, project_graph

    graph = project_graph(
        index,
        lang=lang,
        level=chosen.get("level"),
        driver=chosen.get("driver"),
        min_verdict=chosen.get("min_verdict"),
        demographic=chosen.get("demographic"),
    )
    return graph, layout_graph(graph, seed=42)


def build_network_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> NetworkPage:
    """Return the network page's view model from the index with the filters in ``params``.

    Raises
    ------
    EntryError
        A filter value is not allowed.
    """
    lang = check_lang(lang)
    chosen = read_network_params(index, params, lang)
    graph, positions = project_network(index, lang, chosen)
    return build_network_html_page(
        graph,
        positions,
        lang=lang,
        filters=network_filters(index, lang, chosen),
        params={k: v for k, v in chosen.items() if v},
        graphml_url="/api/v1/export?format=graphml",
    )


def render_network_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render the network page from the index with the filters in ``params``.

    Raises
    ------
    EntryError
        A filter value is not allowed.
    """
    page = build_network_page(index, lang=lang, params=params)
    return render_template(page.template, page.lang, view=page)
