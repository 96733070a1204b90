"""Tests of the store backends (memory, embedded Oxigraph, real ``oxigraph serve``) and the guard."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import orjson
import pytest
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral

from triggergraph.config import Settings
from triggergraph.exceptions import (
    ConfigError,
    ConflictError,
    EntryError,
    PreconditionFailedError,
    QueryError,
    QueryTimeoutError,
    ResultLimitError,
    StoreError,
    StoreUnavailableError,
)
from triggergraph.store import (
    MemoryStore,
    OxigraphStore,
    SparqlStore,
    Store,
    VirtuosoStore,
    check_read_only,
    open_store,
)
from triggergraph.store.base import ABSENT, bind_values
from triggergraph.store.guard import inject_values

REPO = Path(__file__).resolve().parents[1]
BASE = "http://127.0.0.1:8000/"
DCT_ID = "http://purl.org/dc/terms/identifier"
TG_FACTOR = "https://w3id.org/triggergraph/ontology#factor"
TG_EFFECT = "https://w3id.org/triggergraph/ontology#effectValue"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
G1, G2, G3 = (BASE + f"graph/s{i}" for i in (1, 2, 3))
TIME_LIMIT_S = 0.5
RESULT_LIMIT = 200
BACKENDS = ["memory", "oxigraph", "sparql", "virtuoso"]
HOSTILE = 'x" } ; DROP ALL ; SELECT * WHERE { "'


def finding_nt(ident: str, factor: str = "detention", effect: str | None = None) -> str:
    """N-Triples of one synthetic finding (not a real study)."""
    subject = f"<{BASE}finding/{ident}>"
    lines = [
        f'{subject} <{DCT_ID}> "{ident}" .',
        f"{subject} <{TG_FACTOR}> <{BASE}factor/{factor}> .",
    ]
    if effect is not None:
        lines.append(f'{subject} <{TG_EFFECT}> "{effect}"^^<{XSD_DECIMAL}> .')
    return "\n".join(lines) + "\n"


def as_nquads(graph: str, ntriples: str) -> str:
    return "".join(line[:-1] + f"<{graph}> .\n" for line in ntriples.splitlines() if line)


def sample_nquads() -> str:
    return as_nquads(
        G1, finding_nt("t1", "detention", "0.25") + finding_nt("t2", "detention")
    ) + as_nquads(G2, finding_nt("t3", "discrimination", "1.5"))


def make_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest, **limits) -> Store:
    limits = {"timeout_s": 5.0, "result_limit": RESULT_LIMIT, **limits}
    if backend == "memory":
        return MemoryStore(BASE, **limits)
    if backend == "oxigraph":
        return OxigraphStore(tmp_path / "store", BASE, **limits)
    if backend == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        store = VirtuosoStore(server.query_url, server.update_url, BASE, auth=server.auth, **limits)
    else:
        server = request.getfixturevalue("oxigraph_server")
        store = SparqlStore(server.query_url, server.update_url, BASE, **limits)
    store.replace_all("")
    return store


@pytest.fixture(scope="module")
def shared_oxigraph(tmp_path_factory: pytest.TempPathFactory):
    """One on-disk store per module (opening RocksDB costs a fraction of a second)."""
    store = OxigraphStore(
        tmp_path_factory.mktemp("oxigraph") / "store",
        BASE,
        timeout_s=5.0,
        result_limit=RESULT_LIMIT,
    )
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty store of each backend; the oxigraph and sparql ones are emptied by a write."""
    if request.param == "oxigraph":
        shared = request.getfixturevalue("shared_oxigraph")
        shared.replace_all("")
        yield shared
        return
    store = make_store(request.param, tmp_path, request)
    yield store
    store.close()


@pytest.fixture
def loaded(store: Store) -> Store:
    store.replace_all(sample_nquads(), content_hash="hash-1")
    return store


def lines_of(text: str) -> set[str]:
    return {line for line in text.splitlines() if line.strip()}


# ---- writes ------------------------------------------------------------------------------
def test_replace_all_lists_named_graphs_without_meta(loaded):
    assert loaded.graph_names() == [G1, G2]
    assert BASE + "graph/meta" not in loaded.graph_names()


def test_replace_all_replaces_previous_dataset(loaded):
    loaded.replace_all(as_nquads(G3, finding_nt("t9")))
    assert loaded.graph_names() == [G3]
    assert "t1" not in loaded.dump_nquads()


def test_replace_graph_replaces_only_that_graph(loaded):
    g2_before = lines_of(loaded.graph_ntriples(G2))
    loaded.replace_graph(G1, finding_nt("t7", "marriage"))
    assert lines_of(loaded.graph_ntriples(G1)) == lines_of(finding_nt("t7", "marriage"))
    assert lines_of(loaded.graph_ntriples(G2)) == g2_before
    assert loaded.graph_names() == [G1, G2]


def test_replace_graph_adds_new_graph(loaded):
    loaded.replace_graph(G3, finding_nt("t8"))
    assert loaded.graph_names() == [G1, G2, G3]


