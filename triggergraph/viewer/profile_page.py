"""The profile lens page: factors for a driver and groups combined with AND, each choice on its own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..answers.builders import (
    build_profile,
)
from ..answers.profile import RankedFactor as RankedAnswer
from ..answers.queries import ProfileQuery
from .common import (
    check_choice,
    check_lang,
    column_groups,
    make_select,
    page_frame,
)
from .factor_page import explanation_of, verdict_badge
from .i18n import translations_for
from .pages import entry_link, render_view
from .views import (
    ChoiceRanking,
    ProfilePage,
    RankedFactor,
)

PROFILE_FIELDS = ("driver", "sex", "age", "education")


def read_profile_params(index: Any, params: Mapping[str, str] | None, lang: str) -> dict:
    """Check the profile lens parameters against the drivers and demographic values."""
    params = params or {}
    groups = {g["id"]: [c["id"] for c in g["columns"]] for g in column_groups(index, lang)}
    return {
        name: check_choice(name, params.get(name), groups.get(name, [])) for name in PROFILE_FIELDS
    }


def _ranked(items: list[RankedAnswer], lang: str) -> list[RankedFactor]:
    return [
        RankedFactor(
            id=item.factor.id,
            label=item.factor.label or item.factor.id,
            href=entry_link("factors", item.factor, lang).href,
            badge=verdict_badge(lang, item.cell),
            n_findings=item.cell.n_findings,
            explanation=explanation_of(item.cell, lang),
        )
        for item in items
    ]


def build_profile_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> ProfilePage:
    """Return the profile lens' view model: the choices and the factors ranked for them.

    Raises
    ------
    EntryError
        A parameter names a value that does not exist (with close ids as suggestions).
    """
    lang = check_lang(lang)
    _ = translations_for(lang).gettext
    chosen = read_profile_params(index, params, lang)
    selects = [
        make_select(
            group["id"],
            _("Driver") if group["id"] == "driver" else group["label"],
            [("", _("any"))] + [(c["id"], c["label"]) for c in group["columns"]],
            chosen.get(group["id"]),
        )
        for group in column_groups(index, lang)
    ]
    notice = ""
    ranking: list[RankedFactor] = []
    per_choice: list[ChoiceRanking] = []
    choices: list[str] = []
    if any(chosen.values()):
        query = ProfileQuery(lang=lang, **{k: v for k, v in chosen.items() if v})
        profile = build_profile(index, query)
        notice = profile.notice.get(lang) or profile.notice.get("en") or ""
        choices = [ref.label or ref.id for ref in profile.profile.values()]
        ranking = _ranked(profile.items, lang)
        per_choice = [
            ChoiceRanking(
                label=part.column.label or part.column.id, ranking=_ranked(part.items, lang)
            )
            for part in profile.per_choice.values()
        ]
    return ProfilePage(
        **page_frame(
            lang,
            _("Profile"),
            "/profile",
            {k: v for k, v in chosen.items() if v},
            scripts=["profile.js"],
        ),
        filters=selects,
        chosen=any(chosen.values()),
        notice_extra=notice,
        choices=choices,
        ranking=ranking,
        per_choice=per_choice,
    )


def render_profile_page(
    index: Any, *, lang: str = "en", params: Mapping[str, str] | None = None
) -> str:
    """Render the profile lens (see :func:`build_profile_page`)."""
    return render_view(build_profile_page(index, lang=lang, params=params))
