"""Hostile SPARQL shapes shared by the scan, pool and isolation tests."""

from __future__ import annotations

#: terms in each crashing chain
N = 10_000
#: the shapes that overflowed pyoxigraph's (and ``oxigraph serve``'s) stack at 10,000 terms
CRASHING = {
    "arithmetic": "SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * N) + " > 0) }",
    "or": "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * N) + ") }",
    "and": "SELECT * WHERE { ?s ?p ?o FILTER(" + " && ".join(["true"] * N) + ") }",
    "union": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * N) + " }",
    "minus": "SELECT * WHERE { ?s ?p ?o " + " MINUS { ?s <urn:q> ?o }" * N + " }",
    "filter": "SELECT * WHERE { ?s ?p ?o " + " FILTER(?o != 2)" * N + " }",
    "bind": "SELECT * WHERE { ?s ?p ?o " + " ".join(f"BIND(1 AS ?b{i})" for i in range(N)) + " }",
}
#: a 3-way cartesian product with ORDER BY: hours and gigabytes over a few thousand triples
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"
#: a 4-way cartesian product counted as it streams: hours of CPU in constant memory
SLOW_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
