"""The network page: a pyvis network built from the networkx projection, laid out in Python.

pyvis builds the node/edge/option data; the page template is ours (escaped, no CDN), because
pyvis's own template is not autoescaped and loads vis-network and Bootstrap from CDNs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .common import check_choice, check_lang, column_groups
from .html import (
    LEVEL_COLOURS,
    LEVEL_LABELS,
    STRENGTH_ORDER,
    VERDICT_COLOURS,
    VERDICT_LABELS,
    VERDICT_SYMBOLS,
    escape_html,
    render_options,
    render_page,
    text_for,
)

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
        ``{"nodes": [...], "edges": [...], "options": {...}}`` — plain strings, not escaped
        (the page embeds it with :func:`dump_script_json` and the script uses ``textContent``).

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
        options = Node(
            str(node),
            KIND_SHAPES.get(kind, "dot"),
            str(attrs.get("label") or node),
            group=node_group(kind, level),
            x=round(float(x) * POSITION_SCALE, 1),
            y=round(float(y) * POSITION_SCALE, 1),
            kind=kind,
            **extra,
        ).options
        del options["shape"]  # the group sets it
        options["name"] = options["label"]
        if many and kind == "factor":
            # Thousands of canvas labels cost seconds per redraw and are unreadable when zoomed
            # out; names stay available in search, hover and the details panel.
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
    return {"nodes": nodes, "edges": edges, "options": json.loads(options)}


def render_network_legend(lang: str) -> str:
    """Return the network legend: node colours per level and kind, edge styles per verdict."""
    levels = "".join(
        f'<li><span class="node-key" style="background:{colour}" aria-hidden="true"></span>'
        f"{escape_html(text_for(lang, 'kind_factor'))}: {escape_html(LEVEL_LABELS[lang][level])}</li>"
        for level, colour in LEVEL_COLOURS.items()
    )
    kinds = (
        f'<li><span class="node-key square" style="background:{KIND_COLOURS["driver"]}" aria-hidden="true"></span>'
        f"{escape_html(text_for(lang, 'kind_driver'))}</li>"
        f'<li><span class="node-key diamond" style="background:{KIND_COLOURS["demographic"]}" aria-hidden="true"></span>'
        f"{escape_html(text_for(lang, 'kind_demographic'))}</li>"
    )
    edges = "".join(
        f'<li><span class="edge-key {v}" style="border-top-color:{EDGE_COLOURS[v]}" aria-hidden="true"></span>'
        f"{VERDICT_SYMBOLS[v]} {escape_html(VERDICT_LABELS[lang][v])}</li>"
        for v in ("strong", "moderate", "limited", "contested")
    )
    return (
        f'<section class="legend" aria-label="{escape_html(text_for(lang, "legend"))}">'
        f"<h2>{escape_html(text_for(lang, 'legend'))}</h2><ul>{levels}{kinds}</ul><ul>{edges}</ul>"
        f"<p>{escape_html(text_for(lang, 'edge_legend'))}</p></section>"
    )


def render_network_section(
    data: dict,
    lang: str,
    *,
    filters_html: str = "",
    offline: bool = False,
    graphml_url: str | None = None,
) -> str:
    """Return the network section: tools, canvas container, details panel and legend."""
    graphml_link = (
        f'<a class="button" href="{escape_html(graphml_url)}">{escape_html(text_for(lang, "export_graphml_all"))}</a>'
        if graphml_url
        else ""
    )
    options = "".join(f'<option value="{escape_html(n["name"])}"></option>' for n in data["nodes"])
    return (
        f'<section id="nav_network"><h1>{escape_html(text_for(lang, "network_title"))}</h1>'
        f"{filters_html}"
        '<div class="net-tools">'
        f"<label>{escape_html(text_for(lang, 'search'))} "
        f'<input id="net-search" type="search" list="net-labels" autocomplete="off"></label>'
        f'<datalist id="net-labels">{options}</datalist>'
        f'<button type="button" id="net-png">{escape_html(text_for(lang, "export_png"))}</button>'
        f'<button type="button" id="net-graphml">{escape_html(text_for(lang, "export_graphml"))}</button>'
        f'{graphml_link}<button type="button" id="net-all" hidden>{escape_html(text_for(lang, "show_all"))}</button>'
        f'<span class="status" id="net-status">{len(data["nodes"])} {escape_html(text_for(lang, "nodes"))}, '
        f"{len(data['edges'])} {escape_html(text_for(lang, 'edges'))}</span></div>"
        '<p class="status" id="net-hover" aria-live="off"></p><div class="net-layout">'
        f'<div id="network" tabindex="0" role="application" aria-label="{escape_html(text_for(lang, "network_title"))}"></div>'
        f'<aside id="net-details" class="details" aria-live="polite" tabindex="-1"><h2>{escape_html(text_for(lang, "details"))}</h2>'
        f"<p>{escape_html(text_for(lang, 'click_node'))}</p></aside></div>"
        f"{render_network_legend(lang)}</section>"
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


def _render_filters(index: Any, lang: str, chosen: dict) -> str:
    groups = column_groups(index, lang)
    all_ = [("", text_for(lang, "all"))]
    level_opts = all_ + [(lv, LEVEL_LABELS[lang][lv]) for lv in ("micro", "meso", "macro")]
    driver_opts = all_ + [
        (c["id"], c["label"]) for g in groups if g["id"] == "driver" for c in g["columns"]
    ]
    demo_opts = list(all_)
    for g in groups:
        if g["id"] != "driver":
            demo_opts.append((g["id"], f"{g['label']}: {text_for(lang, 'all')}"))
            demo_opts += [(c["id"], f"{g['label']}: {c['label']}") for c in g["columns"]]
    verdict_opts = all_ + [(v, VERDICT_LABELS[lang][v]) for v in STRENGTH_ORDER]
    fields = [
        ("level", "level", level_opts),
        ("driver", "driver", driver_opts),
        ("min_verdict", "min_verdict", verdict_opts),
        ("demographic", "demographic", demo_opts),
    ]
    selects = "".join(
        f'<label>{escape_html(text_for(lang, key))} <select name="{name}">'
        f"{render_options(opts, chosen[name])}</select></label>"
        for name, key, opts in fields
    )
    return (
        f'<form class="filters" id="net-filters" method="get" action="/network">'
        f'<input type="hidden" name="lang" value="{lang}">{selects}'
        f'<button type="submit">{escape_html(text_for(lang, "apply"))}</button></form>'
    )


def client_network_texts(lang: str) -> dict:
    """Interface words the network script needs."""
    keys = (
        "details", "click_node", "neighbourhood", "show_all", "kind_factor", "kind_driver",
        "kind_demographic", "n_findings", "level", "open_factor", "verdict", "nodes", "edges",
    )  # fmt: skip
    return {k: text_for(lang, k) for k in keys} | {
        "verdicts": VERDICT_LABELS[lang],
        "levels": LEVEL_LABELS[lang],
    }


def render_network_html(
    graph: Any,
    positions: Mapping[Any, Any],
    *,
    lang: str = "en",
    filters_html: str = "",
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
    filters_html : str
        Escaped HTML of the filter form.
    params : Mapping, optional
        Query parameters kept in the language switch link.
    graphml_url : str, optional
        Link to the server's GraphML export.

    Returns
    -------
    str
    """
    data = build_network_data(graph, positions, lang=lang)
    body = render_network_section(data, lang, filters_html=filters_html, graphml_url=graphml_url)
    client = {"lang": lang, "texts": client_network_texts(lang), "links": True, **data}
    return render_page(
        title=text_for(lang, "nav_network"),
        body=body,
        lang=lang,
        path="/network",
        params=params,
        scripts=["vendor/vis-network.min.js", "network.js"],
        data={"network": client},
    )


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


def render_network_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render the network page from the index with the filters in ``params``.

    Raises
    ------
    EntryError
        A filter value is not allowed.
    """
    lang = check_lang(lang)
    chosen = read_network_params(index, params, lang)
    graph, positions = project_network(index, lang, chosen)
    return render_network_html(
        graph,
        positions,
        lang=lang,
        filters_html=_render_filters(index, lang, chosen),
        params={k: v for k, v in chosen.items() if v},
        graphml_url="/api/v1/export?format=graphml",
    )
