"""Tests of the Linked Data IRIs: Turtle and JSON-LD descriptions, 303 to pages, 404s."""

from __future__ import annotations

import json

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
