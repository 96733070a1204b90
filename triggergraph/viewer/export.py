"""The offline export: evidence map and network in one self-contained HTML file (file:// safe)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .assets import read_static_text
from .common import check_lang
from .evidence_map import read_map_params, render_map_section
from .html import render_page, text_for
from .network import (
    build_network_data,
    client_network_texts,
    project_network,
    render_network_section,
)

INLINE_SCRIPTS = ("map.js", "vendor/vis-network.min.js", "network.js")


def render_single_file(index: Any, *, lang: str = "en") -> str:
    """Return the offline page: the map and the network with CSS, JS and data inlined.

    Parameters
    ----------
    index : EvidenceIndex
        The read model to render.
    lang : str
        ``"nl"`` or ``"en"``.

    Returns
    -------
    str
        One HTML document that loads nothing from anywhere.
    """
    lang = check_lang(lang)
    chosen = read_map_params({"lang": lang})
    map_html, map_client = render_map_section(index, lang, chosen, offline=True)
    graph, positions = project_network(index, lang, {})
    net_data = build_network_data(graph, positions, lang=lang)
    net_html = render_network_section(net_data, lang, offline=True)
    net_client = {"lang": lang, "texts": client_network_texts(lang), "links": False, **net_data}
    assets = {"viewer.css": read_static_text("viewer.css")}
    assets.update({name: read_static_text(name) for name in INLINE_SCRIPTS})
    return render_page(
        title=text_for(lang, "app"),
        body=map_html + net_html,
        lang=lang,
        path="/",
        scripts=INLINE_SCRIPTS,
        data={"map": map_client, "network": net_client},
        inline_assets=assets,
    )


def write_single_file(index: Any, path: str | Path, lang: str = "en") -> Path:
    """Write the evidence map and the network as one self-contained HTML file.

    Parameters
    ----------
    index : EvidenceIndex
        The read model to render.
    path : str or Path
        Where to write the file (parent folders are created).
    lang : str
        ``"nl"`` or ``"en"``.

    Returns
    -------
    Path
        The written file.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_single_file(index, lang=lang), encoding="utf-8")
    return target
