"""The SPARQL 1.1 Service Description of ``/sparql`` (what ``GET /sparql`` without a query answers)."""

from __future__ import annotations

import pyoxigraph as ox

from triggergraph.store.base import GRAPH_FORMATS, SELECT_FORMATS, serialize_triples
from triggergraph.store.precheck import QueryLimits

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
FORMATS = "http://www.w3.org/ns/formats/"
#: media type -> the W3C format IRI (https://www.w3.org/ns/formats/)
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
}


def service_description(
    endpoint: str, limits: QueryLimits, timeout_s: float, max_rows: int, media_type: str
) -> bytes:
    """The service description of the endpoint at ``endpoint``, in ``media_type``.

    It states the language (SPARQL 1.1 Query, read-only), the result formats, the default
    dataset (the union of the data graphs; bookkeeping graphs are left out) and, in an
    ``rdfs:comment``, the limits a query must keep to.

    Examples
    --------
    >>> text = service_description("http://x/sparql", QueryLimits(), 10, 100, "text/turtle")
    >>> b"SPARQL11Query" in text
    True
    """
    service = ox.NamedNode(endpoint)
    dataset = ox.NamedNode(endpoint + "#dataset")
    default_graph = ox.NamedNode(endpoint + "#default-graph")

    def triple(subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Triple:
        return ox.Triple(subject, ox.NamedNode(predicate), obj)

    triples = [
        triple(service, RDF_TYPE, ox.NamedNode(SD + "Service")),
        triple(service, SD + "endpoint", service),
        triple(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query")),
        triple(service, SD + "defaultDataset", dataset),
        triple(dataset, RDF_TYPE, ox.NamedNode(SD + "Dataset")),
        triple(dataset, SD + "defaultGraph", default_graph),
        triple(default_graph, RDF_TYPE, ox.NamedNode(SD + "Graph")),
        triple(
            default_graph,
            RDFS_COMMENT,
            ox.Literal(
                "The default graph is the union of the data graphs (vocabulary and one graph "
                "per source); the bookkeeping graphs under graph/meta are left out. FROM, "
                "FROM NAMED, default-graph-uri and named-graph-uri choose other graphs.",
                language="en",
            ),
        ),
        triple(
            service,
            RDFS_COMMENT,
            ox.Literal(
                "Read-only: updates and SERVICE are refused. Limits checked before a query "
                f"runs: at most {limits.max_chars} characters, {limits.max_depth} nested "
                f"brackets, {limits.max_chain} operands in one chain, "
                f"{limits.max_triple_patterns} triple patterns and {limits.max_path_closures} "
                f"property paths with * or +. A query runs at most {timeout_s:g} s and "
                f"answers at most {max_rows} rows.",
                language="en",
            ),
        ),
    ]
    for media in [*SELECT_FORMATS, *GRAPH_FORMATS]:
        triples.append(
            triple(service, SD + "resultFormat", ox.NamedNode(FORMATS + FORMAT_IRIS[media]))
        )
    return serialize_triples(triples, media_type)
