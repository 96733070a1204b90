"""The store interface every backend implements: named graphs per source, SPARQL, a version."""

from __future__ import annotations

import ctypes
import re
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import orjson
import pyoxigraph as ox
from rdflib import BNode as RdfBNode
from rdflib import Literal as RdfLiteral
from rdflib import URIRef

from triggergraph.exceptions import (
    ConflictError,
    EntryError,
    PreconditionFailedError,
    Problem,
    QueryError,
    QueryTimeoutError,
    ResultLimitError,
)
from triggergraph.namespaces import META_GRAPH, PREFIXES, TG
from triggergraph.store.guard import check_read_only, inject_values
from triggergraph.store.precheck import QueryLimits, precheck

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

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
INTEGER_TYPES = frozenset(
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: How many rows a worker reads between two looks at the clock.
DEADLINE_CHECK_EVERY = 256
#: ``expected`` revision of a graph that must not exist yet (a create).
ABSENT = ""
#: How long a write receipt stays in the meta graph, so the writer can read it back.
RECEIPT_KEEP_S = 300

T = TypeVar("T")


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


@dataclass(frozen=True)
class QueryDataset:
    """An RDF dataset named by the request (``default-graph-uri`` / ``named-graph-uri``).

    It replaces the query's own ``FROM``/``FROM NAMED`` clauses, as the SPARQL 1.1 Protocol
    says. An empty ``default_graphs`` is an empty default graph.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryRun:
    """One query as a backend runs it: text with values bound, form, limits and dataset.

    ``own_dataset`` tells that the text has ``FROM``/``FROM NAMED`` clauses (they then
    replace the union default graph); ``dataset`` is a dataset named by the request, which
    replaces both; ``client`` marks queries sent by endpoint clients (own workers).
    """

    text: str
    kind: str
    own_dataset: bool
    timeout_s: float
    max_rows: int
    dataset: QueryDataset | None = None
    client: bool = False


class Store(ABC):
    """A quad store holding one named graph per source plus the vocabulary and meta graphs.

    Every write is atomic (all of a named graph or nothing) and durable before it returns,
    and bumps :meth:`version`. The version and the content hash live in the store itself,
    in the named graph ``B graph/meta``, so processes sharing a store see each other's
    writes. The meta graph is bookkeeping: :meth:`graph_names` and :meth:`dump_nquads`
    leave it out and writes to it are refused.

    Queries see the union of all named graphs as their default graph unless they name
    their dataset (``FROM``, or a :class:`QueryDataset`), are read-only
    (:func:`triggergraph.store.guard.check_read_only`; client queries
    :func:`~triggergraph.store.precheck.precheck`), stop after ``timeout_s`` with
    :class:`QueryTimeoutError`, and refuse answers longer than the result limit with
    :class:`ResultLimitError` ("result limit of N rows exceeded") instead of truncating
    silently.
    """

    backend: str = "abstract"

    def __init__(
        self,
        base_iri: str,
        timeout_s: float = 10.0,
        result_limit: int = 10_000,
        query_limits: QueryLimits | None = None,
    ):
        self.base_iri = base_iri
        self.timeout_s = timeout_s
        self.result_limit = result_limit
        self.query_limits = query_limits or QueryLimits()
        self.meta_graph = base_iri + META_GRAPH

    # ---- writes --------------------------------------------------------------------
    @abstractmethod
    def replace_all(self, nquads: str, content_hash: str | None = None) -> str:
        """Replace the whole dataset with ``nquads`` (N-Quads text); return the new version.

        Every quad must sit in a named graph other than the meta graph; otherwise
        :class:`EntryError` and nothing changes.
        """

    def replace_graph(
        self,
        graph_iri: str,
        ntriples: str,
        expected: str | None = None,
        owned: Iterable[str] = (),
    ) -> str:
        """Atomically replace one named graph with ``ntriples``; return the new version.

        The write is compare-and-set: ``expected`` is the graph's revision the caller saw
        (:meth:`graph_versions`; :data:`ABSENT` for a graph that must not exist yet, None
        for no precondition), and no other named graph may hold a subject of ``owned``.
        Both are checked inside the same atomic update that writes, so of two writers
        racing on one graph (also in two processes sharing the store) exactly one wins;
        the other gets :class:`PreconditionFailedError` and nothing changes.

        Invalid N-Triples raise :class:`EntryError` (with line and column) and change
        nothing; the meta graph raises :class:`ConflictError`. The content hash stays.
        It is the one-graph case of :meth:`write_graphs`.
        """
        return self.write_graphs(
            {graph_iri: ntriples}, expected={graph_iri: expected}, owner=graph_iri, owned=owned
        )

    def delete_graph(self, graph_iri: str, expected: str | None = None) -> str:
        """Atomically drop one named graph; return the new version.

        ``expected`` as for :meth:`replace_graph`: a mismatch raises
        :class:`PreconditionFailedError` and nothing changes.
        """
        return self.write_graphs({graph_iri: None}, expected={graph_iri: expected})

    @abstractmethod
    def write_graphs(
        self,
        replace: Mapping[str, str | None],
        add: Mapping[str, str] | None = None,
        *,
        expected: Mapping[str, str | None] | None = None,
        owner: str | None = None,
        owned: Iterable[str] = (),
    ) -> str:
        """Apply several graph writes as one atomic, compare-and-set change; return the version.

        Parameters
        ----------
        replace : mapping of str to str or None
            Graph IRI to the N-Triples that become the whole graph; None or ``""`` drops it.
        add : mapping of str to str, optional
            Graph IRI to N-Triples added to what the graph already holds (a history that
            grows by one change per write).
        expected : mapping of str to str or None, optional
            Graph IRI to the revision it must have (:data:`ABSENT`: must not exist; None:
            no check), as for :meth:`replace_graph`.
        owner, owned
            No graph but ``owner`` may hold a subject of ``owned``. A failed precondition
            raises :class:`PreconditionFailedError` and nothing changes.

        Every graph written gets the new version as its revision; a dropped one loses its
        revision. Invalid N-Triples raise :class:`EntryError` and the meta graph
        :class:`ConflictError`, before anything changes. The content hash stays.
        """

    # ---- reads ---------------------------------------------------------------------
    @abstractmethod
    def graph_names(self) -> list[str]:
        """IRIs of the named graphs holding at least one triple, sorted, meta graph left out."""

    @abstractmethod
    def graph_ntriples(self, graph_iri: str) -> str:
        """N-Triples of one named graph ('' if it does not exist)."""

    @abstractmethod
    def dump_nquads(self) -> str:
        """The whole dataset as N-Quads, meta graph left out."""

    def query(
        self,
        sparql: str,
        bindings: dict[str, Any] | None = None,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a read-only query with bound values (never formatted into the text).

        ``bindings`` maps variable names to rdflib terms (``URIRef``, ``Literal``) or Python
        scalars (``str`` becomes a plain literal, never an IRI). ``timeout_s`` and
        ``max_rows`` default to the store's limits. For the app's own named queries: the
        text is checked by :func:`~triggergraph.store.guard.check_read_only`.
        """
        info = check_read_only(sparql)
        timeout, limit = self._limits(timeout_s, max_rows)
        text = bind_values(sparql, info.kind, bindings)
        run = QueryRun(text, info.kind, bool(info.dataset), timeout, limit)
        return self._run(run).to_result()

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        timeout_s: float | None = None,
        max_rows: int | None = None,
        dataset: QueryDataset | None = None,
    ) -> tuple[bytes, str]:
        """Run a client's read-only query; return ``(body, media type)`` in the requested format.

        The text first passes :func:`~triggergraph.store.precheck.precheck` with the
        store's :class:`QueryLimits`; ``dataset`` (from the request) replaces the query's
        own FROM clauses.
        """
        shape = precheck(sparql, self.query_limits)
        media = check_media_type(shape.kind, media_type)
        timeout, limit = self._limits(timeout_s, max_rows)
        own = bool(shape.default_graphs or shape.named_graphs)
        run = QueryRun(sparql, shape.kind, own, timeout, limit, dataset, client=True)
        return self._run(run).to_bytes(media), media

    def _run(self, run: QueryRun) -> Answer:
        """Run one checked query on the backend's engine (backends using the shared methods)."""
        raise NotImplementedError(f"the {self.backend} store runs queries its own way")

    @abstractmethod
    def version(self) -> str:
        """Opaque data version; changes on every write, also when another process wrote."""

    @abstractmethod
    def content_hash(self) -> str | None:
        """Hash of the literature last loaded with :meth:`replace_all`, if any."""

    @abstractmethod
    def graph_versions(self) -> tuple[str, dict[str, str]]:
        """The data version and the revision of every named graph, read in one snapshot.

        Each write sets the revision of the graphs it wrote to the version it returns, in
        the same atomic update (``<graph> tg:graphVersion "revision"`` in the meta graph):
        :meth:`replace_graph` that graph, :meth:`replace_all` every graph of the new
        dataset. A graph that is deleted or left empty loses its revision. A process that
        saw :meth:`version` change can so re-read only the graphs whose revision changed.

        Returns
        -------
        tuple of (str, dict of str to str)
            ``(data_version, {graph_iri: revision})``; ``data_version`` is what
            :meth:`version` returns at that moment ("0" for an empty store); the meta graph
            itself is never a key.
        """

    def ping(self) -> bool:
        """True when the store answers."""
        try:
            self.version()
        except Exception:
            return False
        return True

    def close(self) -> None:  # noqa: B027 - optional hook; backends without resources skip it
        """Release files, processes or connections."""

    # ---- shared helpers ------------------------------------------------------------
    def _refused(self, graph_iri: str, expected: str | None) -> PreconditionFailedError:
        """The error for a write whose gate did not open."""
        want = (
            "that it does not exist yet"
            if expected == ABSENT
            else f"revision {expected!r}"
            if expected is not None
            else "no finding of it in another graph"
        )
        return PreconditionFailedError(
            f"graph {graph_iri} was not written: the store no longer matches the precondition "
            f"({want}); another writer changed it first"
        )

    def _limits(self, timeout_s: float | None, max_rows: int | None) -> tuple[float, int]:
        return (
            self.timeout_s if timeout_s is None else timeout_s,
            self.result_limit if max_rows is None else max_rows,
        )

    def _check_graph_iri(self, graph_iri: str) -> ox.NamedNode:
        node = named_node(str(graph_iri), "graph_iri")
        if node.value == self.meta_graph:
            raise ConflictError(
                f"graph {graph_iri} is the store's bookkeeping graph and cannot be written directly"
            )
        return node


