"""The explanation of a cell in Dutch and English: one short line per part of the rule that applied."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress
from typing import TYPE_CHECKING

from .certainty import Downgrade
from .counting import INVERTED, ContextFinding, CountedFinding, Tally, column_kind, tally
from .terms import (
    ANY_COLUMN,
    CONTEXT_LABELS,
    DIRECTION_WORDS,
    DOMAIN_LABELS,
    VERDICT_LABELS,
    VOTING_DIRECTIONS,
)

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary

LANGS: tuple[str, ...] = ("en", "nl")
#: Words that are not scale values: the reason an inconsistency was named.
OTHER_REASONS: dict[str, dict[str, str]] = {
    "other_direction": {
        "en": "an independent group reports another direction",
        "nl": "een onafhankelijke groep meldt een andere richting",
    },
    "tied_directions": {
        "en": "independent groups point in different directions, equally strongly",
        "nl": "onafhankelijke groepen wijzen even sterk in verschillende richtingen",
    },
}


def plural(n: int, one: str, many: str) -> str:
    """``1 finding`` / ``2 findings``.

    Examples
    --------
    >>> plural(1, "bevinding", "bevindingen"), plural(3, "bevinding", "bevindingen")
    ('1 bevinding', '3 bevindingen')
    """
    return f"{n} {one if n == 1 else many}"


def column_label(columns: Sequence[str], vocabulary: Vocabulary, lang: str) -> str:
    """The cell's column(s) in words: ``Justice seeker``, ``Male or 18 to 25``."""
    labels = []
    for column in columns:
        kind = column_kind(column, vocabulary)
        if kind == ANY_COLUMN:
            labels.append({"en": "any driver or group", "nl": "alle drijfveren en groepen"}[lang])
        else:
            table = vocabulary.drivers if kind == "driver" else vocabulary.demographics
            labels.append(table[column].label(lang))
    return (" or " if lang == "en" else " of ").join(labels)


def reason_label(reason: str, vocabulary: Vocabulary, lang: str) -> str:
    """A reason id (indirectness, caveat, effect flag or other) in words."""
    for scheme in ("indirectness", "caveat", "effect-flag"):
        concept = vocabulary.scales.get(scheme, {}).get(reason)
        if concept is not None:
            return concept.label(lang)
    return OTHER_REASONS.get(reason, {}).get(lang, reason)


def _ids(items: Sequence[str]) -> str:
    return ", ".join(items)


def _head(verdict: str, certainty: str | None, counts: Tally, lang: str) -> str:
    en = lang == "en"
    name = VERDICT_LABELS[verdict][lang]
    if certainty:
        name += f" ({'certainty' if en else 'zekerheid'} {certainty})"
    letters = ", ".join(counts.letters)
    n_sources, n_groups = counts.n_sources, counts.n_groups
    found = (
        plural(counts.n_findings, "finding", "findings")
        if en
        else plural(counts.n_findings, "bevinding", "bevindingen")
    )
    if en:
        where = (
            ("1 source" if n_sources == 1 else f"{n_sources} independent sources")
            if n_sources == n_groups
            else f"{plural(n_sources, 'source', 'sources')} in "
            f"{plural(n_groups, 'independent group', 'independent groups')} "
            "(sources sharing primary studies count once)"
        )
        return f"{name}: {found} ({letters}) from {where}"
    where = (
        ("1 bron" if n_sources == 1 else f"{n_sources} onafhankelijke bronnen")
        if n_sources == n_groups
        else f"{plural(n_sources, 'bron', 'bronnen')} in "
        f"{plural(n_groups, 'onafhankelijke groep', 'onafhankelijke groepen')} "
        "(bronnen die primaire studies delen tellen één keer)"
    )
    return f"{name}: {found} ({letters}) uit {where}"


