"""Named graphs back into source models: the inverse of :mod:`triggergraph.rdf.write`."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from rdflib import Graph
from rdflib.namespace import DCTERMS, PROV, RDF

from ..exceptions import EntryError, Problem
from ..models import Source
from ..models.compact import compact
from ..namespaces import BIBO, CITO, TG, iri_for
from ..vocabulary import Vocabulary
from .reader import _demographic_key, _ordered_cells, _read_authors, _read_finding, _Reader
from .terms import Terms
from .triples import TripleIndex


def _read_source(graph: Graph | TripleIndex, source_id: str, terms: Terms) -> Source:
    base = terms.base
    node = iri_for(base, "source", source_id)
    reader = _Reader(graph, terms, source_id)
    if (node, RDF.type, TG.Source) not in graph:
        reader.problem("id", f"the graph has no source <{node}> (a tg:Source)")
        raise EntryError(reader.problems)
    data: dict[str, Any] = {"id": reader.text(node, DCTERMS.identifier, "id", required=True)}
    data["type"] = reader.scale(node, TG.sourceType, "source-type", "type", required=True)
    data["authors"] = _read_authors(reader, node)
    data["year"] = reader.integer(node, DCTERMS.issued, "year", required=True)
    data["title"] = reader.text(node, DCTERMS.title, "title", required=True)
    for key, prop in (
        ("venue", TG.venue),
        ("doi", BIBO.doi),
        ("url", BIBO.uri),
        ("language", DCTERMS.language),
        ("design", TG.design),
        ("citation_note", TG.citationNote),
    ):
        text = reader.text(node, prop, key)
        if text is not None:
            data[key] = text
    design = reader.scale(node, TG.studyDesign, "study-design", "study_design")
    if design is not None:
        data["study_design"] = design
    data["citation_flags"] = reader.scales(node, TG.citationFlag, "citation-flag", "citation_flags")
    prefix = f"{base}source/"
    data["overlaps_with"] = sorted(
        str(o)[len(prefix) :]
        for o in reader.values(node, TG.overlapsWith)
        if str(o).startswith(prefix)
    )
    notes = []
    for n, cell in enumerate(
        _ordered_cells(reader, node, TG.contextNote, "context", "context_notes")
    ):
        field = f"context_notes[{n}]"
        note: dict[str, Any] = {
            "text": reader.text(cell, RDF.value, f"{field}.text", required=True)
        }
        for key, prop in (
            ("id", TG.originalId),
            ("locator", TG.locator),
            ("verified_from", TG.verifiedFrom),
        ):
            text = reader.text(cell, prop, f"{field}.{key}")
            if text is not None:
                note[key] = text
        notes.append(note)
    data["context_notes"] = notes
    works = []
    for n, cell in enumerate(_ordered_cells(reader, node, CITO.cites, "cites", "cites")):
        field = f"cites[{n}]"
        work: dict[str, Any] = {
            "first_author": reader.text(cell, TG.firstAuthor, f"{field}.first_author", True)
        }
        year = reader.integer(cell, DCTERMS.issued, f"{field}.year")
        if year is not None:
            work["year"] = year
        for key, prop in (("co_authors", TG.coAuthors), ("note", TG.note), ("locator", TG.citedAt)):
            text = reader.text(cell, prop, f"{field}.{key}")
            if text is not None:
                work[key] = text
        factor = reader.one(cell, TG.aboutFactor, f"{field}.factor")
        if factor is not None:
            work["factor"] = reader.ident(terms.factor_ids, factor, "factor", f"{field}.factor")
        works.append(work)
    data["cites"] = works
    data["added_by"] = reader.agent(node, "added_by")
    data["added_on"] = reader.day(node, PROV.generatedAtTime, "added_on")
    findings = []
    for finding_node in graph.subjects(TG.reportedIn, node):
        rank = reader.integer(finding_node, TG.rank, "findings[].rank") or 0
        findings.append((rank, str(finding_node), _read_finding(reader, finding_node)))
    data["findings"] = [f for _, _, f in sorted(findings, key=lambda t: (t[0], t[1]))]
    if reader.problems:
        raise EntryError(reader.problems)
    try:
        return Source.model_validate(data, context={"vocabulary": terms.vocabulary})
    except ValidationError as exc:
        raise EntryError(
            [
                Problem(
                    f"graph {source_id}",
                    None,
                    ".".join(str(p) for p in err["loc"]),
                    err["msg"],
                )
                for err in exc.errors()
            ]
        ) from None


def read_source(graph: Graph | TripleIndex, source_id: str, vocabulary: Vocabulary) -> Source:
    """Read one source's named graph back into a :class:`~triggergraph.models.Source`.

    Multi-valued fields come back in a canonical order (see :func:`canonical_source`); findings,
    authors, cited works and context notes keep the order of the entry.

    Parameters
    ----------
    graph : rdflib.Graph or TripleIndex
        The named graph (or any graph holding its triples); a :class:`TripleIndex` reads
        the same triples faster.
    source_id : str
        The id of the source to read.
    vocabulary : Vocabulary
        Maps IRIs back to ids.

    Returns
    -------
    Source

    Raises
    ------
    EntryError
        When the graph lacks the source or a required part, naming each missing part.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> from triggergraph.rdf import source_graph
    >>> vocab = load_vocabulary()
    >>> src = Source(id="demo", type="report", authors=["Doe, J."], year=2020, title="Demo",
    ...              added_by="curators", added_on="2026-11-28")
    >>> read_source(source_graph(src, vocab), "demo", vocab) == src
    True
    """
    return _read_source(graph, source_id, _terms_of(vocabulary))


#: Terms per vocabulary object (kept with it, so an id is never reused while cached).
_TERMS: dict[int, tuple[Vocabulary, Terms]] = {}


def _terms_of(vocabulary: Vocabulary) -> Terms:
    """:meth:`Terms.of`, built once per vocabulary: reading thousands of graphs reuses it."""
    found = _TERMS.get(id(vocabulary))
    if found is None or found[0] is not vocabulary:
        if len(_TERMS) >= 8:
            _TERMS.clear()
        found = _TERMS[id(vocabulary)] = (vocabulary, Terms.of(vocabulary))
    return found[1]


def canonical_source(source: Source, vocabulary: Vocabulary) -> Source:
    """Return ``source`` with its set-like lists in the order :func:`read_source` gives them.

    RDF keeps no order among the values of one property, so drivers, demographics, certainty
    reasons and scale values come back sorted (by scale rank, then id or text).

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> from triggergraph.models import Finding
    >>> vocab = load_vocabulary()
    >>> f = Finding(id="x1", factor="detention", direction="increases", certainty="D",
    ...             certainty_reasons=["b", "a"], locator="p. 1",
    ...             outcome_stages=["behaviour", "attitude"])
    >>> src = Source(id="demo", type="report", authors=["Doe, J."], year=2020, title="Demo",
    ...              added_by="curators", added_on="2026-11-28", findings=[f])
    >>> canonical_source(src, vocab).findings[0].outcome_stages
    ['attitude', 'behaviour']
    """

    def by_scale(scheme: str, values: list[str]) -> list[str]:
        table = vocabulary.scales.get(scheme, {})
        return sorted(values, key=lambda v: (table[v].rank or 0, v) if v in table else (0, v))

    def rank_of(driver: str) -> int:
        concept = vocabulary.drivers.get(driver)
        return (concept.rank or 0) if concept else 0

    findings = []
    for finding in source.findings:
        findings.append(
            finding.model_copy(
                update={
                    "drivers": sorted(finding.drivers, key=lambda d: (rank_of(d.driver), d.driver)),
                    "demographics": sorted(
                        finding.demographics,
                        key=lambda g: (
                            _demographic_key(vocabulary, g)
                            if g in vocabulary.demographics
                            else (0, 0, g)
                        ),
                    ),
                    "certainty_reasons": sorted(finding.certainty_reasons),
                    "caveats": by_scale("caveat", finding.caveats),
                    "indirectness": by_scale("indirectness", finding.indirectness),
                    "outcome_stages": by_scale("outcome-stage", finding.outcome_stages),
                }
            )
        )
    # the copies are what the read model keeps after a load from files: made compact as a
    # validated source is
    return compact(
        source.model_copy(
            update={
                "citation_flags": by_scale("citation-flag", source.citation_flags),
                "overlaps_with": sorted(source.overlaps_with),
                "findings": findings,
            }
        )
    )
