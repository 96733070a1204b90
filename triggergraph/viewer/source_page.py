"""The source page: one literature source, its citation, links (DOI first) and findings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answers.builders import (
    build_finding,
    build_source,
)
from ..answers.queries import LangQuery
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


def _overlap_link(index: Any, source_id: str, lang: str) -> Link:
    """A link to an overlapping source, named by its first author and year, not its id."""
    link = entry_link("sources", source_id, lang)
    try:
        other = build_source(index, source_id)
    except NotFoundError:
        return link
    authors = [str(a).split(",")[0] for a in other.authors]
    if not authors:
        return link
    who = authors[0]
    if len(authors) == 2:
        who += f" & {authors[1]}"
    elif len(authors) > 2:
        who += " et al."
    year = f" ({other.year})" if other.year else ""
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
            links=[_overlap_link(index, s, lang) for s in source.overlaps_with],
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


def render_source_page(
    index: Any, *, source_id: str, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render one source page (see :func:`build_source_page`)."""
    return render_view(build_source_page(index, source_id=source_id, lang=lang, params=params))