def _direction_part(direction: str | None, tied: Sequence[str], counts: Tally, lang: str) -> str:
    en = lang == "en"
    groups = counts.direction_groups
    present = [d for d in VOTING_DIRECTIONS if groups[d]]
    if tied:
        sides = "; ".join(
            f"{DIRECTION_WORDS[d][lang]}: "
            f"{plural(groups[d], 'group', 'groups') if en else plural(groups[d], 'groep', 'groepen')}"
            for d in tied
        )
        return (
            f"tie ({sides}, equally certain): no direction is given"
            if en
            else f"gelijke stand ({sides}, even zeker): er wordt geen richting gegeven"
        )
    if not present:
        return (
            "no single direction (mixed results only)"
            if en
            else "geen eenduidige richting (alleen wisselende resultaten)"
        )
    word = DIRECTION_WORDS[direction or "mixed"][lang]
    if len(present) == 1:
        return f"direction: {word}" if en else f"richting: {word}"
    spread = "; ".join(
        f"{DIRECTION_WORDS[d][lang]}: "
        f"{plural(groups[d], 'group', 'groups') if en else plural(groups[d], 'groep', 'groepen')}"
        for d in present
    )
    return (
        f"directions differ ({spread}); most independent support: {word}"
        if en
        else f"richtingen verschillen ({spread}); meeste onafhankelijke steun: {word}"
    )


def _mixed_part(counts: Tally, lang: str) -> str:
    n_mixed = counts.n_mixed
    if not n_mixed or n_mixed == counts.n_findings:
        return ""
    if lang == "en":
        return "; " + plural(n_mixed, "mixed finding does", "mixed findings do") + " not vote"
    return (
        "; "
        + plural(n_mixed, "wisselende bevinding telt", "wisselende bevindingen tellen")
        + (" niet mee voor de richting")
    )


def _inverted_line(
    factor_label: str, inverted: Sequence[CountedFinding], findings_factor: dict, vocabulary, lang
) -> str | None:
    if not inverted:
        return None
    parts = []
    for construct_id in sorted({findings_factor.get(c.id, "") for c in inverted}):
        construct = vocabulary.constructs.get(construct_id)
        label = construct.label(lang) if construct else construct_id
        ids = _ids([c.id for c in inverted if findings_factor.get(c.id) == construct_id])
        parts.append(
            f"{label} is the opposite of {factor_label.lower()} ({ids})"
            if lang == "en"
            else f"{label.lower()} is de tegenhanger van {factor_label.lower()} ({ids})"
        )
    lead = "Counted inverted: " if lang == "en" else "Omgekeerd geteld: "
    return lead + "; ".join(parts) + "."


def _downgrade_line(
    downgrades: Sequence[Downgrade], vocabulary: Vocabulary, lang: str
) -> str | None:
    if not downgrades:
        return None
    en = lang == "en"
    parts = []
    for item in downgrades:
        reasons = "; ".join(reason_label(r, vocabulary, lang) for r in item.reasons)
        if item.levels:
            by = (
                plural(item.levels, "level", "levels")
                if en
                else plural(item.levels, "niveau", "niveaus")
            )
        else:
            by = "already at the lowest level" if en else "al op het laagste niveau"
        parts.append(f"{DOMAIN_LABELS[item.domain][lang]}, {by} ({reasons}: {_ids(item.findings)})")
    return ("Rated down: " if en else "Lager gewaardeerd: ") + "; ".join(parts) + "."


def _context_line(context: Sequence[ContextFinding], lang: str) -> str | None:
    if not context:
        return None
    whys = []
    for why in sorted({c.why for c in context}):
        ids = _ids([c.id for c in context if c.why == why])
        whys.append(f"{ids} {CONTEXT_LABELS[why][lang]}")
    lead = (
        "Not counted, shown as context: "
        if lang == "en"
        else "Niet meegeteld, getoond als context: "
    )
    return lead + "; ".join(whys) + "."


