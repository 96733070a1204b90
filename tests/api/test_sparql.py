"""Tests of /sparql: formats by Accept, GET and POST forms, refusals, and real SPARQL clients."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

TG = "https://w3id.org/triggergraph/ontology#"
COUNT_FINDINGS = f"SELECT (COUNT(?f) AS ?n) WHERE {{ GRAPH ?g {{ ?f a <{TG}Finding> }} }}"
CONSTRUCT = f"CONSTRUCT {{ ?f <{TG}locator> ?l }} WHERE {{ GRAPH ?g {{ ?f <{TG}locator> ?l }} }}"


def dump(read_client) -> str:
    return read_client.app.state.service.store.dump_nquads()


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_format_follows_accept(read_client, accept, media_type):
    headers = {"Accept": accept} if accept else {}
    response = read_client.get("/sparql", params={"query": COUNT_FINDINGS}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "3" in response.text


def test_select_json_counts_fixture_findings(read_client):
    body = read_client.get("/sparql", params={"query": COUNT_FINDINGS}).json()
    assert int(body["results"]["bindings"][0]["n"]["value"]) == 3


def test_select_csv_parses(read_client):
    response = read_client.get(
        "/sparql", params={"query": COUNT_FINDINGS}, headers={"Accept": "text/csv"}
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["n"] and rows[1] == ["3"]


def test_ask_answers_boolean(read_client):
    query = f"ASK {{ GRAPH ?g {{ ?f a <{TG}Finding> }} }}"
    assert read_client.get("/sparql", params={"query": query}).json()["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_format_follows_accept(read_client, accept, media_type, rdflib_format):
    response = read_client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) == 3


def test_post_sparql_query_body(read_client):
    response = read_client.post(
        "/sparql", content=COUNT_FINDINGS, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 200
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == 3


def test_post_form_query(read_client):
    response = read_client.post("/sparql", data={"query": COUNT_FINDINGS})
    assert response.status_code == 200
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == 3


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/sparql", params={"query": "DROP ALL"}),
        lambda c: c.post("/sparql", data={"update": "DROP ALL"}),
        lambda c: c.post("/sparql", data={"query": "CLEAR DEFAULT"}),
        lambda c: c.post(
            "/sparql",
            content="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            headers={"Content-Type": "application/sparql-update"},
        ),
        lambda c: c.post(
            "/sparql",
            content="DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
            headers={"Content-Type": "application/sparql-query"},
        ),
    ],
    ids=["get-drop", "form-update", "form-clear", "sparql-update", "query-delete"],
)
def test_update_is_400_and_changes_nothing(read_client, send):
    before = dump(read_client)
    response = send(read_client)
    assert response.status_code == 400
    assert "read-only" in response.json()["detail"]
    assert dump(read_client) == before


def test_service_clause_is_400(read_client):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = read_client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE" in response.json()["detail"]


def test_malformed_query_is_400_with_position(read_client):
    response = read_client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p "})
    assert response.status_code == 400
    assert "line 1" in response.json()["detail"]


def test_empty_query_is_400(read_client):
    assert read_client.get("/sparql", params={"query": " "}).status_code == 400


def test_unsupported_post_content_type_is_400(read_client):
    response = read_client.post(
        "/sparql", content=b"{}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


# ---- real clients against a real server --------------------------------------------------
@pytest.fixture(scope="module")
def endpoint(module_server):
    return module_server.url + "/sparql"


@pytest.mark.server
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select_formats(endpoint, fmt):
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(COUNT_FINDINGS)
    wrapper.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV}[fmt])
    result = wrapper.query().convert()
    if fmt == "json":
        assert int(result["results"]["bindings"][0]["n"]["value"]) == 3
    elif fmt == "xml":
        values = [node.firstChild.data for node in result.getElementsByTagName("literal")]
        assert values == ["3"]
    else:
        text = result.decode() if isinstance(result, bytes) else result
        assert text.splitlines()[1].strip().strip('"').split("^^")[0].strip('"') == "3"


@pytest.mark.server
def test_sparqlwrapper_ask(endpoint):
    from SPARQLWrapper import JSON, SPARQLWrapper

    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(f"ASK {{ GRAPH ?g {{ ?f a <{TG}Finding> }} }}")
    wrapper.setReturnFormat(JSON)
    assert wrapper.query().convert()["boolean"] is True


@pytest.mark.server
@pytest.mark.parametrize("fmt", ["turtle", "n3", "json-ld", "xml"])
def test_sparqlwrapper_construct_formats(endpoint, fmt):
    from SPARQLWrapper import JSONLD, N3, TURTLE, XML, SPARQLWrapper

    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(CONSTRUCT)
    wrapper.setReturnFormat({"turtle": TURTLE, "n3": N3, "json-ld": JSONLD, "xml": XML}[fmt])
    result = wrapper.query().convert()
    graph = (
        result
        if isinstance(result, Graph)
        else Graph().parse(data=result, format="turtle" if fmt in ("turtle", "n3") else fmt)
    )
    assert len(graph) == 3


@pytest.mark.server
def test_sparqlwrapper_ntriples_construct(endpoint):
    import urllib.request
    from urllib.parse import urlencode

    request = urllib.request.Request(
        endpoint + "?" + urlencode({"query": CONSTRUCT}),
        headers={"Accept": "application/n-triples"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/n-triples")
        assert len(Graph().parse(data=response.read(), format="nt")) == 3


@pytest.mark.server
def test_rdflib_sparqlstore_reads_the_endpoint(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint, returnFormat="json")
    graph = Graph(store=store)
    rows = list(graph.query(COUNT_FINDINGS))
    assert int(rows[0][0]) == 3
    constructed = graph.query(CONSTRUCT).graph
    assert len(constructed) == 3
    store.close()


@pytest.mark.server
def test_sparqlwrapper_update_refused(endpoint):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    wrapper = SPARQLWrapper(endpoint)
    wrapper.setMethod(POST)
    wrapper.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryBadFormed):
        wrapper.query()
    check = SPARQLWrapper(endpoint)
    check.setQuery("ASK { GRAPH ?g { <urn:a> <urn:b> <urn:c> } }")
    check.setReturnFormat(JSON)
    assert check.query().convert()["boolean"] is False


@pytest.fixture(scope="module")
def limited_client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from triggergraph.config import Settings

    root = tmp_path_factory.mktemp("limited")
    settings = Settings(
        store="oxigraph",
        store_path=root / "store",
        literature_dir=root,  # empty: the vocabulary graph alone has thousands of triples
        sparql_result_limit=5,
        sparql_timeout_s=0.2,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_result_over_limit_is_400_not_retryable_naming_the_limit(limited_client):
    response = limited_client.get(
        "/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "ResultLimitError"
    assert "limit of 5" in response.json()["detail"]
    assert "retry-after" not in response.headers


def test_query_over_time_limit_is_503(limited_client):
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } "
        "GRAPH ?i { ?x ?y ?z } }"
    )
    response = limited_client.get("/sparql", params={"query": query})
    assert response.status_code == 503
    assert "time limit" in response.json()["detail"]
    assert response.headers["Retry-After"]


def test_short_construct_form_is_answered_or_refused_cleanly(read_client):
    response = read_client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 2"}
    )
    assert response.status_code in (200, 400)


SKOS_CORE = "http://www.w3.org/2004/02/skos/core#"
UNTYPED_CONCEPTS = (
    f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c <{SKOS_CORE}inScheme> ?s }} "
    f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?c a <{SKOS_CORE}Concept> }} }} }}"
)
SCHEME_MEMBERS = (
    f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?c <{SKOS_CORE}inScheme> ?s }} }}"
)


def test_served_concepts_are_typed_skos_concept(read_client):
    members = read_client.get("/sparql", params={"query": SCHEME_MEMBERS}).json()
    assert int(members["results"]["bindings"][0]["n"]["value"]) > 0
    untyped = read_client.get("/sparql", params={"query": UNTYPED_CONCEPTS}).json()
    assert untyped["results"]["bindings"] == []


# ---- SPARQL 1.1 Protocol: datasets, service description, refusals --------------------------
B = "http://127.0.0.1:8000/"
ALPHA, BETA = B + "graph/fixture_alpha", B + "graph/fixture_beta"
FINDINGS_IN_DEFAULT = f"SELECT (COUNT(?f) AS ?n) WHERE {{ ?f a <{TG}Finding> }}"


def count_of(response) -> int:
    assert response.status_code == 200, response.text[:300]
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_the_union_of_the_data_graphs(read_client):
    assert count_of(read_client.get("/sparql", params={"query": FINDINGS_IN_DEFAULT})) == 3


@pytest.mark.parametrize(
    "query",
    [
        f"ASK {{ ?m <{TG}dataVersion> ?v }}",
        f"ASK {{ ?g <{TG}graphVersion> ?r }}",
        f"ASK {{ <{B}graph/meta/literature> ?p ?o }}",
    ],
    ids=["data-version", "graph-revisions", "literature-list"],
)
def test_bookkeeping_is_not_in_the_default_graph(read_client, query):
    response = read_client.get("/sparql", params={"query": query})
    assert response.json()["boolean"] is False


def test_from_chooses_the_default_graph(read_client):
    query = f"SELECT (COUNT(?f) AS ?n) FROM <{BETA}> WHERE {{ ?f a <{TG}Finding> }}"
    assert count_of(read_client.get("/sparql", params={"query": query})) == 1
    nothing = f"SELECT (COUNT(?f) AS ?n) FROM <{B}graph/nonexistent> WHERE {{ ?f ?p ?o }}"
    assert count_of(read_client.get("/sparql", params={"query": nothing})) == 0


def test_from_named_limits_graph(read_client):
    query = (
        f"SELECT (COUNT(?f) AS ?n) FROM NAMED <{ALPHA}> "
        f"WHERE {{ GRAPH ?g {{ ?f a <{TG}Finding> }} }}"
    )
    assert count_of(read_client.get("/sparql", params={"query": query})) == 2


def test_protocol_dataset_parameters_replace_from(read_client):
    query = f"SELECT (COUNT(?f) AS ?n) FROM <{ALPHA}> WHERE {{ ?f a <{TG}Finding> }}"
    response = read_client.get("/sparql", params={"query": query, "default-graph-uri": BETA})
    assert count_of(response) == 1
    both = read_client.post(
        "/sparql", data={"query": FINDINGS_IN_DEFAULT, "default-graph-uri": [ALPHA, BETA]}
    )
    assert count_of(both) == 3
    named = read_client.post(
        "/sparql?named-graph-uri=" + BETA,
        content=COUNT_FINDINGS,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert count_of(named) == 1


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [(None, "turtle"), ("text/turtle", "turtle"), ("application/rdf+xml", "xml")],
)
def test_get_without_query_is_the_service_description(read_client, accept, rdflib_format):
    headers = {"Accept": accept} if accept else {}
    response = read_client.get("/sparql", headers=headers)
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdflib_format)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(B + "sparql")
    assert (endpoint, RDF.type, URIRef(sd + "Service")) in graph
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph


def test_repeated_query_is_400(read_client):
    response = read_client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert response.status_code == 400
    assert "'query' was given 2 times" in response.json()["detail"]
    form = read_client.post(
        "/sparql",
        content="query=ASK+%7B%7D&query=ASK+%7B%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 400


def test_over_long_get_is_414_and_the_same_query_posts(read_client):
    query = COUNT_FINDINGS + " #" + "x" * 9_000
    response = read_client.get("/sparql", params={"query": query})
    assert response.status_code == 414
    assert "POST" in response.json()["detail"]
    posted = read_client.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert count_of(posted) == 3


def flat_query(patterns: int) -> str:
    lines = " .\n".join(f"OPTIONAL {{ ?f <{TG}p{i}> ?o{i} }}" for i in range(patterns))
    return f"SELECT (COUNT(?f) AS ?n) WHERE {{ ?f a <{TG}Finding> .\n{lines} }}"


def test_flat_query_of_90_patterns_is_answered(read_client):
    chain = " .\n".join(f"?v{i} <{TG}p{i}> ?v{i + 1}" for i in range(200))
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {chain} }}"
    response = read_client.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert count_of(response) == 0
    assert count_of(read_client.post("/sparql", data={"query": flat_query(90)})) == 3


@pytest.mark.parametrize(
    ("shape", "limit"),
    [
        ("FILTER(" + "+".join(["1"] * 1_000) + " > 0)", "sparql_max_chain"),
        (" UNION ".join(["{ ?s ?p ?o }"] * 300), "sparql_max_chain"),
        ("{ " * 100 + "?s ?p ?o" + " }" * 100, "sparql_max_depth"),
    ],
    ids=["arithmetic", "union", "nesting"],
)
def test_over_limit_query_is_400_naming_the_limit(read_client, shape, limit):
    query = f"SELECT * WHERE {{ ?s ?p ?o {shape} }}"
    response = read_client.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "QueryLimitError"
    assert limit in response.json()["detail"]


# ---- real clients: datasets ------------------------------------------------------------------
@pytest.mark.server
def test_sparqlwrapper_from_and_default_graph_parameter(endpoint):
    from SPARQLWrapper import JSON, SPARQLWrapper

    def run(query: str, default_graph: str | None = None) -> int:
        wrapper = SPARQLWrapper(endpoint)
        wrapper.setQuery(query)
        wrapper.setReturnFormat(JSON)
        if default_graph:
            wrapper.addDefaultGraph(default_graph)
        return int(wrapper.query().convert()["results"]["bindings"][0]["n"]["value"])

    assert run(f"SELECT (COUNT(?f) AS ?n) FROM <{ALPHA}> WHERE {{ ?f a <{TG}Finding> }}") == 2
    assert run(FINDINGS_IN_DEFAULT, default_graph=BETA) == 1
    assert run(FINDINGS_IN_DEFAULT) == 3


@pytest.mark.server
def test_sparqlwrapper_post_of_a_long_query(endpoint):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    wrapper = SPARQLWrapper(endpoint)
    wrapper.setMethod(POST)
    wrapper.setQuery(FINDINGS_IN_DEFAULT + " #" + "x" * 20_000)
    wrapper.setReturnFormat(JSON)
    assert int(wrapper.query().convert()["results"]["bindings"][0]["n"]["value"]) == 3


@pytest.mark.server
def test_rdflib_sparqlstore_named_graph_scoping(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint, returnFormat="json")
    finding = URIRef(f"{TG}Finding")
    beta = Graph(store=store, identifier=URIRef(BETA))
    assert len(list(beta.triples((None, RDF.type, finding)))) == 1
    alpha = Graph(store=store, identifier=URIRef(ALPHA))
    assert len(list(alpha.triples((None, RDF.type, finding)))) == 2
    rows = list(beta.query(f"SELECT (COUNT(?f) AS ?n) WHERE {{ ?f a <{TG}Finding> }}"))
    assert int(rows[0][0]) == 1
    whole = Graph(store=store)
    assert len(list(whole.triples((None, RDF.type, finding)))) == 3
    store.close()


COMUNICA_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / (
    "triggergraph-tests/comunica"
)


@pytest.fixture(scope="module")
def comunica() -> Path:
    """``comunica-sparql`` from npm (@comunica/query-sparql), installed once into a cache."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed, so Comunica (@comunica/query-sparql) cannot be fetched")
    binary = COMUNICA_DIR / "node_modules" / ".bin" / "comunica-sparql"
    if not binary.exists():
        COMUNICA_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(COMUNICA_DIR),
                "@comunica/query-sparql@4",
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return binary


def comunica_count(binary: Path, endpoint: str, query: str) -> int:
    out = subprocess.run(
        [str(binary), f"sparql@{endpoint}", "-q", query, "-t", "application/sparql-results+json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(json.loads(out.stdout)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.server
def test_comunica_queries_the_endpoint(comunica, endpoint):
    assert comunica_count(comunica, endpoint, FINDINGS_IN_DEFAULT) == 3
    scoped = f"SELECT (COUNT(?f) AS ?n) FROM <{ALPHA}> WHERE {{ ?f a <{TG}Finding> }}"
    assert comunica_count(comunica, endpoint, scoped) == 2
