"""The fixed words of the verdict rule: columns, certainty letters, verdicts, directions, domains."""

from __future__ import annotations

#: The column that collects every finding on a factor, whatever driver or group it names.
ANY_COLUMN = "any"
#: Certainty letters, best first (GRADE: high, moderate, low, very low).
CERTAINTIES: tuple[str, ...] = ("A", "B", "C", "D")
#: The place of each certainty letter in :data:`CERTAINTIES` (0 is best): one dict lookup
#: where a cell's votes are compared by certainty, which a write does for every vote of the
#: cells it touches.
RANK: dict[str, int] = {letter: place for place, letter in enumerate(CERTAINTIES)}
#: Ranking weight of one independent source group by its best effective certainty.
CERTAINTY_WEIGHTS: dict[str, int] = {"A": 8, "B": 4, "C": 2, "D": 1}
#: Directions that vote on a cell's direction; ``mixed`` findings are listed but do not vote.
VOTING_DIRECTIONS: tuple[str, ...] = ("increases", "decreases", "no_association")
#: What an inverted (protective-opposite) finding counts as.
INVERTED_DIRECTION: dict[str, str] = {
    "increases": "decreases",
    "decreases": "increases",
    "no_association": "no_association",
    "mixed": "mixed",
}
#: Every verdict, strongest first, then the two outside the strength order.
VERDICTS: tuple[str, ...] = ("strong", "moderate", "limited", "contested", "no_evidence")
#: The strength order that ``min_verdict`` filters use.
STRENGTH_ORDER: tuple[str, ...] = ("strong", "moderate", "limited")
#: Verdict rank for sorting; contested ranks with limited (it has evidence, but not one way).
VERDICT_RANK: dict[str, int] = {
    "strong": 3,
    "moderate": 2,
    "limited": 1,
    "contested": 1,
    "no_evidence": 0,
}
#: The verdict a cell's body-of-evidence certainty gives when its evidence points one way.
VERDICT_OF_CERTAINTY: dict[str, str] = {
    "A": "strong",
    "B": "moderate",
    "C": "limited",
    "D": "limited",
}
VERDICT_LABELS: dict[str, dict[str, str]] = {
    "strong": {"en": "strong", "nl": "sterk"},
    "moderate": {"en": "moderate", "nl": "redelijk"},
    "limited": {"en": "limited", "nl": "beperkt"},
    "contested": {"en": "contested", "nl": "tegenstrijdig"},
    "no_evidence": {"en": "no evidence", "nl": "geen bewijs"},
}
DIRECTION_WORDS: dict[str, dict[str, str]] = {
    "increases": {"en": "increases", "nl": "verhoogt"},
    "decreases": {"en": "decreases", "nl": "verlaagt"},
    "no_association": {"en": "no association", "nl": "geen samenhang"},
    "mixed": {"en": "mixed", "nl": "wisselend"},
}
ANY_LABELS: dict[str, str] = {"en": "any driver or group", "nl": "alle drijfveren en groepen"}
#: GRADE's domains for rating down the certainty of a body of evidence, in GRADE's order.
DOMAINS: tuple[str, ...] = (
    "risk_of_bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication_bias",
)
DOMAIN_LABELS: dict[str, dict[str, str]] = {
    "risk_of_bias": {"en": "risk of bias", "nl": "risico op vertekening"},
    "inconsistency": {"en": "inconsistency", "nl": "inconsistentie"},
    "indirectness": {"en": "indirectness", "nl": "indirectheid"},
    "imprecision": {"en": "imprecision", "nl": "onnauwkeurigheid"},
    "publication_bias": {"en": "publication bias", "nl": "publicatiebias"},
}
#: Why a finding on the factor is context and not a vote (outcome kinds, and bundles).
CONTEXT_LABELS: dict[str, dict[str, str]] = {
    "within_extremists": {
        "en": "compares extremists with extremists",
        "nl": "vergelijkt extremisten met extremisten",
    },
    "disengagement": {
        "en": "is about leaving a radical group, not joining one",
        "nl": "gaat over het verlaten van een radicale groep, niet over toetreden",
    },
    "bundle": {
        "en": "names several life events together, so it is not evidence for each one",
        "nl": "noemt meerdere levensgebeurtenissen samen en is dus geen bewijs voor elk ervan",
    },
}
#: Caveats that stand for an indirectness reason (evidence scale: "downgrade one level for
#: indirect evidence"), applied whether or not the entry also lists the reason.
CAVEAT_INDIRECTNESS: dict[str, str] = {
    "cross_sectional": "cross_sectional_for_trigger",
    "ecological": "ecological_for_individual",
    "non_western_context": "other_population",
}
#: Caveats that rate a finding down for risk of bias.
RISK_OF_BIAS_CAVEATS: frozenset[str] = frozenset({"low_quality_per_authors"})
#: Caveats that rate the body down for imprecision.
IMPRECISION_CAVEATS: frozenset[str] = frozenset({"small_sample", "wide_ci"})
#: Caveats that rate the body down for publication bias.
PUBLICATION_BIAS_CAVEATS: frozenset[str] = frozenset({"publication_bias_per_authors"})
