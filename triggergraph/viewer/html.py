"""HTML building blocks of the viewer: escaping, JSON for <script>, labels in nl/en, page shell."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

LANGUAGES = ("nl", "en")

#: Verdicts in the order the legend shows them; strength order for filters is the first three.
VERDICTS = ("strong", "moderate", "limited", "contested", "no_evidence")
STRENGTH_ORDER = ("strong", "moderate", "limited")

#: Okabe–Ito derived colours; verdicts also differ by symbol, so colour is never the only cue.
VERDICT_COLOURS = {
    "strong": "#0072B2",
    "moderate": "#56B4E9",
    "limited": "#CCE5F4",
    "contested": "#D55E00",
    "no_evidence": "#FFFFFF",
}
VERDICT_SYMBOLS = {
    "strong": "●",
    "moderate": "◐",
    "limited": "○",
    "contested": "⇅",
    "no_evidence": "–",
}
LEVEL_COLOURS = {"micro": "#E69F00", "meso": "#009E73", "macro": "#CC79A7"}

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "app": "Trigger factors evidence",
        "skip": "Skip to content",
        "nav_map": "Evidence map",
        "nav_network": "Network",
        "nav_profile": "Profile lens",
        "lang_switch": "Nederlands",
        "lang_other": "nl",
        "map_title": "Evidence map: trigger factors × drivers and groups",
        "map_intro": "Each cell says how strong the evidence is that a trigger factor plays a role "
        "for a driver or group. Colour and symbol show the verdict, the size of the mark the "
        "number of findings. Click a cell (or press Enter) to see why.",
        "level": "Level",
        "verdict": "Verdict",
        "outcome_stage": "Outcome stage",
        "evidence": "Evidence",
        "all": "all",
        "direct_only": "direct evidence only",
        "direct_and_indirect": "direct and indirect",
        "min_strong": "strong only",
        "min_moderate": "moderate or stronger",
        "min_limited": "limited or stronger (incl. contested)",
        "only_contested": "contested only",
        "only_empty": "no evidence only",
        "apply": "Apply filters",
        "reset": "Reset",
        "legend": "Legend",
        "marksize": "Mark size = number of findings (1, 2–3, 4+).",
        "factor": "Trigger factor",
        "drivers": "Drivers",
        "sex": "Sex",
        "age": "Age",
        "education": "Education",
        "shown_cells": "cells shown",
        "explanation": "Why this verdict",
        "findings": "Findings",
        "no_findings": "No finding in the graph links these. That is not evidence that there is no link.",
        "close": "Close",
        "certainty": "Certainty",
        "effective": "effective",
        "effect": "Effect",
        "locator": "Where",
        "direct": "direct",
        "indirect": "indirect",
        "why_indirect": "why indirect",
        "deciding": "decides the verdict",
        "source": "Source",
        "sources": "Sources",
        "not_retrieved": "not retrieved",
        "definition": "Definition",
        "role": "Role",
        "related": "Related constructs",
        "broader": "Broader factor",
        "narrower": "Narrower factors",
        "verdicts_per_column": "Verdict per driver and group",
        "column": "Driver or group",
        "n_findings": "findings",
        "overlaps": "Overlaps with (shares primary studies)",
        "cites": "Cites",
        "context_notes": "Context notes",
        "flags": "Citation flags",
        "not_found": "Not found",
        "resource_about": "Statements",
        "resource_incoming": "Referred to by",
        "resource_formats": "This IRI also answers in Turtle, JSON-LD, N-Triples and RDF/XML "
        "(ask with the Accept header).",
        "resource_truncated": "Only the first 500 are listed here; the RDF answers hold all.",
        "did_you_mean": "Did you mean",
        "bad_request": "Bad request",
        "profile_title": "Profile lens",
        "profile_intro": "Choose a driver and/or a group. The trigger factors are ranked by the "
        "evidence that they play a role for that profile.",
        "notice_title": "Read this first",
        "any": "any",
        "driver": "Driver",
        "show": "Show",
        "rank": "Rank",
        "choose_one": "Choose at least one of driver, sex, age or education.",
        "network_title": "Network of trigger factors, drivers and groups",
        "search": "Search by label",
        "min_verdict": "Minimum verdict",
        "demographic": "Group",
        "details": "Details",
        "click_node": "Click a node (or pick one in the search box and press Enter) to see its details.",
        "neighbourhood": "Show only this node's neighbourhood",
        "show_all": "Show all nodes",
        "export_png": "Export PNG",
        "export_graphml": "Export GraphML",
        "export_graphml_all": "GraphML of the whole evidence base",
        "nodes": "nodes",
        "edges": "edges",
        "kind_factor": "trigger factor",
        "kind_driver": "driver",
        "kind_demographic": "group",
        "edge_legend": "Edge colour and dash = verdict, width = evidence score.",
        "offline_note": "Offline copy: filters that need the server are not available.",
        "page_unavailable": "This view needs data that is not loaded yet.",
        "verified": "checked against the report",
        "unverified": "not checked against the report",
        "open_factor": "Open factor page",
        "rows": "rows",
        "why_certainty": "Why this certainty",
        "direction": "Direction",
        "overall": "All drivers and groups together",
    },
    "nl": {
        "app": "Bewijs over triggerfactoren",
        "skip": "Naar de inhoud",
        "nav_map": "Bewijskaart",
        "nav_network": "Netwerk",
        "nav_profile": "Profiellens",
        "lang_switch": "English",
        "lang_other": "en",
        "map_title": "Bewijskaart: triggerfactoren × drijfveren en groepen",
        "map_intro": "Elke cel zegt hoe sterk het bewijs is dat een triggerfactor een rol speelt "
        "voor een drijfveer of groep. Kleur en symbool tonen het oordeel, de grootte van het "
        "teken het aantal bevindingen. Klik op een cel (of druk op Enter) om te zien waarom.",
        "level": "Niveau",
        "verdict": "Oordeel",
        "outcome_stage": "Uitkomstfase",
        "evidence": "Bewijs",
        "all": "alle",
        "direct_only": "alleen direct bewijs",
        "direct_and_indirect": "direct en indirect",
        "min_strong": "alleen sterk",
        "min_moderate": "redelijk of sterker",
        "min_limited": "beperkt of sterker (incl. omstreden)",
        "only_contested": "alleen omstreden",
        "only_empty": "alleen geen bewijs",
        "apply": "Filters toepassen",
        "reset": "Wissen",
        "legend": "Legenda",
        "marksize": "Grootte van het teken = aantal bevindingen (1, 2–3, 4+).",
        "factor": "Triggerfactor",
        "drivers": "Drijfveren",
        "sex": "Geslacht",
        "age": "Leeftijd",
        "education": "Opleiding",
        "shown_cells": "cellen getoond",
        "explanation": "Waarom dit oordeel",
        "findings": "Bevindingen",
        "no_findings": "Geen bevinding in de graaf verbindt deze twee. Dat is geen bewijs dat er "
        "geen verband is.",
        "close": "Sluiten",
        "certainty": "Zekerheid",
        "effective": "effectief",
        "effect": "Effect",
        "locator": "Vindplaats",
        "direct": "direct",
        "indirect": "indirect",
        "why_indirect": "waarom indirect",
        "deciding": "bepaalt het oordeel",
        "source": "Bron",
        "sources": "Bronnen",
        "not_retrieved": "niet opgehaald",
        "definition": "Definitie",
        "role": "Rol",
        "related": "Verwante constructen",
        "broader": "Bredere factor",
        "narrower": "Nauwere factoren",
        "verdicts_per_column": "Oordeel per drijfveer en groep",
        "column": "Drijfveer of groep",
        "n_findings": "bevindingen",
        "overlaps": "Overlapt met (deelt primaire studies)",
        "cites": "Citeert",
        "context_notes": "Contextnotities",
        "flags": "Citatievlaggen",
        "not_found": "Niet gevonden",
        "resource_about": "Uitspraken",
        "resource_incoming": "Verwezen vanuit",
        "resource_formats": "Deze IRI antwoordt ook in Turtle, JSON-LD, N-Triples en RDF/XML "
        "(vraag erom met de Accept-header).",
        "resource_truncated": "Alleen de eerste 500 staan hier; de RDF-antwoorden bevatten alles.",
        "did_you_mean": "Bedoelde u",
        "bad_request": "Ongeldig verzoek",
        "profile_title": "Profiellens",
        "profile_intro": "Kies een drijfveer en/of een groep. De triggerfactoren worden gerangschikt "
        "naar het bewijs dat ze voor dat profiel een rol spelen.",
        "notice_title": "Lees dit eerst",
        "any": "alle",
        "driver": "Drijfveer",
        "show": "Tonen",
        "rank": "Rang",
        "choose_one": "Kies ten minste één van drijfveer, geslacht, leeftijd of opleiding.",
        "network_title": "Netwerk van triggerfactoren, drijfveren en groepen",
        "search": "Zoeken op naam",
        "min_verdict": "Minimaal oordeel",
        "demographic": "Groep",
        "details": "Details",
        "click_node": "Klik op een knoop (of kies er een in het zoekveld en druk op Enter) voor details.",
        "neighbourhood": "Toon alleen de buren van deze knoop",
        "show_all": "Toon alle knopen",
        "export_png": "PNG exporteren",
        "export_graphml": "GraphML exporteren",
        "export_graphml_all": "GraphML van de hele bewijsbasis",
        "nodes": "knopen",
        "edges": "verbindingen",
        "kind_factor": "triggerfactor",
        "kind_driver": "drijfveer",
        "kind_demographic": "groep",
        "edge_legend": "Kleur en streepjes van een verbinding = oordeel, dikte = bewijsscore.",
        "offline_note": "Offline kopie: filters die de server nodig hebben zijn niet beschikbaar.",
        "page_unavailable": "Deze weergave heeft gegevens nodig die nog niet geladen zijn.",
        "verified": "gecontroleerd in het rapport",
        "unverified": "niet gecontroleerd in het rapport",
        "open_factor": "Open de factorpagina",
        "rows": "rijen",
        "why_certainty": "Waarom deze zekerheid",
        "direction": "Richting",
        "overall": "Alle drijfveren en groepen samen",
    },
}

VERDICT_LABELS = {
    "en": {
        "strong": "strong",
        "moderate": "moderate",
        "limited": "limited",
        "contested": "contested",
        "no_evidence": "no evidence",
    },
    "nl": {
        "strong": "sterk",
        "moderate": "redelijk",
        "limited": "beperkt",
        "contested": "omstreden",
        "no_evidence": "geen bewijs",
    },
}

LEVEL_LABELS = {
    "en": {
        "micro": "Micro level (individual)",
        "meso": "Meso level (group)",
        "macro": "Macro level (society)",
    },
    "nl": {
        "micro": "Microniveau (individu)",
        "meso": "Mesoniveau (groep)",
        "macro": "Macroniveau (samenleving)",
    },
}

STAGE_LABELS = {
    "en": {"attitude": "attitude", "intention": "intention", "behaviour": "behaviour"},
    "nl": {"attitude": "houding", "intention": "intentie", "behaviour": "gedrag"},
}

#: The notice the profile lens always shows (also returned by the index; this is the fallback).
PROFILE_NOTICE = {
    "en": "This is population-level evidence about groups. It cannot predict what any individual "
    "will do and it is no risk assessment: do not use it to judge or label a person.",
    "nl": "Dit is bewijs over groepen op populatieniveau. Het kan niet voorspellen wat een individu "
    "zal doen en het is geen risicotaxatie: gebruik het niet om een persoon te beoordelen of te "
    "labelen.",
}


def escape_html(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute; ``None`` becomes ``""``.

    Examples
    --------
    >>> escape_html('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def dump_script_json(data: object) -> str:
    """Serialise ``data`` as JSON that is safe inside a ``<script>`` element.

    Examples
    --------
    >>> dump_script_json({"t": "</script><script>alert(1)</script>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    for char, replacement in _SCRIPT_ESCAPES.items():
        text = text.replace(char, replacement)
    return text


def text_for(lang: str, key: str) -> str:
    """Return the interface text ``key`` in ``lang``.

    Examples
    --------
    >>> text_for("nl", "nav_map")
    'Bewijskaart'
    """
    return TEXT[lang if lang in TEXT else "en"][key]


def label_verdict(lang: str, verdict: str | None) -> str:
    """Return the verdict's name in ``lang`` (``no_evidence`` when ``None``)."""
    return VERDICT_LABELS[lang].get(verdict or "no_evidence", str(verdict))


def safe_href(url: object) -> str | None:
    """Return ``url`` if it is an http(s) URL, else ``None`` (no ``javascript:`` links).

    Examples
    --------
    >>> safe_href("javascript:alert(1)") is None
    True
    >>> safe_href("https://doi.org/10.1/x")
    'https://doi.org/10.1/x'
    """
    if not isinstance(url, str):
        return None
    stripped = url.strip()
    if stripped.lower().startswith(("http://", "https://")) and not any(
        c.isspace() for c in stripped
    ):
        return stripped
    return None


def build_url(path: str, params: Mapping[str, object]) -> str:
    """Return ``path`` with the non-empty ``params`` as a query string.

    Examples
    --------
    >>> build_url("/", {"lang": "nl", "level": None, "direct": ""})
    '/?lang=nl'
    """
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path


def render_options(options: Iterable[tuple[str, str]], selected: str | None) -> str:
    """Return escaped ``<option>`` elements, marking ``selected``."""
    parts = []
    for value, label in options:
        mark = " selected" if (value or "") == (selected or "") else ""
        parts.append(f'<option value="{escape_html(value)}"{mark}>{escape_html(label)}</option>')
    return "".join(parts)


def render_page(
    *,
    title: str,
    body: str,
    lang: str,
    path: str,
    params: Mapping[str, object] | None = None,
    scripts: Iterable[str] = (),
    data: object = None,
    inline_assets: Mapping[str, str] | None = None,
    static_prefix: str = "/static/viewer/",
) -> str:
    """Wrap ``body`` in the common page: header, navigation, language switch, assets.

    Parameters
    ----------
    title : str
        Page title (plain text; escaped here).
    body : str
        Already escaped HTML of the main content.
    lang : str
        ``"nl"`` or ``"en"``.
    path : str
        The page's path, used for the language switch link.
    params : Mapping, optional
        The page's query parameters (kept in the language switch link).
    scripts : Iterable[str]
        Names of script files under ``static/`` to load (or inline).
    data : object, optional
        JSON-able data embedded as ``<script type="application/json" id="tg-data">``.
    inline_assets : Mapping[str, str], optional
        When given (offline export), file name → content to inline instead of linking.
    static_prefix : str
        URL prefix of the static assets.

    Returns
    -------
    str
        The complete HTML document.

    Examples
    --------
    >>> page = render_page(title="<x>", body="<p>hi</p>", lang="nl", path="/")
    >>> "<title>&lt;x&gt;" in page and 'href="/?lang=en"' in page
    True
    """
    params = dict(params or {})
    other = text_for(lang, "lang_other")
    switch = build_url(path, {**params, "lang": other})
    nav_links = [
        ("/", "nav_map"),
        ("/network", "nav_network"),
        ("/profile", "nav_profile"),
    ]
    if inline_assets is None:
        current = ' aria-current="page"'
        nav = "".join(
            f'<a href="{escape_html(build_url(href, {"lang": lang}))}"'
            f"{current if href == path else ''}>{escape_html(text_for(lang, key))}</a>"
            for href, key in nav_links
        )
        nav += (
            f'<a class="lang" href="{escape_html(switch)}" hreflang="{other}" lang="{other}">'
            f"{escape_html(text_for(lang, 'lang_switch'))}</a>"
        )
        head_assets = f'<link rel="stylesheet" href="{static_prefix}viewer.css">'
        script_tags = "".join(
            f'<script src="{static_prefix}{escape_html(name)}"></script>' for name in scripts
        )
    else:
        nav = "".join(
            f'<a href="#{key}">{escape_html(text_for(lang, key))}</a>'
            for key in ("nav_map", "nav_network")
        )
        head_assets = "<style>" + inline_assets["viewer.css"].replace("</", "<\\/") + "</style>"
        script_tags = "".join(
            "<script>" + inline_assets[name].replace("</script", "<\\/script") + "</script>"
            for name in scripts
        )
    data_tag = (
        f'<script type="application/json" id="tg-data">{dump_script_json(data)}</script>'
        if data is not None
        else ""
    )
    return (
        "<!DOCTYPE html>"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # an empty inline icon, so the browser does not ask the server for /favicon.ico
        '<link rel="icon" href="data:,">'
        f"<title>{escape_html(title)} · {escape_html(text_for(lang, 'app'))}</title>"
        f"{head_assets}</head><body>"
        f'<a class="skip" href="#main">{escape_html(text_for(lang, "skip"))}</a>'
        f'<header class="top"><span class="brand">{escape_html(text_for(lang, "app"))}</span>'
        f'<nav aria-label="main">{nav}</nav></header>'
        f'<main id="main" tabindex="-1">{body}</main>'
        f"{data_tag}{script_tags}</body></html>"
    )
