"""The detail pages: factor, construct, source, profile lens, about, and the error page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..answers.queries import ProfileQuery
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
from .timeline import factor_history_texts
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

if TYPE_CHECKING:
    from ..timeline import ReleaseLog

PROFILE_FIELDS = ("driver", "sex", "age", "education")


def render_view(page: Page) -> str:
    """Render a page view model with its template, in its language."""
    return render_template(page.template, page.lang, view=page)


def verdict_badge(lang: str, cell: Mapping) -> VerdictBadge:
    """Return a cell's verdict with its symbol and, when there is evidence, its direction sign."""
    verdict = cell.get("verdict") or "no_evidence"
    if verdict not in VERDICT_SYMBOLS:
        verdict = "no_evidence"
    badge = VerdictBadge(
        verdict=verdict, label=label_verdict(lang, verdict), symbol=VERDICT_SYMBOLS[verdict]
    )
    if verdict != "no_evidence":
        # a null direction with evidence is a tie: shown as such, never decided here
        direction = cell.get("direction")
        badge.direction = direction
        badge.direction_sign = DIRECTION_SIGNS.get(direction or "tie", "")
        badge.direction_label = label_direction(lang, direction)
    return badge


def explanation_of(cell: Mapping, lang: str) -> str:
    """Return a cell's explanation in ``lang`` (the index gives ``{nl, en}``)."""
    text = cell.get("explanation") or ""
    if isinstance(text, Mapping):
        text = text.get(lang) or text.get("en") or ""
    return str(text)


def _flatten_cells(cells: object) -> dict[str, Mapping]:
    """Cells keyed by column id, whether the index nests them per kind or not."""
    out: dict[str, Mapping] = {}
    if isinstance(cells, Mapping):
        for key, value in cells.items():
            if isinstance(value, Mapping) and "verdict" in value:
                out[str(value.get("column") or key)] = value
            elif isinstance(value, Mapping | list):
                out.update(_flatten_cells(value))
    elif isinstance(cells, list):
        for value in cells:
            if isinstance(value, Mapping) and "verdict" in value:
                out[str(value.get("column"))] = value
    return out


def _empty_label(factor_id: str, column_kind: str, cell: Mapping, lang: str) -> str:
    kind = empty_kind(factor_id, column_kind, cell.get("verdict") or "no_evidence")
    return translations_for(lang).gettext(EMPTY_LABELS[kind]) if kind else ""


