"""IRIs and prefixes: the closed ``TG`` vocabulary and the IRI scheme for concepts and data.

``TG`` lists every class and property of ``ontology/triggergraph.ttl``; a test checks the two
agree, so a typo in a term fails at import time instead of silently minting a new IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

TG_IRI = "https://w3id.org/triggergraph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/triggergraph/ontology"


class TG(DefinedNamespace):
    """The triggergraph ontology terms (classes and properties)."""

    _NS = Namespace(TG_IRI)
    _fail = True

    # classes
    CitedWork: URIRef
    DemographicDimension: URIRef
    DemographicValue: URIRef
    Driver: URIRef
    FactorGroup: URIRef
    Finding: URIRef
    Level: URIRef
    RiskConstruct: URIRef
    ScaleValue: URIRef
    Source: URIRef
    TriggerFactor: URIRef
    # properties
    aboutFactor: URIRef
    caveat: URIRef
    certainty: URIRef
    certaintyReason: URIRef
    ciLower: URIRef
    ciUpper: URIRef
    citationFlag: URIRef
    citationNote: URIRef
    citedAt: URIRef
    coAuthors: URIRef
    contentHash: URIRef
    contextNote: URIRef
    dataVersion: URIRef
    demographic: URIRef
    design: URIRef
    dimension: URIRef
    direction: URIRef
    driver: URIRef
    driverTermInSource: URIRef
    effectMeasure: URIRef
    effectText: URIRef
    effectValue: URIRef
    factor: URIRef
    firstAuthor: URIRef
    graphVersion: URIRef
    group: URIRef
    indirectness: URIRef
    level: URIRef
    locator: URIRef
    mappingNote: URIRef
    lowerBound: URIRef
    magnitudeInSource: URIRef
    note: URIRef
    numberOfStudies: URIRef
    oppositeOf: URIRef
    originalId: URIRef
    outcome: URIRef
    outcomeKind: URIRef
    outcomeStage: URIRef
    overlapsWith: URIRef
    pValue: URIRef
    population: URIRef
    practitionerToolPage: URIRef
    proposedDriver: URIRef
    rank: URIRef
    reportPage: URIRef
    reportSection: URIRef
    region: URIRef
    reportedIn: URIRef
    sampleSize: URIRef
    sizeBand: URIRef
    sourceType: URIRef
    studyDesign: URIRef
    triggerRole: URIRef
    upperBound: URIRef
    venue: URIRef
    verified: URIRef
    verifiedFrom: URIRef
    writeLock: URIRef
    writeReceipt: URIRef


BIBO = Namespace("http://purl.org/ontology/bibo/")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")

#: Prefixes shared by every serialisation and every named SPARQL query.
PREFIXES: dict[str, str] = {
    "tg": TG_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "bibo": str(BIBO),
    "fabio": str(FABIO),
    "cito": str(CITO),
}

#: Path segment of each kind of IRI under the base; ``iri_for(base, "factor", "detention")``.
IRI_KINDS: dict[str, str] = {
    "factor": "factor",
    "construct": "construct",
    "driver": "driver",
    "demographic": "demographic",
    "level": "level",
    "group": "group",
    "scheme": "scheme",
    "source": "source",
    "finding": "finding",
    "graph": "graph",
    "agent": "agent",
    "cited": "cited",
}

#: Concept scheme (path under ``scale/``) of each scale a finding or source uses.
SCALE_SCHEMES: tuple[str, ...] = (
    "certainty",
    "size-band",
    "direction",
    "trigger-role",
    "outcome-stage",
    "outcome-kind",
    "region",
    "effect-flag",
    "study-design",
    "source-type",
    "effect-measure",
    "caveat",
    "indirectness",
    "citation-flag",
)

VOCABULARY_GRAPH = "graph/vocabulary"
META_GRAPH = "graph/meta"


def iri_for(base: str, kind: str, ident: str) -> URIRef:
    """Return the IRI of ``ident`` of the given kind under ``base``.

    Examples
    --------
    >>> iri_for("http://127.0.0.1:8000/", "factor", "detention")
    rdflib.term.URIRef('http://127.0.0.1:8000/factor/detention')
    """
    return URIRef(f"{base}{IRI_KINDS[kind]}/{ident}")


def scale_iri(base: str, scheme: str, value: str) -> URIRef:
    """Return the IRI of a scale value.

    Examples
    --------
    >>> scale_iri("http://127.0.0.1:8000/", "certainty", "B")
    rdflib.term.URIRef('http://127.0.0.1:8000/scale/certainty/B')
    """
    if scheme not in SCALE_SCHEMES:
        raise KeyError(scheme)
    return URIRef(f"{base}scale/{scheme}/{value}")


def source_graph_iri(base: str, source_id: str) -> URIRef:
    """Return the named graph that holds one source and its findings."""
    return iri_for(base, "graph", source_id)
