"""bench/serialise.py: both ways of making the hot answers' bytes give the same answer."""

from __future__ import annotations

from pathlib import Path

from bench_scripts import load_bench

from triggergraph.loader import load_literature
from triggergraph.readmodel import EvidenceIndex
from triggergraph.vocabulary import load_vocabulary

serialise = load_bench("serialise")
FIXTURES = Path(__file__).resolve().parent / "data" / "api"


def test_measure_times_each_way_of_the_matrix_and_a_factor():
    vocabulary = load_vocabulary()
    index = EvidenceIndex.build(load_literature(FIXTURES, vocabulary), vocabulary, "v1")
    results = serialise.measure("fixture", index, runs=2)
    assert [r["answer"].split()[0] for r in results] == ["matrix", "factor"]
    for result in results:
        assert result["findings"] == len(index.findings)
        assert result["bytes"] > 0
        assert all(result[k] >= 0 for k in ("build_ms", "orjson_ms", "pydantic_ms"))