# ---- versions and meta ---------------------------------------------------------------
def new_version() -> str:
    """Return a fresh opaque version string (time-ordered, unique across processes).

    Examples
    --------
    >>> new_version() != new_version()
    True
    """
    return f"{time.time_ns():x}-{uuid.uuid4().hex[:12]}"


def meta_update(meta_graph: str, version: str, content_hash: str | None, keep_hash: bool) -> str:
    """Return SPARQL Update operations that set the version (and hash) in the meta graph.

    Values are serialised as escaped N-Triples terms, never pasted raw.

    Examples
    --------
    >>> "dataVersion" in meta_update("http://x/graph/meta", "v1", None, True)
    True
    """
    g = str(ox.NamedNode(meta_graph))
    ops = [f"DELETE WHERE {{ GRAPH {g} {{ {g} <{TG.dataVersion}> ?v }} }}"]
    data = [f"{g} <{TG.dataVersion}> {ox.Literal(version)} ."]
    if not keep_hash:
        ops.append(f"DELETE WHERE {{ GRAPH {g} {{ {g} <{TG.contentHash}> ?h }} }}")
        if content_hash is not None:
            data.append(f"{g} <{TG.contentHash}> {ox.Literal(content_hash)} .")
    ops.append("INSERT DATA { GRAPH " + g + " { " + " ".join(data) + " } }")
    return " ;\n".join(ops)


