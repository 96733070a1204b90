"""The field-to-property table, the IRI lookups of a vocabulary and N-Triples term syntax."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD
from rdflib.term import Node

from ..namespaces import BIBO, CITO, PREFIXES, TG, scale_iri
from ..vocabulary import Vocabulary

#: Model field -> the properties that carry it (first one is the main property). The drift
#: test checks this table against the pydantic models and ``ontology/shapes.ttl``, so a new
#: model field without a property fails.
FIELD_PROPERTIES: dict[str, dict[str, tuple[URIRef, ...]]] = {
    "Source": {
        "id": (DCTERMS.identifier,),
        "type": (TG.sourceType, RDF.type),
        "authors": (DCTERMS.creator, BIBO.authorList),
        "year": (DCTERMS.issued,),
        "title": (DCTERMS.title,),
        "venue": (TG.venue,),
        "doi": (BIBO.doi,),
        "url": (BIBO.uri,),
        "language": (DCTERMS.language,),
        "design": (TG.design,),
        "study_design": (TG.studyDesign,),
        "citation_note": (TG.citationNote,),
        "citation_flags": (TG.citationFlag,),
        "overlaps_with": (TG.overlapsWith,),
        "context_notes": (TG.contextNote,),
        "cites": (CITO.cites,),
        "added_by": (PROV.wasAttributedTo,),
        "added_on": (PROV.generatedAtTime,),
        "findings": (TG.reportedIn, CITO.citesAsEvidence),
    },
    "Finding": {
        "id": (DCTERMS.identifier,),
        "factor": (TG.factor,),
        "drivers": (TG.driver, TG.proposedDriver, TG.driverTermInSource),
        "demographics": (TG.demographic,),
        "direction": (TG.direction,),
        "certainty": (TG.certainty,),
        "certainty_reasons": (TG.certaintyReason,),
        "caveats": (TG.caveat,),
        "indirectness": (TG.indirectness,),
        "effect": (TG.effectMeasure, TG.sizeBand),
        "outcome_stages": (TG.outcomeStage,),
        "outcome": (TG.outcome,),
        "outcome_kind": (TG.outcomeKind,),
        "population": (TG.population,),
        "region": (TG.region,),
        "locator": (TG.locator,),
        "verified_from": (TG.verifiedFrom,),
        "trigger_role": (TG.triggerRole,),
        "note": (TG.note,),
        "added_by": (PROV.wasAttributedTo,),
        "added_on": (PROV.generatedAtTime,),
    },
    "Effect": {
        "measure": (TG.effectMeasure,),
        "value": (TG.effectValue,),
        "ci": (TG.ciLower, TG.ciUpper),
        "k": (TG.numberOfStudies,),
        "n": (TG.sampleSize,),
        "p": (TG.pValue,),
        "text": (TG.effectText,),
        "magnitude_in_source": (TG.magnitudeInSource,),
    },
    "DriverLink": {
        "driver": (TG.driver, TG.proposedDriver),
        "basis": (TG.driver, TG.proposedDriver),
        "term_in_source": (TG.driverTermInSource,),
    },
    "CitedWork": {
        "first_author": (TG.firstAuthor,),
        "year": (DCTERMS.issued,),
        "co_authors": (TG.coAuthors,),
        "note": (TG.note,),
        "locator": (TG.citedAt,),
        "factor": (TG.aboutFactor,),
    },
    "ContextNote": {
        "id": (TG.originalId,),
        "text": (RDF.value,),
        "locator": (TG.locator,),
        "verified_from": (TG.verifiedFrom,),
    },
}

#: Characters a URL may hold (models allow any non-space) that an IRI may not.
_IRI_UNSAFE = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')


#: Characters N-Triples must escape inside a quoted literal.
_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


# ---- terms of one vocabulary ----------------------------------------------------------------
@dataclass(frozen=True)
class Terms:
    """IRI <-> id lookups of one vocabulary, built once per build."""

    base: str
    vocabulary: Vocabulary
    factor_iris: dict[str, URIRef]
    factor_ids: dict[URIRef, str]
    driver_ids: dict[URIRef, str]
    demographic_ids: dict[URIRef, str]
    source_classes: dict[str, URIRef]

    @classmethod
    def of(cls, vocabulary: Vocabulary) -> Terms:
        factor_iris = {
            c.id: URIRef(c.iri)
            for table in (vocabulary.factors, vocabulary.constructs)
            for c in table.values()
        }
        source_classes = {}
        for notation in vocabulary.scales["source-type"]:
            match = vocabulary.graph.value(
                scale_iri(vocabulary.base_iri, "source-type", notation), SKOS.exactMatch
            )
            if isinstance(match, URIRef):
                source_classes[notation] = match
        return cls(
            base=vocabulary.base_iri,
            vocabulary=vocabulary,
            factor_iris=factor_iris,
            factor_ids={iri: ident for ident, iri in factor_iris.items()},
            driver_ids={URIRef(c.iri): c.id for c in vocabulary.drivers.values()},
            demographic_ids={URIRef(c.iri): c.id for c in vocabulary.demographics.values()},
            source_classes=source_classes,
        )

    def scale(self, scheme: str, value: str) -> URIRef:
        return scale_iri(self.base, scheme, value)

    def scale_id(self, scheme: str, iri: object) -> str | None:
        prefix = f"{self.base}scale/{scheme}/"
        text = str(iri)
        if isinstance(iri, URIRef) and text.startswith(prefix):
            return text[len(prefix) :]
        return None


# ---- small helpers ---------------------------------------------------------------------------
def agent_slug(name: str) -> str:
    """Return the path segment of the agent IRI of a person or group name.

    Examples
    --------
    >>> agent_slug("triggergraph curators")
    'triggergraph-curators'
    >>> agent_slug("Müller, K.")
    'muller-k'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "agent-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def iri_safe(url: str) -> str:
    """Percent-encode the few characters a URL in an entry may hold but an IRI may not.

    Examples
    --------
    >>> iri_safe("https://example.org/a|b")
    'https://example.org/a%7Cb'
    """
    return _IRI_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", url)


