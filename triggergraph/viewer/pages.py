"""The frame pages: rendering a view model, entry links, the about page and the error page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answers.base import Ref
from ..exceptions import EntryError, NotFoundError, TriggergraphError
from .common import (
    check_lang,
    page_frame,
)
from .html import build_url, path_segment
from .i18n import LANGUAGES, translations_for
from .templating import render_template
from .views import (
    AboutPage,
    ErrorPage,
    Link,
    Page,
)


def render_view(page: Page) -> str:
    """Render a page view model with its template, in its language."""
    return render_template(page.template, page.lang, view=page)


def entry_link(kind: str, item: Ref | str, lang: str) -> Link:
    """A link to the page of a factor, source or construct (``kind`` is its path part)."""
    ident = item if isinstance(item, str) else item.id
    name = item if isinstance(item, str) else item.label
    return Link(
        href=build_url(f"/{kind}/{path_segment(ident)}", {"lang": lang}), text=str(name or ident)
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
            entry_link(base, s, lang) if base else Link(href="", text=str(s))
            for s in error.suggestions
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
