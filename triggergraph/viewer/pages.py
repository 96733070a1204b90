"""The detail pages: factor, construct, source, profile lens, about, and the error page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answers.base import Ref
from ..answers.builders import (
    build_construct,
    build_factor,
    build_finding,
    build_profile,
    build_source,
)
from ..answers.cells import Cell
from ..answers.profile import RankedFactor as RankedAnswer
from ..answers.queries import LangQuery, ProfileQuery
from ..exceptions import EntryError, NotFoundError, TriggergraphError
from .common import (
    check_choice,
    check_lang,
    column_groups,
    finding_card,
    label_design,
    make_select,
    page_frame,
)
from .html import build_url, doi_href, path_segment, safe_href
from .i18n import LANGUAGES, translations_for
from .labels import (
    DIRECTION_SIGNS,
    VERDICT_SYMBOLS,
    label_direction,
    label_level,
    label_mapping,
    label_scale,
    label_verdict,
)
from .report import EMPTY_LABELS, empty_kind, factor_report, read_report
from .templating import render_template
from .views import (
    AboutPage,
    ChoiceRanking,
    ConstructPage,
    ErrorPage,
    Fact,
    FactorPage,
    Link,
    NoteItem,
    Page,
    ProfilePage,
    RankedFactor,
    SourcePage,
    VerdictBadge,
    VerdictRow,
)

PROFILE_FIELDS = ("driver", "sex", "age", "education")


def render_view(page: Page) -> str:
    """Render a page view model with its template, in its language."""
    return render_template(page.template, page.lang, view=page)


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


def _link(kind: str, item: Ref | str, lang: str) -> Link:
    ident = item if isinstance(item, str) else item.id
    name = item if isinstance(item, str) else item.label
    return Link(
        href=build_url(f"/{kind}/{path_segment(ident)}", {"lang": lang}), text=str(name or ident)
    )


def build_factor_page(
    index: Any, *, factor_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> FactorPage:
    """Return one trigger factor's view model: facts, verdicts per column, findings.

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
            Fact(label=_("Broader factor"), links=[_link("factors", factor.broader, lang)])
        )
    if factor.narrower:
        facts.append(
            Fact(
                label=_("Narrower factors"),
                links=[_link("factors", n, lang) for n in factor.narrower],
            )
        )
    if factor.related_constructs:
        links = []
        for r in factor.related_constructs:
            link = _link("constructs", r, lang)
            link.note = label_mapping(lang, r.mapping) if r.mapping else ""
            links.append(link)
        facts.append(Fact(label=_("Related constructs"), links=links))
    overall = factor.overall
    rows = [
        VerdictRow(
            column="any",
            label=_("All drivers and groups together"),
            badge=verdict_badge(lang, overall),
            n_findings=overall.n_findings,
            explanation=explanation_of(overall, lang),
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
        report_table=str(held.get("summary_table") or ""),
        tool_page=safe_href(held.get("tool_page")),
        guidance=Link(href=guidance["url"], text=guidance["title"]),
        verdicts=rows,
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
        link = _link("factors", m, lang)
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


def build_source_page(
    index: Any, *, source_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> SourcePage:
    """Return one source's view model: record, links (DOI first), notes, cited works, findings.

    Raises
    ------
    NotFoundError
        Unknown source id (with close ids as suggestions).
    """
    lang = check_lang(lang)
    _ = translations_for(lang).gettext
    source = build_source(index, source_id)
    title = source.title or source_id
    flags = [label_scale(index, "citation-flag", f, lang) for f in source.citation_flags]
    facts = [
        Fact(label=_("Authors"), value="; ".join(source.authors)),
        Fact(label=_("Year"), value=str(source.year or "")),
        Fact(label=_("Published in"), value=source.venue or ""),
        Fact(label=_("Type"), value=label_scale(index, "source-type", source.type, lang)),
        Fact(label=_("Study design"), value=label_design(index, source.study_design, lang)),
        Fact(label="DOI", value=source.doi or ""),
        Fact(label=_("Citation flags"), value=", ".join(flags)),
        Fact(
            label=_("Overlaps with (shares primary studies)"),
            links=[_link("sources", s, lang) for s in source.overlaps_with],
        ),
        Fact(label=_("Added by"), value=source.added_by or ""),
        Fact(label=_("Added on"), value=source.added_on or ""),
    ]
    # the curators' own words are English: on a Dutch page they sit behind a labelled toggle
    notes = [
        Fact(label=_("Design in the source's words"), value=source.design or ""),
        Fact(label=_("Citation note"), value=source.citation_note or ""),
    ]
    links = []
    doi = doi_href(source.doi)
    if doi:
        links.append(Link(href=doi, text=doi, note="doi"))
    url = source.url
    href = safe_href(url)
    if href and href != doi:
        links.append(Link(href=href, text=href))
    elif url and not href:
        facts.append(Fact(label="URL", value=str(url)))
    # context notes and cited works are the entry's own records (``ContextNote``, ``CitedWork``)
    context = [
        NoteItem(text=str(n.get("text") or ""), locator=str(n.get("locator") or ""))
        for n in source.context_notes
    ]
    cites = [
        NoteItem(
            text=" ".join(
                str(x)
                for x in (
                    c.get("first_author"),
                    c.get("co_authors"),
                    f"({c.get('year')})" if c.get("year") else None,
                    c.get("note"),
                )
                if x
            ),
            locator=str(c.get("locator") or ""),
        )
        for c in source.cites
    ]
    findings = [
        finding_card(
            index, build_finding(index, item.id, LangQuery(lang=lang)), lang, link_source=False
        )
        for item in source.findings
    ]
    return SourcePage(
        **page_frame(lang, title, f"/sources/{source_id}"),
        heading=title,
        citation=source.citation,
        facts=[f for f in facts if f.value or f.links],
        links=links,
        notes=[f for f in notes if f.value],
        context_notes=context,
        cites=cites,
        findings=findings,
    )


def read_profile_params(index: Any, params: Mapping[str, str] | None, lang: str) -> dict:
    """Check the profile lens parameters against the drivers and demographic values."""
    params = params or {}
    groups = {g["id"]: [c["id"] for c in g["columns"]] for g in column_groups(index, lang)}
    return {
        name: check_choice(name, params.get(name), groups.get(name, [])) for name in PROFILE_FIELDS
    }


def _ranked(items: list[RankedAnswer], lang: str) -> list[RankedFactor]:
    return [
        RankedFactor(
            id=item.factor.id,
            label=item.factor.label or item.factor.id,
            href=_link("factors", item.factor, lang).href,
            badge=verdict_badge(lang, item.cell),
            n_findings=item.cell.n_findings,
            explanation=explanation_of(item.cell, lang),
        )
        for item in items
    ]


def build_profile_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> ProfilePage:
    """Return the profile lens' view model: the choices and the factors ranked for them.

    Raises
    ------
    EntryError
        A parameter names a value that does not exist (with close ids as suggestions).
    """
    lang = check_lang(lang)
    _ = translations_for(lang).gettext
    chosen = read_profile_params(index, params, lang)
    selects = [
        make_select(
            group["id"],
            _("Driver") if group["id"] == "driver" else group["label"],
            [("", _("any"))] + [(c["id"], c["label"]) for c in group["columns"]],
            chosen.get(group["id"]),
        )
        for group in column_groups(index, lang)
    ]
    notice = ""
    ranking: list[RankedFactor] = []
    per_choice: list[ChoiceRanking] = []
    choices: list[str] = []
    if any(chosen.values()):
        query = ProfileQuery(lang=lang, **{k: v for k, v in chosen.items() if v})
        profile = build_profile(index, query)
        notice = profile.notice.get(lang) or profile.notice.get("en") or ""
        choices = [ref.label or ref.id for ref in profile.profile.values()]
        ranking = _ranked(profile.items, lang)
        per_choice = [
            ChoiceRanking(
                label=part.column.label or part.column.id, ranking=_ranked(part.items, lang)
            )
            for part in profile.per_choice.values()
        ]
    return ProfilePage(
        **page_frame(
            lang,
            _("Profile"),
            "/profile",
            {k: v for k, v in chosen.items() if v},
            scripts=["profile.js"],
        ),
        filters=selects,
        chosen=any(chosen.values()),
        notice_extra=notice,
        choices=choices,
        ranking=ranking,
        per_choice=per_choice,
    )


def build_about_page(
    index: Any = None, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> AboutPage:
    """Return the page that explains population evidence versus individual assessment."""
    lang = check_lang(lang)
    return AboutPage(
        **page_frame(
            lang,
            translations_for(lang).gettext("Population evidence is not a prediction"),
            "/about/population-evidence",
        )
    )


def _problem_text(problem, lang: str) -> str:
    text = f"{problem.field}: {problem.message}" if problem.field else problem.message
    if problem.suggestions:
        asked = translations_for(lang).gettext("did you mean")
        text += f"; {asked} " + " / ".join(repr(s) for s in problem.suggestions) + "?"
    return text


def build_error_page(error: TriggergraphError, *, lang: str = "en", path: str = "/") -> ErrorPage:
    """Return the view model of a 404 (unknown id, with suggestions) or 400 (bad parameter) page."""
    lang = lang if lang in LANGUAGES else "en"
    _ = translations_for(lang).gettext
    suggestions: list[Link] = []
    problems: list[str] = []
    message = ""
    if isinstance(error, NotFoundError):
        title = _("Not found")
        message = str(error)
        base = {"factor": "factors", "source": "sources", "construct": "constructs"}.get(error.kind)
        suggestions = [
            _link(base, s, lang) if base else Link(href="", text=str(s)) for s in error.suggestions
        ]
    elif isinstance(error, EntryError):
        title = _("Bad request")
        problems = [_problem_text(p, lang) for p in error.problems]
    else:
        title = _("Bad request")
        message = str(error)
    return ErrorPage(
        **page_frame(lang, title, path),
        heading=title,
        message=message,
        suggestions=suggestions,
        problems=problems,
    )


def render_factor_page(
    index: Any, *, factor_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render one trigger factor page (see :func:`build_factor_page`)."""
    return render_view(build_factor_page(index, factor_id=factor_id, lang=lang, params=params))


def render_construct_page(
    index: Any, *, construct_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render one related construct page (see :func:`build_construct_page`)."""
    return render_view(
        build_construct_page(index, construct_id=construct_id, lang=lang, params=params)
    )


def render_source_page(
    index: Any, *, source_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render one source page (see :func:`build_source_page`)."""
    return render_view(build_source_page(index, source_id=source_id, lang=lang, params=params))


def render_profile_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render the profile lens (see :func:`build_profile_page`)."""
    return render_view(build_profile_page(index, lang=lang, params=params))


def render_error_page(error: TriggergraphError, *, lang: str = "en", path: str = "/") -> str:
    """Render a 404 (unknown id, with suggestions) or 400 (bad parameter) page, all escaped.

    Examples
    --------
    >>> page = render_error_page(NotFoundError("factor", "<b>", ["detention"]))
    >>> "&lt;b&gt;" in page and "/factors/detention?lang=en" in page
    True
    """
    return render_view(build_error_page(error, lang=lang, path=path))


def status_for(error: TriggergraphError) -> int:
    """HTTP status of a page error: 404 for unknown ids, 400 for bad parameters.

    Examples
    --------
    >>> status_for(NotFoundError("factor", "x")), status_for(EntryError([]))
    (404, 400)
    """
    return 404 if isinstance(error, NotFoundError) else 400