def test_delete_graph_removes_only_that_graph(loaded):
    loaded.delete_graph(G1)
    assert loaded.graph_names() == [G2]
    assert loaded.graph_ntriples(G1) == ""
    assert "t3" in loaded.graph_ntriples(G2)


def test_write_graphs_replaces_drops_and_appends_in_one_version(loaded):
    """One change to several graphs: G1 replaced, G2 dropped, G3 appended to twice."""
    g3_first = finding_nt("h1")
    first = loaded.write_graphs({G1: finding_nt("t7")}, {G3: g3_first})
    second = loaded.write_graphs({G2: None}, {G3: finding_nt("h2")})
    assert loaded.graph_names() == [G1, G3]
    assert lines_of(loaded.graph_ntriples(G1)) == lines_of(finding_nt("t7"))
    assert lines_of(loaded.graph_ntriples(G3)) == lines_of(g3_first + finding_nt("h2"))
    version, revisions = loaded.graph_versions()
    assert version == second != first
    assert revisions[G3] == second and revisions[G1] == first and G2 not in revisions


def test_write_graphs_with_one_bad_part_changes_nothing(loaded):
    before, version = loaded.dump_nquads(), loaded.version()
    bad = '<http://127.0.0.1:8000/finding/t6> <http://x/p> "unterminated .\n'
    with pytest.raises(EntryError):
        loaded.write_graphs({G1: finding_nt("t7"), G2: None}, {G3: bad})
    with pytest.raises(ConflictError):
        loaded.write_graphs({G1: finding_nt("t7")}, {BASE + "graph/meta": finding_nt("t8")})
    assert loaded.dump_nquads() == before
    assert loaded.version() == version


def test_version_changes_on_every_write(store):
    seen = [store.version()]
    seen.append(store.replace_all(sample_nquads(), "h"))
    seen.append(store.replace_graph(G3, finding_nt("t4")))
    seen.append(store.delete_graph(G3))
    seen.append(store.delete_graph(G3))
    assert len(set(seen)) == len(seen)
    assert store.version() == seen[-1]


def test_content_hash_round_trip(store):
    assert store.content_hash() is None
    store.replace_all(sample_nquads(), content_hash="sha256:abc")
    assert store.content_hash() == "sha256:abc"
    store.replace_graph(G3, finding_nt("t4"))
    assert store.content_hash() == "sha256:abc"
    store.replace_all(sample_nquads())
    assert store.content_hash() is None


def test_dump_nquads_round_trips_into_another_store(loaded, tmp_path):
    other = MemoryStore(BASE)
    other.replace_all(loaded.dump_nquads())
    assert lines_of(other.dump_nquads()) == lines_of(loaded.dump_nquads())
    assert lines_of(loaded.dump_nquads()) == lines_of(sample_nquads())


def test_blank_nodes_of_two_graphs_stay_apart(store):
    store.replace_graph(G1, '_:b0 <http://example.org/p> "one" .\n')
    store.replace_graph(G2, '_:b0 <http://example.org/p> "two" .\n')
    rows = store.query("SELECT DISTINCT ?b WHERE { ?b <http://example.org/p> ?o }").rows
    assert len(rows) == 2


def test_rejected_ntriples_leaves_store_unchanged(loaded):
    before, version = loaded.dump_nquads(), loaded.version()
    bad = finding_nt("t5") + '<http://127.0.0.1:8000/finding/t6> <http://x/p> "unterminated .\n'
    with pytest.raises(EntryError) as info:
        loaded.replace_graph(G1, bad)
    assert info.value.problems[0].line == 3
    assert loaded.dump_nquads() == before
    assert loaded.version() == version


def test_rejected_nquads_leaves_store_unchanged(loaded):
    before, version = loaded.dump_nquads(), loaded.version()
    with pytest.raises(EntryError, match="no named graph"):
        loaded.replace_all('<http://x/s> <http://x/p> "default graph" .\n')
    with pytest.raises(EntryError, match="line 1"):
        loaded.replace_all("<not an iri> <http://x/p> <http://x/o> <http://x/g> .\n")
    assert loaded.dump_nquads() == before
    assert loaded.version() == version


def test_write_to_meta_graph_is_refused(loaded):
    before = loaded.dump_nquads()
    with pytest.raises(ConflictError):
        loaded.replace_graph(BASE + "graph/meta", finding_nt("t5"))
    with pytest.raises(ConflictError):
        loaded.delete_graph(BASE + "graph/meta")
    with pytest.raises(EntryError, match="not a valid IRI"):
        loaded.replace_graph("graph with space", finding_nt("t5"))
    assert loaded.dump_nquads() == before


def test_concurrent_replace_graph_keeps_all_fifty(store):
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            store.replace_graph(f"{BASE}graph/c{i}", finding_nt(f"c{i}"))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert store.graph_names() == sorted(f"{BASE}graph/c{i}" for i in range(50))
    count = store.query(f"SELECT (COUNT(?f) AS ?n) WHERE {{ ?f <{DCT_ID}> ?id }}").rows[0]["n"]
    assert count == 50


# ---- compare-and-set writes ------------------------------------------------------------------
def revision_of(store: Store, graph: str) -> str | None:
    return store.graph_versions()[1].get(graph)


