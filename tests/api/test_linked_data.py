"""Tests of the Linked Data IRIs: Turtle and JSON-LD descriptions, 303 to pages, 404s."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

BASE = "http://127.0.0.1:8000/"
TG = "https://w3id.org/triggergraph/ontology#"


@pytest.mark.parametrize(
    ("path", "subject"),
    [
        ("/factor/detention", "factor/detention"),
        ("/driver/justice_seeker", "driver/justice_seeker"),
        ("/demographic/sex_female", "demographic/sex_female"),
        ("/finding/fixture-alpha-1", "finding/fixture-alpha-1"),
        ("/source/fixture_alpha", "source/fixture_alpha"),
        ("/construct/perceived_discrimination", "construct/perceived_discrimination"),
    ],
)
def test_turtle_describes_the_resource(read_client, path, subject):
    response = read_client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.headers["vary"] == "Accept"
    graph = Graph().parse(data=response.content, format="turtle")
    assert (URIRef(BASE + subject), None, None) in graph


def test_source_description_keeps_author_order(read_client):
    response = read_client.get("/source/fixture_alpha", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.content, format="turtle")
    authors = list(
        graph.items(
            graph.value(
                URIRef(BASE + "source/fixture_alpha"),
                URIRef("http://purl.org/ontology/bibo/authorList"),
            )
        )
    )
    assert [str(a) for a in authors] == ["Fixture, A.", "Fixture, B."]


def test_factor_description_lists_findings_pointing_at_it(read_client):
    response = read_client.get("/factor/detention", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.content, format="turtle")
    findings = set(graph.subjects(URIRef(TG + "factor"), URIRef(BASE + "factor/detention")))
    assert findings == {
        URIRef(BASE + "finding/fixture-alpha-1"),
        URIRef(BASE + "finding/fixture-alpha-2"),
    }


def test_jsonld_describes_the_resource(read_client):
    response = read_client.get("/finding/fixture-beta-1", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    graph = Graph().parse(data=json.dumps(response.json()), format="json-ld")
    assert (
        URIRef(BASE + "finding/fixture-beta-1"),
        URIRef(TG + "factor"),
        URIRef(BASE + "factor/marriage"),
    ) in graph


def test_default_accept_gets_turtle(read_client):
    response = read_client.get("/driver/meaning_seeker", headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/factor/detention", "/factors/detention"),
        ("/source/fixture_beta", "/sources/fixture_beta"),
        ("/finding/fixture-beta-1", "/sources/fixture_beta#fixture-beta-1"),
        ("/driver/justice_seeker", "/profile?driver=justice_seeker"),
        ("/demographic/age_18_25", "/profile?age=age_18_25"),
        ("/construct/perceived_discrimination", "/constructs/perceived_discrimination"),
    ],
)
def test_browser_is_redirected_303_to_page(read_client, path, page):
    response = read_client.get(
        path,
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == page


@pytest.mark.parametrize(
    ("path", "suggestion"),
    [
        ("/factor/detentoin", "detention"),
        ("/source/fixture_alfa", "fixture_alpha"),
        ("/finding/fixture-beta-2", "fixture-beta-1"),
        ("/demographic/sex_femal", "sex_female"),
        ("/construct/detention", None),
    ],
)
def test_unknown_iri_is_404_with_suggestions(read_client, path, suggestion):
    for accept in ("text/turtle", "text/html"):
        response = read_client.get(path, headers={"Accept": accept}, follow_redirects=False)
        assert response.status_code == 404
        if suggestion:
            assert suggestion in response.json()["suggestions"]


# ---- every minted IRI, every format -----------------------------------------------------------
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def minted_iris(client) -> set[str]:
    """Every IRI under the base in the data: subjects, objects and graph names of a dump,
    the store's bookkeeping graphs (``graph/meta`` and under it) left out."""
    import pyoxigraph as ox

    dump = client.app.state.service.store.dump_nquads().encode("utf-8")
    iris = set()
    for quad in ox.parse(dump, format=ox.RdfFormat.N_QUADS):
        if quad.graph_name.value.startswith(BASE + "graph/meta"):
            continue
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                iris.add(term.value)
    return iris


