"""Source models to RDF (one named graph per source) and back; the dataset build and its serialisations.

``terms`` holds the field-to-property table and N-Triples syntax, ``write`` turns a source into
triples, ``read`` turns a named graph back into a source (``triples`` indexes the graph,
``reader`` reads its nodes), ``dataset`` builds and serialises the
whole dataset. The mapping itself is described in docs/architecture.md ("RDF of one source").
"""

from __future__ import annotations

from .dataset import (
    CONTEXT_PATH,
    DIST_FILES,
    PARSE_FORMATS,
    build_dataset,
    build_nquads,
    parse_rdf,
    serialize_dataset,
    write_dist,
)
from .read import canonical_source, read_source
from .terms import (
    FIELD_PROPERTIES,
    agent_slug,
    decimal_literal,
    iri_safe,
    new_dataset,
    new_graph,
    nt_term,
    ntriples_of,
)
from .triples import TripleIndex
from .write import source_graph, source_ntriples, source_triples, sources_graph, vocabulary_ntriples

__all__ = [
    "CONTEXT_PATH",
    "DIST_FILES",
    "FIELD_PROPERTIES",
    "PARSE_FORMATS",
    "TripleIndex",
    "agent_slug",
    "build_dataset",
    "build_nquads",
    "canonical_source",
    "decimal_literal",
    "iri_safe",
    "new_dataset",
    "new_graph",
    "nt_term",
    "ntriples_of",
    "parse_rdf",
    "read_source",
    "serialize_dataset",
    "source_graph",
    "source_ntriples",
    "source_triples",
    "sources_graph",
    "vocabulary_ntriples",
    "write_dist",
]