def test_create_of_existing_graph_is_refused_and_changes_nothing(loaded):
    before = loaded.dump_nquads(), loaded.version()
    with pytest.raises(PreconditionFailedError, match="does not exist yet"):
        loaded.replace_graph(G1, finding_nt("x1"), expected=ABSENT)
    assert (loaded.dump_nquads(), loaded.version()) == before


def test_replace_with_current_revision_writes_and_stale_one_is_refused(loaded):
    seen = revision_of(loaded, G1)
    version = loaded.replace_graph(G1, finding_nt("t9"), expected=seen)
    assert revision_of(loaded, G1) == version
    with pytest.raises(PreconditionFailedError, match="revision"):
        loaded.replace_graph(G1, finding_nt("t8"), expected=seen)
    with pytest.raises(PreconditionFailedError):
        loaded.delete_graph(G1, expected=seen)
    assert lines_of(loaded.graph_ntriples(G1)) == lines_of(finding_nt("t9"))


def test_delete_with_current_revision_drops_the_graph(loaded):
    loaded.delete_graph(G1, expected=revision_of(loaded, G1))
    assert loaded.graph_names() == [G2]
    assert revision_of(loaded, G1) is None


def test_owned_subject_in_another_graph_is_refused(loaded):
    # t3 lives in G2: a new graph may not describe it too
    with pytest.raises(PreconditionFailedError):
        loaded.replace_graph(G3, finding_nt("t3"), expected=ABSENT, owned=[BASE + "finding/t3"])
    assert G3 not in loaded.graph_names()
    # the graph that holds it may keep it
    loaded.replace_graph(G2, finding_nt("t3"), owned=[BASE + "finding/t3"])


def test_racing_creates_of_one_graph_exactly_one_wins(store):
    """Threads of one process; across processes see tests/test_concurrent_writes.py."""
    rounds, outcomes = 10, []
    for number in range(rounds):
        graph = f"{BASE}graph/race{number}"
        barrier = threading.Barrier(4)
        won: list[str] = []

        def create(tag: str, graph: str = graph, barrier=barrier, won=won, number=number) -> None:
            barrier.wait()
            try:
                store.replace_graph(graph, finding_nt(f"race{number}-{tag}"), expected=ABSENT)
                won.append(tag)
            except PreconditionFailedError:
                pass

        threads = [threading.Thread(target=create, args=(str(i),)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        outcomes.append(len(won))
        # the winner's triples and nothing of the losers'
        assert lines_of(store.graph_ntriples(graph)) == lines_of(
            finding_nt(f"race{number}-{won[0]}")
        )
    assert outcomes == [1] * rounds


# ---- queries -----------------------------------------------------------------------------
def test_query_select_binds_value(loaded):
    result = loaded.query(
        f"SELECT ?f WHERE {{ ?f <{TG_FACTOR}> ?factor }} ORDER BY ?f",
        bindings={"factor": URIRef(BASE + "factor/detention")},
    )
    assert result.kind == "select"
    assert result.variables == ["f"]
    assert result.rows == [{"f": BASE + "finding/t1"}, {"f": BASE + "finding/t2"}]


def test_query_select_converts_plain_values(loaded):
    result = loaded.query(
        f"SELECT ?id ?e WHERE {{ ?f <{DCT_ID}> ?id OPTIONAL {{ ?f <{TG_EFFECT}> ?e }} }} ORDER BY ?id"
    )
    assert result.rows == [
        {"id": "t1", "e": Decimal("0.25")},
        {"id": "t2", "e": None},
        {"id": "t3", "e": Decimal("1.5")},
    ]


def test_query_binding_with_quotes_and_brace_is_not_injected(loaded):
    loaded.replace_graph(
        G3, f'<{BASE}finding/h> <{DCT_ID}> "{HOSTILE.replace(chr(34), chr(92) + chr(34))}" .\n'
    )
    version = loaded.version()
    rows = loaded.query(f"SELECT ?f WHERE {{ ?f <{DCT_ID}> ?id }}", bindings={"id": HOSTILE}).rows
    assert rows == [{"f": BASE + "finding/h"}]
    assert (
        loaded.query(f"ASK {{ ?f <{DCT_ID}> ?id }}", bindings={"id": HOSTILE + "x"}).boolean
        is False
    )
    assert loaded.graph_names() == [G1, G2, G3]
    assert loaded.version() == version


def test_query_binding_of_unprojected_variable_counts_before_grouping(loaded):
    result = loaded.query(
        f"SELECT (COUNT(?f) AS ?n) WHERE {{ ?f <{TG_FACTOR}> ?factor }}",
        bindings={"factor": URIRef(BASE + "factor/detention")},
    )
    assert result.rows == [{"n": 2}]


def test_query_binding_of_bad_iri_is_refused(loaded):
    with pytest.raises(QueryError):
        loaded.query("ASK { ?s ?p ?o }", bindings={"s": URIRef("http://x/a> } ; DROP ALL ; <")})
    with pytest.raises(QueryError, match="variable name"):
        loaded.query("ASK { ?s ?p ?o }", bindings={"s o": "x"})


def test_query_ask_binds_value(loaded):
    assert loaded.query(f"ASK {{ ?f <{DCT_ID}> ?id }}", bindings={"id": "t3"}).boolean is True
    assert loaded.query(f"ASK {{ ?f <{DCT_ID}> ?id }}", bindings={"id": "t99"}).boolean is False


def test_query_construct_binds_value(loaded):
    result = loaded.query(
        f"CONSTRUCT {{ ?f <{DCT_ID}> ?id }} WHERE {{ ?f <{DCT_ID}> ?id }}", bindings={"id": "t2"}
    )
    assert result.kind == "graph"
    assert lines_of(result.ntriples) == {f'<{BASE}finding/t2> <{DCT_ID}> "t2" .'}


def test_query_default_graph_is_union_of_named_graphs(loaded):
    count = loaded.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?f <{DCT_ID}> ?id }}").rows[0]["n"]
    assert count == 3