def graph_version_update(
    meta_graph: str,
    version: str,
    set_graphs: Iterable[str] = (),
    clear_graphs: Iterable[str] = (),
    clear_all: bool = False,
) -> str:
    """Return SPARQL Update operations that set or remove graph revisions in the meta graph.

    Every graph of ``set_graphs`` gets revision ``version`` (replacing its old one); the
    revisions of ``clear_graphs`` are removed, or of every graph with ``clear_all``. IRIs
    and the version are serialised as escaped N-Triples terms, never pasted raw.

    Parameters
    ----------
    meta_graph : str
        IRI of the meta graph that holds the revisions.
    version : str
        The revision to set (the version the write returns).
    set_graphs, clear_graphs : iterable of str
        Graph IRIs whose revision is set, respectively removed.
    clear_all : bool
        Remove every revision first (a whole-dataset replace).

    Returns
    -------
    str
        Operations joined by ``" ;"`` ('' when there is nothing to do).

    Examples
    --------
    >>> ops = graph_version_update("http://x/graph/meta", "v1", ["http://x/graph/s1"])
    >>> [op.split(" {")[0] for op in ops.split(" ;\\n")]
    ['DELETE WHERE', 'INSERT DATA']
    >>> graph_version_update("http://x/graph/meta", "v1", clear_all=True).count("?g")
    1
    """
    g = str(ox.NamedNode(meta_graph))
    predicate = f"<{TG.graphVersion}>"
    setting = [str(named_node(iri, "graph_iri")) for iri in set_graphs]
    ops = []
    if clear_all:
        ops.append(f"DELETE WHERE {{ GRAPH {g} {{ ?g {predicate} ?r }} }}")
    else:
        clearing = dict.fromkeys(setting + [str(named_node(i, "graph_iri")) for i in clear_graphs])
        ops.extend(f"DELETE WHERE {{ GRAPH {g} {{ {s} {predicate} ?r }} }}" for s in clearing)
    if setting:
        revision = str(ox.Literal(version))
        data = " ".join(f"{s} {predicate} {revision} ." for s in dict.fromkeys(setting))
        ops.append(f"INSERT DATA {{ GRAPH {g} {{ {data} }} }}")
    return " ;\n".join(ops)


