"""Consistency checks over loaded entries that one model alone cannot make: errors and warnings at file:line.

``triggergraph validate`` runs them after the entries load. Errors make ``validate`` fail;
warnings are printed and let it pass. Each check is one small function with a test in
``tests/test_checks.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .exceptions import Problem
from .loader import line_of

if TYPE_CHECKING:
    from .models import Finding, Source
    from .vocabulary import Vocabulary

#: Measures whose sign is the direction: above 0 goes with more radicalisation.
SIGNED_MEASURES: frozenset[str] = frozenset({"r", "fisher_z", "cohen_d", "hedges_g", "beta"})
#: Measures whose direction is above or below 1.
RATIO_MEASURES: frozenset[str] = frozenset({"odds_ratio", "risk_ratio", "hazard_ratio"})
#: The best certainty a study design allows for a finding from one study (evidence scale: a
#: single cross-sectional survey is C at best; qualitative and theoretical work is D). Several
#: studies or samples (``effect.k`` > 1) are not capped here.
DESIGN_CAPS: dict[str, str] = {
    "cross_sectional_survey": "C",
    "descriptive": "C",
    "narrative_review": "C",
    "practitioner_guidance": "C",
    "qualitative": "D",
    "theory": "D",
}
#: A p value as a number, with an optional comparison: ``< .001``, ``= 0.03``, ``.05``.
P_VALUE = re.compile(r"^\s*(?:[<>=≤≥]=?\s*)?(?:0?\.\d+|0|1(?:\.0+)?)(?:e-?\d+)?\s*$", re.I)
CERTAINTIES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Check:
    """One result of a consistency check: ``error`` or ``warning``, and where."""

    severity: str
    problem: Problem

    def __str__(self) -> str:
        return f"{self.severity.upper()}: {self.problem}"


def _sign(finding: Finding) -> str | None:
    """``increases`` or ``decreases`` as the effect's number says, None if it says neither."""
    effect = finding.effect
    if effect is None or effect.value is None:
        return None
    if effect.measure in SIGNED_MEASURES and effect.value != 0:
        return "increases" if effect.value > 0 else "decreases"
    if effect.measure in RATIO_MEASURES and effect.value != 1:
        return "increases" if effect.value > 1 else "decreases"
    return None


def check_finding(finding: Finding, source: Source, today: date) -> Iterator[tuple[str, str, str]]:
    """``(severity, field, message)`` for each inconsistency inside one finding."""
    sign = _sign(finding)
    if (
        sign is not None
        and finding.direction in ("increases", "decreases")
        and sign != finding.direction
    ):
        yield (
            "error",
            "direction",
            f"{finding.direction!r} contradicts the effect {finding.effect.measure} = "
            f"{finding.effect.value:g}, which says {sign!r}; fix the direction or the number",
        )
    effect = finding.effect
    if effect is not None and effect.value is not None and effect.ci is not None:
        low, high = effect.ci
        if not low <= effect.value <= high:
            yield (
                "error",
                "effect.value",
                f"{effect.value:g} lies outside its own confidence interval [{low:g}, {high:g}]",
            )
    if effect is not None and effect.p is not None and not P_VALUE.match(effect.p):
        yield (
            "error",
            "effect.p",
            f"{effect.p!r} is not a p value; write a number with an optional comparison, "
            "e.g. '< .001' or '.03' (a non-significant result is direction: no_association)",
        )
    if finding.added_on is not None and finding.added_on > today:
        yield ("error", "added_on", f"{finding.added_on} is in the future")
    cap = DESIGN_CAPS.get(source.study_design or "")
    several = effect is not None and effect.k is not None and effect.k > 1
    if (
        cap is not None
        and not several
        and CERTAINTIES.index(finding.certainty) < CERTAINTIES.index(cap)
    ):
        yield (
            "error",
            "certainty",
            f"{finding.certainty!r} is above what a {source.study_design} allows "
            f"({cap} at best on the evidence scale)",
        )
    for index, link in enumerate(finding.drivers):
        if link.basis == "stated" and not link.term_in_source:
            yield (
                "error",
                f"drivers[{index}].term_in_source",
                "basis 'stated' needs the source's own term for the driver; without one, "
                "the link is the compilers' proposal: write basis: proposed",
            )


def _reach(finding: Finding, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """Why a finding reaches no trigger cell as a vote, or None when it reaches one."""
    routes = vocabulary.routes_for(finding.factor)
    if finding.outcome_kind != "radicalisation":
        return None  # context by design; the factor page shows it
    if not routes:
        construct = vocabulary.constructs.get(finding.factor)
        if construct is not None:
            return (
                "factor",
                f"construct {finding.factor!r} maps to no trigger factor, so this finding counts "
                "toward no cell; propose a mapping (docs/verdicts.md) or file it under a trigger",
            )
        return ("factor", f"{finding.factor!r} reaches no trigger factor")
    if all(r.bundle for r in routes):
        return (
            "factor",
            f"construct {finding.factor!r} names several events at once (a bundle): the finding "
            "is context on each, never a vote",
        )
    return None


def check_sources(
    sources: Sequence[Source],
    vocabulary: Vocabulary,
    *,
    directory: Path | None = None,
    today: date | None = None,
) -> list[Check]:
    """Run every consistency check over loaded entries.

    Parameters
    ----------
    sources : sequence of Source
    vocabulary : Vocabulary
    directory : Path, optional
        The literature folder, to give each problem its file and line.
    today : date, optional
        The date ``added_on`` may not pass (defaults to today).

    Returns
    -------
    list of Check
        Errors first, then warnings, each sorted by file and line.
    """
    today = today or date.today()
    out: list[Check] = []
    for source in sources:
        path = directory / f"{source.id}.yaml" if directory is not None else None
        filename = str(path) if path is not None else None

        def where(key: tuple, path=path) -> int | None:
            return line_of(path, key) if path is not None and path.exists() else None

        if source.added_on > today:
            out.append(
                Check(
                    "error",
                    Problem(
                        filename,
                        where(("added_on",)),
                        "added_on",
                        f"{source.added_on} is in the future",
                    ),
                )
            )
        for index, finding in enumerate(source.findings):
            base = ("findings", index)
            for severity, field, message in check_finding(finding, source, today):
                key = base + tuple(
                    int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", field) if p
                )
                out.append(
                    Check(
                        severity,
                        Problem(filename, where(key), f"findings[{finding.id}].{field}", message),
                    )
                )
            reach = _reach(finding, vocabulary)
            if reach is not None:
                field, message = reach
                out.append(
                    Check(
                        "warning",
                        Problem(
                            filename,
                            where(base + (field,)),
                            f"findings[{finding.id}].{field}",
                            message,
                        ),
                    )
                )
    out.sort(key=lambda c: (c.severity != "error", c.problem.file or "", c.problem.line or 0))
    return out
