"""The curation pages: sign-in, the entry form (new, edit, blind second coding) and reconcile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .common import check_lang, page_frame
from .entry_form import ENUM_LABELS, LABELS, FormNode, form_tree
from .i18n import N_, translate, translations_for
from .pages import render_view
from .views import Page

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary

#: What the entry form does in each mode: new source, edit of one, second coder's blind pass.
MODES = ("new", "edit", "code")
_HEADINGS = {
    "new": N_("Add a source"),
    "edit": N_("Edit a source"),
    "code": N_("Code a source as second coder"),
}
#: Why the sign-in page is shown: no session yet, a wrong token, or a session that ended.
LOGIN_ERRORS = ("wrong_token", "expired")


@dataclass(kw_only=True)
class CuratePage(Page):
    """The entry form: its mode, the source it opened, the revision it was opened at, the
    session's CSRF token, the fields generated from the schema, and the entry to fill in."""

    csrf: str
    mode: str = "new"
    source_id: str = ""
    revision: str = ""
    fields: list[FormNode]
    initial: dict[str, Any] | None = None
    template: str = "curate.html"


@dataclass(kw_only=True)
class AgreementRow:
    """Agreement on one compared field: label, paired findings, agreed, percent, kappa."""

    label: str
    n: int
    agreed: int
    percent: str
    kappa: str


@dataclass(kw_only=True)
class DifferenceRow:
    """One difference to reconcile: its pick key, where it is, and both coders' values."""

    key: str
    where: str
    field: str
    value_a: str
    value_b: str


@dataclass(kw_only=True)
class ReconcilePage(Page):
    """Both codings compared, with a pick per difference and the publish button."""

    csrf: str
    source_id: str
    revision: str
    coder_a: str
    coder_b: str
    agreement: list[AgreementRow]
    differences: list[DifferenceRow]
    template: str = "curate_reconcile.html"


@dataclass(kw_only=True)
class CurateLoginPage(Page):
    """The sign-in form; ``error`` is ``None`` or one of :data:`LOGIN_ERRORS`."""

    error: str | None = None
    writes_enabled: bool = True
    next: str = "/curate"
    template: str = "curate_login.html"
    scripts: list[str] = field(default_factory=list)


def build_curate_page(
    vocabulary: Vocabulary,
    *,
    lang: str,
    csrf: str,
    mode: str = "new",
    source_id: str = "",
    loaded: dict[str, Any] | None = None,
) -> CuratePage:
    """The entry form's view model; ``loaded`` is ``{entry, revision}`` for edit and code."""
    lang = check_lang(lang)
    if mode not in MODES:
        raise ValueError(f"{mode!r} is not a form mode; valid: {', '.join(MODES)}")
    path = "/curate" if mode == "new" else f"/curate/{mode}/{source_id}"
    return CuratePage(
        **page_frame(lang, translate(lang, _HEADINGS[mode]), path, scripts=["curate.js"]),
        csrf=csrf,
        mode=mode,
        source_id=source_id,
        revision=(loaded or {}).get("revision", ""),
        fields=form_tree(vocabulary, lang),
        initial=(loaded or {}).get("entry"),
    )


def render_curate_page(vocabulary: Vocabulary, **kwargs: Any) -> str:
    """The entry form (for a signed-in curator); arguments as for :func:`build_curate_page`."""
    return render_view(build_curate_page(vocabulary, **kwargs))


def _figure(value: float | None, digits: int, suffix: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{suffix}"


def value_label(vocabulary: Vocabulary, field_name: str, value: str | None, lang: str) -> str:
    """A coder's value of a compared field in words (labels from the vocabulary)."""
    if value is None:
        return translate(lang, N_("(not coded)"))
    if value == "(none)":
        return translate(lang, N_("none"))

    def one(part: str) -> str:
        ident, _, basis = part.partition(":")
        for kind in ("factor", "construct", "driver", "demographic"):
            concept = vocabulary.concepts.get(kind, {}).get(ident)
            if concept is not None:
                break
        else:
            concept = next((s[ident] for s in vocabulary.scales.values() if ident in s), None)
        text = concept.label(lang) if concept is not None else part
        if field_name == "certainty":
            text = f"{ident} · {text}"
        if basis:
            text += f" ({translate(lang, ENUM_LABELS.get(basis, basis))})"
        return text

    if field_name == "finding":
        return value
    return ", ".join(one(p) for p in value.split(", "))


def build_reconcile_page(
    vocabulary: Vocabulary, agreement: dict[str, Any], *, lang: str, csrf: str
) -> ReconcilePage:
    """The reconcile page's view model from :meth:`EvidenceService.source_agreement`."""
    lang = check_lang(lang)
    _ = translations_for(lang).gettext
    source_id = agreement["source_id"]

    def label(name: str) -> str:
        return _("Finding kept") if name == "finding" else translate(lang, LABELS[name])

    return ReconcilePage(
        **page_frame(
            lang,
            _("Reconcile two codings"),
            f"/curate/reconcile/{source_id}",
            scripts=["curate.js"],
        ),
        csrf=csrf,
        source_id=source_id,
        revision=agreement["revision"],
        coder_a=agreement["coder_a"],
        coder_b=agreement["coder_b"],
        agreement=[
            AgreementRow(
                label=label(f["field"]),
                n=f["n"],
                agreed=f["agreed"],
                percent=_figure(f["percent"], 0, " %"),
                kappa=_figure(f["kappa"], 2),
            )
            for f in agreement["fields"]
        ],
        differences=[
            DifferenceRow(
                key=d["key"],
                where=" / ".join(x for x in (d["finding_a"], d["finding_b"]) if x),
                field=label(d["field"]),
                value_a=value_label(vocabulary, d["field"], d["value_a"], lang),
                value_b=value_label(vocabulary, d["field"], d["value_b"], lang),
            )
            for d in agreement["differences"]
        ],
    )


def render_reconcile_page(vocabulary: Vocabulary, agreement: dict[str, Any], **kwargs: Any) -> str:
    """The reconcile page (for a signed-in curator)."""
    return render_view(build_reconcile_page(vocabulary, agreement, **kwargs))


def render_login_page(
    *, lang: str, error: str | None = None, writes_enabled: bool = True, next: str = "/curate"
) -> str:
    """The sign-in form: the write token goes into a same-site, HTTP-only session cookie;
    ``next`` is the curation page to return to."""
    lang = lang if lang in ("nl", "en") else "en"
    title = translations_for(lang).gettext("Sign in")
    page = CurateLoginPage(
        **page_frame(lang, title, "/curate"),
        error=error,
        writes_enabled=writes_enabled,
        next=next,
    )
    return render_view(page)