SELECT_IDS = f"SELECT ?f ?id WHERE {{ ?f <{DCT_ID}> ?id }} ORDER BY ?id"


def parse_select(body: bytes, media_type: str) -> list[tuple[str, str]]:
    if media_type == "application/sparql-results+json":
        data = orjson.loads(body)
        return [(b["f"]["value"], b["id"]["value"]) for b in data["results"]["bindings"]]
    if media_type == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        out = []
        for result in ET.fromstring(body).iterfind(".//r:result", ns):
            f = result.find("r:binding[@name='f']/r:uri", ns).text
            ident = result.find("r:binding[@name='id']/r:literal", ns).text
            out.append((f, ident))
        return out
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["f", "id"]
        return [tuple(row) for row in rows[1:]]
    lines = body.decode().splitlines()
    assert lines[0].split("\t") == ["?f", "?id"]
    return [
        (f.strip("<>"), ident.strip('"')) for f, ident in (line.split("\t") for line in lines[1:])
    ]


@pytest.mark.parametrize(
    "media_type",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_query_serialized_select_formats(loaded, media_type):
    body, returned = loaded.query_serialized(SELECT_IDS, media_type)
    assert returned == media_type
    assert parse_select(body, media_type) == [
        (BASE + "finding/t1", "t1"),
        (BASE + "finding/t2", "t2"),
        (BASE + "finding/t3", "t3"),
    ]


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_query_serialized_graph_formats(loaded, media_type, rdflib_format):
    query = f"CONSTRUCT {{ ?f <{TG_FACTOR}> ?x }} WHERE {{ ?f <{TG_FACTOR}> ?x }}"
    body, returned = loaded.query_serialized(query, media_type)
    assert returned == media_type
    graph = Graph().parse(data=body, format=rdflib_format)
    assert len(graph) == 3
    assert (
        URIRef(BASE + "finding/t3"),
        URIRef(TG_FACTOR),
        URIRef(BASE + "factor/discrimination"),
    ) in graph


def test_query_serialized_ask_json(loaded):
    body, _ = loaded.query_serialized(
        f"ASK {{ ?f <{DCT_ID}> 't1' }}", "application/sparql-results+json"
    )
    assert orjson.loads(body)["boolean"] is True


def test_query_serialized_refuses_format_the_form_cannot_use(loaded):
    with pytest.raises(QueryError, match="cannot be given as 'text/turtle'"):
        loaded.query_serialized(SELECT_IDS, "text/turtle")
    with pytest.raises(QueryError, match="cannot be given"):
        loaded.query_serialized("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")


UPDATES = [
    "INSERT DATA { GRAPH <http://127.0.0.1:8000/graph/x> { <http://x/s> <http://x/p> 1 } }",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <http://127.0.0.1:8000/graph/s1>",
    "CREATE GRAPH <http://127.0.0.1:8000/graph/new>",
    "ADD <http://127.0.0.1:8000/graph/s1> TO <http://127.0.0.1:8000/graph/s2>",
    "MOVE <http://127.0.0.1:8000/graph/s1> TO <http://127.0.0.1:8000/graph/s2>",
    "COPY <http://127.0.0.1:8000/graph/s1> TO <http://127.0.0.1:8000/graph/s2>",
]


@pytest.mark.parametrize("update", UPDATES, ids=lambda u: u.split()[0].lower())
def test_query_refuses_update(loaded, update):
    before, version = loaded.dump_nquads(), loaded.version()
    with pytest.raises(QueryError, match="read-only"):
        loaded.query(update)
    with pytest.raises(QueryError, match="read-only"):
        loaded.query_serialized(update, "application/sparql-results+json")
    assert loaded.dump_nquads() == before
    assert loaded.version() == version


def test_query_refuses_service(loaded):
    query = (
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://example.org/sparql> { ?s ?q ?r } } }"
    )
    with pytest.raises(QueryError, match="SERVICE"):
        loaded.query(query)
    with pytest.raises(QueryError, match="SERVICE"):
        loaded.query_serialized(query, "text/csv")


def test_query_malformed_reports_position(loaded):
    with pytest.raises(QueryError, match=r"line 2, column \d+") as info:
        loaded.query("SELECT ?s\nWHERE { ?s ?p }")
    assert "malformed SPARQL" in str(info.value)


def test_query_result_limit_is_refused_not_truncated(store):
    many = "".join(finding_nt(f"r{i}") for i in range(RESULT_LIMIT + 1))
    store.replace_graph(G1, many)
    query = f"SELECT ?f WHERE {{ ?f <{DCT_ID}> ?id }}"
    with pytest.raises(ResultLimitError, match=f"result limit of {RESULT_LIMIT} rows"):
        store.query(query)
    with pytest.raises(ResultLimitError, match="result limit"):
        store.query_serialized(query, "text/csv")
    with pytest.raises(ResultLimitError, match="result limit"):
        store.query_serialized(f"CONSTRUCT WHERE {{ ?f <{DCT_ID}> ?id }}", "text/turtle")
    assert len(store.query(query, max_rows=RESULT_LIMIT + 1).rows) == RESULT_LIMIT + 1


EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_query_explosive_times_out_and_store_stays_responsive(store):
    store.replace_graph(
        G1, "".join(f'<{BASE}finding/x{i}> <{DCT_ID}> "x{i}" .\n' for i in range(200))
    )
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="time limit"):
        store.query(EXPLOSIVE, timeout_s=TIME_LIMIT_S)
    assert time.monotonic() - started < 2 * TIME_LIMIT_S + 0.5
    # The runaway may still run on a worker or on the server; others must not wait for it.
    started = time.monotonic()
    store.replace_graph(G2, finding_nt("after"))
    assert store.query(f"ASK {{ ?f <{DCT_ID}> 'after' }}").boolean is True
    assert store.version()
    assert time.monotonic() - started < 2.0


