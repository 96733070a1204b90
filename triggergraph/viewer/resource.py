"""The HTML page of any IRI under the base that has no page of its own (scale values, graphs, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .html import escape_html, render_page, safe_href, text_for

if TYPE_CHECKING:
    from ..service.linked_data import ResourceView


def _link(iri: str, base: str) -> str:
    """A link to ``iri``: a path on this server for IRIs under the base, else the IRI itself."""
    href = "/" + iri[len(base) :] if iri.startswith(base) else safe_href(iri)
    text = escape_html(iri)
    return f'<a href="{escape_html(href)}">{text}</a>' if href else text


def render_resource_page(view: ResourceView, base: str, *, lang: str = "en", path: str) -> str:
    """Render the statements about one IRI, every value escaped.

    Parameters
    ----------
    view : ResourceView
        The IRI, its label and statements (:meth:`EvidenceService.resource_view`).
    base : str
        The base IRI; IRIs under it link to this server.
    lang : str
        ``"nl"`` or ``"en"``.
    path : str
        The page's path (for the language switch).

    Examples
    --------
    >>> from triggergraph.service.linked_data import ResourceView
    >>> view = ResourceView("http://x/scale/c/A", "<A>", [("http://p", "v<", False)])
    >>> page = render_resource_page(view, "http://x/", path="/scale/c/A")
    >>> "&lt;A&gt;" in page and "v&lt;" in page and 'href="/scale/c/A' in page
    True
    """
    lang = lang if lang in ("nl", "en") else "en"
    rows = "".join(
        f'<tr><th scope="row">{_link(p, base)}</th><td>'
        f"{_link(o, base) if is_iri else escape_html(o)}</td></tr>"
        for p, o, is_iri in view.statements
    )
    incoming = "".join(
        f"<tr><td>{_link(s, base)}</td><td>{_link(p, base)}</td></tr>" for s, p in view.incoming
    )
    body = (
        f"<h1>{escape_html(view.label or view.iri)}</h1><p><code>{escape_html(view.iri)}</code></p>"
    )
    if rows:
        body += f"<h2>{escape_html(text_for(lang, 'resource_about'))}</h2><table>{rows}</table>"
    if incoming:
        body += (
            f"<h2>{escape_html(text_for(lang, 'resource_incoming'))}</h2><table>{incoming}</table>"
        )
    if view.truncated:
        body += f"<p>{escape_html(text_for(lang, 'resource_truncated'))}</p>"
    body += f"<p>{escape_html(text_for(lang, 'resource_formats'))}</p>"
    return render_page(title=view.label or view.iri, body=body, lang=lang, path=path)
