"""The factor and construct pages: what the report says, verdicts per driver and group, findings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..answers.builders import (
    build_construct,
    build_factor,
)
from ..answers.cells import Cell
from ..answers.queries import LangQuery
from .common import (
    check_lang,
    column_groups,
    finding_card,
    page_frame,
)
from .html import safe_href
from .i18n import translations_for
from .labels import (
    DIRECTION_SIGNS,
    VERDICT_SYMBOLS,
    label_direction,
    label_level,
    label_mapping,
    label_scale,
    label_verdict,
)
from .pages import entry_link, render_view
from .report import EMPTY_LABELS, empty_kind, factor_report, read_report
from .timeline import factor_history_texts
from .views import (
    ConstructPage,
    Fact,
    FactorPage,
    Link,
    NoteItem,
    VerdictBadge,
    VerdictRow,
)

if TYPE_CHECKING:
    from ..timeline import ReleaseLog


def verdict_badge(lang: str, cell: Cell | None) -> VerdictBadge:
    """Return a cell's verdict with its symbol and, when there is evidence, its direction sign."""
    verdict = cell.verdict if cell is not None else "no_evidence"
    if verdict not in VERDICT_SYMBOLS:
        verdict = "no_evidence"
    badge = VerdictBadge(
        verdict=verdict, label=label_verdict(lang, verdict), symbol=VERDICT_SYMBOLS[verdict]
    )
    if verdict != "no_evidence":
        # a null direction with evidence is a tie: shown as such, never decided here
        direction = cell.direction
        badge.direction = direction
        badge.direction_sign = DIRECTION_SIGNS.get(direction or "tie", "")
        badge.direction_label = label_direction(lang, direction)
    return badge


def explanation_of(cell: Cell | None, lang: str) -> str:
    """Return a cell's explanation in ``lang`` (the answer gives ``{nl, en}``)."""
    if cell is None:
        return ""
    return cell.explanation.get(lang) or cell.explanation.get("en") or ""


def _empty_label(factor_id: str, column_kind: str, cell: Cell | None, lang: str) -> str:
    kind = empty_kind(factor_id, column_kind, cell.verdict if cell is not None else "no_evidence")
    return translations_for(lang).gettext(EMPTY_LABELS[kind]) if kind else ""


def table_locator(text: str, lang: str) -> str:
    """Where the report's summary table is, in the page's words (the data write it in English).

    Examples
    --------
    >>> table_locator("section 3.3 (report p.44 onward)", "nl")
    '§ 3.3, vanaf p. 44'
    >>> table_locator("section 4.7", "nl")
    '§ 4.7'
    """
    _ = translations_for(lang).gettext
    found = re.fullmatch(r"section ([\d.]+)(?: \(report p\.\s*(\d+) onward\))?", text.strip())
    if found:
        section, page = found.groups()
        if page:
            return _("§ %(section)s, from p. %(page)s") % {"section": section, "page": page}
        return f"§ {section}"
    if text.startswith("macro summary section"):
        return _("the summary section of the macro level (number and page not recovered)")
    return text


