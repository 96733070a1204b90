"""Inter-coder agreement: two coders' codings of the same sources compared field by field.

Two curators code the same source blind. Their findings are paired by finding id, and the rest
by locator (the page, table or section a finding stands on). For each paired finding five fields
are compared: ``factor``, ``direction``, ``certainty``, ``drivers`` (the set of driver links,
each ``driver:basis``) and ``demographics`` (the set of demographic values). A set field agrees
only when both sets are equal; its category for Cohen's kappa is the whole set. Findings only one
coder has are listed as differences and do not enter the figures, which need both codings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence

from pydantic import BaseModel, Field

from .models import Finding, Source

#: the compared fields and how a finding's value of each is read (hashable, comparable)
FIELDS: dict[str, Callable[[Finding], Hashable]] = {
    "factor": lambda f: f.factor,
    "direction": lambda f: f.direction,
    "certainty": lambda f: f.certainty,
    "drivers": lambda f: tuple(sorted(f"{d.driver}:{d.basis}" for d in f.drivers)),
    "demographics": lambda f: tuple(sorted(f.demographics)),
}


class FieldAgreement(BaseModel):
    """Agreement on one field over ``n`` paired findings."""

    field: str
    n: int = Field(description="Paired findings compared.")
    agreed: int
    percent: float | None = Field(description="100 * agreed / n; None when n = 0.")
    kappa: float | None = Field(
        description="Cohen's kappa; None when n = 0 or when chance agreement is 1 "
        "(both coders used one and the same category throughout)."
    )


class Difference(BaseModel):
    """One place where the two codings differ."""

    source_id: str
    finding_a: str | None = Field(description="Coder A's finding id; None if only B has it.")
    finding_b: str | None = Field(description="Coder B's finding id; None if only A has it.")
    field: str = Field(description="A compared field, or 'finding' for an unpaired finding.")
    value_a: str | None
    value_b: str | None


class SourceAgreement(BaseModel):
    """Agreement between two codings of one source."""

    source_id: str
    paired: int
    only_a: list[str] = Field(description="Finding ids only coder A has.")
    only_b: list[str] = Field(description="Finding ids only coder B has.")
    fields: list[FieldAgreement]
    differences: list[Difference]


class CorpusAgreement(BaseModel):
    """Agreement over every source both coders coded; figures pool all paired findings."""

    sources: list[SourceAgreement]
    fields: list[FieldAgreement]
    sources_only_a: list[str]
    sources_only_b: list[str]


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two coders' nominal codes of the same items.

    ``kappa = (p_o - p_e) / (1 - p_e)`` with ``p_o`` the share of items coded alike and ``p_e``
    the agreement expected by chance from each coder's own category shares.

    Parameters
    ----------
    pairs : sequence of (code by A, code by B)
        One pair per item.

    Returns
    -------
    float or None
        None when there are no items or ``p_e = 1`` (kappa is undefined).

    Examples
    --------
    >>> cohen_kappa([("y", "y"), ("y", "n"), ("n", "n"), ("n", "n")])
    0.5
    """
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    shares_a = Counter(a for a, _ in pairs)
    shares_b = Counter(b for _, b in pairs)
    expected = sum(shares_a[c] * shares_b.get(c, 0) for c in shares_a) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def field_agreement(field: str, pairs: Sequence[tuple[Hashable, Hashable]]) -> FieldAgreement:
    """Percent agreement and Cohen's kappa of one field over paired codes."""
    agreed = sum(1 for a, b in pairs if a == b)
    n = len(pairs)
    return FieldAgreement(
        field=field,
        n=n,
        agreed=agreed,
        percent=100 * agreed / n if n else None,
        kappa=cohen_kappa(pairs),
    )


def _locator_key(finding: Finding) -> str:
    return re.sub(r"\s+", " ", finding.locator).strip().casefold()


def pair_findings(
    a: Iterable[Finding], b: Iterable[Finding]
) -> tuple[list[tuple[Finding, Finding]], list[Finding], list[Finding]]:
    """Pair two coders' findings: by id first, then by locator where it is unique on both sides.

    Returns
    -------
    (pairs, only_a, only_b)
        Pairs in coder A's order; the unpaired findings of each coder in their own order.
    """
    left, right = list(a), list(b)
    by_id = {f.id: f for f in right}
    pairs: list[tuple[Finding, Finding]] = []
    taken: set[str] = set()
    rest_a: list[Finding] = []
    for finding in left:
        match = by_id.get(finding.id)
        if match is not None:
            pairs.append((finding, match))
            taken.add(match.id)
        else:
            rest_a.append(finding)
    rest_b = [f for f in right if f.id not in taken]
    count_a = Counter(_locator_key(f) for f in rest_a)
    count_b = Counter(_locator_key(f) for f in rest_b)
    by_locator = {_locator_key(f): f for f in rest_b}
    only_a: list[Finding] = []
    for finding in rest_a:
        key = _locator_key(finding)
        if count_a[key] == 1 and count_b.get(key) == 1:
            match = by_locator[key]
            pairs.append((finding, match))
            taken.add(match.id)
        else:
            only_a.append(finding)
    only_b = [f for f in rest_b if f.id not in taken]
    return pairs, only_a, only_b