def test_oxigraph_runaway_queries_fill_workers_then_busy_not_blocked(tmp_path):
    store = OxigraphStore(tmp_path / "store", BASE, query_workers=1)
    try:
        store.replace_graph(G1, "".join(finding_nt(f"x{i}") for i in range(100)))
        with pytest.raises(QueryTimeoutError, match="time limit"):
            store.query(EXPLOSIVE, timeout_s=0.2)
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match="busy"):
            store.query("ASK { ?s ?p ?o }", timeout_s=0.2)
        assert time.monotonic() - started < 1.0
        # Reads and writes do not use the query workers.
        store.replace_graph(G2, finding_nt("during"))
        assert store.graph_names() == [G1, G2]
    finally:
        store.close()


def test_memory_from_unknown_graph_is_refused_not_fetched():
    store = MemoryStore(BASE)
    store.replace_graph(G1, finding_nt("t1"))
    with pytest.raises(QueryError, match="no such graph"):
        store.query("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }")
    rows = store.query(f"SELECT ?id FROM <{G1}> WHERE {{ ?f <{DCT_ID}> ?id }}").rows
    assert rows == [{"id": "t1"}]


# ---- per-graph revisions -----------------------------------------------------------------
META = BASE + "graph/meta"
TG_GRAPH_VERSION = "https://w3id.org/triggergraph/ontology#graphVersion"


def test_graph_versions_after_replace_all_give_every_graph_the_new_version(store):
    version = store.replace_all(sample_nquads(), content_hash="h")
    assert store.graph_versions() == (version, {G1: version, G2: version})
    assert store.version() == version


def test_graph_versions_of_empty_store(store):
    data_version, revisions = store.graph_versions()
    assert revisions == {}
    assert data_version == store.version()


def test_graph_versions_of_never_written_store(tmp_path, start_oxigraph_server):
    server = start_oxigraph_server()
    stores = [
        MemoryStore(BASE),
        OxigraphStore(tmp_path / "never", BASE),
        SparqlStore(server.query_url, server.update_url, BASE),
    ]
    try:
        for store in stores:
            assert store.graph_versions() == ("0", {}), store.backend
            assert store.version() == "0"
    finally:
        for store in stores:
            store.close()


def test_replace_graph_sets_only_its_own_revision(loaded):
    _, before = loaded.graph_versions()
    version = loaded.replace_graph(G1, finding_nt("t7", "marriage"))
    assert loaded.graph_versions() == (version, {G1: version, G2: before[G2]})
    assert before[G1] != version
    added = loaded.replace_graph(G3, finding_nt("t8"))
    assert loaded.graph_versions() == (added, {G1: version, G2: before[G2], G3: added})


def test_delete_graph_removes_only_its_revision(loaded):
    _, before = loaded.graph_versions()
    version = loaded.delete_graph(G1)
    assert loaded.graph_versions() == (version, {G2: before[G2]})
    again = loaded.delete_graph(G1)
    assert loaded.graph_versions() == (again, {G2: before[G2]})


def test_replace_graph_with_no_triples_removes_its_revision(loaded):
    _, before = loaded.graph_versions()
    version = loaded.replace_graph(G1, "")
    assert loaded.graph_names() == [G2]
    assert loaded.graph_versions() == (version, {G2: before[G2]})