def insert_data(quads_by_graph: dict[str, list[ox.Triple]]) -> str:
    """Return one ``INSERT DATA`` operation for the given triples per graph ('' if none)."""
    blocks = []
    for graph, triples in quads_by_graph.items():
        if not triples:
            continue
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        blocks.append(f"GRAPH {ox.NamedNode(graph)} {{\n{body}\n}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}" if blocks else ""


# ---- parsing input -------------------------------------------------------------------
def named_node(iri: str, field_name: str) -> ox.NamedNode:
    """Return ``iri`` as a validated absolute IRI or raise :class:`EntryError`.

    Examples
    --------
    >>> named_node("http://127.0.0.1:8000/graph/x", "graph_iri").value
    'http://127.0.0.1:8000/graph/x'
    """
    try:
        node = ox.NamedNode(iri)
    except ValueError as exc:
        raise EntryError(
            [Problem(None, None, field_name, f"{iri!r} is not a valid IRI ({exc})")]
        ) from None
    if ":" not in iri:
        raise EntryError([Problem(None, None, field_name, f"{iri!r} is not an absolute IRI")])
    return node


def _syntax_problem(exc: SyntaxError, what: str) -> EntryError:
    line = exc.lineno if isinstance(exc.lineno, int) else None
    return EntryError([Problem(what, line, "", f"invalid {what}: {exc.msg}")])


def parse_ntriples(text: str) -> list[ox.Triple]:
    """Parse N-Triples text; raise :class:`EntryError` naming the line on bad input.

    Examples
    --------
    >>> len(parse_ntriples('<http://a/s> <http://a/p> "x" .\\n'))
    1
    """
    try:
        return [q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]
    except SyntaxError as exc:
        raise _syntax_problem(exc, "N-Triples") from None


def parse_nquads(text: str, meta_graph: str) -> dict[str, list[ox.Triple]]:
    """Parse N-Quads into triples per named graph, refusing default-graph and meta quads."""
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        quads = list(ox.parse(text, format=ox.RdfFormat.N_QUADS))
    except SyntaxError as exc:
        raise _syntax_problem(exc, "N-Quads") from None
    for number, quad in enumerate(quads, start=1):
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode):
            raise EntryError(
                [
                    Problem(
                        "N-Quads",
                        None,
                        "",
                        f"quad {number} ({quad.triple}) has no named graph; "
                        "every triple must sit in a named graph",
                    )
                ]
            )
        if graph.value == meta_graph:
            raise ConflictError(f"quad {number} writes the bookkeeping graph {meta_graph}")
        graphs.setdefault(graph.value, []).append(quad.triple)
    return graphs


