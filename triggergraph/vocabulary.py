"""Factors, constructs, drivers, demographics and scales, read from the ontology files in ``ontology/``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from .config import get_settings
from .exceptions import ConfigError, NotFoundError
from .namespaces import SCALE_SCHEMES, TG
from .store.terms import rdflib_from_ox

LANGUAGES: tuple[str, ...] = ("nl", "en")

#: rdf:type of each kind of concept
KIND_CLASSES: dict[str, URIRef] = {
    "factor": TG.TriggerFactor,
    "construct": TG.RiskConstruct,
    "driver": TG.Driver,
    "dimension": TG.DemographicDimension,
    "demographic": TG.DemographicValue,
    "level": TG.Level,
    "group": TG.FactorGroup,
}

#: SKOS mapping properties by which a construct points at the trigger factors it informs
MAPPING_PROPERTIES: dict[URIRef, str] = {
    SKOS.exactMatch: "exactMatch",
    SKOS.closeMatch: "closeMatch",
    SKOS.broadMatch: "broadMatch",
    SKOS.narrowMatch: "narrowMatch",
    SKOS.relatedMatch: "relatedMatch",
    TG.oppositeOf: "oppositeOf",
}
#: Mapping names whose evidence counts toward the factor with its direction inverted.
INVERTING_MAPPINGS: frozenset[str] = frozenset({"oppositeOf"})


class Route(NamedTuple):
    """How evidence on a factor or construct reaches one trigger factor."""

    factor: str
    #: the evidence is about the trigger factor itself (or a narrower factor)
    direct: bool
    #: a protective opposite: the finding's direction counts inverted
    inverted: bool
    #: one of several events named together: context, not a vote
    bundle: bool


@lru_cache(maxsize=4096, typed=True)
def _route(factor: str, direct: bool, inverted: bool, bundle: bool) -> Route:
    """One :class:`Route` object per route: the read model holds one per routed finding
    (90,000 at 100k findings), and they are immutable."""
    return Route(factor, direct, inverted, bundle)


@dataclass(frozen=True)
class Concept:
    """One concept of a scheme, with labels in Dutch and English."""

    id: str
    iri: str
    kind: str
    labels: dict[str, str]
    definitions: dict[str, str] = field(default_factory=dict)
    alt_labels: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    rank: int | None = None
    level: str | None = None
    group: str | None = None
    dimension: str | None = None
    broader: str | None = None
    report_section: str | None = None
    report_page: int | None = None
    verified: bool | None = None
    tool_page: str | None = None
    #: for constructs: (trigger factor id, SKOS mapping name) pairs
    maps_to: tuple[tuple[str, str], ...] = ()
    #: for constructs: why the construct is mapped as it is (``tg:mappingNote``), per language
    mapping_notes: dict[str, str] = field(default_factory=dict)
    #: the works a term was taken from (``dcterms:source``), as cited there
    sources: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        """Return the label in ``lang``, falling back to the other language."""
        return self.labels.get(lang) or next(iter(self.labels.values()), self.id)


@dataclass(frozen=True)
class Vocabulary:
    """Every controlled value an entry may use, each a :class:`Concept`.

    ``concepts[kind][id]`` for kinds in :data:`KIND_CLASSES`; ``scales[scheme][notation]`` for
    the schemes in :data:`~triggergraph.namespaces.SCALE_SCHEMES`.
    """

    base_iri: str
    concepts: dict[str, dict[str, Concept]]
    scales: dict[str, dict[str, Concept]]
    graph: Graph = field(repr=False, compare=False)

    # ---- lookups -----------------------------------------------------------------
    @property
    def factors(self) -> dict[str, Concept]:
        return self.concepts["factor"]

    @property
    def constructs(self) -> dict[str, Concept]:
        return self.concepts["construct"]

    @property
    def drivers(self) -> dict[str, Concept]:
        return self.concepts["driver"]

    @property
    def demographics(self) -> dict[str, Concept]:
        return self.concepts["demographic"]

    @property
    def dimensions(self) -> dict[str, Concept]:
        return self.concepts["dimension"]

    def concept(self, kind: str, ident: str) -> Concept:
        """Return one concept or raise :class:`NotFoundError` with close ids."""
        table = self.scales[kind] if kind in self.scales else self.concepts[kind]
        try:
            return table[ident]
        except KeyError:
            raise NotFoundError(kind, ident, suggest(ident, table)) from None

    def factor_or_construct(self, ident: str) -> Concept:
        """Return a trigger factor or a related construct by id."""
        if ident in self.factors:
            return self.factors[ident]
        if ident in self.constructs:
            return self.constructs[ident]
        raise NotFoundError("factor", ident, suggest(ident, {**self.factors, **self.constructs}))

    def values_of(self, dimension: str) -> list[Concept]:
        """Return the demographic values of one dimension, in scale order."""
        values = [c for c in self.demographics.values() if c.dimension == dimension]
        return sorted(values, key=lambda c: (c.rank or 0, c.id))

    def triggers_for(self, ident: str) -> list[tuple[str, bool]]:
        """Return ``(trigger factor id, direct)`` pairs that evidence on ``ident`` counts toward.

        A trigger factor counts for itself (direct) and for its broader factor (direct); a
        construct counts, indirectly, for every factor it is mapped to and for their broader
        factors, just as evidence on the narrower factor itself would. Bundles (see
        :meth:`routes_for`) are left out: they are context, never a vote.

        Examples
        --------
        >>> load_vocabulary().triggers_for("meeting_radical_person_friends")
        [('meeting_radical_person_friends', True), ('meeting_radical_person', True)]
        """
        return [(r.factor, r.direct) for r in self.routes_for(ident) if not r.bundle]

    def routes_for(self, ident: str) -> list[Route]:
        """Every trigger factor that evidence on ``ident`` reaches, and how.

        A construct mapped with ``tg:oppositeOf`` reaches its factor *inverted* (its protective
        opposite). A construct mapped ``skos:narrowMatch`` to several factors names several
        events at once: it reaches each of them only as a *bundle*, which is context and never
        a vote ("one event, one finding").

        Examples
        --------
        >>> [tuple(r) for r in load_vocabulary().routes_for("school_attachment")]
        [('job_loss_or_school_dropout', False, True, False)]
        """
        if ident in self.factors:
            out = [_route(ident, True, False, False)]
            broader = self.factors[ident].broader
            if broader:
                out.append(_route(broader, True, False, False))
            return out
        construct = self.constructs.get(ident)
        if construct is None:
            return []
        narrow = sum(1 for _, name in construct.maps_to if name == "narrowMatch")
        out: list[Route] = []
        seen: set[str] = set()
        for factor_id, name in construct.maps_to:
            inverted = name in INVERTING_MAPPINGS
            bundle = name == "narrowMatch" and narrow > 1
            for target in (
                factor_id,
                self.factors[factor_id].broader if factor_id in self.factors else None,
            ):
                if target and target not in seen:
                    seen.add(target)
                    out.append(_route(target, False, inverted, bundle))
        return out

    def ordered_factors(self) -> list[Concept]:
        """Trigger factors by level (micro, meso, macro), then report section, then id."""
        level_rank = {c.id: c.rank or 0 for c in self.concepts["level"].values()}
        return sorted(
            self.factors.values(),
            key=lambda c: (level_rank.get(c.level or "", 9), _section_key(c.report_section), c.id),
        )

    def ordered(self, kind: str) -> list[Concept]:
        """Concepts of one kind in their scale order."""
        return sorted(self.concepts[kind].values(), key=lambda c: (c.rank or 0, c.id))


def _section_key(section: str | None) -> tuple:
    if not section:
        return (999,)
    return tuple(int(part) if part.isdigit() else 999 for part in section.split("."))


def suggest(value: object, choices, n: int = 3) -> list[str]:
    """Return up to ``n`` choices close to ``value``.

    Examples
    --------
    >>> suggest("radical_frends", ["radical_friends", "radical_family", "poverty"])
    ['radical_friends', 'radical_family']
    """
    text = str(value)
    options = list(choices)
    close = difflib.get_close_matches(text, options, n=n, cutoff=0.6)
    if not close:
        lowered = text.lower()
        close = [o for o in options if lowered and (lowered in o.lower() or o.lower() in lowered)][
            :n
        ]
    return close


def ontology_files(ontology_dir: Path) -> list[Path]:
    """The Turtle files that make up the vocabulary (everything but the SHACL shapes)."""
    files = sorted(p for p in Path(ontology_dir).glob("*.ttl") if p.name != "shapes.ttl")
    if not files:
        raise ConfigError(f"no ontology files (*.ttl) in {ontology_dir}")
    return files


def read_ontology_graph(ontology_dir: Path, base_iri: str) -> Graph:
    """Parse the ontology files with relative IRIs resolved against ``base_iri``.

    Oxigraph parses the Turtle (rdflib's own parser took about 0.13 s of every start); the
    graph gets the same triples in the same order and the same prefixes as rdflib's
    parser gives it.
    """
    graph = Graph()
    for path in ontology_files(ontology_dir):
        try:
            parser = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=base_iri)
            for triple in parser:
                graph.add(
                    (
                        rdflib_from_ox(triple.subject),
                        rdflib_from_ox(triple.predicate),
                        rdflib_from_ox(triple.object),
                    )
                )
        except SyntaxError as error:
            raise ConfigError(f"{path}: {error}") from None
        for prefix, namespace in parser.prefixes.items():
            graph.bind(prefix, namespace)
    return add_concept_types(graph)


def add_concept_types(graph: Graph) -> Graph:
    """Type every concept of a scheme ``skos:Concept`` as well as its own class; return ``graph``.

    The ontology's classes are subclasses of ``skos:Concept``, but SKOS tools that do not
    reason (Skosmos, qSKOS) only see a type that is stated.

    Examples
    --------
    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:x:a"), SKOS.inScheme, URIRef("urn:x:s")))
    >>> (URIRef("urn:x:a"), RDF.type, SKOS.Concept) in add_concept_types(g)
    True
    """
    for concept in set(graph.subjects(SKOS.inScheme, None)):
        graph.add((concept, RDF.type, SKOS.Concept))
    return graph


def _texts(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for obj in graph.objects(subject, predicate):
        if isinstance(obj, Literal) and obj.language in LANGUAGES:
            out[obj.language] = str(obj)
    return out


def _one(graph: Graph, subject: URIRef, predicate: URIRef):
    return next(iter(sorted(graph.objects(subject, predicate))), None)


def _notation_of(graph: Graph, iri) -> str | None:
    value = _one(graph, iri, SKOS.notation) if iri is not None else None
    return str(value) if value is not None else None


def _concept(graph: Graph, iri: URIRef, kind: str) -> Concept:
    notation = _notation_of(graph, iri)
    if notation is None:
        raise ConfigError(f"concept {iri} has no skos:notation")
    rank = _one(graph, iri, TG.rank)
    page = _one(graph, iri, TG.reportPage)
    verified = _one(graph, iri, TG.verified)
    section = _one(graph, iri, TG.reportSection)
    tool = _one(graph, iri, TG.practitionerToolPage)
    maps_to = []
    for prop, name in MAPPING_PROPERTIES.items():
        for target in graph.objects(iri, prop):
            target_id = _notation_of(graph, target)
            if target_id is not None and (target, RDF.type, TG.TriggerFactor) in graph:
                maps_to.append((target_id, name))
    return Concept(
        id=notation,
        iri=str(iri),
        kind=kind,
        labels=_texts(graph, iri, SKOS.prefLabel),
        definitions=_texts(graph, iri, SKOS.definition),
        alt_labels=tuple(sorted(str(o) for o in graph.objects(iri, SKOS.altLabel))),
        notes=_texts(graph, iri, SKOS.editorialNote),
        rank=int(rank) if rank is not None else None,
        level=_notation_of(graph, _one(graph, iri, TG.level)),
        group=_notation_of(graph, _one(graph, iri, TG.group)),
        dimension=_notation_of(graph, _one(graph, iri, TG.dimension)),
        broader=_notation_of(graph, _one(graph, iri, SKOS.broader)),
        report_section=str(section) if section is not None else None,
        report_page=int(page) if page is not None else None,
        verified=bool(verified.toPython()) if verified is not None else None,
        tool_page=str(tool) if tool is not None else None,
        maps_to=tuple(sorted(maps_to)),
        mapping_notes=_texts(graph, iri, TG.mappingNote),
        sources=tuple(sorted(str(o) for o in graph.objects(iri, DCTERMS.source))),
    )


def build_vocabulary(graph: Graph, base_iri: str) -> Vocabulary:
    """Read every concept and scale out of a parsed ontology graph."""
    concepts: dict[str, dict[str, Concept]] = {}
    for kind, cls in KIND_CLASSES.items():
        table: dict[str, Concept] = {}
        for iri in graph.subjects(RDF.type, cls):
            concept = _concept(graph, iri, kind)
            if concept.id in table:
                raise ConfigError(f"two {kind} concepts share the id {concept.id!r}")
            table[concept.id] = concept
        concepts[kind] = table
    scales: dict[str, dict[str, Concept]] = {}
    for scheme in SCALE_SCHEMES:
        scheme_iri = URIRef(f"{base_iri}scheme/{scheme}")
        table = {}
        for iri in graph.subjects(SKOS.inScheme, scheme_iri):
            concept = _concept(graph, iri, scheme)
            table[concept.id] = concept
        if not table:
            raise ConfigError(f"the ontology defines no values for the scale {scheme!r}")
        scales[scheme] = table
    return Vocabulary(base_iri=base_iri, concepts=concepts, scales=scales, graph=graph)


@lru_cache(maxsize=8)
def _cached_vocabulary(ontology_dir: str, base_iri: str, stamp: tuple) -> Vocabulary:
    return build_vocabulary(read_ontology_graph(Path(ontology_dir), base_iri), base_iri)


def load_vocabulary(ontology_dir: Path | None = None, base_iri: str | None = None) -> Vocabulary:
    """Load (and cache) the vocabulary from ``ontology_dir`` under ``base_iri``.

    Parameters
    ----------
    ontology_dir : Path, optional
        Folder with the ontology Turtle files; defaults to the settings.
    base_iri : str, optional
        Base against which concept IRIs are resolved; defaults to the settings.

    Examples
    --------
    >>> vocab = load_vocabulary()
    >>> vocab.factors["detention"].label("nl")
    'Detentie'
    """
    settings = get_settings()
    folder = Path(ontology_dir or settings.ontology_dir)
    base = base_iri or settings.base_iri
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in ontology_files(folder))
    return _cached_vocabulary(str(folder.resolve()), base, stamp)