def _show(value: Hashable) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) if value else "(none)"
    return str(value)


def compare_source(a: Source, b: Source) -> SourceAgreement:
    """Compare two codings of one source.

    Examples
    --------
    >>> from triggergraph.models import Finding, Source
    >>> def coding(direction):
    ...     finding = Finding(id="x1", factor="detention", direction=direction, certainty="C",
    ...                       certainty_reasons=["test"], locator="p. 1")
    ...     return Source(id="s", type="report", authors=["T."], year=2020, title="t",
    ...                   added_by="t", added_on="2026-01-01", findings=[finding])
    >>> result = compare_source(coding("increases"), coding("mixed"))
    >>> [(d.field, d.value_a, d.value_b) for d in result.differences]
    [('direction', 'increases', 'mixed')]
    """
    pairs, only_a, only_b = pair_findings(a.findings, b.findings)
    differences: list[Difference] = []
    for fa, fb in pairs:
        for name, read in FIELDS.items():
            va, vb = read(fa), read(fb)
            if va != vb:
                differences.append(
                    Difference(
                        source_id=a.id,
                        finding_a=fa.id,
                        finding_b=fb.id,
                        field=name,
                        value_a=_show(va),
                        value_b=_show(vb),
                    )
                )
    for f in only_a:
        differences.append(
            Difference(
                source_id=a.id,
                finding_a=f.id,
                finding_b=None,
                field="finding",
                value_a=f"{f.factor} at {f.locator}",
                value_b=None,
            )
        )
    for f in only_b:
        differences.append(
            Difference(
                source_id=a.id,
                finding_a=None,
                finding_b=f.id,
                field="finding",
                value_a=None,
                value_b=f"{f.factor} at {f.locator}",
            )
        )
    return SourceAgreement(
        source_id=a.id,
        paired=len(pairs),
        only_a=[f.id for f in only_a],
        only_b=[f.id for f in only_b],
        fields=_field_figures(pairs),
        differences=differences,
    )


def _field_figures(pairs: Sequence[tuple[Finding, Finding]]) -> list[FieldAgreement]:
    return [
        field_agreement(name, [(read(fa), read(fb)) for fa, fb in pairs])
        for name, read in FIELDS.items()
    ]


def compare_corpus(a: Iterable[Source], b: Iterable[Source]) -> CorpusAgreement:
    """Compare two coders' codings of every source both coded (sources matched by id).

    The corpus figures pool the paired findings of all sources, so a source counts by its
    number of findings, and kappa's chance agreement comes from the whole corpus.
    """
    by_id_a = {s.id: s for s in a}
    by_id_b = {s.id: s for s in b}
    shared = sorted(by_id_a.keys() & by_id_b.keys())
    results = [compare_source(by_id_a[i], by_id_b[i]) for i in shared]
    all_pairs = [
        pair for i in shared for pair in pair_findings(by_id_a[i].findings, by_id_b[i].findings)[0]
    ]
    return CorpusAgreement(
        sources=results,
        fields=_field_figures(all_pairs),
        sources_only_a=sorted(by_id_a.keys() - by_id_b.keys()),
        sources_only_b=sorted(by_id_b.keys() - by_id_a.keys()),
    )


def _figure(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def format_agreement(result: CorpusAgreement) -> str:
    """Plain-text report of :func:`compare_corpus`, as ``triggergraph agreement`` prints it."""
    paired = sum(s.paired for s in result.sources)
    lines = [
        f"{len(result.sources)} source(s) coded by both, {paired} paired finding(s)",
        "",
        f"{'field':<14}{'n':>5}{'agreed':>8}{'%':>8}{'kappa':>8}",
    ]
    for f in result.fields:
        lines.append(
            f"{f.field:<14}{f.n:>5}{f.agreed:>8}{_figure(f.percent, 1):>8}{_figure(f.kappa, 2):>8}"
        )
    for label, ids in (("only in A", result.sources_only_a), ("only in B", result.sources_only_b)):
        if ids:
            lines += ["", f"sources {label}: {', '.join(ids)}"]
    for source in result.sources:
        if not source.differences:
            continue
        lines += ["", f"{source.source_id}: {len(source.differences)} difference(s)"]
        for d in source.differences:
            where = f"{d.finding_a or '-'} / {d.finding_b or '-'}"
            lines.append(f"  {where} {d.field}: A={d.value_a or '-'} | B={d.value_b or '-'}")
    return "\n".join(lines)
