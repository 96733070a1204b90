"""The curation pages: sign-in with the write token, and the entry form with its vocabulary options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .common import check_lang, page_frame
from .i18n import translations_for
from .pages import render_view
from .views import Option, Page

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary

#: scale schemes offered as drop-downs, by the entry field they fill
SCALE_FIELDS: dict[str, str] = {
    "type": "source-type",
    "study_design": "study-design",
    "direction": "direction",
    "certainty": "certainty",
    "outcome_stages": "outcome-stage",
}


@dataclass(kw_only=True)
class Dimension:
    """A demographic dimension with its values, as checkboxes of a finding."""

    id: str
    label: str
    values: list[Option]


@dataclass(kw_only=True)
class CuratePage(Page):
    """The entry form: the session's CSRF token and the choices of every controlled field."""

    csrf: str
    scales: dict[str, list[Option]]
    drivers: list[Option]
    dimensions: list[Dimension]
    template: str = "curate.html"


@dataclass(kw_only=True)
class CurateLoginPage(Page):
    """The sign-in form; ``error`` is ``None`` or ``"wrong_token"``."""

    error: str | None = None
    writes_enabled: bool = True
    template: str = "curate_login.html"
    scripts: list[str] = field(default_factory=list)


def _options(vocabulary: Vocabulary, scheme: str, lang: str) -> list[Option]:
    values = sorted(vocabulary.scales[scheme].values(), key=lambda c: (c.rank or 0, c.id))
    return [Option(value=c.id, label=c.label(lang)) for c in values]


def build_curate_page(vocabulary: Vocabulary, *, lang: str, csrf: str) -> CuratePage:
    """The entry form's view model: choices for every controlled field, labelled in ``lang``."""
    lang = check_lang(lang)
    title = translations_for(lang).gettext("Add a source")
    return CuratePage(
        **page_frame(lang, title, "/curate", scripts=["curate.js"]),
        csrf=csrf,
        scales={f: _options(vocabulary, scheme, lang) for f, scheme in SCALE_FIELDS.items()},
        drivers=[Option(value=c.id, label=c.label(lang)) for c in vocabulary.ordered("driver")],
        dimensions=[
            Dimension(
                id=d.id,
                label=d.label(lang),
                values=[
                    Option(value=v.id, label=v.label(lang)) for v in vocabulary.values_of(d.id)
                ],
            )
            for d in vocabulary.ordered("dimension")
        ],
    )


def render_curate_page(vocabulary: Vocabulary, *, lang: str, csrf: str) -> str:
    """The entry form (for a signed-in curator)."""
    return render_view(build_curate_page(vocabulary, lang=lang, csrf=csrf))


def render_login_page(*, lang: str, error: str | None = None, writes_enabled: bool = True) -> str:
    """The sign-in form: the write token goes into a same-site, HTTP-only session cookie."""
    lang = lang if lang in ("nl", "en") else "en"
    title = translations_for(lang).gettext("Sign in")
    page = CurateLoginPage(
        **page_frame(lang, title, "/curate"), error=error, writes_enabled=writes_enabled
    )
    return render_view(page)
