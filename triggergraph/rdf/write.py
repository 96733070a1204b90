"""Source models to the triples of their named graphs (no blank nodes, deterministic)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ..effects import effect_size_band
from ..exceptions import EntryError, Problem
from ..models import Finding, Source
from ..namespaces import BIBO, CITO, TG, iri_for, source_graph_iri
from ..vocabulary import Vocabulary
from .terms import (
    Terms,
    _text,
    _year,
    agent_slug,
    decimal_literal,
    iri_safe,
    new_graph,
    nt_lines,
    ntriples_of,
)


class _TripleList(list):
    """A list of triples with ``Graph.add``'s name, so the writers need no graph (rdflib's
    in-memory store costs more per triple than building the terms)."""

    add = list.append


def _agent(graph: _TripleList, base: str, name: str, seen: dict[URIRef, str]) -> URIRef:
    agent = iri_for(base, "agent", agent_slug(name))
    other = seen.get(agent)
    if other is not None and other != name:
        raise EntryError(
            [
                Problem(
                    None,
                    None,
                    "added_by",
                    f"{name!r} and {other!r} would be the same agent <{agent}>; write the name the same way",
                )
            ]
        )
    seen[agent] = name
    graph.add((agent, RDF.type, PROV.Agent))
    graph.add((agent, RDFS.label, _text(name)))
    return agent


def _add_source(graph: _TripleList, source: Source, terms: Terms) -> None:
    base = terms.base
    node = iri_for(base, "source", source.id)
    agents: dict[URIRef, str] = {}
    add = graph.add
    add((node, RDF.type, TG.Source))
    bibo_class = terms.source_classes.get(source.type)
    if bibo_class is not None:
        add((node, RDF.type, bibo_class))
    add((node, DCTERMS.identifier, _text(source.id)))
    add((node, TG.sourceType, terms.scale("source-type", source.type)))
    add((node, DCTERMS.title, _text(source.title)))
    add((node, DCTERMS.issued, _year(source.year)))
    add((node, DCTERMS.language, Literal(source.language)))
    # Authors: an rdf:List keeps the order; its cells are IRIs, not blank nodes, so every build
    # and every store round trip gives the same N-Triples.
    cells = [URIRef(f"{node}/authors/{n}") for n in range(1, len(source.authors) + 1)]
    add((node, BIBO.authorList, cells[0]))
    for n, (cell, author) in enumerate(zip(cells, source.authors, strict=True)):
        add((cell, RDF.first, _text(author)))
        add((cell, RDF.rest, cells[n + 1] if n + 1 < len(cells) else RDF.nil))
        add((node, DCTERMS.creator, _text(author)))
    if source.venue is not None:
        add((node, TG.venue, _text(source.venue)))
    if source.doi is not None:
        add((node, BIBO.doi, _text(source.doi)))
    if source.url is not None:
        add((node, BIBO.uri, Literal(source.url, datatype=XSD.anyURI)))
    if source.design is not None:
        add((node, TG.design, _text(source.design)))
    if source.study_design is not None:
        add((node, TG.studyDesign, terms.scale("study-design", source.study_design)))
    if source.citation_note is not None:
        add((node, TG.citationNote, _text(source.citation_note)))
    for flag in source.citation_flags:
        add((node, TG.citationFlag, terms.scale("citation-flag", flag)))
    for other in source.overlaps_with:
        add((node, TG.overlapsWith, iri_for(base, "source", other)))
    for n, note in enumerate(source.context_notes, start=1):
        cell = URIRef(f"{node}/context/{n}")
        add((node, TG.contextNote, cell))
        add((cell, RDF.value, _text(note.text)))
        if note.id is not None:
            add((cell, TG.originalId, _text(note.id)))
        if note.locator is not None:
            add((cell, TG.locator, _text(note.locator)))
        if note.verified_from is not None:
            add((cell, TG.verifiedFrom, URIRef(iri_safe(note.verified_from))))
    for n, work in enumerate(source.cites, start=1):
        cell = URIRef(f"{node}/cites/{n}")
        add((node, CITO.cites, cell))
        add((cell, RDF.type, TG.CitedWork))
        add((cell, TG.firstAuthor, _text(work.first_author)))
        if work.year is not None:
            add((cell, DCTERMS.issued, _year(work.year)))
        if work.co_authors is not None:
            add((cell, TG.coAuthors, _text(work.co_authors)))
        if work.note is not None:
            add((cell, TG.note, _text(work.note)))
        if work.locator is not None:
            add((cell, TG.citedAt, _text(work.locator)))
        if work.factor is not None:
            add(
                (
                    cell,
                    TG.aboutFactor,
                    terms.factor_iris.get(work.factor, iri_for(base, "factor", work.factor)),
                )
            )
    add((node, PROV.wasAttributedTo, _agent(graph, base, source.added_by, agents)))
    add((node, PROV.generatedAtTime, Literal(source.added_on.isoformat(), datatype=XSD.date)))
    for rank, finding in enumerate(source.findings, start=1):
        _add_finding(graph, node, rank, finding, source, terms, agents)


def _add_finding(
    graph: _TripleList,
    source_node: URIRef,
    rank: int,
    finding: Finding,
    source: Source,
    terms: Terms,
    agents: dict[URIRef, str],
) -> None:
    base = terms.base
    node = iri_for(base, "finding", finding.id)
    add = graph.add
    add((node, RDF.type, TG.Finding))
    add((node, DCTERMS.identifier, _text(finding.id)))
    # The position in the entry, so reading back gives the findings in the order they were written.
    add((node, TG.rank, Literal(rank)))
    add((node, TG.reportedIn, source_node))
    add((node, CITO.citesAsEvidence, source_node))
    factor = terms.factor_iris.get(finding.factor)
    if factor is None:
        raise EntryError(
            [
                Problem(
                    None,
                    None,
                    f"findings[{finding.id}].factor",
                    f"{finding.factor!r} is not a trigger factor or construct of the vocabulary",
                )
            ]
        )
    add((node, TG.factor, factor))
    for link in finding.drivers:
        driver = iri_for(base, "driver", link.driver)
        add((node, TG.driver if link.basis == "stated" else TG.proposedDriver, driver))
        if link.term_in_source is not None:
            add((node, TG.driverTermInSource, _text(f"{link.driver}: {link.term_in_source}")))
    for group in finding.demographics:
        add((node, TG.demographic, iri_for(base, "demographic", group)))
    add((node, TG.direction, terms.scale("direction", finding.direction)))
    add((node, TG.certainty, terms.scale("certainty", finding.certainty)))
    for reason in finding.certainty_reasons:
        add((node, TG.certaintyReason, _text(reason)))
    for caveat in finding.caveats:
        add((node, TG.caveat, terms.scale("caveat", caveat)))
    for reason in finding.indirectness:
        add((node, TG.indirectness, terms.scale("indirectness", reason)))
    effect = finding.effect
    if effect is not None:
        add((node, TG.effectMeasure, terms.scale("effect-measure", effect.measure)))
        if effect.value is not None:
            add((node, TG.effectValue, decimal_literal(effect.value)))
        if effect.ci is not None:
            add((node, TG.ciLower, decimal_literal(effect.ci[0])))
            add((node, TG.ciUpper, decimal_literal(effect.ci[1])))
        if effect.k is not None:
            add((node, TG.numberOfStudies, Literal(effect.k)))
        if effect.n is not None:
            add((node, TG.sampleSize, Literal(effect.n)))
        if effect.p is not None:
            add((node, TG.pValue, _text(effect.p)))
        if effect.text is not None:
            add((node, TG.effectText, _text(effect.text)))
        if effect.magnitude_in_source is not None:
            add((node, TG.magnitudeInSource, _text(effect.magnitude_in_source)))
    add((node, TG.sizeBand, terms.scale("size-band", effect_size_band(effect))))
    for stage in finding.outcome_stages:
        add((node, TG.outcomeStage, terms.scale("outcome-stage", stage)))
    if finding.outcome is not None:
        add((node, TG.outcome, _text(finding.outcome)))
    if finding.population is not None:
        add((node, TG.population, _text(finding.population)))
    if finding.region is not None:
        add((node, TG.region, terms.scale("region", finding.region)))
    add((node, TG.locator, _text(finding.locator)))
    if finding.verified_from is not None:
        add((node, TG.verifiedFrom, URIRef(iri_safe(finding.verified_from))))
    add((node, TG.outcomeKind, terms.scale("outcome-kind", finding.outcome_kind)))
    if finding.trigger_role is not None:
        add((node, TG.triggerRole, terms.scale("trigger-role", finding.trigger_role)))
    if finding.note is not None:
        add((node, TG.note, _text(finding.note)))
    added_by = finding.added_by or source.added_by
    added_on = finding.added_on or source.added_on
    add((node, PROV.wasAttributedTo, _agent(graph, base, added_by, agents)))
    add((node, PROV.generatedAtTime, Literal(added_on.isoformat(), datatype=XSD.date)))


def source_graph(source: Source, vocabulary: Vocabulary) -> Graph:
    """Return the triples of one source's named graph.

    Parameters
    ----------
    source : Source
        A validated entry.
    vocabulary : Vocabulary
        Gives the base IRI and the IRIs of factors and constructs.

    Returns
    -------
    rdflib.Graph
        Identified by ``B graph/{source.id}``; no blank nodes.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> vocab = load_vocabulary()
    >>> src = Source(id="demo", type="report", authors=["Doe, J."], year=2020, title="Demo",
    ...              added_by="curators", added_on="2026-11-28")
    >>> str(source_graph(src, vocab).identifier)
    'http://127.0.0.1:8000/graph/demo'
    """
    return _source_graph(source, Terms.of(vocabulary))


def source_triples(source: Source, vocabulary: Vocabulary) -> list[tuple[URIRef, URIRef, Node]]:
    """Return the triples of one source's named graph as a list, without building a graph.

    The list may hold a triple twice (e.g. an agent named by the source and a finding).

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> src = Source(id="demo", type="report", authors=["Doe, J."], year=2020, title="Demo",
    ...              added_by="curators", added_on="2026-11-28")
    >>> len(set(source_triples(src, load_vocabulary())))
    15
    """
    return _source_triples(source, Terms.of(vocabulary))


def _source_triples(source: Source, terms: Terms) -> list[tuple[URIRef, URIRef, Node]]:
    triples = _TripleList()
    _add_source(triples, source, terms)
    return triples


def _source_graph(source: Source, terms: Terms) -> Graph:
    graph = new_graph(source_graph_iri(terms.base, source.id))
    graph.addN((s, p, o, graph) for s, p, o in _source_triples(source, terms))
    return graph


def sources_graph(
    sources: list[Source], vocabulary: Vocabulary, graph: Graph | None = None
) -> Graph:
    """Add the triples of every source to one graph (the union, without the vocabulary).

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> len(sources_graph([], load_vocabulary()))
    0
    """
    terms = Terms.of(vocabulary)
    union = new_graph() if graph is None else graph
    for source in sources:
        union.addN((s, p, o, union) for s, p, o in _source_triples(source, terms))
    return union


def source_ntriples(source: Source, vocabulary: Vocabulary) -> str:
    """Return one source's named graph as sorted N-Triples.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> src = Source(id="demo", type="report", authors=["Doe, J."], year=2020, title="Demo",
    ...              added_by="curators", added_on="2026-11-28")
    >>> text = source_ntriples(src, load_vocabulary())
    >>> text == source_ntriples(src, load_vocabulary())
    True
    >>> text.splitlines()[0]
    '<http://127.0.0.1:8000/agent/curators> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/prov#Agent> .'
    """
    lines = nt_lines(_source_triples(source, Terms.of(vocabulary)))
    return "".join(line + "\n" for line in sorted(lines))


def vocabulary_ntriples(vocabulary: Vocabulary) -> str:
    """Return the ontology and vocabulary triples as sorted N-Triples.

    Blank nodes, if an ontology file has any, get canonical labels so the text is stable.
    """
    return ntriples_of(_stable_graph(vocabulary.graph))


def _stable_graph(graph: Graph) -> Graph:
    """``graph`` itself, or a copy with canonical blank-node labels if it has blank nodes."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        from rdflib.compare import to_canonical_graph

        return to_canonical_graph(graph)
    return graph