# ---- terms -----------------------------------------------------------------------------
def to_ox_term(name: str, value: Any) -> ox.NamedNode | ox.Literal:
    """Convert a bound value to a validated pyoxigraph term.

    rdflib ``URIRef``/``Literal`` keep their kind; ``str`` becomes a plain literal (an IRI
    must be a ``URIRef``); ``bool``/``int``/``float``/``Decimal`` become typed literals.

    Examples
    --------
    >>> str(to_ox_term("x", 'say "hi" }'))
    '"say \\\\"hi\\\\" }"'
    >>> str(to_ox_term("f", URIRef("http://127.0.0.1:8000/finding/t1")))
    '<http://127.0.0.1:8000/finding/t1>'
    """
    if not VARIABLE_NAME.match(name):
        raise QueryError(f"binding name {name!r} is not a SPARQL variable name")
    try:
        if isinstance(value, URIRef):
            return named_node(str(value), f"bindings[{name}]")
        if isinstance(value, RdfLiteral):
            if value.language:
                return ox.Literal(str(value), language=value.language)
            if value.datatype:
                return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
            return ox.Literal(str(value))
        if isinstance(value, RdfBNode):
            raise QueryError(f"binding {name!r}: blank nodes cannot be bound")
        if isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
        if isinstance(value, Decimal):
            return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
        if isinstance(value, float):
            return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
        if isinstance(value, str):
            return ox.Literal(value)
    except EntryError as exc:
        raise QueryError(str(exc)) from None
    except ValueError as exc:
        raise QueryError(f"binding {name!r}: {exc}") from None
    raise QueryError(
        f"binding {name!r}: cannot bind a {type(value).__name__}; use URIRef, Literal, str, "
        "int, float, Decimal or bool"
    )


