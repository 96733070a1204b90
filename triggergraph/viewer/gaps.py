"""The gaps page: empty cells of the map, by kind (not studied, not encoded, filtered away)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answers.map_query import MapQuery
from .common import page_frame
from .html import build_url
from .i18n import translations_for
from .labels import label_level
from .map_data import cached_map_data
from .map_filters import server_filters
from .map_section import any_group
from .report import EMPTY_KINDS, EMPTY_LABELS
from .views import GapFactor, GapGroup, GapsPage, Link


def build_gaps_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> GapsPage:
    """Return the gaps page's view model: per kind of empty, the factors and their empty cells.

    Each empty cell links to its place on the map (``/#cell=factor:column``), with the same
    filters. With filters that choose findings (:class:`MapQuery`), cells that have evidence
    without them are listed as "filtered away".

    Raises
    ------
    EntryError
        A filter value is not allowed.
    """
    query = MapQuery.from_params({**(params or {}), "lang": lang})
    lang = query.lang
    _ = translations_for(lang).gettext
    data = cached_map_data(index, query)
    columns = [c for g in [any_group(lang), *data["groups"]] for c in g["columns"]]
    query_string = query.params(level=None, verdict=None)
    kinds: dict[str, list[GapFactor]] = {k: [] for k in EMPTY_KINDS}
    for row in data["rows"]:
        empty: dict[str, list[Link]] = {k: [] for k in EMPTY_KINDS}
        for column in columns:
            kind = data["cells"][row["id"]][column["id"]].get("empty")
            if kind:
                href = build_url("/", query_string) + f"#cell={row['id']}:{column['id']}"
                empty[kind].append(Link(href=href, text=column["label"]))
        for kind, links in empty.items():
            if links:
                kinds[kind].append(
                    GapFactor(
                        id=row["id"],
                        label=str(row.get("label") or row["id"]),
                        level=label_level(lang, row.get("level")),
                        href=build_url(f"/factors/{row['id']}", {"lang": lang}),
                        cells=links,
                    )
                )
    filters = server_filters(index, lang, query)
    groups = [
        GapGroup(
            kind=kind,
            label=_(EMPTY_LABELS[kind]),
            factors=kinds[kind],
            n_cells=sum(len(f.cells) for f in kinds[kind]),
        )
        for kind in EMPTY_KINDS
    ]
    return GapsPage(
        **page_frame(
            lang, _("Gaps"), "/gaps", {k: v for k, v in query_string.items() if k != "lang"}
        ),
        filters=filters,
        groups=groups,
        filtered=query.narrows,
    )
