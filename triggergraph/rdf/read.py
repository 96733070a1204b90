"""Named graphs back into source models: the inverse of :mod:`triggergraph.rdf.write`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox
from pydantic import ValidationError
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ..exceptions import EntryError, Problem
from ..models import Source
from ..namespaces import BIBO, CITO, TG, iri_for
from ..vocabulary import Vocabulary
from .terms import Terms


class _Text(str):
    """A literal's lexical form: what the reader takes of an rdflib ``Literal`` (``str()``)."""

    __slots__ = ()


class TripleIndex:
    """The triples of one graph in plain dicts: the part of an rdflib ``Graph`` the reader uses.

    Built from N-Triples by pyoxigraph's parser (Rust), it reads a graph back several times
    faster than parsing it into an rdflib ``Graph``. IRIs become ``URIRef`` (one object per
    IRI), blank nodes ``BNode`` and literals their lexical form, which is all
    :func:`read_source` takes of them; a graph our writer made reads back equal either way.

    Examples
    --------
    >>> index = TripleIndex.from_ntriples('<http://a/s> <http://a/p> "x" .\\n')
    >>> [str(o) for o in index.objects(URIRef("http://a/s"), URIRef("http://a/p"))]
    ['x']
    >>> len(index)
    1
    """

    __slots__ = ("_in", "_out", "_size")

    def __init__(self) -> None:
        self._out: dict[Any, dict[URIRef, dict[Any, None]]] = {}
        self._in: dict[tuple[URIRef, Any], list] = {}
        self._size = 0

    @classmethod
    def from_ntriples(cls, data: str | bytes) -> TripleIndex:
        """Parse N-Triples (``SyntaxError`` on bad input) into an index."""
        index = cls()
        iris: dict[str, URIRef] = {}

        def term(node: Any) -> Any:
            if isinstance(node, ox.NamedNode):
                value = node.value
                iri = iris.get(value)
                if iri is None:
                    iri = iris[value] = URIRef(value)
                return iri
            if isinstance(node, ox.BlankNode):
                return BNode(node.value)
            return _Text(node.value)

        if isinstance(data, str):
            data = data.encode("utf-8")
        out, into = index._out, index._in
        named, text = ox.NamedNode, _Text
        for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            node = triple.subject
            subject = iris.get(node.value) if type(node) is named else None
            if subject is None:
                subject = term(node)
            predicate = iris.get(triple.predicate.value) or term(triple.predicate)
            node = triple.object
            if type(node) is named:
                obj = iris.get(node.value) or term(node)
            elif isinstance(node, ox.Literal):
                obj = text(node.value)
            else:
                obj = term(node)
            # dicts as ordered sets: a repeated line is one triple, as in an rdflib Graph
            objects = out.setdefault(subject, {}).setdefault(predicate, {})
            if obj in objects:
                continue
            objects[obj] = None
            index._size += 1
            if type(obj) is not text:
                into.setdefault((predicate, obj), []).append(subject)
        return index

    def objects(self, subject: Any, predicate: URIRef) -> list:
        """The objects of ``(subject, predicate, ?)``."""
        return list(self._out.get(subject, {}).get(predicate, {}))

    def subjects(self, predicate: URIRef, obj: Any) -> list:
        """The subjects of ``(?, predicate, obj)`` for an IRI or blank node ``obj``."""
        return list(self._in.get((predicate, obj), ()))

    def __contains__(self, triple: tuple) -> bool:
        subject, predicate, obj = triple
        if isinstance(obj, (URIRef, BNode)):
            return subject in self._in.get((predicate, obj), ())
        return str(obj) in (str(o) for o in self.objects(subject, predicate))

    def __len__(self) -> int:
        return self._size


