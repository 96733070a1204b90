"""Query answers: the parsed ``QueryResult``, result formats by media type and their serialisation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
import pyoxigraph as ox

from triggergraph.exceptions import (
    QueryError,
    QueryTimeoutError,
    ResultLimitError,
)
from triggergraph.namespaces import PREFIXES
from triggergraph.store.terms import plain_value, result_json_term

#: Result formats ``Store.query_serialized`` accepts, by media type.
SELECT_FORMATS: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_FORMATS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
#: ASK answers exist in the two formats the SPARQL results specs define a boolean for.
ASK_FORMATS: tuple[str, ...] = ("application/sparql-results+json", "application/sparql-results+xml")

OX_RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
OX_GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass
class QueryResult:
    """A parsed query answer.

    ``kind`` is ``"select"`` (``variables`` and ``rows``), ``"ask"`` (``boolean``) or
    ``"graph"`` (``ntriples``: the triples as N-Triples text). Every row holds every
    variable; values are plain Python: IRIs as ``str``, blank nodes as ``"_:id"``, integer
    types as ``int``, ``xsd:decimal`` as ``Decimal``, ``xsd:double``/``xsd:float`` as
    ``float``, ``xsd:boolean`` as ``bool``, every other literal (dates and years included)
    as its lexical ``str``; ``None`` when unbound.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: str | None = None


# ---- results -----------------------------------------------------------------------------
def check_media_type(kind: str, media_type: str) -> str:
    """Return the media type if it can express a ``kind`` answer, else raise QueryError."""
    allowed = {
        "select": tuple(SELECT_FORMATS),
        "ask": ASK_FORMATS,
        "construct": tuple(GRAPH_FORMATS),
        "describe": tuple(GRAPH_FORMATS),
    }[kind]
    base = media_type.split(";")[0].strip().lower()
    if base not in allowed:
        raise QueryError(
            f"a {kind.upper()} answer cannot be given as {media_type!r}; "
            f"choose one of {', '.join(allowed)}"
        )
    return base


def serialize_solutions(
    variables: list[str], rows: Iterable[dict[str, Any]], media_type: str
) -> bytes:
    """Serialise SELECT rows (dicts of pyoxigraph terms) in a SPARQL results format.

    JSON is written here; XML, CSV and TSV by pyoxigraph from that JSON, so every
    backend gives byte-identical answers for identical data.
    """
    bindings = [{k: result_json_term(v) for k, v in row.items() if v is not None} for row in rows]
    body = orjson.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}})
    if media_type == "application/sparql-results+json":
        return body
    parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=OX_RESULT_FORMATS[media_type])


def serialize_boolean(value: bool, media_type: str) -> bytes:
    """Serialise an ASK answer."""
    body = orjson.dumps({"head": {}, "boolean": bool(value)})
    if media_type == "application/sparql-results+json":
        return body
    parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=OX_RESULT_FORMATS[media_type])


def serialize_triples(triples: list[ox.Triple], media_type: str) -> bytes:
    """Serialise CONSTRUCT/DESCRIBE triples with the shared prefixes."""
    fmt = OX_GRAPH_FORMATS[media_type]
    if fmt in (ox.RdfFormat.N_TRIPLES,):
        return ox.serialize(triples, format=fmt)
    return ox.serialize(triples, format=fmt, prefixes=PREFIXES)


def limit_error(max_rows: int, what: str = "rows") -> ResultLimitError:
    """The error for an answer longer than the result limit."""
    return ResultLimitError(
        f"result limit of {max_rows} {what} exceeded; add LIMIT or narrow the query"
    )


def timeout_error(timeout_s: float) -> QueryTimeoutError:
    """The error for a query that ran past its time limit."""
    return QueryTimeoutError(f"query ran longer than the time limit of {timeout_s:g} s")


# ---- answers shared by the backends ----------------------------------------------------
@dataclass
class Answer:
    """A query answer as pyoxigraph terms, before it becomes a QueryResult or bytes."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def to_result(self) -> QueryResult:
        """Convert to plain Python values."""
        if self.kind == "select":
            rows = [{v: plain_value(row.get(v)) for v in self.variables} for row in self.rows]
            return QueryResult("select", list(self.variables), rows)
        if self.kind == "ask":
            return QueryResult("ask", boolean=bool(self.boolean))
        text = ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        return QueryResult("graph", ntriples=text)

    def to_bytes(self, media_type: str) -> bytes:
        """Serialise in ``media_type`` (already checked with :func:`check_media_type`)."""
        if self.kind == "select":
            return serialize_solutions(self.variables, self.rows, media_type)
        if self.kind == "ask":
            return serialize_boolean(bool(self.boolean), media_type)
        return serialize_triples(self.triples, media_type)
