"""The offline export: evidence map and network in one self-contained HTML file (file:// safe)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..answers.map_query import MapQuery
from .assets import read_static_text
from .common import check_lang, page_frame
from .evidence_map import map_client
from .i18n import translations_for
from .map_data import build_map_data
from .map_section import build_map_section
from .network import (
    build_network_data,
    build_network_section,
    client_network_texts,
    project_network,
)
from .templating import render_template
from .views import ExportPage

INLINE_SCRIPTS = ("map.js", "vendor/vis-network.min.js", "network.js")


def build_export_page(index: Any, *, lang: str = "en") -> ExportPage:
    """Return the offline page's view model: map and network with CSS, JS and data inlined."""
    lang = check_lang(lang)
    query = MapQuery(lang=lang)
    data = build_map_data(index, query)
    graph, positions = project_network(index, lang, {})
    net_data = build_network_data(graph, positions, lang=lang)
    net_client = {"lang": lang, "texts": client_network_texts(lang), "links": False, **net_data}
    inline = {"viewer.css": read_static_text("viewer.css")}
    inline.update({name: read_static_text(name) for name in INLINE_SCRIPTS})
    return ExportPage(
        **page_frame(
            lang,
            translations_for(lang).gettext("Trigger factors evidence"),
            "/",
            scripts=INLINE_SCRIPTS,
            data={"map": map_client(data, lang, offline=True), "network": net_client},
        ),
        offline=True,
        inline=inline,
        map=build_map_section(data, query, offline=True),
        network=build_network_section(net_data, lang, offline=True),
    )


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
    page = build_export_page(index, lang=lang)
    return render_template(page.template, page.lang, view=page)


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
