"""Source answers: the searched page of sources and one source with its findings and cited works."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...readmodel import check_known, check_page, format_citation
from ..evidence import SourceAnswer, SourceFinding, SourcesPage, SourceSummary
from ..queries import SourcesQuery

if TYPE_CHECKING:
    from ...models import Source
    from ...readmodel import EvidenceIndex


def _summary_fields(index: EvidenceIndex, s: Source) -> dict:
    return {
        "id": s.id,
        "iri": f"{index.vocabulary.base_iri}source/{s.id}",
        "citation": format_citation(s),
        "authors": list(s.authors),
        "year": s.year,
        "title": s.title,
        "type": s.type,
        "study_design": s.study_design,
        "citation_flags": list(s.citation_flags),
        "n_findings": len(s.findings),
    }


def build_sources(index: EvidenceIndex, query: SourcesQuery) -> SourcesPage:
    """Paged sources by id; ``q`` searches id, title, authors, venue and year."""
    offset, limit = check_page(query.offset, query.limit)
    needle = query.q.casefold().strip() if query.q else ""
    items = []
    for s in index.sources.values():
        if needle:
            haystack = [s.id, s.title, *s.authors, s.venue or "", str(s.year)]
            if not any(needle in text.casefold() for text in haystack):
                continue
        items.append(SourceSummary(**_summary_fields(index, s)))
    return SourcesPage(
        total=len(items), offset=offset, limit=limit, items=items[offset : offset + limit]
    )


def build_source(index: EvidenceIndex, source_id: str) -> SourceAnswer:
    """One source: the bibliographic record, citation string, flags, independent group,
    findings (summaries), cited works and context notes."""
    check_known("source", source_id, index.sources)
    s = index.sources[source_id]
    group = index.groups.get(source_id, source_id)
    base = index.vocabulary.base_iri
    return SourceAnswer(
        **_summary_fields(index, s),
        venue=s.venue,
        doi=s.doi,
        url=s.url,
        language=s.language,
        design=s.design,
        citation_note=s.citation_note,
        overlaps_with=list(s.overlaps_with),
        independent_group=sorted(k for k, g in index.groups.items() if g == group),
        context_notes=[n.model_dump(mode="json") for n in s.context_notes],
        cites=[c.model_dump(mode="json") for c in s.cites],
        added_by=s.added_by,
        added_on=s.added_on.isoformat(),
        findings=[
            SourceFinding(
                id=f.id,
                iri=f"{base}finding/{f.id}",
                factor=f.factor,
                direction=f.direction,
                certainty=f.certainty,
                drivers_stated=[lnk.driver for lnk in f.drivers if lnk.basis == "stated"],
                drivers_proposed=[lnk.driver for lnk in f.drivers if lnk.basis == "proposed"],
                demographics=list(f.demographics),
                locator=f.locator,
            )
            for f in s.findings
        ],
    )
