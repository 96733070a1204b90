"""The gaps page: empty cells of the map, by kind (not studied, not encoded, filtered away)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .common import page_frame
from .evidence_map import any_group, build_map_data, read_map_params, server_filters
from .html import build_url
from .i18n import translations_for
from .labels import label_level
from .report import EMPTY_KINDS, EMPTY_LABELS
from .views import GapFactor, GapGroup, GapsPage, Link


def build_gaps_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> GapsPage:
    """Return the gaps page's view model: per kind of empty, the factors and their empty cells.

    Each empty cell links to its place on the map (``/#cell=factor:column``). With the
    outcome-stage or direct-only filter, cells that have evidence without the filter are listed
    as "filtered away".

    Raises
    ------
    EntryError
        A filter value is not allowed.
    """
    chosen = read_map_params({**(params or {}), "lang": lang})
    lang = chosen["lang"]
    _ = translations_for(lang).gettext
    data = build_map_data(
        index, lang=lang, stage=chosen["stage"], direct=bool(chosen["direct"]), with_findings=False
    )
    columns = [c for g in [any_group(lang), *data["groups"]] for c in g["columns"]]
    query = {"stage": chosen["stage"], "direct": chosen["direct"], "lang": lang}
    kinds: dict[str, list[GapFactor]] = {k: [] for k in EMPTY_KINDS}
    for row in data["rows"]:
        empty: dict[str, list[Link]] = {k: [] for k in EMPTY_KINDS}
        for column in columns:
            kind = data["cells"][row["id"]][column["id"]].get("empty")
            if kind:
                href = build_url("/", query) + f"#cell={row['id']}:{column['id']}"
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
    filters = server_filters(lang, chosen)
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
        **page_frame(lang, _("Gaps"), "/gaps", {k: chosen[k] for k in ("stage", "direct")}),
        filters=filters,
        groups=groups,
        filtered=bool(chosen["stage"] or chosen["direct"]),
    )