class _Reader:
    """Reads one named graph back into plain data, collecting every problem."""

    def __init__(self, graph: Graph | TripleIndex, terms: Terms, source_id: str):
        self.graph = graph
        self.terms = terms
        self.source_id = source_id
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(f"graph {self.source_id}", None, field, message))

    def values(self, node: URIRef, prop: URIRef) -> list:
        return sorted(self.graph.objects(node, prop))

    def one(self, node: URIRef, prop: URIRef, field: str, required: bool = False):
        found = self.values(node, prop)
        if len(found) > 1:
            self.problem(field, f"<{node}> has {len(found)} values of <{prop}>, expected one")
        if not found:
            if required:
                self.problem(field, f"<{node}> has no <{prop}>")
            return None
        return found[0]

    def text(self, node: URIRef, prop: URIRef, field: str, required: bool = False) -> str | None:
        value = self.one(node, prop, field, required)
        return None if value is None else str(value)

    def integer(self, node: URIRef, prop: URIRef, field: str, required: bool = False) -> int | None:
        value = self.one(node, prop, field, required)
        if value is None:
            return None
        try:
            return int(str(value))
        except ValueError:
            self.problem(field, f"{str(value)!r} is not a whole number")
            return None

    def number(self, node: URIRef, prop: URIRef, field: str) -> float | None:
        value = self.one(node, prop, field)
        if value is None:
            return None
        try:
            return float(Decimal(str(value)))
        except InvalidOperation:
            self.problem(field, f"{str(value)!r} is not a decimal number")
            return None

    def day(self, node: URIRef, prop: URIRef, field: str) -> str | None:
        value = self.one(node, prop, field, required=True)
        return None if value is None else str(value)[:10]

    def scale(self, node: URIRef, prop: URIRef, scheme: str, field: str, required: bool = False):
        value = self.one(node, prop, field, required)
        return None if value is None else self.scale_id(scheme, value, field)

    def scale_id(self, scheme: str, iri, field: str) -> str | None:
        ident = self.terms.scale_id(scheme, iri)
        if ident is None:
            self.problem(field, f"<{iri}> is not a value of the scale {scheme!r}")
        return ident

    def scales(self, node: URIRef, prop: URIRef, scheme: str, field: str) -> list[str]:
        ids = [self.scale_id(scheme, iri, field) for iri in self.values(node, prop)]
        table = self.terms.vocabulary.scales.get(scheme, {})
        return sorted(
            (i for i in ids if i is not None),
            key=lambda i: (table[i].rank or 0, i) if i in table else (0, i),
        )

    def agent(self, node: URIRef, field: str) -> str | None:
        agent = self.one(node, PROV.wasAttributedTo, field, required=True)
        if agent is None:
            return None
        return self.text(agent, RDFS.label, field, required=True)

    def ident(self, table: dict[URIRef, str], iri, kind: str, field: str) -> str | None:
        ident = table.get(iri)
        if ident is None:
            self.problem(field, f"<{iri}> is not a {kind} of the vocabulary")
        return ident


def _ordered_cells(
    reader: _Reader, node: URIRef, prop: URIRef, segment: str, field: str
) -> list[URIRef]:
    """Minted cells ``{node}/{segment}/{n}`` in the order of n."""
    prefix = f"{node}/{segment}/"
    keyed = []
    for cell in reader.values(node, prop):
        tail = str(cell)[len(prefix) :] if str(cell).startswith(prefix) else ""
        if not tail.isdigit():
            reader.problem(field, f"<{cell}> is not a cell <{prefix}N>")
            continue
        keyed.append((int(tail), cell))
    return [cell for _, cell in sorted(keyed)]


def _read_authors(reader: _Reader, node: URIRef) -> list[str]:
    authors: list[str] = []
    cell = reader.one(node, BIBO.authorList, "authors", required=True)
    seen = set()
    while cell is not None and cell != RDF.nil:
        if cell in seen:
            reader.problem("authors", "bibo:authorList loops")
            break
        seen.add(cell)
        name = reader.text(cell, RDF.first, "authors", required=True)
        if name is not None:
            authors.append(name)
        cell = reader.one(cell, RDF.rest, "authors", required=True)
    creators = {str(o) for o in reader.graph.objects(node, DCTERMS.creator)}
    if creators != set(authors):
        reader.problem("authors", "dcterms:creator and bibo:authorList name different authors")
    return authors