def _link(kind: str, item: object, lang: str) -> Link:
    ident = item.get("id") if isinstance(item, Mapping) else item
    name = item.get("label") if isinstance(item, Mapping) else item
    return Link(
        href=build_url(f"/{kind}/{path_segment(ident)}", {"lang": lang}), text=str(name or ident)
    )


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
    factor = index.factor(factor_id, lang)
    label = str(factor.get("label") or factor_id)
    defs = factor.get("definitions") or {}
    definition = (
        defs.get(lang) or defs.get("en") if isinstance(defs, Mapping) else factor.get("definition")
    )
    roles = sorted(
        {
            label_scale(index, "trigger-role", f.get("trigger_role"), lang)
            for f in factor.get("findings") or []
            if f.get("trigger_role")
        }
    )
    page = factor.get("report_page")
    page_abbr = _("p.")
    report = " · ".join(
        str(x)
        for x in (
            factor.get("report_section") and f"§ {factor['report_section']}",
            page and f"{page_abbr} {page}",
            factor.get("verified") is not None
            and (
                _("checked against the report")
                if factor.get("verified")
                else _("not checked against the report")
            ),
        )
        if x
    )
    facts = [
        Fact(
            label=_("Level"),
            value=str(factor.get("level_label") or label_level(lang, factor.get("level"))),
        ),
        Fact(label=_("Group"), value=str(factor.get("group_label") or "")),
        Fact(label=_("Definition"), value=str(definition or "")),
        Fact(label=_("Role"), value=", ".join(roles)),
        Fact(label=_("Report (Feddes et al. 2015)"), value=report),
        Fact(label=_("Also called"), value=", ".join(factor.get("alt_labels") or [])),
    ]
    if factor.get("broader"):
        facts.append(
            Fact(label=_("Broader factor"), links=[_link("factors", factor["broader"], lang)])
        )
    if factor.get("narrower"):
        facts.append(
            Fact(
                label=_("Narrower factors"),
                links=[_link("factors", n, lang) for n in factor["narrower"]],
            )
        )
    related = [
        r
        for r in factor.get("related_constructs") or factor.get("constructs") or []
        if isinstance(r, Mapping)
    ]
    if related:
        links = []
        for r in related:
            link = _link("constructs", r, lang)
            link.note = label_mapping(lang, r.get("mapping")) if r.get("mapping") else ""
            links.append(link)
        facts.append(Fact(label=_("Related constructs"), links=links))
    cells = _flatten_cells(factor.get("cells") or {})
    history_note, history = factor_history_texts(factor, releases, lang)
    rows = []
    overall = factor.get("overall")
    if isinstance(overall, Mapping):
        rows.append(
            VerdictRow(
                column="any",
                label=_("All drivers and groups together"),
                badge=verdict_badge(lang, overall),
                n_findings=int(overall.get("n_findings") or 0),
                explanation=explanation_of(overall, lang),
                history=history.get("any", ""),
            )
        )
    for group in column_groups(index, lang):
        for column in group["columns"]:
            cell = cells.get(column["id"], {})
            rows.append(
                VerdictRow(
                    column=column["id"],
                    label=f"{group['label']}: {column['label']}",
                    badge=verdict_badge(lang, cell),
                    n_findings=int(cell.get("n_findings") or 0),
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
        report_table=str(held.get("summary_table") or ""),
        tool_page=safe_href(held.get("tool_page")),
        guidance=Link(href=guidance["url"], text=guidance["title"]),
        verdicts=rows,
        history_note=history_note,
        findings=[finding_card(index, f, lang) for f in factor.get("findings") or []],
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
    construct = index.construct(construct_id, lang)
    label = str(construct.get("label") or construct_id)
    maps_to = []
    for m in construct.get("maps_to") or []:
        link = _link("factors", m, lang)
        link.note = label_mapping(lang, m.get("mapping"))
        maps_to.append(link)
    facts = [
        Fact(label=_("Kind"), value=_("related construct (not a trigger event)")),
        Fact(label=_("Level"), value=str(construct.get("level_label") or "")),
        Fact(label=_("Definition"), value=str(construct.get("definition") or "")),
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
        findings=[finding_card(index, f, lang) for f in construct.get("findings") or []],
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
    source = index.source(source_id)
    title = str(source.get("title") or source_id)
    flags = [
        label_scale(index, "citation-flag", f, lang) for f in source.get("citation_flags") or []
    ]
    facts = [
        Fact(label=_("Authors"), value="; ".join(str(a) for a in source.get("authors") or [])),
        Fact(label=_("Year"), value=str(source.get("year") or "")),
        Fact(label=_("Published in"), value=str(source.get("venue") or "")),
        Fact(label=_("Type"), value=label_scale(index, "source-type", source.get("type"), lang)),
        Fact(label=_("Study design"), value=label_design(index, source.get("study_design"), lang)),
        Fact(label="DOI", value=str(source.get("doi") or "")),
        Fact(label=_("Citation flags"), value=", ".join(flags)),
        Fact(
            label=_("Overlaps with (shares primary studies)"),
            links=[_link("sources", s, lang) for s in source.get("overlaps_with") or []],
        ),
        Fact(label=_("Added by"), value=str(source.get("added_by") or "")),
        Fact(label=_("Added on"), value=str(source.get("added_on") or "")),
    ]
    # the curators' own words are English: on a Dutch page they sit behind a labelled toggle
    notes = [
        Fact(label=_("Design in the source's words"), value=str(source.get("design") or "")),
        Fact(label=_("Citation note"), value=str(source.get("citation_note") or "")),
    ]
    links = []
    doi = doi_href(source.get("doi"))
    if doi:
        links.append(Link(href=doi, text=doi, note="doi"))
    url = source.get("url")
    href = safe_href(url)
    if href and href != doi:
        links.append(Link(href=href, text=href))
    elif url and not href:
        facts.append(Fact(label="URL", value=str(url)))
    context = [
        NoteItem(text=str(n.get("text") or ""), locator=str(n.get("locator") or ""))
        for n in source.get("context_notes") or []
        if isinstance(n, Mapping)
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
        for c in source.get("cites") or []
        if isinstance(c, Mapping)
    ]
    findings = []
    for item in source.get("findings") or []:
        fid = item.get("id") if isinstance(item, Mapping) else item
        findings.append(finding_card(index, index.finding(fid, lang), lang, link_source=False))
    return SourcePage(
        **page_frame(lang, title, f"/sources/{source_id}"),
        heading=title,
        citation=str(source.get("citation") or ""),
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


def _ranked(items: list, lang: str) -> list[RankedFactor]:
    ranking = []
    for item in items:
        factor = (
            item.get("factor")
            if isinstance(item.get("factor"), Mapping)
            else {"id": item.get("factor")}
        )
        cell = item.get("cell") if isinstance(item.get("cell"), Mapping) else item
        ranking.append(
            RankedFactor(
                id=str(factor.get("id")),
                label=str(factor.get("label") or factor.get("id")),
                href=_link("factors", factor, lang).href,
                badge=verdict_badge(lang, cell),
                n_findings=int(cell.get("n_findings") or 0),
                explanation=explanation_of(cell, lang),
            )
        )
    return ranking


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
        profile = index.profile(ProfileQuery(lang=lang, **{k: v for k, v in chosen.items() if v}))
        given = profile.get("notice")
        notice = (
            str(given.get(lang) or given.get("en"))
            if isinstance(given, Mapping)
            else str(given or "")
        )
        choices = [str(ref.get("label") or ref.get("id")) for ref in profile["profile"].values()]
        ranking = _ranked(profile.get("items") or [], lang)
        per_choice = [
            ChoiceRanking(
                label=str(part["column"].get("label") or part["column"].get("id")),
                ranking=_ranked(part.get("items") or [], lang),
            )
            for part in (profile.get("per_choice") or {}).values()
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