def build_factor_page(
    index: Any,
    *,
    factor_id: str,
    lang: str = "en",
    params: Mapping[str, str] | None = None,
    releases: ReleaseLog | None = None,
) -> FactorPage:
    """Return one trigger factor's view model: facts, verdicts per column (with each cell's
    history across ``releases``), findings.

    Raises
    ------
    NotFoundError
        Unknown factor id (with close ids as suggestions).
    """
    lang = check_lang(lang)
    _ = translations_for(lang).gettext
    factor = build_factor(index, factor_id, LangQuery(lang=lang))
    label = factor.label or factor_id
    definition = factor.definitions.get(lang) or factor.definitions.get("en")
    roles = sorted(
        {
            label_scale(index, "trigger-role", f.trigger_role.id, lang)
            for f in factor.findings
            if f.trigger_role is not None
        }
    )
    page = factor.report_page
    page_abbr = _("p.")
    report = " · ".join(
        str(x)
        for x in (
            factor.report_section and f"§ {factor.report_section}",
            page and f"{page_abbr} {page}",
            factor.verified is not None
            and (
                _("checked against the report")
                if factor.verified
                else _("not checked against the report")
            ),
        )
        if x
    )
    facts = [
        Fact(label=_("Level"), value=factor.level_label or label_level(lang, factor.level)),
        Fact(label=_("Group"), value=factor.group_label or ""),
        Fact(label=_("Definition"), value=definition or ""),
        Fact(label=_("Role"), value=", ".join(roles)),
        Fact(label=_("Report (Feddes et al. 2015)"), value=report),
        Fact(label=_("Also called"), value=", ".join(factor.alt_labels)),
    ]
    if factor.broader is not None:
        facts.append(
            Fact(label=_("Broader factor"), links=[entry_link("factors", factor.broader, lang)])
        )
    if factor.narrower:
        facts.append(
            Fact(
                label=_("Narrower factors"),
                links=[entry_link("factors", n, lang) for n in factor.narrower],
            )
        )
    if factor.related_constructs:
        links = []
        for r in factor.related_constructs:
            link = entry_link("constructs", r, lang)
            link.note = label_mapping(lang, r.mapping) if r.mapping else ""
            links.append(link)
        facts.append(Fact(label=_("Related constructs"), links=links))
    overall = factor.overall
    history_note, history = factor_history_texts(factor, releases, lang)
    rows = [
        VerdictRow(
            column="any",
            label=_("All drivers and groups together"),
            badge=verdict_badge(lang, overall),
            n_findings=overall.n_findings,
            explanation=explanation_of(overall, lang),
            history=history.get("any", ""),
        )
    ]
    for group in column_groups(index, lang):
        for column in group["columns"]:
            cell = factor.cells.get(column["id"])
            rows.append(
                VerdictRow(
                    column=column["id"],
                    label=f"{group['label']}: {column['label']}",
                    badge=verdict_badge(lang, cell),
                    n_findings=cell.n_findings if cell is not None else 0,
                    explanation=explanation_of(cell, lang),
                    empty=_empty_label(factor_id, group["id"], cell, lang),
                    history=history.get(column["id"], ""),
                )
            )
    held = factor_report(factor_id)
    said = held.get("report_text") or {}
    where = " · ".join(
        x
        for x in (
            f"§ {said['section']}" if said.get("section") else "",
            f"{page_abbr} {said['page']}" if said.get("page") else "",
        )
        if x
    )
    guidance = read_report()["tool_guidance"]
    return FactorPage(
        **page_frame(lang, label, f"/factors/{factor_id}"),
        heading=label,
        facts=[f for f in facts if f.value or f.links],
        report_facts=[NoteItem(text=str(t), locator=where) for t in said.get("facts") or []],
        report_table=table_locator(str(held.get("summary_table") or ""), lang),
        tool_page=safe_href(held.get("tool_page")),
        guidance=Link(href=guidance["url"], text=guidance["title"]),
        verdicts=rows,
        history_note=history_note,
        findings=[finding_card(index, f, lang) for f in factor.findings],
    )


def build_construct_page(
    index: Any, *, construct_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> ConstructPage:
    """Return one related construct's view model: the trigger factors it informs, its findings.

    Raises
    ------
    NotFoundError
        Unknown construct id (with close ids as suggestions).
    """
    lang = check_lang(lang)
    _ = translations_for(lang).gettext
    construct = build_construct(index, construct_id, LangQuery(lang=lang))
    label = construct.label or construct_id
    maps_to = []
    for m in construct.maps_to:
        link = entry_link("factors", m, lang)
        link.note = label_mapping(lang, m.mapping)
        maps_to.append(link)
    facts = [
        Fact(label=_("Kind"), value=_("related construct (not a trigger event)")),
        Fact(label=_("Level"), value=construct.level_label or ""),
        Fact(label=_("Definition"), value=construct.definition or ""),
        Fact(
            label=_("Counts, as indirect evidence, for"),
            links=maps_to,
            value=""
            if maps_to
            else _("no trigger factor: its findings count for no cell of the map"),
        ),
    ]
    return ConstructPage(
        **page_frame(lang, label, f"/constructs/{construct_id}"),
        heading=label,
        facts=[f for f in facts if f.value or f.links],
        findings=[finding_card(index, f, lang) for f in construct.findings],
    )


def render_factor_page(
    index: Any,
    *,
    factor_id: str,
    lang: str = "en",
    params: Mapping[str, str] | None = None,
    releases: ReleaseLog | None = None,
) -> str:
    """Render one trigger factor page (see :func:`build_factor_page`)."""
    return render_view(
        build_factor_page(index, factor_id=factor_id, lang=lang, params=params, releases=releases)
    )


def render_construct_page(
    index: Any, *, construct_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render one related construct page (see :func:`build_construct_page`)."""
    return render_view(
        build_construct_page(index, construct_id=construct_id, lang=lang, params=params)
    )