def _read_finding(reader: _Reader, node: URIRef) -> dict[str, Any]:
    terms = reader.terms
    ident = reader.text(node, DCTERMS.identifier, "findings[].id", required=True) or str(node)
    where = f"findings[{ident}]"
    data: dict[str, Any] = {"id": ident}
    factor = reader.one(node, TG.factor, f"{where}.factor", required=True)
    if factor is not None:
        data["factor"] = reader.ident(
            terms.factor_ids, factor, "factor or construct", f"{where}.factor"
        )
    links: list[tuple[int, str, dict]] = []
    terms_by_driver: dict[str, str] = {}
    for text in reader.values(node, TG.driverTermInSource):
        driver_id, sep, term = str(text).partition(": ")
        if not sep:
            reader.problem(f"{where}.drivers", f"{str(text)!r} is not 'driver_id: term'")
            continue
        terms_by_driver[driver_id] = term
    for prop, basis in ((TG.driver, "stated"), (TG.proposedDriver, "proposed")):
        for iri in reader.values(node, prop):
            driver_id = reader.ident(terms.driver_ids, iri, "driver", f"{where}.drivers")
            if driver_id is None:
                continue
            link = {"driver": driver_id, "basis": basis}
            if driver_id in terms_by_driver:
                link["term_in_source"] = terms_by_driver.pop(driver_id)
            rank = terms.vocabulary.drivers[driver_id].rank or 0
            links.append((rank, driver_id, link))
    for driver_id in terms_by_driver:
        reader.problem(
            f"{where}.drivers", f"a driver term names {driver_id!r}, which is not linked"
        )
    data["drivers"] = [link for _, _, link in sorted(links, key=lambda t: (t[0], t[1]))]
    demographics = []
    for iri in reader.values(node, TG.demographic):
        group = reader.ident(
            terms.demographic_ids, iri, "demographic group", f"{where}.demographics"
        )
        if group is not None:
            demographics.append(group)
    data["demographics"] = sorted(demographics, key=lambda g: _demographic_key(terms.vocabulary, g))
    data["direction"] = reader.scale(node, TG.direction, "direction", f"{where}.direction", True)
    data["certainty"] = reader.scale(node, TG.certainty, "certainty", f"{where}.certainty", True)
    data["certainty_reasons"] = [str(o) for o in reader.values(node, TG.certaintyReason)]
    data["caveats"] = reader.scales(node, TG.caveat, "caveat", f"{where}.caveats")
    data["indirectness"] = reader.scales(
        node, TG.indirectness, "indirectness", f"{where}.indirectness"
    )
    measure = reader.scale(node, TG.effectMeasure, "effect-measure", f"{where}.effect.measure")
    if measure is not None:
        effect: dict[str, Any] = {"measure": measure}
        value = reader.number(node, TG.effectValue, f"{where}.effect.value")
        low = reader.number(node, TG.ciLower, f"{where}.effect.ci")
        high = reader.number(node, TG.ciUpper, f"{where}.effect.ci")
        if value is not None:
            effect["value"] = value
        if (low is None) != (high is None):
            reader.problem(
                f"{where}.effect.ci", "a confidence interval needs both tg:ciLower and tg:ciUpper"
            )
        elif low is not None:
            effect["ci"] = (low, high)
        for key, prop in (("k", TG.numberOfStudies), ("n", TG.sampleSize)):
            number = reader.integer(node, prop, f"{where}.effect.{key}")
            if number is not None:
                effect[key] = number
        for key, prop in (
            ("p", TG.pValue),
            ("text", TG.effectText),
            ("magnitude_in_source", TG.magnitudeInSource),
        ):
            text = reader.text(node, prop, f"{where}.effect.{key}")
            if text is not None:
                effect[key] = text
        data["effect"] = effect
    data["outcome_stages"] = reader.scales(
        node, TG.outcomeStage, "outcome-stage", f"{where}.outcome_stages"
    )
    for key, prop in (("outcome", TG.outcome), ("population", TG.population), ("note", TG.note)):
        text = reader.text(node, prop, f"{where}.{key}")
        if text is not None:
            data[key] = text
    data["locator"] = reader.text(node, TG.locator, f"{where}.locator", required=True)
    verified = reader.text(node, TG.verifiedFrom, f"{where}.verified_from")
    if verified is not None:
        data["verified_from"] = verified
    kind = reader.scale(node, TG.outcomeKind, "outcome-kind", f"{where}.outcome_kind")
    if kind is not None:
        data["outcome_kind"] = kind
    role = reader.scale(node, TG.triggerRole, "trigger-role", f"{where}.trigger_role")
    if role is not None:
        data["trigger_role"] = role
    data["added_by"] = reader.agent(node, f"{where}.added_by")
    data["added_on"] = reader.day(node, PROV.generatedAtTime, f"{where}.added_on")
    return data


def _demographic_key(vocabulary: Vocabulary, group: str) -> tuple:
    concept = vocabulary.demographics[group]
    dimension = vocabulary.dimensions.get(concept.dimension or "")
    return (dimension.rank if dimension and dimension.rank else 0, concept.rank or 0, group)


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
    return source.model_copy(
        update={
            "citation_flags": by_scale("citation-flag", source.citation_flags),
            "overlaps_with": sorted(source.overlaps_with),
            "findings": findings,
        }
    )
