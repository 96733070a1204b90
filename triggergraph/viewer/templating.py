"""The Jinja2 environment of the viewer: autoescaped templates, catalogues, filters for script data."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .html import dump_script_json
from .i18n import LANGUAGES, translations_for

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def _script_json(data: object) -> Markup:
    # JSON with <, >, & and line separators escaped cannot close or break out of <script>
    return Markup(dump_script_json(data))


def _inline_style(text: str) -> Markup:
    # a stylesheet we ship, inlined for the offline export; "</" cannot end its <style>
    return Markup(text.replace("</", "<\\/"))


def _inline_script(text: str) -> Markup:
    # a script we ship, inlined for the offline export; only "</script" could end the element
    return Markup(re.sub("</(script)", r"<\\/\1", text, flags=re.IGNORECASE))


@lru_cache(maxsize=len(LANGUAGES))
def environment(lang: str) -> Environment:
    """Return the template environment for ``lang``: autoescape on, gettext from its catalogue.

    Templates use ``{% trans %}``, ``_()`` and ``ngettext`` (plural forms come from the
    catalogue, so Dutch never reads "1 bevindingen").

    Examples
    --------
    >>> env = environment("nl")
    >>> env.from_string("{{ x }} {{ _('Evidence map') }}").render(x="<b>")
    '&lt;b&gt; Bewijskaart'
    """
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations_for(lang), newstyle=True)
    env.filters["script_json"] = _script_json
    env.filters["inline_style"] = _inline_style
    env.filters["inline_script"] = _inline_script
    return env


def render_template(name: str, lang: str, **context: object) -> str:
    """Render the template ``name`` in ``lang`` with ``context`` (view models only).

    Examples
    --------
    >>> from triggergraph.exceptions import NotFoundError
    >>> from triggergraph.viewer.pages import build_error_page
    >>> view = build_error_page(NotFoundError("factor", "x"), lang="nl")
    >>> "<h1>Niet gevonden</h1>" in render_template("error.html", "nl", view=view)
    True
    """
    return environment(lang).get_template(name).render(**context)
