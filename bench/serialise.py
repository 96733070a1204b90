"""How fast the hot answers turn into JSON bytes: orjson over ``model_dump`` vs pydantic's own JSON.

The hot routes serve pre-serialised bytes, made once per index and query from the answer
model a builder returns; this measures the making for the matrix (``cols=all``, the REST form)
and for one factor page (the factor with the most findings). Each figure is the median of
``--runs`` timings in one process:

* ``orjson``: ``orjson.dumps(model.model_dump(mode="json"))``;
* ``pydantic``: ``model.model_dump_json()`` (what the service does,
  :func:`~triggergraph.answers.builders.answer_json`);
* ``build``: the builder itself (``build_matrix``, ``build_factor``), for scale.

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

from triggergraph.answers import LangQuery, MatrixQuery  # noqa: E402
from triggergraph.answers.builders import (  # noqa: E402
    build_factor,
    build_matrix,
)
from triggergraph.loader import load_literature  # noqa: E402
from triggergraph.readmodel import EvidenceIndex  # noqa: E402
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


def _answers(index: EvidenceIndex) -> dict:
    """The answers measured: the REST matrix and the factor page with the most findings."""
    factor_id = max(index.factor_order, key=lambda f: (len(index.routed.get(f, [])), f))
    return {
        "matrix": lambda: build_matrix(index, QUERY),
        f"factor {factor_id}": lambda: build_factor(index, factor_id, LangQuery()),
    }


def measure(name: str, index: EvidenceIndex, runs: int) -> list[dict]:
    """Both serialisations of each answer; the bytes must decode to the same answer."""
    results = []
    for answer, build in _answers(index).items():
        model = build()
        by_orjson = orjson.dumps(model.model_dump(mode="json"))
        by_pydantic = model.model_dump_json().encode()
        assert orjson.loads(by_orjson) == orjson.loads(by_pydantic)
        results.append(
            {
                "size": name,
                "answer": answer,
                "findings": len(index.findings),
                "bytes": len(by_orjson),
                "build_ms": median_ms(build, runs),
                "orjson_ms": median_ms(
                    lambda m=model: orjson.dumps(m.model_dump(mode="json")),
                    runs,
                ),
                "pydantic_ms": median_ms(lambda m=model: m.model_dump_json(), runs),
            }
        )
    return results


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
    print("| data | findings | answer | JSON | build | orjson(model_dump) | model_dump_json |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for size in args.sizes.split(","):
        for r in measure(*build_index(size, vocabulary), args.runs):
            print(
                f"| {r['size']} | {r['findings']} | {r['answer']} | {r['bytes'] / 1024:.0f} KiB | "
                f"{r['build_ms']:.1f} ms | {r['orjson_ms']:.2f} ms | {r['pydantic_ms']:.2f} ms |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
