"""The curation pages: sign-in with the write token, and the entry form with its vocabulary options."""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .common import check_lang

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

#: scale schemes offered as drop-downs, by the entry field they fill
SCALE_FIELDS: dict[str, str] = {
    "type": "source-type",
    "study_design": "study-design",
    "direction": "direction",
    "certainty": "certainty",
    "outcome_stages": "outcome-stage",
}


@lru_cache(maxsize=2)
def _environment(lang: str) -> Environment:
    # Autoescaped and gettext-ready like the other pages; UI strings are marked with _() so the
    # message catalogue can translate them (English until a catalogue supplies them).
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(gettext.NullTranslations(), newstyle=True)
    return env


def _options(vocabulary: Vocabulary, scheme: str, lang: str) -> list[dict[str, str]]:
    values = sorted(vocabulary.scales[scheme].values(), key=lambda c: (c.rank or 0, c.id))
    return [{"id": c.id, "label": c.label(lang)} for c in values]


def build_curate_page(vocabulary: Vocabulary, *, lang: str, csrf: str) -> dict[str, Any]:
    """The entry form's view model: choices for every controlled field, labelled in ``lang``."""
    lang = check_lang(lang)
    return {
        "lang": lang,
        "csrf": csrf,
        "scales": {
            field: _options(vocabulary, scheme, lang) for field, scheme in SCALE_FIELDS.items()
        },
        "drivers": [{"id": c.id, "label": c.label(lang)} for c in vocabulary.ordered("driver")],
        "dimensions": [
            {
                "id": d.id,
                "label": d.label(lang),
                "values": [
                    {"id": v.id, "label": v.label(lang)} for v in vocabulary.values_of(d.id)
                ],
            }
            for d in vocabulary.ordered("dimension")
        ],
    }


def render_curate_page(vocabulary: Vocabulary, *, lang: str, csrf: str) -> str:
    """The entry form (for a signed-in curator)."""
    view = build_curate_page(vocabulary, lang=lang, csrf=csrf)
    return _environment(view["lang"]).get_template("curate.html").render(view=view)


def render_login_page(*, lang: str, error: str | None = None, writes_enabled: bool = True) -> str:
    """The sign-in form: the write token goes into a same-site, HTTP-only session cookie.

    ``error`` is ``None`` or ``"wrong_token"`` (the template words it).
    """
    lang = lang if lang in ("nl", "en") else "en"
    view = {"lang": lang, "error": error, "writes_enabled": writes_enabled}
    return _environment(lang).get_template("curate_login.html").render(view=view)