@pytest.fixture(scope="module")
def oxigraph_client(tmp_path_factory):
    """The fixture literature on the embedded Oxigraph store (the default backend)."""
    import shutil

    from fastapi.testclient import TestClient

    from api.main import create_app
    from triggergraph.config import Settings

    root = tmp_path_factory.mktemp("crawl")
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "api", root / "literature")
    settings = Settings(
        store="oxigraph",
        store_path=root / "store",
        literature_dir=root / "literature",
        version_check_interval_s=60,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def describes(graph: Graph, iri: str) -> bool:
    """The answer says something about ``iri`` (a named graph: holds its content)."""
    node = URIRef(iri)
    return (
        any(graph.triples((node, None, None)))
        or any(graph.triples((None, None, node)))
        or (iri.startswith(BASE + "graph/") and len(graph) > 0)
    )


def test_every_minted_iri_dereferences(oxigraph_client):
    """A crawler over the fixture data: each IRI under the base answers 200 with triples about
    it, and HTML (200, or 303 to its page); one IRI of each kind in every RDF format."""
    client = oxigraph_client
    iris = minted_iris(client)
    by_kind: dict[str, str] = {}
    for iri in sorted(iris):
        by_kind.setdefault(iri[len(BASE) :].split("/")[0], iri)
    # the crawl covers the kinds the issue found answering 404
    assert {"scale", "scheme", "graph", "level", "group", "agent", "source"} <= set(by_kind)
    failures = []
    for iri in sorted(iris):
        path = "/" + iri[len(BASE) :]
        formats = RDF_FORMATS if iri in by_kind.values() else {"text/turtle": "turtle"}
        for media, fmt in formats.items():
            response = client.get(path, headers={"Accept": media})
            if response.status_code != 200 or not response.headers["content-type"].startswith(
                media
            ):
                failures.append((path, media, response.status_code))
            elif not describes(Graph().parse(data=response.content, format=fmt), iri):
                failures.append((path, media, "says nothing about it"))
        page = client.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
        if page.status_code not in (200, 303):
            failures.append((path, "text/html", page.status_code))
    assert len(iris) > 100
    assert failures == []


def test_scale_value_page_lists_its_statements_escaped(read_client):
    response = read_client.get("/scale/certainty/D", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "http://127.0.0.1:8000/scale/certainty/D" in response.text
    assert 'href="/scheme/certainty' in response.text


def test_named_graph_iri_gives_the_graph_content(read_client):
    response = read_client.get("/graph/fixture_alpha", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="nt")
    assert (URIRef(BASE + "finding/fixture-alpha-1"), None, None) in graph
    # the bookkeeping graph that lists it says nothing here
    assert (URIRef(BASE + "graph/meta/literature"), None, None) not in graph


@pytest.mark.parametrize(
    "path",
    ["/graph/meta", "/graph/meta/literature", "/scale/certainty/Z", "/graph/nothing", "/agent/x y"],
)
def test_bookkeeping_graph_and_unminted_iris_are_404(read_client, path):
    response = read_client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "dataVersion" not in response.text


@pytest.mark.parametrize("path", ["/factor/detention", "/scale/certainty/D"])
@pytest.mark.parametrize(
    "accept", ["application/pdf", "image/png", "text/csv;q=1, text/turtle;q=0"]
)
def test_unservable_accept_is_406_naming_the_offered_types(read_client, path, accept):
    response = read_client.get(path, headers={"Accept": accept})
    assert response.status_code == 406
    assert "text/turtle" in response.json()["detail"]


@pytest.mark.parametrize(("accept", "fmt"), list(RDF_FORMATS.items()))
def test_kind_iri_answers_each_rdf_format(read_client, accept, fmt):
    response = read_client.get("/factor/detention", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=fmt)
    assert (URIRef(BASE + "factor/detention"), None, None) in graph
