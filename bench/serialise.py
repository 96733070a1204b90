"""How fast the matrix answer turns into JSON bytes: orjson over the read model's dict vs pydantic.

The hot routes serve pre-serialised bytes, made once per index and query; this measures the
making. Three ways, each the median of ``--runs`` timings in one process:

* ``orjson``: ``orjson.dumps`` of the dict the read model builds (what the service does);
* ``pydantic``: ``MatrixAnswer.model_validate(dict).model_dump_json()`` (validate, then dump);
* ``pydantic dump only``: ``model_dump_json()`` of a model validated beforehand.

Usage: ``python bench/serialise.py [--sizes bundled,10k] [--runs 15]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import orjson  # noqa: E402
import synth  # noqa: E402
from sizes import parse_size  # noqa: E402

from triggergraph.answers import MatrixAnswer, MatrixQuery  # noqa: E402
from triggergraph.readmodel import EvidenceIndex  # noqa: E402
from triggergraph.loader import load_literature  # noqa: E402
from triggergraph.service.core import api_matrix  # noqa: E402
from triggergraph.vocabulary import load_vocabulary  # noqa: E402

QUERY = MatrixQuery(cols="all", lang="en")


def median_ms(make, runs: int) -> float:
    """The median wall time of ``make()`` in milliseconds over ``runs`` calls (after one warm-up)."""
    make()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(name: str, index: EvidenceIndex, runs: int) -> dict:
    """The three serialisations of one matrix; the bytes must decode to the same answer."""
    data = api_matrix(index.matrix(QUERY))
    model = MatrixAnswer.model_validate(data)
    assert orjson.loads(model.model_dump_json()) == orjson.loads(orjson.dumps(data))
    return {
        "size": name,
        "findings": index.health()["findings"],
        "bytes": len(orjson.dumps(data)),
        "orjson_ms": median_ms(lambda: orjson.dumps(data), runs),
        "pydantic_ms": median_ms(lambda: MatrixAnswer.model_validate(data).model_dump_json(), runs),
        "dump_only_ms": median_ms(model.model_dump_json, runs),
    }


def build_index(size: str, vocabulary) -> tuple[str, EvidenceIndex]:
    """``bundled`` is the shipped literature; ``10k`` etc. the seeded synthetic literature."""
    if size == "bundled":
        sources = load_literature(REPO_ROOT / "literature", vocabulary)
    else:
        sources = synth.generate_sources(parse_size(size), seed=0, vocabulary=vocabulary)
    return size, EvidenceIndex.build(sources, vocabulary, "bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="bundled,10k")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    vocabulary = load_vocabulary()
    print(
        "| data | findings | matrix JSON | orjson | pydantic validate+dump | pydantic dump only |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for size in args.sizes.split(","):
        r = measure(*build_index(size, vocabulary), args.runs)
        print(
            f"| {r['size']} | {r['findings']} | {r['bytes'] / 1024:.0f} KiB | "
            f"{r['orjson_ms']:.2f} ms | {r['pydantic_ms']:.2f} ms | {r['dump_only_ms']:.2f} ms |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
