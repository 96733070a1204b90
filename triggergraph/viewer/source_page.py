"""The source page: one literature source, its citation, links (DOI first) and findings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exceptions import NotFoundError
from .common import (
    check_lang,
    finding_card,
    label_design,
    page_frame,
)
from .html import doi_href, safe_href
from .i18n import translations_for
from .labels import (
    label_scale,
)
from .pages import entry_link, render_view
from .views import (
    Fact,
    Link,
    NoteItem,
    SourcePage,
)


def _overlap_link(index: Any, source_id: object, lang: str) -> Link:
    """A link to an overlapping source, named by its first author and year, not its id."""
    link = entry_link("sources", source_id, lang)
    try:
        other = index.source(str(source_id))
    except NotFoundError:
        return link
    authors = [str(a).split(",")[0] for a in other.get("authors") or []]
    who = (
        authors[0]
        + (" et al." if len(authors) > 2 else f" & {authors[1]}" if len(authors) == 2 else "")
        if authors
        else str(source_id)
    )
    year = f" ({other['year']})" if other.get("year") else ""
    return Link(href=link.href, text=who + year)


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
            links=[_overlap_link(index, s, lang) for s in source.get("overlaps_with") or []],
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
    # who and when is the citation; what the curators wrote about it is an English note
    cites = [
        NoteItem(
            text=" ".join(
                str(x)
                for x in (
                    c.get("first_author"),
                    c.get("co_authors"),
                    f"({c.get('year')})" if c.get("year") else None,
                )
                if x
            ),
            locator=str(c.get("locator") or ""),
            note=str(c.get("note") or ""),
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


def render_source_page(
    index: Any, *, source_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render one source page (see :func:`build_source_page`)."""
    return render_view(build_source_page(index, source_id=source_id, lang=lang, params=params))