def ox_from_rdflib(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term (from rdflib's query engine) to a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, RdfBNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def plain_value(term: Any) -> Any:
    """Convert a pyoxigraph term to the plain Python value :class:`QueryResult` rows hold.

    Examples
    --------
    >>> plain_value(ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")))
    7
    >>> plain_value(ox.NamedNode("http://127.0.0.1:8000/factor/detention"))
    'http://127.0.0.1:8000/factor/detention'
    >>> plain_value(ox.Literal("2017", datatype=ox.NamedNode(XSD + "gYear")))
    '2017'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype = term.datatype.value
    text = term.value
    try:
        if datatype in INTEGER_TYPES:
            return int(text)
        if datatype == XSD + "decimal":
            return Decimal(text)
        if datatype in (XSD + "double", XSD + "float"):
            return float(text)
        if datatype == XSD + "boolean":
            return text in ("true", "1")
    except (ValueError, InvalidOperation):
        return text
    return text


def result_json_term(term: Any) -> dict[str, str]:
    """One term as a SPARQL 1.1 JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
        out["datatype"] = term.datatype.value
    return out


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


# ---- bounded query workers ------------------------------------------------------------
class QueryRunner:
    """Run queries on a bounded set of daemon threads, giving up after a deadline.

    The caller waits at most ``timeout_s``. A query the engine cannot stop (pyoxigraph
    computes aggregates and sorts inside one native call that releases the GIL but has no
    cancel hook) keeps its worker busy until it finishes, so at most ``workers`` such
    queries burn CPU at once and later queries get :class:`QueryTimeoutError` ("busy")
    instead of piling up. Store reads and writes never go through the runner, so a
    runaway query never blocks them. With ``interruptible=True`` (pure-Python engines
    like rdflib) the worker is also stopped by raising an exception inside it.
    """

    def __init__(self, workers: int, interruptible: bool = False):
        self.workers = workers
        self.interruptible = interruptible
        self._slots = threading.BoundedSemaphore(workers)

    def run(self, work: Callable[[float], T], timeout_s: float) -> T:
        """Call ``work(deadline)`` in a worker; return its value or raise its error.

        ``deadline`` is a ``time.monotonic()`` value the work may check between rows.
        """
        deadline = time.monotonic() + timeout_s
        if not self._slots.acquire(timeout=timeout_s):
            raise QueryTimeoutError(
                f"all {self.workers} query workers are busy with earlier long queries; "
                "try again later"
            )
        done = threading.Event()
        outcome: dict[str, Any] = {}
        state_lock = threading.Lock()
        state = {"finished": False}

        def target() -> None:
            try:
                try:
                    outcome["value"] = work(deadline)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    outcome["error"] = exc
                finally:
                    with state_lock:
                        state["finished"] = True
            except BaseException:  # noqa: BLE001 - a stop request that came late
                pass
            finally:
                self._slots.release()
                done.set()

        thread = threading.Thread(target=target, name="triggergraph-query", daemon=True)
        thread.start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            if self.interruptible and thread.ident is not None:
                # Only while the work runs: a stop request must never hit the slot release.
                with state_lock:
                    if not state["finished"]:
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(thread.ident), ctypes.py_object(QueryTimeoutError)
                        )
            raise timeout_error(timeout_s)
        if "error" in outcome:
            error = outcome["error"]
            if isinstance(error, QueryTimeoutError) and not str(error):
                raise timeout_error(timeout_s)
            raise error
        return outcome["value"]


def check_deadline(count: int, deadline: float, timeout_s: float) -> None:
    """Raise QueryTimeoutError when ``deadline`` passed (looks every few rows)."""
    if count % DEADLINE_CHECK_EVERY == 0 and time.monotonic() > deadline:
        raise timeout_error(timeout_s)


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


def bind_values(sparql: str, kind: str, bindings: dict[str, Any] | None) -> str:
    """Return ``sparql`` with ``bindings`` as a VALUES block first in its WHERE group.

    Every value goes through :func:`to_ox_term` (IRIs validated, literals escaped by
    pyoxigraph's N-Triples writer), so a value can never change the query's structure.
    Every backend binds this way, so bound queries mean the same on all of them.

    Examples
    --------
    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", "select", {"o": 'a"} }'})
    'SELECT ?s WHERE { VALUES (?o) { ("a\\\\"} }") } ?s ?p ?o }'
    """
    if not bindings:
        return sparql
    names = list(bindings)
    terms = [str(to_ox_term(name, bindings[name])) for name in names]
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
    return inject_values(sparql, kind, block)
