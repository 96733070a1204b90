"""Write cost at scale: one source replaced through the service, until readers see it, in process.

For each size the seeded synthetic literature (``bench/synth.py``) goes into an embedded
Oxigraph store the way the service writes it (``bench/load.py``'s ``prebuild_store``), the
service opens it (the cold start of a built store), then ``--writes`` sources spread over the
evidence base are replaced one after the other, each with a new title:

* **write ms**: ``replace_source`` (parse, SHACL of the entry, one graph write, index update)
  until it returns; the new index is installed by then, so this is "visible to readers";
* **matrix after write ms**: the first ``/api/v1/matrix`` body from the new index (answers
  serialised lazily after a write pay here);
* **index update ms**: :meth:`EvidenceIndex.updated` alone for the same change;
* **write CPU ms**: the CPU time of this process during ``replace_source``, which a machine
  shared with other work inflates less than the wall-clock time.

Every figure is a median over ``--writes`` samples (at least 3), with min and max. Run
``python bench/writes.py --sizes 10k,100k``; it prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from load import entry_json, prebuild_embedded, prepare_literature, report  # noqa: E402
from processes import BASE_IRI, read_status_kib  # noqa: E402
from sizes import format_size, parse_size  # noqa: E402

MIN_SAMPLES = 3


def summary(samples: list[float]) -> dict:
    """Median, min, max and count of ``samples`` (milliseconds, rounded).

    >>> summary([3.0, 1.0, 2.0])
    {'median': 2.0, 'min': 1.0, 'max': 3.0, 'n': 3}
    """
    return {
        "median": round(statistics.median(samples), 2),
        "min": round(min(samples), 2),
        "max": round(max(samples), 2),
        "n": len(samples),
    }


def measure(n_findings: int, writes: int, workdir: Path) -> dict:
    """Build, open and write at one size; return its figures."""
    from triggergraph.answers import MatrixQuery
    from triggergraph.answers.builders import build_source, matrix_json
    from triggergraph.config import Settings
    from triggergraph.service import EvidenceService

    literature = workdir / "literature"
    sources = prepare_literature(literature, n_findings)
    store_dir = prebuild_embedded(sources, literature, workdir / "store")
    settings = Settings(
        store="oxigraph",
        store_path=store_dir,
        literature_dir=literature,
        base_iri=BASE_IRI,
        api_token="bench",
    )
    started = time.perf_counter()
    service = EvidenceService.open(settings)
    open_s = time.perf_counter() - started
    step = max(1, len(sources) // writes)
    targets = sources[::step][:writes]
    write_ms, write_cpu_ms, matrix_ms, update_ms = [], [], [], []
    try:
        for number, source in enumerate(targets):
            title = f"Rewritten synthetic source {number}"
            body = entry_json(source, title)
            started, cpu = time.perf_counter(), time.process_time()
            service.replace_source(source.id, body, "application/json")
            write_ms.append((time.perf_counter() - started) * 1000)
            write_cpu_ms.append((time.process_time() - cpu) * 1000)
            index = service.index
            assert build_source(index, source.id).title == title, "the write is not visible"
            started = time.perf_counter()
            matrix_json(index, MatrixQuery())
            matrix_ms.append((time.perf_counter() - started) * 1000)
            replaced = service.sources_by_id[source.id]
            started = time.perf_counter()
            index.updated({source.id: replaced}, "bench")
            update_ms.append((time.perf_counter() - started) * 1000)
        return {
            "findings": n_findings,
            "sources": len(sources),
            "open_s": round(open_s, 2),
            "write_ms": summary(write_ms),
            "write_cpu_ms": summary(write_cpu_ms),
            "matrix_after_write_ms": summary(matrix_ms),
            "index_update_ms": summary(update_ms),
            "peak_rss_mib": round((read_status_kib(os.getpid(), "VmHWM") or 0) / 1024, 1),
        }
    finally:
        service.close()


def main(argv: list[str] | None = None) -> int:
    """Command line; prints one JSON object with the figures of every size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k")
    parser.add_argument(
        "--writes", type=int, default=7, help=f"samples per size (>= {MIN_SAMPLES})"
    )
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    if args.writes < MIN_SAMPLES:
        parser.error(f"--writes must be at least {MIN_SAMPLES}: no median of one")
    results = []
    for n in (parse_size(text) for text in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"tg-writes-{format_size(n)}-") as folder:
            results.append(measure(n, args.writes, Path(folder)))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    report({"results": results}, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