def test_replace_all_that_drops_a_graph_removes_its_revision(loaded):
    new = as_nquads(G2, finding_nt("t3", "discrimination", "1.5")) + as_nquads(G3, finding_nt("t9"))
    version = loaded.replace_all(new, content_hash="hash-2")
    assert loaded.graph_versions() == (version, {G2: version, G3: version})
    assert loaded.graph_names() == [G2, G3]
    emptied = loaded.replace_all("")
    assert loaded.graph_versions() == (emptied, {})


def test_refused_writes_leave_graph_versions_unchanged(loaded):
    loaded.replace_graph(G3, finding_nt("t8"))
    before = loaded.graph_versions()
    bad = finding_nt("t5") + f'<{BASE}finding/t6> <http://x/p> "unterminated .\n'
    with pytest.raises(EntryError):
        loaded.replace_graph(G1, bad)
    with pytest.raises(ConflictError):
        loaded.replace_graph(META, finding_nt("t5"))
    with pytest.raises(ConflictError):
        loaded.delete_graph(META)
    with pytest.raises(EntryError, match="not a valid IRI"):
        loaded.replace_graph("graph with space", finding_nt("t5"))
    with pytest.raises(EntryError, match="no named graph"):
        loaded.replace_all('<http://x/s> <http://x/p> "default graph" .\n')
    with pytest.raises(ConflictError):
        loaded.replace_all(as_nquads(G1, finding_nt("t1")) + as_nquads(META, finding_nt("m")))
    assert loaded.graph_versions() == before
    assert loaded.version() == before[0]


def test_revisions_stay_out_of_graph_names_dumps_and_source_graphs(loaded):
    loaded.replace_graph(G3, finding_nt("t8"))
    _, revisions = loaded.graph_versions()
    assert set(revisions) == set(loaded.graph_names()) == {G1, G2, G3}
    assert META not in revisions
    dump = loaded.dump_nquads()
    assert "graphVersion" not in dump and "graph/meta" not in dump
    assert lines_of(dump) == lines_of(sample_nquads() + as_nquads(G3, finding_nt("t8")))
    for graph in (G1, G2, G3):
        assert "graphVersion" not in loaded.graph_ntriples(graph)
    assert lines_of(loaded.graph_ntriples(G3)) == lines_of(finding_nt("t8"))


def test_revisions_are_graph_version_triples_in_the_meta_graph(loaded):
    loaded.replace_graph(G3, finding_nt("t8"))
    _, revisions = loaded.graph_versions()
    rows = loaded.query(
        f"SELECT ?g ?r WHERE {{ GRAPH ?m {{ ?g <{TG_GRAPH_VERSION}> ?r }} }}",
        bindings={"m": URIRef(META)},
    ).rows
    assert {row["g"]: row["r"] for row in rows} == revisions
    assert len(rows) == 3
    outside = loaded.query(
        f"ASK {{ GRAPH ?g {{ ?s <{TG_GRAPH_VERSION}> ?r }} FILTER(?g != ?m) }}",
        bindings={"m": URIRef(META)},
    )
    assert outside.boolean is False


def test_graph_versions_is_one_consistent_read_under_concurrent_writes(loaded):
    graphs = [f"{BASE}graph/w{i}" for i in range(4)]
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for round_ in range(8):
                for graph in graphs:
                    loaded.replace_graph(graph, finding_nt(f"w{round_}-{graph[-1]}"))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            stop.set()

    writer = threading.Thread(target=write)
    writer.start()
    reads = 0
    try:
        while not stop.is_set() or reads == 0:
            data_version, revisions = loaded.graph_versions()
            # Only replace_graph runs, so the last write's graph carries the data version.
            assert data_version in revisions.values()
            reads += 1
    finally:
        writer.join(60)
    assert errors == []
    data_version, revisions = loaded.graph_versions()
    assert data_version == loaded.version()
    assert set(revisions) == {G1, G2, *graphs}


def test_sparql_graph_versions_is_a_single_select_request(oxigraph_server):
    store = SparqlStore(oxigraph_server.query_url, oxigraph_server.update_url, BASE)
    requests: list[str] = []
    try:
        version = store.replace_all(sample_nquads())
        store._client.event_hooks["request"].append(lambda r: requests.append(str(r.url)))
        assert store.graph_versions() == (version, {G1: version, G2: version})
        assert [url.split("?")[0] for url in requests] == [oxigraph_server.query_url]
    finally:
        store.close()


def test_oxigraph_replace_all_chunks_sets_revisions_and_refusal_keeps_them(fresh_oxigraph):
    first = fresh_oxigraph.replace_all_chunks([sample_nquads()], "h1")
    assert fresh_oxigraph.graph_versions() == (first, {G1: first, G2: first})
    with pytest.raises(EntryError, match="no named graph"):
        fresh_oxigraph.replace_all_chunks(
            [as_nquads(G3, finding_nt("t9")), '<http://x/s> <http://x/p> "x" .\n'], "h2"
        )
    assert fresh_oxigraph.graph_versions() == (first, {G1: first, G2: first})
    new = as_nquads(G1, finding_nt("t1", "detention", "0.25")) + as_nquads(G3, finding_nt("t9"))
    second = fresh_oxigraph.replace_all_chunks([new], "h2")
    assert fresh_oxigraph.graph_versions() == (second, {G1: second, G3: second})


