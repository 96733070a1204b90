"""Graph projection of the index: nodes, edges, filters, neighbourhood, layout and GraphML."""

from __future__ import annotations

import io
import random
import time
from datetime import date

import networkx as nx
import pytest

from triggergraph.config import Settings
from triggergraph.exceptions import EntryError, NotFoundError
from triggergraph.graph import layout_graph, neighbourhood, project_graph, write_graphml
from triggergraph.models import Source
from triggergraph.readmodel import EvidenceIndex
from triggergraph.vocabulary import build_vocabulary, read_ontology_graph


def finding(fid, factor, certainty, drivers=(), demographics=(), direction="increases"):
    return {
        "id": fid,
        "factor": factor,
        "drivers": [{"driver": d, "basis": "stated"} for d in drivers],
        "demographics": list(demographics),
        "direction": direction,
        "certainty": certainty,
        "certainty_reasons": ["set by the test"],
        "locator": "p. 1",
    }


@pytest.fixture(scope="module")
def vocab():
    settings = Settings(base_iri="http://127.0.0.1:8000/")
    return build_vocabulary(
        read_ontology_graph(settings.ontology_dir, settings.base_iri), settings.base_iri
    )


@pytest.fixture(scope="module")
def index(vocab):
    def source(sid, findings):
        data = {
            "id": sid,
            "type": "report",
            "authors": ["Doe, J."],
            "year": 2019,
            "title": f"Report {sid}",
            "added_by": "tests",
            "added_on": date(2026, 1, 1),
            "findings": findings,
        }
        return Source.model_validate(data, context={"vocabulary": vocab})

    sources = [
        source("r1", [finding("g1", "detention", "A", ["justice_seeker"], ["sex_male"])]),
        source("r2", [finding("g2", "marriage", "D", ["identity_seeker"])]),
        source("r3", [finding("g3", "training", "C", [], ["age_18_25"])]),
    ]
    return EvidenceIndex.build(sources, vocab, "v1")


def test_project_graph_counts(index, vocab):
    graph = project_graph(index)
    kinds = [d["kind"] for _, d in graph.nodes(data=True)]
    assert kinds.count("factor") == len(vocab.factors)
    assert kinds.count("driver") == 4
    assert kinds.count("demographic") == len(vocab.demographics)
    # detention-justice, detention-male, marriage-identity, training-18..25
    assert graph.number_of_edges() == 4
    edge = graph.edges["factor/detention", "driver/justice_seeker"]
    assert (edge["verdict"], edge["weight"], edge["n_findings"], edge["deciding"]) == (
        "strong",
        8,
        1,
        "g1",
    )
    assert edge["explanation"].startswith("strong (certainty A): 1 finding (A)")


def test_project_graph_labels_follow_lang(index):
    graph = project_graph(index, lang="nl")
    assert graph.nodes["factor/detention"]["label"] == "Detentie"
    assert graph.nodes["driver/justice_seeker"]["label"] == "Rechtvaardigheidszoeker"
    assert graph.edges["factor/detention", "driver/justice_seeker"]["verdict_label"] == "sterk"


def test_project_graph_driver_filter(index):
    graph = project_graph(index, driver="justice_seeker")
    assert sorted(graph.nodes) == ["driver/justice_seeker", "factor/detention"]


def test_project_graph_demographic_dimension_filter(index):
    graph = project_graph(index, demographic="age")
    assert {n for n in graph if n.startswith("factor/")} == {"factor/training"}
    assert {n for n in graph if n.startswith("demographic/")} == {
        "demographic/age_under_18",
        "demographic/age_18_25",
        "demographic/age_over_25",
    }


def test_project_graph_min_verdict_and_level(index):
    strong = project_graph(index, min_verdict="moderate")
    assert sorted(strong.edges) == [
        ("factor/detention", "demographic/sex_male"),
        ("factor/detention", "driver/justice_seeker"),
    ] or sorted(tuple(sorted(e)) for e in strong.edges) == [
        ("demographic/sex_male", "factor/detention"),
        ("driver/justice_seeker", "factor/detention"),
    ]
    meso = project_graph(index, level="meso")
    assert {d["level"] for _, d in meso.nodes(data=True) if d["kind"] == "factor"} == {"meso"}


