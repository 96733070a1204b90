"""The HTML page of any IRI under the base that has no page of its own (scale values, graphs, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .common import check_lang, page_frame
from .html import safe_href
from .i18n import translations_for
from .pages import render_view
from .views import Link, Page

if TYPE_CHECKING:
    from ..service.linked_data import ResourceView


@dataclass(kw_only=True)
class ResourceRow:
    """One statement: a property and a value, each a link when it is an IRI."""

    property: Link
    value: Link | None = None
    text: str = ""


@dataclass(kw_only=True)
class ResourcePage(Page):
    """The statements about one IRI and the statements that point at it."""

    iri: str
    rows: list[ResourceRow] = field(default_factory=list)
    incoming: list[tuple[Link, Link]] = field(default_factory=list)
    truncated: bool = False
    template: str = "resource.html"


def _link(iri: str, base: str) -> Link:
    """A link to ``iri``: a path on this server for IRIs under the base, else the IRI itself."""
    href = "/" + iri[len(base) :] if iri.startswith(base) else (safe_href(iri) or "")
    return Link(href=href, text=iri)


def build_resource_page(
    view: ResourceView, base: str, *, lang: str = "en", path: str
) -> ResourcePage:
    """Return the view model of the page of one IRI (values are escaped by the template)."""
    lang = check_lang(lang) if lang in ("nl", "en") else "en"
    rows = [
        ResourceRow(property=_link(p, base), value=_link(o, base))
        if is_iri
        else ResourceRow(property=_link(p, base), text=o)
        for p, o, is_iri in view.statements
    ]
    incoming = [(_link(s, base), _link(p, base)) for s, p in view.incoming]
    title = view.label or view.iri or translations_for(lang).gettext("Resource")
    return ResourcePage(
        **page_frame(lang, title, path),
        iri=view.iri,
        rows=rows,
        incoming=incoming,
        truncated=view.truncated,
    )


def render_resource_page(view: ResourceView, base: str, *, lang: str = "en", path: str) -> str:
    """Render the statements about one IRI, every value escaped.

    Examples
    --------
    >>> from triggergraph.service.linked_data import ResourceView
    >>> view = ResourceView("http://x/scale/c/A", "<A>", [("http://p", "v<", False)])
    >>> page = render_resource_page(view, "http://x/", path="/scale/c/A")
    >>> "&lt;A&gt;" in page and "v&lt;" in page and 'href="/scale/c/A' in page
    True
    """
    return render_view(build_resource_page(view, base, lang=lang, path=path))