# ---- oxigraph on disk ----------------------------------------------------------------------
def test_oxigraph_persists_across_close_and_reopen(tmp_path):
    first = OxigraphStore(tmp_path / "store", BASE)
    version = first.replace_all(sample_nquads(), content_hash="h")
    dump = first.dump_nquads()
    first.close()
    second = OxigraphStore(tmp_path / "store", BASE)
    try:
        assert second.dump_nquads() == dump
        assert second.version() == version
        assert second.content_hash() == "h"
        assert second.graph_versions() == (version, {G1: version, G2: version})
    finally:
        second.close()


KILL_SCRIPT = """
import sys, time
from pathlib import Path
from triggergraph.store import OxigraphStore
store = OxigraphStore(Path(sys.argv[1]), sys.argv[2])
version = store.replace_graph(sys.argv[3], sys.argv[4])
print("acked", version, flush=True)
time.sleep(60)
"""


def test_oxigraph_acknowledged_write_survives_kill_9(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(tmp_path / "store"), BASE, G1, finding_nt("k1")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("acked"), process.stderr.read()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert process.returncode == -signal.SIGKILL
    reopened = OxigraphStore(tmp_path / "store", BASE)
    try:
        assert lines_of(reopened.graph_ntriples(G1)) == lines_of(finding_nt("k1"))
        assert reopened.version() == line.split()[1]
    finally:
        reopened.close()


def test_oxigraph_second_open_of_same_directory_is_refused(tmp_path):
    first = OxigraphStore(tmp_path / "store", BASE)
    try:
        with pytest.raises(StoreError, match="another process"):
            OxigraphStore(tmp_path / "store", BASE)
    finally:
        first.close()


# ---- remote SPARQL -------------------------------------------------------------------------
def test_sparql_two_stores_see_each_others_writes(oxigraph_server):
    one = SparqlStore(oxigraph_server.query_url, oxigraph_server.update_url, BASE)
    two = SparqlStore(oxigraph_server.query_url, None, BASE)
    try:
        one.replace_all("")
        before = two.version()
        version = one.replace_graph(G1, finding_nt("shared"))
        assert two.version() == version != before
        assert two.graph_names() == [G1]
        version = two.delete_graph(G1)
        assert one.version() == version
        assert one.graph_names() == []
    finally:
        one.close()
        two.close()


def test_sparql_server_stopped_raises_store_unavailable(start_oxigraph_server):
    server = start_oxigraph_server()
    store = SparqlStore(server.query_url, server.update_url, BASE)
    try:
        store.replace_graph(G1, finding_nt("gone"))
        server.stop()
        with pytest.raises(StoreUnavailableError, match=str(server.port)):
            store.version()
        with pytest.raises(StoreUnavailableError, match=server.query_url):
            store.query("ASK { ?s ?p ?o }")
        with pytest.raises(StoreUnavailableError, match=server.update_url):
            store.replace_graph(G1, finding_nt("gone"))
        assert store.ping() is False
    finally:
        store.close()


def test_sparql_query_rejected_by_server_is_query_error(oxigraph_server):
    store = SparqlStore(oxigraph_server.query_url, oxigraph_server.update_url, BASE)
    try:
        with pytest.raises(QueryError, match="rejected the query"):
            store.query("SELECT ?s ?p WHERE { ?s ?p ?o } GROUP BY ?s")
    finally:
        store.close()


# ---- open_store ------------------------------------------------------------------------------
def test_open_store_picks_each_backend(tmp_path, oxigraph_server):
    memory = open_store(Settings(store="memory", sparql_result_limit=7))
    assert isinstance(memory, MemoryStore) and memory.result_limit == 7
    oxi = open_store(Settings(store="oxigraph", store_path=tmp_path / "s", sparql_timeout_s=3))
    assert isinstance(oxi, OxigraphStore) and oxi.timeout_s == 3
    oxi.close()
    remote = open_store(Settings(store="sparql", sparql_url=oxigraph_server.query_url))
    assert isinstance(remote, SparqlStore) and remote.update_url == oxigraph_server.update_url
    assert remote.ping() is True
    remote.close()


def test_open_store_sparql_without_url_is_config_error():
    with pytest.raises(ConfigError, match="sparql_url"):
        open_store(Settings(store="sparql"))
    with pytest.raises(ConfigError, match="sparql_password"):
        open_store(Settings(store="sparql", sparql_url="http://127.0.0.1:1/query", sparql_user="u"))


# ---- guard and value binding ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "select"),
        ("ASK { ?s ?p ?o }", "ask"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "construct"),
        ("DESCRIBE <http://127.0.0.1:8000/finding/t1>", "describe"),
    ],
)
def test_check_read_only_accepts_query_forms(query, kind):
    assert check_read_only(query).kind == kind


def test_check_read_only_refuses_service_inside_nested_group():
    with pytest.raises(QueryError, match="SERVICE"):
        check_read_only(
            "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://e/s> { ?s ?p ?o } } } }"
        )


