"""The detail pages: factor, source, profile lens, and the error page with suggestions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answers.queries import ProfileQuery
from ..exceptions import EntryError, NotFoundError, TriggergraphError
from .common import check_choice, check_lang, column_groups, summarise_finding
from .html import (
    LEVEL_LABELS,
    PROFILE_NOTICE,
    VERDICT_SYMBOLS,
    build_url,
    escape_html,
    label_verdict,
    render_options,
    render_page,
    safe_href,
    text_for,
)


def _verdict_badge(lang: str, verdict: str | None) -> str:
    verdict = verdict or "no_evidence"
    symbol = VERDICT_SYMBOLS.get(verdict, "?")
    return (
        f'<span class="verdict-line v-{escape_html(verdict)}" data-verdict="{escape_html(verdict)}">'
        f'<span aria-hidden="true">{symbol}</span> {escape_html(label_verdict(lang, verdict))}</span>'
    )


def _explanation(cell: Mapping, lang: str) -> str:
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


def render_finding_list(findings: list[Mapping], lang: str, *, link_sources: bool = True) -> str:
    """Return an escaped list of findings with citation, locator, effect and certainty."""
    items = []
    for raw in findings:
        f = summarise_finding(raw, lang)
        cite = escape_html(f["citation"])
        if link_sources and f["source"]:
            cite = f'<a href="/sources/{escape_html(f["source"])}?lang={lang}">{cite}</a>'
        rows = [
            (text_for(lang, "locator"), f["locator"]),
            (text_for(lang, "effect"), f["effect"]),
            (text_for(lang, "certainty"), f["certainty"]),
            (text_for(lang, "why_certainty"), f["certainty_reasons"]),
            ("direction" if lang == "en" else "richting", f["direction"]),
            (text_for(lang, "drivers"), f["drivers"]),
            (text_for(lang, "demographic"), f["demographics"]),
            ("caveats" if lang == "en" else "kanttekeningen", f["caveats"]),
            ("outcome" if lang == "en" else "uitkomst", f["outcome"]),
            ("population" if lang == "en" else "populatie", f["population"]),
            ("note" if lang == "en" else "noot", f["note"]),
            ("added by" if lang == "en" else "toegevoegd door", f["added"]),
        ]
        dl = "".join(
            f"<dt>{escape_html(k)}</dt><dd>{escape_html(v)}</dd>"
            for k, v in rows
            if v not in (None, "")
        )
        href = safe_href(f["verified_from"])
        link = (
            f'<dd><a href="{escape_html(href)}" rel="noopener noreferrer">{escape_html(href)}</a></dd>'
            if href
            else ""
        )
        factor = ""
        if f["factor_label"]:
            factor = f" — {escape_html(f['factor_label'])}"
        items.append(
            f'<li id="{escape_html(f["id"])}" data-finding="{escape_html(f["id"])}"><p><strong>{escape_html(f["id"])}</strong>{factor}: {cite}</p>'
            f"<dl>{dl}{link}</dl></li>"
        )
    return f'<ul class="finding-list">{"".join(items)}</ul>'


def render_findings_section(findings: list[Mapping], lang: str) -> str:
    """Return the "Findings (n)" heading with the list, or a line saying there are none."""
    heading = f"<h2>{escape_html(text_for(lang, 'findings'))} ({len(findings)})</h2>"
    if not findings:
        return heading + f"<p>{escape_html(text_for(lang, 'no_findings'))}</p>"
    return heading + render_finding_list(findings, lang)


def render_factor_page(
    index: Any, *, factor_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render one trigger factor: definition, level, role, constructs, verdicts, findings.

    Parameters
    ----------
    index : EvidenceIndex
        The read model.
    factor_id : str
        Trigger factor id, e.g. ``"detention"``.
    lang : str
        ``"nl"`` or ``"en"``.
    params : Mapping[str, str], optional
        Query parameters (unused; pages share one signature).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    NotFoundError
        Unknown factor id (with close ids as suggestions).
    """
    lang = check_lang(lang)
    factor = index.factor(factor_id, lang)
    label = factor.get("label") or factor_id
    defs = factor.get("definitions") or {}
    definition = (
        defs.get(lang) or defs.get("en") if isinstance(defs, Mapping) else factor.get("definition")
    )
    level = factor.get("level")
    roles = sorted(
        {str(f.get("trigger_role")) for f in factor.get("findings") or [] if f.get("trigger_role")}
    )
    page = factor.get("report_page")
    report = " · ".join(
        str(x)
        for x in (
            factor.get("report_section") and f"§ {factor['report_section']}",
            page and f"p. {page}",
            factor.get("verified") is not None
            and text_for(lang, "verified" if factor.get("verified") else "unverified"),
        )
        if x
    )
    facts = [
        (
            text_for(lang, "level"),
            factor.get("level_label") or LEVEL_LABELS[lang].get(level, level),
        ),
        ("group" if lang == "en" else "groep", factor.get("group_label")),
        (text_for(lang, "definition"), definition),
        (text_for(lang, "role"), ", ".join(roles)),
        ("report (Feddes et al. 2015)" if lang == "en" else "rapport (Feddes e.a. 2015)", report),
        (
            "also called" if lang == "en" else "ook genoemd",
            ", ".join(factor.get("alt_labels") or []),
        ),
    ]
    broader = factor.get("broader")
    narrower = factor.get("narrower") or []
    parts = [f"<h1>{escape_html(label)}</h1>", '<table class="plain">']
    for key, value in facts:
        if value:
            parts.append(
                f'<tr><th scope="row">{escape_html(key)}</th><td>{escape_html(value)}</td></tr>'
            )

    def factor_link(item: object) -> str:
        ident = item.get("id") if isinstance(item, Mapping) else item
        name = item.get("label") if isinstance(item, Mapping) else item
        return (
            f'<a href="/factors/{escape_html(ident)}?lang={lang}">{escape_html(name or ident)}</a>'
        )

    if broader:
        parts.append(
            f'<tr><th scope="row">{escape_html(text_for(lang, "broader"))}</th><td>{factor_link(broader)}</td></tr>'
        )
    if narrower:
        links = ", ".join(factor_link(n) for n in narrower)
        parts.append(
            f'<tr><th scope="row">{escape_html(text_for(lang, "narrower"))}</th><td>{links}</td></tr>'
        )
    related = factor.get("related_constructs") or factor.get("constructs") or []
    if related:
        names = ", ".join(
            f'<a href="/constructs/{escape_html(r.get("id"))}?lang={lang}">'
            f"{escape_html(r.get('label') or r.get('id'))}</a>"
            + (f" ({escape_html(r.get('mapping'))})" if r.get("mapping") else "")
            if isinstance(r, Mapping)
            else escape_html(r)
            for r in related
        )
        parts.append(
            f'<tr><th scope="row">{escape_html(text_for(lang, "related"))}</th><td>{names}</td></tr>'
        )
    parts.append("</table>")

    cells = _flatten_cells(factor.get("cells") or {})
    rows = []
    overall = factor.get("overall")
    if isinstance(overall, Mapping):
        rows.append(
            f'<tr data-column="any"><th scope="row">{escape_html(text_for(lang, "overall"))}</th>'
            f"<td>{_verdict_badge(lang, overall.get('verdict'))}</td>"
            f"<td>{int(overall.get('n_findings') or 0)}</td><td>{escape_html(_explanation(overall, lang))}</td></tr>"
        )
    for group in column_groups(index, lang):
        for column in group["columns"]:
            cell = cells.get(column["id"], {})
            rows.append(
                f'<tr data-column="{escape_html(column["id"])}"><th scope="row">{escape_html(group["label"])}: '
                f"{escape_html(column['label'])}</th><td>{_verdict_badge(lang, cell.get('verdict'))}</td>"
                f"<td>{int(cell.get('n_findings') or 0)}</td><td>{escape_html(_explanation(cell, lang))}</td></tr>"
            )
    parts.append(
        f"<h2>{escape_html(text_for(lang, 'verdicts_per_column'))}</h2>"
        f'<div class="table-wrap"><table class="plain"><thead><tr><th>{escape_html(text_for(lang, "column"))}</th>'
        f"<th>{escape_html(text_for(lang, 'verdict'))}</th><th>{escape_html(text_for(lang, 'n_findings'))}</th>"
        f"<th>{escape_html(text_for(lang, 'explanation'))}</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    parts.append(render_findings_section(factor.get("findings") or [], lang))
    return render_page(title=label, body="".join(parts), lang=lang, path=f"/factors/{factor_id}")


def render_construct_page(
    index: Any, *, construct_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render one related construct: definition, the trigger factors it informs, its findings.

    Parameters
    ----------
    index : EvidenceIndex
        The read model.
    construct_id : str
        Construct id, e.g. ``"perceived_discrimination"``.
    lang : str
        ``"nl"`` or ``"en"``.
    params : Mapping[str, str], optional
        Query parameters (unused; pages share one signature).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    NotFoundError
        Unknown construct id (with close ids as suggestions).
    """
    lang = check_lang(lang)
    construct = index.construct(construct_id, lang)
    label = construct.get("label") or construct_id
    kind = (
        "related construct (not a trigger event)"
        if lang == "en"
        else "verwant construct (geen triggergebeurtenis)"
    )
    parts = [
        f"<h1>{escape_html(label)}</h1>",
        f'<p class="note">{escape_html(kind)}</p>',
        '<table class="plain">',
    ]
    for key, value in (
        (text_for(lang, "level"), construct.get("level_label")),
        (text_for(lang, "definition"), construct.get("definition")),
    ):
        if value:
            parts.append(
                f'<tr><th scope="row">{escape_html(key)}</th><td>{escape_html(value)}</td></tr>'
            )
    maps_to = construct.get("maps_to") or []
    informs = (
        "counts, as indirect evidence, for"
        if lang == "en"
        else "telt, als indirect bewijs, mee voor"
    )
    if maps_to:
        links = ", ".join(
            f'<a href="/factors/{escape_html(m["id"])}?lang={lang}">{escape_html(m["label"])}</a>'
            f" ({escape_html(m.get('mapping'))})"
            for m in maps_to
        )
    else:
        links = escape_html(
            "no trigger factor: its findings count for no cell of the map"
            if lang == "en"
            else "geen triggerfactor: de bevindingen tellen voor geen enkele cel van de kaart"
        )
    parts.append(f'<tr><th scope="row">{escape_html(informs)}</th><td>{links}</td></tr></table>')
    parts.append(render_findings_section(construct.get("findings") or [], lang))
    return render_page(
        title=label, body="".join(parts), lang=lang, path=f"/constructs/{construct_id}"
    )


def render_source_page(
    index: Any, *, source_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render one source: bibliographic record, flags, overlaps, context notes and findings.

    Parameters
    ----------
    index : EvidenceIndex
        The read model.
    source_id : str
        Source id, e.g. ``"jasko17"``.
    lang : str
        ``"nl"`` or ``"en"``.
    params : Mapping[str, str], optional
        Query parameters (unused; pages share one signature).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    NotFoundError
        Unknown source id (with close ids as suggestions).
    """
    lang = check_lang(lang)
    source = index.source(source_id)
    title = source.get("title") or source_id
    authors = source.get("authors") or []
    record = [
        ("authors" if lang == "en" else "auteurs", "; ".join(str(a) for a in authors)),
        ("year" if lang == "en" else "jaar", source.get("year")),
        ("venue" if lang == "en" else "vindplaats", source.get("venue")),
        ("type", source.get("type")),
        ("design" if lang == "en" else "opzet", source.get("design")),
        ("study design" if lang == "en" else "onderzoeksopzet", source.get("study_design")),
        ("DOI", source.get("doi")),
        (text_for(lang, "flags"), ", ".join(source.get("citation_flags") or [])),
        ("citation note" if lang == "en" else "citatienoot", source.get("citation_note")),
        (text_for(lang, "overlaps"), ", ".join(source.get("overlaps_with") or [])),
        ("added by" if lang == "en" else "toegevoegd door", source.get("added_by")),
        ("added on" if lang == "en" else "toegevoegd op", source.get("added_on")),
    ]
    rows = "".join(
        f'<tr><th scope="row">{escape_html(k)}</th><td>{escape_html(v)}</td></tr>'
        for k, v in record
        if v not in (None, "")
    )
    href = safe_href(source.get("url"))
    if href:
        rows += f'<tr><th scope="row">URL</th><td><a href="{escape_html(href)}" rel="noopener noreferrer">{escape_html(href)}</a></td></tr>'
    elif source.get("url"):
        rows += f'<tr><th scope="row">URL</th><td>{escape_html(source.get("url"))}</td></tr>'
    parts = [f"<h1>{escape_html(title)}</h1>"]
    if source.get("citation"):
        parts.append(f'<p class="citation">{escape_html(source["citation"])}</p>')
    parts.append(f'<table class="plain">{rows}</table>')
    notes = source.get("context_notes") or []
    if notes:
        items = "".join(
            f"<li>{escape_html(n.get('text'))} <small>{escape_html(n.get('locator'))}</small></li>"
            for n in notes
            if isinstance(n, Mapping)
        )
        parts.append(f"<h2>{escape_html(text_for(lang, 'context_notes'))}</h2><ul>{items}</ul>")
    cites = source.get("cites") or []
    if cites:
        items = "".join(
            "<li>"
            + escape_html(
                " ".join(
                    str(x)
                    for x in (
                        c.get("first_author"),
                        c.get("co_authors"),
                        f"({c.get('year')})" if c.get("year") else None,
                        c.get("note"),
                    )
                    if x
                )
            )
            + (f" <small>{escape_html(c.get('locator'))}</small>" if c.get("locator") else "")
            + "</li>"
            for c in cites
            if isinstance(c, Mapping)
        )
        parts.append(f"<h2>{escape_html(text_for(lang, 'cites'))}</h2><ul>{items}</ul>")
    findings = source.get("findings") or []
    full = []
    for item in findings:
        fid = item.get("id") if isinstance(item, Mapping) else item
        full.append(index.finding(fid, lang))
    parts.append(f"<h2>{escape_html(text_for(lang, 'findings'))} ({len(full)})</h2>")
    parts.append(render_finding_list(full, lang, link_sources=False))
    return render_page(
        title=str(title), body="".join(parts), lang=lang, path=f"/sources/{source_id}"
    )


PROFILE_FIELDS = ("driver", "sex", "age", "education")


def read_profile_params(index: Any, params: Mapping[str, str] | None, lang: str) -> dict:
    """Check the profile lens parameters against the drivers and demographic values."""
    params = params or {}
    groups = {g["id"]: [c["id"] for c in g["columns"]] for g in column_groups(index, lang)}
    return {
        name: check_choice(name, params.get(name), groups.get(name, [])) for name in PROFILE_FIELDS
    }


def render_profile_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render the profile lens: choose driver/sex/age/education, see factors ranked by evidence.

    The notice that population-level evidence predicts no individual is always shown.

    Parameters
    ----------
    index : EvidenceIndex
        The read model.
    lang : str
        ``"nl"`` or ``"en"``.
    params : Mapping[str, str], optional
        Any of ``driver``, ``sex``, ``age``, ``education`` (value ids); none gives the form only.

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    EntryError
        A parameter names a value that does not exist (with close ids as suggestions).
    """
    lang = check_lang(lang)
    chosen = read_profile_params(index, params, lang)
    groups = column_groups(index, lang)
    selects = []
    for group in groups:
        name = group["id"]
        options = [("", text_for(lang, "any"))] + [(c["id"], c["label"]) for c in group["columns"]]
        label = text_for(lang, "driver") if name == "driver" else group["label"]
        selects.append(
            f'<label>{escape_html(label)} <select name="{escape_html(name)}">'
            f"{render_options(options, chosen.get(name))}</select></label>"
        )
    notice = PROFILE_NOTICE
    result = ""
    if any(chosen.values()):
        profile = index.profile(ProfileQuery(lang=lang, **{k: v for k, v in chosen.items() if v}))
        notice = profile.get("notice") or PROFILE_NOTICE
        items = profile.get("items") or profile.get("factors") or profile.get("ranking") or []
        lis = []
        for item in items:
            factor = item.get("factor")
            if isinstance(factor, Mapping):
                fid, label = factor.get("id"), factor.get("label") or factor.get("id")
            else:
                fid, label = factor or item.get("id"), item.get("label") or factor or item.get("id")
            cell = item.get("cell") if isinstance(item.get("cell"), Mapping) else item
            lis.append(
                f'<li data-factor="{escape_html(fid)}" data-verdict="{escape_html(cell.get("verdict"))}">'
                f"{_verdict_badge(lang, cell.get('verdict'))}"
                f'<a href="/factors/{escape_html(fid)}?lang={lang}">{escape_html(label)}</a>'
                f" <small>({escape_html(text_for(lang, 'n_findings'))}: {int(cell.get('n_findings') or 0)})</small>"
                f'<br><span class="explanation">{escape_html(_explanation(cell, lang))}</span></li>'
            )
        result = f'<ol class="ranking" id="ranking">{"".join(lis)}</ol>'
    else:
        result = f'<p class="note" id="choose-one">{escape_html(text_for(lang, "choose_one"))}</p>'
    notice_text = (
        notice.get(lang) or notice.get("en") if isinstance(notice, Mapping) else str(notice)
    )
    body = (
        f"<h1>{escape_html(text_for(lang, 'profile_title'))}</h1>"
        f'<div class="notice" role="note" id="notice"><strong>{escape_html(text_for(lang, "notice_title"))}</strong>'
        f"{escape_html(notice_text)}</div>"
        f'<p class="intro">{escape_html(text_for(lang, "profile_intro"))}</p>'
        f'<form class="filters" method="get" action="/profile"><input type="hidden" name="lang" value="{lang}">'
        f'{"".join(selects)}<button type="submit">{escape_html(text_for(lang, "show"))}</button></form>'
        f"{result}"
    )
    return render_page(
        title=text_for(lang, "profile_title"),
        body=body,
        lang=lang,
        path="/profile",
        params={k: v for k, v in chosen.items() if v},
        scripts=["profile.js"],
    )


def render_error_page(error: TriggergraphError, *, lang: str = "en", path: str = "/") -> str:
    """Render a 404 (unknown id, with suggestions) or 400 (bad parameter) page, all escaped.

    Parameters
    ----------
    error : TriggergraphError
        A :class:`NotFoundError` or :class:`EntryError` raised while rendering a page.
    lang : str
        ``"nl"`` or ``"en"``.
    path : str
        The requested path (for the language switch).

    Returns
    -------
    str

    Examples
    --------
    >>> page = render_error_page(NotFoundError("factor", "<b>", ["detention"]))
    >>> "&lt;b&gt;" in page and "/factors/detention?lang=en" in page
    True
    """
    lang = lang if lang in ("nl", "en") else "en"
    if isinstance(error, NotFoundError):
        title = text_for(lang, "not_found")
        message = str(error)
        base = {"factor": "/factors/", "source": "/sources/"}.get(error.kind, "")
        if base:
            links = "".join(
                f'<li><a href="{escape_html(build_url(base + s, {"lang": lang}))}">{escape_html(s)}</a></li>'
                for s in error.suggestions
            )
        else:
            links = "".join(f"<li>{escape_html(s)}</li>" for s in error.suggestions)
        extra = (
            f'<h2>{escape_html(text_for(lang, "did_you_mean"))}</h2><ul class="suggestions">{links}</ul>'
            if error.suggestions
            else ""
        )
    elif isinstance(error, EntryError):
        title = text_for(lang, "bad_request")
        message = ""
        extra = (
            "<ul>"
            + "".join(f"<li>{escape_html(_problem_text(p, lang))}</li>" for p in error.problems)
            + "</ul>"
        )
    else:
        title = text_for(lang, "bad_request")
        message = str(error)
        extra = ""
    body = f'<h1>{escape_html(title)}</h1><p class="error">{escape_html(message)}</p>{extra}'
    return render_page(title=title, body=body, lang=lang, path=path)


def _problem_text(problem, lang: str) -> str:
    text = f"{problem.field}: {problem.message}" if problem.field else problem.message
    if problem.suggestions:
        text += (
            f"; {text_for(lang, 'did_you_mean').lower()} "
            + " / ".join(repr(s) for s in problem.suggestions)
            + "?"
        )
    return text


def status_for(error: TriggergraphError) -> int:
    """HTTP status of a page error: 404 for unknown ids, 400 for bad parameters.

    Examples
    --------
    >>> status_for(NotFoundError("factor", "x")), status_for(EntryError([]))
    (404, 400)
    """
    return 404 if isinstance(error, NotFoundError) else 400