def test_project_graph_bad_filters(index):
    with pytest.raises(NotFoundError) as err:
        project_graph(index, driver="justice")
    assert "justice_seeker" in err.value.suggestions
    with pytest.raises(NotFoundError):
        project_graph(index, demographic="gender")
    with pytest.raises(EntryError):
        project_graph(index, min_verdict="great")


def test_neighbourhood_factor_and_bare_id(index):
    graph = project_graph(index)
    sub = neighbourhood(graph, "detention")
    assert sorted(sub.nodes) == [
        "demographic/sex_male",
        "driver/justice_seeker",
        "factor/detention",
    ]
    assert sorted(neighbourhood(graph, "driver/identity_seeker").nodes) == [
        "driver/identity_seeker",
        "factor/marriage",
    ]
    with pytest.raises(NotFoundError) as err:
        neighbourhood(graph, "detentoin")
    assert "factor/detention" in err.value.suggestions or "detention" in str(err.value)


def test_graphml_parses_back(index):
    graph = project_graph(index)
    back = nx.read_graphml(io.BytesIO(write_graphml(graph)))
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["factor/detention"]["level"] == "micro"
    assert back.edges["factor/detention", "driver/justice_seeker"]["verdict"] == "strong"


def test_layout_small_deterministic_bipartite(index):
    graph = project_graph(index)
    pos = layout_graph(graph)
    assert pos == layout_graph(graph)
    assert set(pos) == set(graph.nodes)
    assert all(x == 0.1 for n, (x, _) in pos.items() if n.startswith("factor/"))
    assert all(x == 0.9 for n, (x, _) in pos.items() if not n.startswith("factor/"))
    # factors stay grouped by level, top to bottom micro, meso, macro
    ys = {
        lv: [pos[n][1] for n, d in graph.nodes(data=True) if d.get("level") == lv]
        for lv in ("micro", "meso", "macro")
    }
    assert max(ys["micro"]) < min(ys["meso"]) and max(ys["meso"]) < min(ys["macro"])


def big_graph(n_factors: int, seed: int = 3) -> nx.Graph:
    rng = random.Random(seed)
    graph = nx.Graph()
    hubs = [f"driver/d{i}" for i in range(4)] + [f"demographic/v{i}" for i in range(8)]
    for hub in hubs:
        graph.add_node(hub, kind=hub.split("/")[0])
    for i in range(n_factors):
        node = f"factor/f{i}"
        graph.add_node(node, kind="factor", level=("micro", "meso", "macro")[i % 3])
        for hub in rng.sample(hubs, rng.randint(1, 3)):
            graph.add_edge(node, hub, weight=rng.choice([1, 2, 4, 8]))
    return graph


def test_layout_5000_nodes_fast_and_deterministic():
    graph = big_graph(4988)
    assert graph.number_of_nodes() == 5000
    start = time.perf_counter()
    pos = layout_graph(graph, seed=42)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"layout of 5,000 nodes took {elapsed:.2f} s"
    assert pos == layout_graph(graph, seed=42)
    assert pos != layout_graph(graph, seed=7)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in pos.values())
    assert len(set(pos.values())) > 4900  # nearly every node gets its own spot


def test_edges_carry_direction_tie_and_no_association(vocab):
    def src(sid, fid, direction):
        data = {
            "id": sid,
            "type": "report",
            "authors": ["Doe, J."],
            "year": 2020,
            "title": sid,
            "added_by": "tests",
            "added_on": date(2026, 1, 1),
            "findings": [finding(fid, "detention", "C", ["justice_seeker"], direction=direction)],
        }
        return Source.model_validate(data, context={"vocabulary": vocab})

    tie = EvidenceIndex.build(
        [src("a", "t1", "increases"), src("b", "t2", "decreases")], vocab, "v1"
    )
    edge = project_graph(tie).edges["factor/detention", "driver/justice_seeker"]
    assert (edge["direction"], edge["verdict"], edge["certainty"]) == ("tie", "contested", "C")
    null = EvidenceIndex.build([src("a", "n1", "no_association")], vocab, "v1")
    edge = project_graph(null).edges["factor/detention", "driver/justice_seeker"]
    assert edge["direction"] == "no_association"