def test_check_read_only_refuses_empty_query():
    with pytest.raises(QueryError, match="empty"):
        check_read_only("  ")


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ('SELECT * WHERE { ?s ?p "}" }', "select", 'SELECT * WHERE { V ?s ?p "}" }'),
        ("ASK { ?s ?p <http://x/{> } # {", "ask", "ASK { V ?s ?p <http://x/{> } # {"),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "construct",
            "CONSTRUCT { ?s ?p ?o } WHERE { V ?s ?p ?o }",
        ),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "construct", "CONSTRUCT WHERE { V ?s ?p ?o }"),
        (
            "SELECT * WHERE { SELECT ?s WHERE { ?s ?p ?o } }",
            "select",
            "SELECT * WHERE { V { SELECT ?s WHERE { ?s ?p ?o } } }",
        ),
    ],
)
def test_inject_values_places_block_in_where_group(query, kind, expected):
    assert inject_values(query, kind, "V") == expected


def test_bind_values_escapes_literal_and_keeps_query_parseable():
    text = bind_values(f"SELECT ?f WHERE {{ ?f <{DCT_ID}> ?id }}", "select", {"id": HOSTILE})
    assert check_read_only(text).kind == "select"
    assert text.count("DROP ALL") == 1 and '\\"' in text


def test_bind_values_types_python_scalars():
    text = bind_values(
        "SELECT * WHERE { ?s ?p ?o }",
        "select",
        {"a": 3, "b": True, "c": Decimal("0.5"), "d": RdfLiteral("hond", lang="nl")},
    )
    assert "<http://www.w3.org/2001/XMLSchema#integer>" in text
    assert '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>' in text
    assert '"hond"@nl' in text


# ---- Oxigraph bulk replace_all: additions first, stale quads and the hash last ----------
@pytest.fixture
def fresh_oxigraph(tmp_path: Path):
    store = OxigraphStore(tmp_path / "bulk", BASE)
    yield store
    store.close()


def test_replace_all_chunks_same_dataset_as_replace_all(fresh_oxigraph, tmp_path):
    other = OxigraphStore(tmp_path / "other", BASE)
    try:
        text = sample_nquads()
        other.replace_all(text, content_hash="h")
        half = len(text) // 2
        cut = text.index("\n", half) + 1
        fresh_oxigraph.replace_all_chunks([text[:cut], text[cut:].encode("utf-8")], "h")
        assert lines_of(fresh_oxigraph.dump_nquads()) == lines_of(other.dump_nquads())
        assert fresh_oxigraph.content_hash() == other.content_hash() == "h"
    finally:
        other.close()


def test_replace_all_over_data_keeps_shared_quads_and_drops_stale(fresh_oxigraph):
    fresh_oxigraph.replace_all(sample_nquads(), content_hash="h1")
    new = as_nquads(G1, finding_nt("t1", "detention", "0.25")) + as_nquads(G3, finding_nt("t9"))
    fresh_oxigraph.replace_all(new, content_hash="h2")
    assert lines_of(fresh_oxigraph.dump_nquads()) == lines_of(new)
    assert fresh_oxigraph.graph_names() == [G1, G3]
    assert fresh_oxigraph.content_hash() == "h2"


def test_replace_all_over_data_with_blank_nodes_replaces_graph(fresh_oxigraph):
    first = f'_:b1 <{DCT_ID}> "old" <{G1}> .\n' + as_nquads(G2, finding_nt("t3"))
    fresh_oxigraph.replace_all(first, content_hash="h1")
    second = f'_:b2 <{DCT_ID}> "new" <{G1}> .\n' + as_nquads(G2, finding_nt("t3"))
    fresh_oxigraph.replace_all(second, content_hash="h2")
    g1 = fresh_oxigraph.graph_ntriples(G1)
    assert '"new"' in g1 and '"old"' not in g1
    assert lines_of(fresh_oxigraph.graph_ntriples(G2)) == lines_of(finding_nt("t3"))


def test_replace_all_rejected_chunk_leaves_data_and_hash(fresh_oxigraph):
    fresh_oxigraph.replace_all(sample_nquads(), content_hash="h1")
    before, version = fresh_oxigraph.dump_nquads(), fresh_oxigraph.version()
    good = as_nquads(G3, finding_nt("t9"))
    with pytest.raises(EntryError, match="no named graph"):
        fresh_oxigraph.replace_all_chunks([good, '<http://x/s> <http://x/p> "x" .\n'], "h2")
    assert fresh_oxigraph.dump_nquads() == before
    assert (fresh_oxigraph.version(), fresh_oxigraph.content_hash()) == (version, "h1")


def test_replace_all_first_fill_rejected_leaves_store_empty(fresh_oxigraph):
    with pytest.raises(EntryError, match="invalid N-Quads"):
        fresh_oxigraph.replace_all(as_nquads(G1, finding_nt("t1")) + "<bad> <x> <y> .\n")
    assert fresh_oxigraph.graph_names() == []
    assert fresh_oxigraph.content_hash() is None
