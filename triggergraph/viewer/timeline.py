"""The factor page's per-cell history in words: "limited since release 1.1 of 2026-12-04; was: no evidence"."""

from __future__ import annotations

from ..answers import CellHistory, FactorAnswer, ReleaseRef
from ..timeline import ReleaseLog, factor_history
from .i18n import translations_for
from .labels import label_verdict


def _release(lang: str, ref: ReleaseRef) -> str:
    _ = translations_for(lang).gettext
    if ref.issued:
        return _("release %(version)s of %(date)s") % {"version": ref.version, "date": ref.issued}
    return _("release %(version)s") % {"version": ref.version}


def cell_history_text(lang: str, cell: CellHistory) -> str:
    """One cell's history in ``lang``.

    Examples
    --------
    >>> from triggergraph.answers import VerdictSpan
    >>> first = VerdictSpan(verdict="no_evidence", since=ReleaseRef(version="1.0", issued=None))
    >>> since = ReleaseRef(version="1.1", issued="2026-12-04")
    >>> cell = CellHistory(column="any", column_label="any", verdict="limited",
    ...     released_verdict="limited", unreleased_change=False,
    ...     spans=[first, VerdictSpan(verdict="limited", since=since)])
    >>> cell_history_text("nl", cell)
    'beperkt sinds versie 1.1 van 2026-12-04; was: geen bewijs'
    """
    _ = translations_for(lang).gettext
    if not cell.spans:
        return ""
    last = cell.spans[-1]
    words = {"verdict": label_verdict(lang, last.verdict), "release": _release(lang, last.since)}
    if len(cell.spans) > 1:
        words["previous"] = label_verdict(lang, cell.spans[-2].verdict)
        text = _("%(verdict)s since %(release)s; was: %(previous)s") % words
    else:
        text = _("%(verdict)s since %(release)s") % words
    if cell.unreleased_change:
        text += " · " + _("changed since, not yet in a release")
    return text


def factor_history_texts(
    factor: FactorAnswer, log: ReleaseLog | None, lang: str
) -> tuple[str, dict[str, str]]:
    """The page's note on releases and each cell's history text, by column id.

    The note is empty once a release exists; before that it says the history starts there.
    """
    _ = translations_for(lang).gettext
    history = factor_history(factor, log or ReleaseLog(), lang)
    if not history.releases:
        note = _(
            "No release has been made yet: the history of each verdict starts at the first release."
        )
        return note, {}
    return "", {cell.column: cell_history_text(lang, cell) for cell in history.cells}
