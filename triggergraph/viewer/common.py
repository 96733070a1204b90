"""Shared parts of the viewer pages: parameter checks, the page frame, column groups, finding cards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..answers import EffectAnswer
from ..answers.builders import build_demographics, build_drivers, build_source
from ..answers.queries import LangQuery
from ..exceptions import EntryError, NotFoundError, Problem
from .html import build_url, doi_href, path_segment, safe_href
from .i18n import LANGUAGES, N_, translations_for
from .labels import (
    BASIS_LABELS,
    DIMENSION_LABELS,
    label_finding_direction,
    label_scale,
)
from .views import Fact, FindingCard, Link, Option, Select

if TYPE_CHECKING:
    from ..answers import FindingAnswer, SourceAnswer
    from ..readmodel import EvidenceIndex

DIMENSIONS = ("sex", "age", "education")
#: Main navigation: path and the catalogue's message id of its name.
NAV = (
    ("/", N_("Evidence map")),
    ("/network", N_("Network")),
    ("/profile", N_("Profile")),
    ("/gaps", N_("Gaps")),
    ("/about/population-evidence", N_("About this evidence")),
)
REASON_LABELS = {
    "construct_not_trigger": N_("related construct, not the trigger factor itself"),
    "proposed_driver_link": N_("driver link proposed by the compilers, not stated by the source"),
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


def page_frame(
    lang: str,
    title: str,
    path: str,
    params: Mapping[str, object] | None = None,
    *,
    scripts: Iterable[str] = (),
    data: object = None,
) -> dict:
    """Return the fields every :class:`~triggergraph.viewer.views.Page` has, for ``lang``.

    Examples
    --------
    >>> frame = page_frame("nl", "Kaart", "/", {"level": "meso"})
    >>> frame["switch"].href, frame["nav"][0].current
    ('/?level=meso&lang=en', True)
    """
    _ = translations_for(lang).gettext
    other = "en" if lang == "nl" else "nl"
    switch = Link(
        href=build_url(path, {**(params or {}), "lang": other}),
        text=_("Nederlands") if other == "nl" else _("English"),
        note=other,
    )
    nav = [
        Link(href=build_url(href, {"lang": lang}), text=_(name), current=href == path)
        for href, name in NAV
    ]
    return {
        "lang": lang,
        "title": title,
        "path": path,
        "switch": switch,
        "nav": nav,
        "scripts": list(scripts),
        "data": data,
    }


def make_select(
    name: str,
    label: str,
    options: Iterable[tuple[str, str]],
    selected: str | None,
    *,
    client: bool = False,
) -> Select:
    """Return a filter ``<select>`` model with ``selected`` marked."""
    return Select(
        name=name,
        label=label,
        client=client,
        options=[
            Option(value=v, label=text, selected=(v or "") == (selected or ""))
            for v, text in options
        ],
    )


def column_groups(index: EvidenceIndex, lang: str) -> list[dict]:
    """Return the column groups of the map: drivers, then each demographic dimension.

    Each group is ``{"id", "label", "columns": [{"id", "label"}]}``.
    """
    _ = translations_for(lang).gettext
    query = LangQuery(lang=lang)
    groups = [
        {
            "id": "driver",
            "label": _("Drivers"),
            "columns": [
                {"id": d.id, "label": d.label or d.id} for d in build_drivers(index, query).items
            ],
        }
    ]
    by_id = {d.id: d for d in build_demographics(index, query).dimensions}
    for dim_id in DIMENSIONS:
        dim = by_id.get(dim_id)
        if dim is None:
            continue
        groups.append(
            {
                "id": dim_id,
                "label": dim.label or _(DIMENSION_LABELS[dim_id]),
                "columns": [{"id": v.id, "label": v.label or v.id} for v in dim.values],
            }
        )
    return groups


def label_reason(lang: str, reason: str) -> str:
    """Return a reader-facing label for an indirectness reason id."""
    if reason in REASON_LABELS:
        return translations_for(lang).gettext(REASON_LABELS[reason])
    return reason.replace("_", " ")


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe_effect(effect: EffectAnswer | None, lang: str) -> str:
    """Return the effect's numbers as the source reported them; say so when none were retrieved.

    Examples
    --------
    >>> effect = EffectAnswer(measure="r", measure_label="r", value=0.2, ci=[0.1, 0.3], k=12,
    ...                       n=None, p=None, text=None, magnitude_in_source=None)
    >>> describe_effect(effect, "en")
    'r = 0.2 [0.1, 0.3]; k = 12'
    >>> describe_effect(None, "nl")
    'niet opgehaald'
    """
    parts = []
    if effect is not None:
        # the measure's name in the page's language, never its identifier
        measure = effect.measure_label or (effect.measure or "").replace("_", " ")
        if effect.value is not None and effect.measure and effect.measure != "none":
            text = f"{measure} = {_number(effect.value)}"
            if effect.ci:
                text += f" [{_number(effect.ci[0])}, {_number(effect.ci[1])}]"
            parts.append(text)
        for key in ("k", "n", "p"):
            if getattr(effect, key) is not None:
                parts.append(f"{key} = {getattr(effect, key)}")
    return "; ".join(parts) if parts else translations_for(lang).gettext("not retrieved")


def finding_card(
    index: EvidenceIndex, finding: FindingAnswer, lang: str, *, link_source: bool = True
) -> FindingCard:
    """Return one finding as a card: facts in ``lang``, the curators' English texts apart.

    The source's DOI comes first among the links (as https://doi.org/...), other copies after.
    """
    _ = translations_for(lang).gettext
    source_id = finding.source.id
    # the finding carries a short source reference; the record has the DOI and URL
    record = source_record(index, source_id)
    citation = finding.source.citation or finding.source.title or source_id
    factor_label = finding.factor.label or finding.factor.id
    drivers = []
    for link in finding.drivers:
        name = link.label or link.driver
        if link.term_in_source:
            # the source's own word keeps the link checkable against the source
            said = _("in the source")
            name += f" [{said}: {link.term_in_source}]"
        if link.basis in BASIS_LABELS and link.basis != "stated":
            name += f" ({_(BASIS_LABELS[link.basis])})"
        drivers.append(name)
    direction = finding.direction
    effect = finding.effect
    reported = (
        "; ".join(str(x) for x in (effect.text, effect.magnitude_in_source) if x)
        if effect is not None
        else ""
    )
    facts = [
        Fact(label=_("Effect"), value=describe_effect(effect, lang)),
        Fact(label=_("Size of the effect"), value=finding.size_band_label or ""),
        Fact(label=_("Caution"), value=", ".join(flag.label for flag in finding.effect_flags)),
        Fact(label=_("Outcome compared"), value=finding.outcome_kind.label),
        Fact(label=_("Certainty"), value=finding.certainty_label or finding.certainty),
        Fact(
            label=_("Direction"),
            value=label_finding_direction(lang, direction, finding.outcome_kind.id)
            if direction
            else "",
        ),
        Fact(label=_("Drivers"), value=", ".join(drivers)),
        Fact(label=_("Groups"), value=", ".join(d.label for d in finding.demographics)),
        Fact(
            label=_("Region of the population"),
            value=finding.region.label if finding.region else _("not recorded"),
        ),
        Fact(label=_("Caveats"), value=", ".join(c.label for c in finding.caveats)),
        Fact(label=_("Outcome stage"), value=", ".join(o.label for o in finding.outcome_stages)),
        Fact(
            label=_("Added by"),
            value=" · ".join(str(x) for x in (finding.added_by, finding.added_on) if x),
        ),
    ]
    # the curators write these in English: on a Dutch page they sit behind "Notities (Engels)"
    notes = [
        Fact(label=_("Where"), value=finding.locator or ""),
        Fact(label=_("Why this certainty"), value="; ".join(finding.certainty_reasons)),
        Fact(label=_("Effect as reported"), value=reported),
        Fact(label=_("Outcome"), value=finding.outcome or ""),
        Fact(label=_("Population"), value=finding.population or ""),
        Fact(label=_("Note"), value=finding.note or ""),
    ]
    links = []
    doi = doi_href(record.doi if record else None)
    if doi:
        links.append(Link(href=doi, text=doi, note="doi"))
    for url in (record.url if record else None, finding.verified_from):
        href = safe_href(url)
        if href and all(href != link.href for link in links):
            links.append(Link(href=href, text=href))
    fid = finding.id
    return FindingCard(
        locator=finding.locator or "",
        effect="; ".join(x for x in (describe_effect(effect, lang), reported) if x),
        id=fid,
        heading=f"{fid} — {factor_label}" if factor_label else fid,
        citation=citation,
        source_id=source_id,
        source_href=build_url(f"/sources/{path_segment(source_id)}", {"lang": lang})
        if link_source and source_id
        else None,
        facts=[f for f in facts if f.value],
        notes=[f for f in notes if f.value],
        notes_foreign=lang != "en",
        links=links,
    )


def source_record(index: EvidenceIndex, source_id: str) -> SourceAnswer | None:
    """Return the source's record from the read model, or None when it has none."""
    try:
        return build_source(index, source_id)
    except NotFoundError:
        return None


def card_data(card: FindingCard) -> dict:
    """Return a finding card as JSON-able data for the map's script (plain strings)."""
    return {
        "id": card.id,
        "heading": card.heading,
        "citation": card.citation,
        "source": card.source_id,
        "source_href": card.source_href,
        "facts": [[f.label, f.value] for f in card.facts],
        "notes": [[f.label, f.value] for f in card.notes],
        "notes_foreign": card.notes_foreign,
        "links": [[link.href, link.text] for link in card.links],
        "locator": card.locator,
        "effect": card.effect,
    }


def label_design(index: Any, value: object, lang: str) -> str:
    """Return the vocabulary's name of a study design."""
    return label_scale(index, "study-design", value, lang)
