"""Tests of /api/v1/export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Dataset, Graph


def test_export_trig_parses_with_a_graph_per_source(read_client):
    response = read_client.get("/api/v1/export", params={"format": "trig"})
    assert response.headers["content-type"].startswith("application/trig")
    assert 'filename="triggergraph.trig"' in response.headers["content-disposition"]
    dataset = Dataset()
    dataset.parse(data=response.content, format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert "http://127.0.0.1:8000/graph/fixture_alpha" in names
    assert "http://127.0.0.1:8000/graph/fixture_beta" in names


def test_export_nquads_and_turtle_parse(read_client):
    nquads = read_client.get("/api/v1/export", params={"format": "nquads"}).content
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert "http://127.0.0.1:8000/graph/fixture_beta" in names
    assert "http://127.0.0.1:8000/graph/vocabulary" in names
    turtle = read_client.get("/api/v1/export", params={"format": "turtle"}).content
    assert len(Graph().parse(data=turtle, format="turtle")) > 100


def test_export_jsonld_is_json(read_client):
    response = read_client.get("/api/v1/export", params={"format": "jsonld"})
    assert "fixture-alpha-1" in json.dumps(response.json())


def test_export_csv_is_findings_table(read_client):
    response = read_client.get("/api/v1/export", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["finding_id"] for r in rows] == [
        "fixture-alpha-1",
        "fixture-alpha-2",
        "fixture-beta-1",
    ]
    assert rows[2]["factor"] == "marriage" and rows[2]["proposed_drivers"] == "identity_seeker"


def test_export_graphml(read_client):
    response = read_client.get("/api/v1/export", params={"format": "graphml"})
    assert response.status_code == 200
    assert b"<graphml" in response.content and b"detention" in response.content


@pytest.mark.parametrize("fmt", ["xlsx", "", "TRIG"])
def test_export_unknown_format_is_422(read_client, fmt):
    response = read_client.get("/api/v1/export", params={"format": fmt})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "format"
