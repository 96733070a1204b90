"""Reader-facing names of the viewer's fixed values (verdicts, levels, mappings), marked for the catalogue."""

from __future__ import annotations

from typing import Any

from .i18n import N_, translate

#: Verdicts in the order the legend shows them; strength order for filters is the first three.
VERDICTS = ("strong", "moderate", "limited", "contested", "no_evidence")
STRENGTH_ORDER = ("strong", "moderate", "limited")
LEVELS = ("micro", "meso", "macro")
STAGES = ("attitude", "intention", "behaviour")
DIRECTIONS = ("increases", "decreases", "no_association", "mixed", "tie")

#: Okabe–Ito derived colours; verdicts also differ by symbol, so colour is never the only cue.
VERDICT_COLOURS = {
    "strong": "#0072B2",
    "moderate": "#56B4E9",
    "limited": "#CCE5F4",
    "contested": "#D55E00",
    "no_evidence": "#FFFFFF",
}
VERDICT_SYMBOLS = {
    "strong": "●",
    "moderate": "◐",
    "limited": "○",
    "contested": "⇅",
    "no_evidence": "–",
}
#: The sign for the direction of a cell, shown next to (never instead of) the verdict mark.
DIRECTION_SIGNS = {
    "increases": "↑",
    "decreases": "↓",
    "no_association": "=",
    "mixed": "↕",
    "tie": "≈",
}
LEVEL_COLOURS = {"micro": "#E69F00", "meso": "#009E73", "macro": "#CC79A7"}

VERDICT_LABELS = {
    "strong": N_("strong"),
    "moderate": N_("moderate"),
    "limited": N_("limited"),
    "contested": N_("contested"),
    "no_evidence": N_("no evidence"),
}
DIRECTION_LABELS = {
    "increases": N_("increases radicalisation"),
    "decreases": N_("decreases radicalisation"),
    "no_association": N_("no association"),
    "mixed": N_("mixed"),
    "tie": N_("tie: no direction prevails"),
}
#: A finding whose outcome is not radicalisation (a comparison within extremists, an exit)
#: is higher or lower on *that* outcome; it never "increases radicalisation".
OTHER_OUTCOME_DIRECTION_LABELS = {
    "increases": N_("higher on the outcome compared"),
    "decreases": N_("lower on the outcome compared"),
}
LEVEL_LABELS = {
    "micro": N_("Micro level (individual)"),
    "meso": N_("Meso level (group)"),
    "macro": N_("Macro level (society)"),
}
STAGE_LABELS = {
    "attitude": N_("attitude"),
    "intention": N_("intention"),
    "behaviour": N_("behaviour"),
}
DIMENSION_LABELS = {"sex": N_("Sex"), "age": N_("Age"), "education": N_("Education")}
#: How a related construct maps to a trigger factor (SKOS mapping properties), in words.
MAPPING_LABELS = {
    "exactMatch": N_("the same thing"),
    "closeMatch": N_("nearly the same"),
    "broadMatch": N_("the trigger factor is broader"),
    "narrowMatch": N_("the trigger factor is narrower"),
    "relatedMatch": N_("related, but a different thing"),
    "oppositeOf": N_("its protective opposite: counted with the direction inverted"),
}
BASIS_LABELS = {
    "stated": N_("stated by the source"),
    "proposed": N_("link proposed by the compilers"),
}


def label_verdict(lang: str, verdict: str | None) -> str:
    """Return the verdict's name in ``lang`` (``no evidence`` when ``None``).

    Examples
    --------
    >>> label_verdict("nl", "contested"), label_verdict("en", None)
    ('tegenstrijdig', 'no evidence')
    """
    return translate(lang, VERDICT_LABELS.get(verdict or "no_evidence", N_("unknown")))


def label_direction(lang: str, direction: str | None) -> str:
    """Return a cell's or finding's direction in words; ``None`` (a tie) reads as a tie.

    Examples
    --------
    >>> label_direction("nl", "no_association")
    'geen samenhang'
    """
    return translate(lang, DIRECTION_LABELS.get(direction or "tie", N_("unknown")))


def label_finding_direction(lang: str, direction: str | None, outcome_kind: str | None) -> str:
    """Return a finding's direction in words, read against the outcome it compares.

    Examples
    --------
    >>> label_finding_direction("en", "increases", "within_extremists")
    'higher on the outcome compared'
    >>> label_finding_direction("nl", "increases", "radicalisation")
    'verhoogt radicalisering'
    """
    if outcome_kind not in (None, "radicalisation") and direction in OTHER_OUTCOME_DIRECTION_LABELS:
        return translate(lang, OTHER_OUTCOME_DIRECTION_LABELS[direction])
    return label_direction(lang, direction)


def label_level(lang: str, level: str | None) -> str:
    """Return the level's name (micro/meso/macro) in ``lang``; unknown levels say so."""
    return translate(lang, LEVEL_LABELS.get(level or "", N_("unknown")))


def label_mapping(lang: str, mapping: str | None) -> str:
    """Return how a construct maps to a trigger factor in words, never the SKOS term.

    Examples
    --------
    >>> label_mapping("en", "narrowMatch")
    'the trigger factor is narrower'
    """
    key = (mapping or "").rsplit(":", 1)[-1].rsplit("#", 1)[-1]
    return translate(lang, MAPPING_LABELS.get(key, N_("related, but a different thing")))


def label_scale(index: Any, scheme: str, value: object, lang: str) -> str:
    """Return the vocabulary's label of a scale value (study design, source type, ...).

    A value the vocabulary does not know is shown with its underscores turned into spaces,
    so a raw identifier never reaches a reader as code.
    """
    if value in (None, ""):
        return ""
    concept = index.vocabulary.scales.get(scheme, {}).get(str(value))
    if concept is not None:
        return concept.label(lang)
    return str(value).replace("_", " ")
