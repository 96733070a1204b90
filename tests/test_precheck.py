"""Tests of the token scan that refuses over-limit, update and SERVICE queries before any store."""

from __future__ import annotations

import time

import pytest
from sparql_shapes import CRASHING as SHAPES
from sparql_shapes import N

from triggergraph.exceptions import QueryError, QueryLimitError
from triggergraph.store.precheck import QueryLimits, precheck

#: the crashing shapes, and deep nesting, parentheses and a long path
CRASHING = {
    **SHAPES,
    "nesting": "SELECT * WHERE " + "{ " * N + "?s ?p ?o" + " }" * N,
    "parentheses": "SELECT * WHERE { FILTER(" + "(" * N + "true" + ")" * N + ") }",
    "path": "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * N) + " ?o }",
}


def flat_query(patterns: int) -> str:
    """A realistic flat query: one subject, many properties."""
    body = " .\n".join(f"?s <urn:p{i}> ?o{i}" for i in range(patterns))
    return f"PREFIX tg: <https://w3id.org/triggergraph/ontology#>\nSELECT * WHERE {{\n{body} .\n}}"


@pytest.mark.parametrize("name", list(CRASHING))
def test_crashing_shape_is_refused_naming_the_limit(name):
    with pytest.raises(QueryLimitError, match=r"over the limit of \d+ \(sparql_max_\w+\)") as info:
        precheck(CRASHING[name], QueryLimits(max_chars=10_000_000))
    assert info.value.limit in ("chain", "depth")


def test_flat_query_of_300_triple_patterns_passes():
    shape = precheck(flat_query(300))
    assert shape.kind == "select"
    assert 300 <= shape.triple_patterns <= 302


def test_triple_pattern_limit_is_named():
    with pytest.raises(QueryLimitError, match="triple patterns is 51.*sparql_max_triple_patterns"):
        precheck(flat_query(60), QueryLimits(max_triple_patterns=50))


def test_triple_patterns_are_counted_across_separators():
    query = "SELECT * WHERE { ?s ?p ?o ; ?q ?r , ?t . ?a ?b [ ?c ?d ] }"
    assert precheck(query).triple_patterns == 5


def test_query_length_limit_is_named():
    with pytest.raises(QueryLimitError, match="query length is 101.*sparql_max_chars"):
        precheck("ASK {}" + " " * 95, QueryLimits(max_chars=100))


def test_path_closures_are_limited():
    query = "SELECT * WHERE { ?a <urn:p>* ?b . ?b (<urn:p>|<urn:q>)+ ?c . ?c a* ?d }"
    assert precheck(query, QueryLimits(max_path_closures=3)).kind == "select"
    with pytest.raises(QueryLimitError, match="sparql_max_path_closures"):
        precheck(query, QueryLimits(max_path_closures=2))


def test_arithmetic_and_select_star_are_not_path_closures():
    query = "SELECT * WHERE { ?s ?p ?o FILTER((?o)+(?o)*2 > 1) } ORDER BY ?o"
    assert precheck(query, QueryLimits(max_path_closures=0)).kind == "select"
    assert precheck("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").kind == "select"


def test_deep_input_is_scanned_without_recursion_quickly():
    deep = "SELECT * WHERE " + "{ " * 200_000 + " }" * 200_000
    started = time.perf_counter()
    with pytest.raises(QueryLimitError, match="nesting depth"):
        precheck(deep, QueryLimits(max_chars=10_000_000))
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("DROP ALL", "DROP"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
        ("PREFIX x: <urn:x#> LOAD <http://127.0.0.1:9/x.ttl>", "LOAD"),
        ("CLEAR DEFAULT ; DROP ALL", "CLEAR, DROP"),
        ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "DROP"),
    ],
)
def test_update_is_refused_naming_the_operations(query, names):
    with pytest.raises(QueryError, match=rf"SPARQL update \({names}\) refused: .*read-only"):
        precheck(query)


def test_service_is_refused_but_not_in_strings_names_or_iris():
    with pytest.raises(QueryError, match="SERVICE"):
        precheck("SELECT * WHERE { service <http://127.0.0.1:9/> { ?s ?p ?o } }")
    query = (
        'PREFIX ex: <urn:ex#> SELECT ?service WHERE { ?service ex:SERVICE "SERVICE {" ; '
        "<urn:SERVICE> ?o # SERVICE in a comment\n }"
    )
    assert precheck(query).kind == "select"


def test_braces_in_strings_and_iris_do_not_count():
    query = 'SELECT * WHERE { ?s ?p "{{{{ ((( " . ?s ?q \'}}}\' . ?s ?r """{\n{""" }'
    assert precheck(query, QueryLimits(max_depth=2)).kind == "select"


def test_dataset_clauses_are_read_with_prefixes():
    query = (
        "PREFIX g: <http://127.0.0.1:8000/graph/>\n"
        "SELECT * FROM g:alpha FROM <http://127.0.0.1:8000/graph/beta> "
        "FROM NAMED g:gamma WHERE { ?s ?p ?o }"
    )
    shape = precheck(query)
    assert shape.default_graphs == (
        "http://127.0.0.1:8000/graph/alpha",
        "http://127.0.0.1:8000/graph/beta",
    )
    assert shape.named_graphs == ("http://127.0.0.1:8000/graph/gamma",)


def test_kinds_and_trailing_values():
    assert precheck("ASK { ?s ?p ?o }").kind == "ask"
    assert precheck("CONSTRUCT WHERE { ?s ?p ?o }").kind == "construct"
    assert precheck("DESCRIBE <urn:x>").kind == "describe"
    assert precheck("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <urn:x> }").has_values
    assert not precheck("SELECT * WHERE { VALUES ?s { <urn:x> } ?s ?p ?o }").has_values


@pytest.mark.parametrize("query", ["", "   ", "hello world", "{ ?s ?p ?o }"])
def test_text_without_a_query_form_is_refused(query):
    with pytest.raises(QueryError, match="empty|not a SPARQL query"):
        precheck(query)