def explain_cell(
    factor_id: str,
    columns: Sequence[str],
    verdict: str,
    direction: str | None,
    counted: Sequence[CountedFinding],
    vocabulary: Vocabulary,
    *,
    certainty: str | None = None,
    tied: Sequence[str] = (),
    downgrades: Sequence[Downgrade] = (),
    context: Sequence[ContextFinding] = (),
    findings_factor: dict[str, str] | None = None,
    counts: Tally | None = None,
) -> dict[str, str]:
    """Return the explanation of a cell per language, one line per part (``\\n`` between).

    The first line gives the verdict, the certainty of the body of evidence, the counts and
    the direction; then, where they apply, the findings counted inverted, the GRADE domains
    that rated the cell down and the findings shown as context instead of counted.
    ``counts`` is :func:`~triggergraph.verdict.counting.tally` of ``counted``, when the caller
    has it already.
    """
    factor = vocabulary.factors.get(factor_id)
    if counts is None:
        counts = tally(counted)
    inverted = list(compress(counted, map(INVERTED, counted)))
    out: dict[str, str] = {}
    for lang in LANGS:
        factor_label = factor.label(lang) if factor is not None else factor_id
        if verdict == "no_evidence":
            lines = [_no_evidence(factor_label, columns, vocabulary, lang)]
        else:
            lines = [
                _head(verdict, certainty, counts, lang)
                + ", "
                + _direction_part(direction, tied, counts, lang)
                + _mixed_part(counts, lang)
                + "."
            ]
            lines.append(
                _inverted_line(factor_label, inverted, findings_factor or {}, vocabulary, lang)
            )
            lines.append(_downgrade_line(downgrades, vocabulary, lang))
        lines.append(_context_line(context, lang))
        out[lang] = "\n".join(line for line in lines if line)
    return out


def _no_evidence(
    factor_label: str, columns: Sequence[str], vocabulary: Vocabulary, lang: str
) -> str:
    name = VERDICT_LABELS["no_evidence"][lang]
    if list(columns) == [ANY_COLUMN]:
        return (
            f"{name}: no finding in the knowledge base is about '{factor_label}'; that is not "
            "the same as evidence that it plays no role."
            if lang == "en"
            else f"{name}: geen bevinding in de kennisbank gaat over '{factor_label}'; dat is "
            "niet hetzelfde als bewijs dat de factor geen rol speelt."
        )
    label = column_label(columns, vocabulary, lang)
    return (
        f"{name}: no finding in the knowledge base links '{factor_label}' to '{label}'; "
        "that is not the same as evidence of no link."
        if lang == "en"
        else f"{name}: geen bevinding in de kennisbank verbindt '{factor_label}' met "
        f"'{label}'; dat is niet hetzelfde als bewijs dat er geen verband is."
    )


def cell_report(cell, vocabulary: Vocabulary, lang: str = "en") -> str:
    """A cell as plain text for the terminal: verdict, explanation, domains, votes and context.

    ``cell`` is a :class:`~triggergraph.verdict.cells.CellVerdict`.
    """
    en = lang == "en"
    factor = vocabulary.factors.get(cell.factor)
    title = f"{factor.label(lang) if factor else cell.factor} x "
    title += column_label(cell.column.split("+"), vocabulary, lang)
    lines = [title, "=" * len(title), cell.explanation[lang], ""]
    lines.append("rated down by domain:" if en else "lager gewaardeerd per domein:")
    if not cell.downgrades:
        lines.append("  (none)" if en else "  (geen)")
    for item in cell.downgrades:
        reasons = "; ".join(reason_label(r, vocabulary, lang) for r in item.reasons)
        lines.append(
            f"  {DOMAIN_LABELS[item.domain][lang]}: -{item.levels} ({reasons}) <- {_ids(item.findings)}"
        )
    lines.append("votes:" if en else "stemmen:")
    for c in cell.findings:
        turned = (" (inverted)" if en else " (omgekeerd)") if c.inverted else ""
        why = ", ".join(reason_label(r, vocabulary, lang) for r in (*c.risk_of_bias, *c.reasons))
        lines.append(
            f"  {c.id:<14} {c.direction:<15}{turned} {c.certainty}->{c.effective_certainty}"
            f"  {c.source}{'  [' + why + ']' if why else ''}"
        )
    if cell.context:
        lines.append("context (not counted):" if en else "context (niet meegeteld):")
        for c in cell.context:
            lines.append(f"  {c.id:<14} {CONTEXT_LABELS[c.why][lang]}  {c.source}")
    return "\n".join(lines)
