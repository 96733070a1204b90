"""Finding answers: one finding with every field, and a filtered page of findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...effects import effect_flags, effect_size_band
from ...exceptions import NotFoundError
from ...readmodel import check_known, check_lang, check_page, check_scale, format_citation
from ...vocabulary import suggest
from ..base import Ref
from ..evidence import (
    CountsToward,
    DriverLink,
    EffectAnswer,
    FindingAnswer,
    FindingSource,
    FindingsPage,
    SubjectRef,
)
from ..queries import ENGLISH, FindingsQuery, LangQuery
from .parts import concept_ref, scale_label, scale_ref

if TYPE_CHECKING:
    from ...models import Finding, Source
    from ...readmodel import EvidenceIndex


def finding_answer(
    index: EvidenceIndex, finding: Finding, source: Source, lang: str
) -> FindingAnswer:
    """One finding as an answer, kept by the index until a write changes it or its source."""
    return index.finding_answer(
        finding.id, lang, lambda: _make_finding(index, finding, source, lang)
    )


def _make_finding(index: EvidenceIndex, f: Finding, s: Source, lang: str) -> FindingAnswer:
    vocab = index.vocabulary
    subject = vocab.factors.get(f.factor) or vocab.constructs.get(f.factor)
    base = vocab.base_iri
    effect = None
    if f.effect is not None:
        e = f.effect
        effect = EffectAnswer(
            measure=e.measure,
            measure_label=scale_label(vocab, "effect-measure", e.measure, lang),
            value=e.value,
            ci=list(e.ci) if e.ci is not None else None,
            k=e.k,
            n=e.n,
            p=e.p,
            text=e.text,
            magnitude_in_source=e.magnitude_in_source,
        )
    band = effect_size_band(f.effect)
    return FindingAnswer(
        id=f.id,
        iri=f"{base}finding/{f.id}",
        factor=SubjectRef(
            id=f.factor,
            iri=subject.iri if subject else None,
            label=subject.label(lang) if subject else f.factor,
            kind=subject.kind if subject else None,
        ),
        counts_toward=[
            CountsToward(factor=t, label=vocab.factors[t].label(lang), direct=direct)
            for t, direct in vocab.triggers_for(f.factor)
            if t in vocab.factors
        ],
        drivers=[
            DriverLink(
                driver=lnk.driver,
                iri=f"{base}driver/{lnk.driver}",
                label=vocab.drivers[lnk.driver].label(lang)
                if lnk.driver in vocab.drivers
                else lnk.driver,
                basis=lnk.basis,
                term_in_source=lnk.term_in_source,
            )
            for lnk in f.drivers
        ],
        drivers_stated=[lnk.driver for lnk in f.drivers if lnk.basis == "stated"],
        drivers_proposed=[lnk.driver for lnk in f.drivers if lnk.basis == "proposed"],
        demographics=[
            concept_ref(vocab.demographics[d], lang)
            if d in vocab.demographics
            else Ref(id=d, iri=None, label=d)
            for d in f.demographics
        ],
        direction=f.direction,
        direction_label=scale_label(vocab, "direction", f.direction, lang),
        certainty=f.certainty,
        certainty_label=scale_label(vocab, "certainty", f.certainty, lang),
        certainty_reasons=list(f.certainty_reasons),
        caveats=[scale_ref(vocab, "caveat", c, lang) for c in f.caveats],
        indirectness=[scale_ref(vocab, "indirectness", r, lang) for r in f.indirectness],
        effect=effect,
        size_band=band,
        effect_flags=[scale_ref(vocab, "effect-flag", x, lang) for x in effect_flags(f.effect)],
        size_band_label=scale_label(vocab, "size-band", band, lang),
        outcome_stages=[scale_ref(vocab, "outcome-stage", o, lang) for o in f.outcome_stages],
        outcome=f.outcome,
        outcome_kind=scale_ref(vocab, "outcome-kind", f.outcome_kind, lang),
        population=f.population,
        region=scale_ref(vocab, "region", f.region, lang),
        locator=f.locator,
        verified_from=f.verified_from,
        trigger_role=scale_ref(vocab, "trigger-role", f.trigger_role, lang),
        note=f.note,
        added_by=f.added_by,
        added_on=f.added_on.isoformat() if f.added_on else None,
        source=FindingSource(
            id=s.id,
            iri=f"{base}source/{s.id}",
            citation=format_citation(s),
            year=s.year,
            title=s.title,
            citation_flags=list(s.citation_flags),
        ),
    )


def build_findings(index: EvidenceIndex, query: FindingsQuery) -> FindingsPage:
    """Paged findings (sources by id, findings in entry order) matching every filter.

    ``factor`` is a trigger factor id (findings that count toward it: itself, narrower
    factors and mapped constructs) or a construct id (findings about that construct);
    ``driver`` keeps findings that link it, stated or proposed; ``demographic`` is a value id
    or a dimension id (any of its values); ``source``, ``direction``, ``certainty`` and
    ``outcome_stage`` are exact matches.
    """
    factor, driver, demographic = query.factor, query.driver, query.demographic
    source, direction, certainty = query.source, query.direction, query.certainty
    outcome_stage, lang = query.outcome_stage, query.lang
    check_lang(lang)
    offset, limit = check_page(query.offset, query.limit)
    vocab = index.vocabulary
    pairs = index.pairs
    if factor is not None:
        if factor in vocab.factors:
            allowed = {f.id for f, _s, _direct in index.routed.get(factor, [])}
            pairs = [p for p in pairs if p[0].id in allowed]
        elif factor in vocab.constructs:
            pairs = [p for p in pairs if p[0].factor == factor]
        else:
            raise NotFoundError(
                "factor", factor, suggest(factor, {**vocab.factors, **vocab.constructs})
            )
    if driver is not None:
        check_known("driver", driver, index.driver_ids)
        pairs = [p for p in pairs if any(lnk.driver == driver for lnk in p[0].drivers)]
    if demographic is not None:
        if demographic in index.dimension_ids:
            wanted = set(index.column_sets[demographic])
        else:
            check_known("demographic", demographic, [*index.value_ids, *index.dimension_ids])
            wanted = {demographic}
        pairs = [p for p in pairs if wanted & set(p[0].demographics)]
    if source is not None:
        check_known("source", source, index.sources)
        pairs = [p for p in pairs if p[1].id == source]
    if check_scale(vocab, "direction", direction, "direction"):
        pairs = [p for p in pairs if p[0].direction == direction]
    if check_scale(vocab, "certainty", certainty, "certainty"):
        pairs = [p for p in pairs if p[0].certainty == certainty]
    if check_scale(vocab, "outcome-stage", outcome_stage, "outcome_stage"):
        pairs = [p for p in pairs if outcome_stage in p[0].outcome_stages]
    page = pairs[offset : offset + limit]
    return FindingsPage(
        total=len(pairs),
        offset=offset,
        limit=limit,
        items=[finding_answer(index, f, s, lang) for f, s in page],
    )


def build_finding(
    index: EvidenceIndex, finding_id: str, query: LangQuery = ENGLISH
) -> FindingAnswer:
    """One finding: every field, its source's citation, size band, IRIs, the factors it
    counts toward, and ``drivers_stated`` / ``drivers_proposed`` kept apart."""
    check_lang(query.lang)
    check_known("finding", finding_id, index.findings)
    f, s = index.findings[finding_id]
    return finding_answer(index, f, s, query.lang)