def decimal_literal(number: float) -> Literal:
    """Return ``number`` as an exact ``xsd:decimal`` literal of its shortest repr.

    Examples
    --------
    >>> str(decimal_literal(-0.09))
    '-0.09'
    >>> str(decimal_literal(1e-05))
    '0.00001'
    """
    text = format(Decimal(repr(float(number))), "f")
    return Literal(text, datatype=XSD.decimal)


def _text(value: str) -> Literal:
    return Literal(value)


def _year(year: int) -> Literal:
    return Literal(f"{year:04d}", datatype=XSD.gYear)


def new_graph(identifier: URIRef | None = None) -> Graph:
    """Return an empty graph with the shared prefixes bound."""
    graph = Graph(identifier=identifier, bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def nt_term(term: Node) -> str:
    r"""Return one RDF term in N-Triples syntax.

    Examples
    --------
    >>> print(nt_term(Literal('say "hi"')))
    "say \"hi\""
    >>> print(nt_term(decimal_literal(-0.09)))
    "-0.09"^^<http://www.w3.org/2001/XMLSchema#decimal>
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).translate(_NT_ESCAPES)
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def nt_lines(triples, graph: URIRef | None = None) -> set[str]:
    """Return the N-Triples (or, with ``graph``, N-Quads) lines of ``triples``, without duplicates."""
    tail = " ." if graph is None else f" <{graph}> ."
    return {f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{tail}" for s, p, o in triples}


def ntriples_of(graph: Graph) -> str:
    """Return the triples of ``graph`` as sorted N-Triples (one statement per line)."""
    return "".join(line + "\n" for line in sorted(nt_lines(graph)))


def new_dataset() -> Dataset:
    """Return an empty dataset with the shared prefixes bound."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    return dataset
