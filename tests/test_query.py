"""Tests of the named SPARQL queries: loading, prefixes, bound values, and answers on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from triggergraph.config import Settings
from triggergraph.exceptions import NotFoundError, QueryError
from triggergraph.loader import load_literature
from triggergraph.namespaces import PREFIXES, iri_for
from triggergraph.query import QUERY_DIR, load_query, query_names, run_query
from triggergraph.rdf import build_dataset, serialize_dataset
from triggergraph.store import check_read_only, open_store
from triggergraph.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent / "data" / "api"
BASE = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(base_iri=BASE)


@pytest.fixture(scope="module")
def store(vocab, tmp_path_factory):
    settings = Settings(store="memory", base_iri=BASE, store_path=tmp_path_factory.mktemp("store"))
    store = open_store(settings)
    sources = load_literature(FIXTURES, vocab)
    nquads = serialize_dataset(build_dataset(sources, vocab), "nquads").decode("utf-8")
    store.replace_all(nquads, content_hash="fixture")
    yield store
    store.close()


def test_load_query_prefixes_every_shared_namespace():
    text = load_query("matrix_driver")
    for prefix, iri in PREFIXES.items():
        assert f"PREFIX {prefix}: <{iri}>" in text


def test_load_query_unknown_name_suggests_close_names():
    with pytest.raises(NotFoundError) as info:
        load_query("matrix_drivers")
    assert "matrix_driver" in info.value.suggestions


def test_load_query_refuses_paths_outside_the_folder():
    with pytest.raises(NotFoundError):
        load_query("../query")


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERY_DIR.glob("*.rq")))
def test_every_named_query_is_read_only_sparql(name):
    info = check_read_only(load_query(name))
    assert info.kind in ("select", "construct", "ask")


def test_query_names_lists_the_benchmark_questions():
    assert {"matrix_driver", "factor_detail", "profile", "describe_resource", "counts"} <= set(
        query_names()
    )


def test_counts_on_fixture_store(store):
    row = run_query(store, "counts").rows[0]
    assert int(row["sources"]) == 2
    assert int(row["findings"]) == 3


def test_matrix_driver_keeps_stated_and_proposed_apart(store):
    rows = run_query(store, "matrix_driver").rows
    cells = {(r["factor"], r["driver"], r["basis"]): int(r["findings"]) for r in rows}
    assert cells == {
        ("detention", "justice_seeker", "stated"): 1,
        ("detention", "identity_seeker", "proposed"): 1,
        ("marriage", "identity_seeker", "proposed"): 1,
    }


def test_factor_detail_binds_the_factor(store):
    rows = run_query(store, "factor_detail", factor_iri=iri_for(BASE, "factor", "detention")).rows
    assert sorted(r["finding_id"] for r in rows) == ["fixture-alpha-1", "fixture-alpha-2"]
    rows = run_query(store, "factor_detail", factor_iri=iri_for(BASE, "factor", "marriage")).rows
    assert [r["finding_id"] for r in rows] == ["fixture-beta-1"]


def test_factor_detail_hostile_value_is_bound_not_injected(store):
    hostile = Literal("detention> } UNION { ?f ?p ?o } #")
    assert run_query(store, "factor_detail", factor_iri=hostile).rows == []


def test_factor_detail_invalid_iri_is_query_error(store):
    with pytest.raises(QueryError, match="not a valid IRI"):
        run_query(store, "factor_detail", factor_iri=URIRef(BASE + "factor/x> } {"))


def test_profile_counts_findings_for_a_driver(store):
    rows = run_query(store, "profile", target=iri_for(BASE, "driver", "identity_seeker")).rows
    assert {r["factor"]: int(r["findings"]) for r in rows} == {"detention": 1, "marriage": 1}


def test_profile_counts_findings_for_a_demographic_group(store):
    rows = run_query(store, "profile", target=iri_for(BASE, "demographic", "sex_female")).rows
    assert {r["factor"]: int(r["findings"]) for r in rows} == {"marriage": 1}


def test_findings_csv_has_one_row_per_finding(store):
    result = run_query(store, "findings_csv")
    ids = [r["finding_id"] for r in result.rows]
    assert ids == ["fixture-alpha-1", "fixture-alpha-2", "fixture-beta-1"]
    first = result.rows[0]
    assert first["source_id"] == "fixture_alpha"
    assert first["factor"] == "detention"
    assert first["certainty"] == "C"
    assert first["drivers"] == "justice_seeker"
    assert first["demographics"] == "age_18_25"


def test_describe_resource_returns_the_resource_triples(store):
    iri = iri_for(BASE, "finding", "fixture-alpha-1")
    result = run_query(store, "describe_resource", resource=iri)
    assert result.kind == "graph"
    assert f"<{iri}> <{PREFIXES['tg']}locator>" in result.ntriples
    assert "fixture-alpha-2" not in result.ntriples


def test_resource_exists_sees_data_iris_but_not_the_bookkeeping_graph(store):
    from rdflib import URIRef

    assert run_query(
        store, "resource_exists", resource=URIRef(BASE + "finding/fixture-alpha-1")
    ).boolean
    meta = URIRef(store.meta_graph)
    assert not run_query(store, "resource_exists", resource=meta).boolean
    assert not run_query(store, "resource_exists", resource=URIRef(BASE + "nothing/x")).boolean
