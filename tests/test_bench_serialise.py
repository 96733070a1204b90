"""bench/serialise.py: the three ways of making the matrix bytes give the same answer."""

from __future__ import annotations

from pathlib import Path

from bench_scripts import load_bench

from triggergraph.readmodel import EvidenceIndex
from triggergraph.loader import load_literature
from triggergraph.vocabulary import load_vocabulary

serialise = load_bench("serialise")
FIXTURES = Path(__file__).resolve().parent / "data" / "api"


def test_measure_times_each_way_of_one_matrix():
    vocabulary = load_vocabulary()
    index = EvidenceIndex.build(load_literature(FIXTURES, vocabulary), vocabulary, "v1")
    result = serialise.measure("fixture", index, runs=2)
    assert result["findings"] == index.health()["findings"]
    assert result["bytes"] > 0
    assert all(result[k] >= 0 for k in ("orjson_ms", "pydantic_ms", "dump_only_ms"))
