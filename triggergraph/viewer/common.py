"""Shared helpers of the viewer pages: parameter checks, column groups, finding summaries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..exceptions import EntryError, Problem
from .html import LANGUAGES, text_for

DIMENSIONS = ("sex", "age", "education")
PROPOSED = {
    "en": "link proposed by the compilers",
    "nl": "koppeling voorgesteld door de samenstellers",
}

REASON_LABELS = {
    "en": {
        "construct_not_trigger": "related construct, not the trigger factor itself",
        "proposed_driver_link": "driver link proposed by the compilers, not stated by the source",
    },
    "nl": {
        "construct_not_trigger": "verwant construct, niet de triggerfactor zelf",
        "proposed_driver_link": "koppeling met drijfveer voorgesteld door de samenstellers, niet door de bron",
    },
}


def check_lang(lang: object) -> str:
    """Return ``lang`` if it is ``nl`` or ``en``; raise :class:`EntryError` otherwise.

    Examples
    --------
    >>> check_lang("nl")
    'nl'
    """
    if lang in LANGUAGES:
        return str(lang)
    raise EntryError(
        [Problem(None, None, "lang", f"{lang!r} is not a language; valid: nl, en", ("en",))]
    )


def check_choice(field: str, value: object, choices: Iterable[str]) -> str | None:
    """Return ``value`` (``None`` when empty) if it is one of ``choices``; else raise EntryError.

    Examples
    --------
    >>> check_choice("level", "", ["micro"]) is None
    True
    >>> check_choice("level", "micro", ["micro", "meso"])
    'micro'
    """
    if value in (None, ""):
        return None
    options = list(choices)
    if value in options:
        return str(value)
    from difflib import get_close_matches

    close = tuple(get_close_matches(str(value), options, n=3, cutoff=0.5))
    raise EntryError(
        [Problem(None, None, field, f"{value!r} is not valid; valid: {', '.join(options)}", close)]
    )


def column_groups(index: Any, lang: str) -> list[dict]:
    """Return the column groups of the map: drivers, then each demographic dimension.

    Each group is ``{"id", "label", "columns": [{"id", "label"}]}``.
    """
    drivers = index.drivers(lang)
    driver_items = drivers.get("items", drivers) if isinstance(drivers, Mapping) else drivers
    groups = [
        {
            "id": "driver",
            "label": text_for(lang, "drivers"),
            "columns": [{"id": d["id"], "label": d.get("label") or d["id"]} for d in driver_items],
        }
    ]
    demo = index.demographics(lang)
    dims = demo.get("dimensions", demo.get("items", [])) if isinstance(demo, Mapping) else demo
    by_id = {d["id"]: d for d in dims}
    for dim_id in DIMENSIONS:
        dim = by_id.get(dim_id)
        if dim is None:
            continue
        groups.append(
            {
                "id": dim_id,
                "label": dim.get("label") or text_for(lang, dim_id),
                "columns": [
                    {"id": v["id"], "label": v.get("label") or v["id"]}
                    for v in dim.get("values", [])
                ],
            }
        )
    return groups


def label_reason(lang: str, reason: str) -> str:
    """Return a reader-facing label for an indirectness reason id."""
    return REASON_LABELS.get(lang, {}).get(reason, reason.replace("_", " "))


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe_effect(effect: Mapping | None, lang: str) -> str:
    """Return the effect in words as the source reported it; say so when nothing was retrieved.

    Examples
    --------
    >>> describe_effect({"measure": "r", "value": 0.2, "ci": [0.1, 0.3], "k": 12}, "en")
    'r = 0.2 [0.1, 0.3]; k = 12'
    >>> describe_effect(None, "nl")
    'niet opgehaald'
    """
    if not effect:
        return text_for(lang, "not_retrieved")
    parts = []
    measure = effect.get("measure")
    if isinstance(measure, Mapping):
        measure = measure.get("id") or measure.get("label")
    value = effect.get("value")
    if value is not None and measure and measure != "none":
        text = f"{measure} = {_number(value)}"
        ci = effect.get("ci")
        if ci:
            text += f" [{_number(ci[0])}, {_number(ci[1])}]"
        parts.append(text)
    for key in ("k", "n", "p"):
        if effect.get(key) is not None:
            parts.append(f"{key} = {effect[key]}")
    for key in ("text", "magnitude_in_source"):
        if effect.get(key):
            parts.append(str(effect[key]))
    return "; ".join(parts) if parts else text_for(lang, "not_retrieved")


def source_ref(finding: Mapping) -> tuple[str | None, str]:
    """Return ``(source id, citation text)`` of a finding dict from the index."""
    source = finding.get("source")
    source_id = finding.get("source_id")
    citation = finding.get("citation")
    if isinstance(source, Mapping):
        source_id = source_id or source.get("id")
        citation = citation or source.get("citation") or source.get("title")
    elif isinstance(source, str):
        source_id = source_id or source
    return source_id, str(citation or source_id or "")


def summarise_finding(finding: Mapping, lang: str) -> dict:
    """Return the plain fields a page shows for one finding (all still unescaped)."""
    source_id, citation = source_ref(finding)
    factor = finding.get("factor")
    factor_label = finding.get("factor_label")
    if isinstance(factor, Mapping):
        factor_label = factor_label or factor.get("label")
        factor = factor.get("id")
    drivers = []
    for link in finding.get("drivers") or []:
        if isinstance(link, Mapping):
            name = str(link.get("label") or link.get("driver"))
            if link.get("term_in_source"):
                # the source's own word keeps the link checkable against the source
                said = "in the source" if lang == "en" else "in de bron"
                name += f" [{said}: {link['term_in_source']}]"
            if link.get("basis") == "proposed":
                name += f" ({PROPOSED[lang if lang in PROPOSED else 'en']})"
            drivers.append(name)
    demographics = [
        str(d.get("label") or d.get("id")) if isinstance(d, Mapping) else str(d)
        for d in finding.get("demographics") or []
    ]
    caveats = [
        str(c.get("label") or c.get("id")) if isinstance(c, Mapping) else str(c)
        for c in finding.get("caveats") or []
    ]
    return {
        "id": finding.get("id"),
        "factor": factor,
        "factor_label": factor_label or factor,
        "source": source_id,
        "citation": citation,
        "locator": finding.get("locator"),
        "verified_from": finding.get("verified_from"),
        "effect": describe_effect(finding.get("effect"), lang),
        "certainty": finding.get("certainty_label") or finding.get("certainty"),
        "letter": finding.get("certainty"),
        "certainty_reasons": "; ".join(str(r) for r in finding.get("certainty_reasons") or []),
        "direction": finding.get("direction_label") or finding.get("direction"),
        "drivers": ", ".join(drivers),
        "demographics": ", ".join(demographics),
        "caveats": ", ".join(caveats),
        "outcome": finding.get("outcome"),
        "population": finding.get("population"),
        "note": finding.get("note"),
        "added": " · ".join(
            str(x) for x in (finding.get("added_by"), finding.get("added_on")) if x
        ),
    }
