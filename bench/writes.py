"""Write cost at scale: one source replaced through the service, until readers see it, in process.

For each size the seeded synthetic literature (``bench/synth.py``) goes into an embedded
Oxigraph store the way the service writes it (``bench/load.py``'s ``prebuild_store``), the
service opens it (the cold start of a built store), then ``--writes`` sources spread over the
evidence base are replaced one after the other, each with a new title:

* **write ms**: ``replace_source`` (parse, SHACL of the entry, one graph write, index update)
  until it returns; the new index is installed by then, so this is "visible to readers";
  each source is written twice, a **title edit** (no vote changes) and a **finding edit**
  (its first finding's direction turned, so every cell that finding counts in is decided
  again; these figures are under ``finding_edit``);
* **matrix after write ms** and **factors after write ms**: the first ``/api/v1/matrix`` and
  ``/api/v1/factors`` bodies from the new index (answers are serialised on first request
  after a write, so they pay here, once per data version);
* **index update ms**: :meth:`EvidenceIndex.updated` alone for the same change, from the
  index before the write;
* **write CPU ms**: the CPU time of this process during ``replace_source``, which a machine
  shared with other work inflates less than the wall-clock time.

Every figure is a median over ``--writes`` samples (at least 3), with min and max. Run
``python bench/writes.py --sizes 10k,100k``; it prints one JSON object.

With ``--profile`` the writes run under ``cProfile`` (which slows them; the figures above are
then not comparable) and ``where_the_time_goes`` gives, for each stage of a write, its share
of the time of ``replace_source`` summed over the writes: parsing and SHACL of the entry, the
uniqueness checks, the history read, the store's gated update, the index update and the rest
of installing it.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
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
#: stages of a write: (name, module path suffix, function name), as cProfile names them
STAGES = (
    ("parse and SHACL", "service/writes.py", "_parse"),
    ("uniqueness checks", "service/writes.py", "_check_unique"),
    ("history read", "service/writes.py", "_history"),
    ("N-Triples of the entry", "rdf/write.py", "source_ntriples"),
    ("store: gated update", "store/update.py", "write_graphs"),
    ("index update", "readmodel/index.py", "updated"),
    ("install (service tables + index)", "service/core.py", "_apply"),
)


def stage_shares(stats: pstats.Stats) -> dict:
    """Each stage's share (%) of the cumulative time of ``replace_source`` in ``stats``."""
    table = stats.stats  # type: ignore[attr-defined]
    cumulative: dict[str, float] = {}
    total = 0.0
    for (path, _line, name), (_cc, _nc, _tt, ct, _callers) in table.items():
        if name == "replace_source" and path.endswith("service/writes.py"):
            total = max(total, ct)
        for stage, suffix, function in STAGES:
            if name == function and path.endswith(suffix):
                cumulative[stage] = max(cumulative.get(stage, 0.0), ct)
    if not total:
        return {}
    return {stage: round(100 * cumulative.get(stage, 0.0) / total, 1) for stage, *_ in STAGES}


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


def _write_once(service, source, body: bytes, profiler) -> dict:
    """One timed ``replace_source`` and what follows it; the figures of this write."""
    from triggergraph.answers import FactorsQuery, MatrixQuery
    from triggergraph.answers.builders import factors_json, matrix_json

    before = service.index
    started, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    service.replace_source(source.id, body, "application/json")
    if profiler is not None:
        profiler.disable()
    figures = {
        "write_ms": (time.perf_counter() - started) * 1000,
        "write_cpu_ms": (time.process_time() - cpu) * 1000,
    }
    index = service.index
    assert index is not before, "the write is not visible"
    started = time.perf_counter()
    matrix_json(index, MatrixQuery())
    figures["matrix_after_write_ms"] = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    factors_json(index, FactorsQuery())
    figures["factors_after_write_ms"] = (time.perf_counter() - started) * 1000
    # the same change once more from the index before the write, alone
    replaced = service.sources_by_id[source.id]
    started = time.perf_counter()
    before.updated({source.id: replaced}, "bench")
    figures["index_update_ms"] = (time.perf_counter() - started) * 1000
    return figures


def measure(n_findings: int, writes: int, workdir: Path, profile: bool = False) -> dict:
    """Build, open and write at one size; return its figures.

    The top-level figures are of **title edits** (the source's title replaced: no vote of
    any cell changes, so no cell is decided again); ``finding_edit`` has the same figures for
    **finding edits** (the first finding's direction turned as well, so every cell it counts
    in is decided and explained again). Each source is edited both ways, title first.
    """
    from triggergraph.answers.builders import build_source
    from triggergraph.config import Settings
    from triggergraph.service import EvidenceService, freeze_loaded_heap, thaw_heap

    literature = workdir / "literature"
    sources = prepare_literature(literature, n_findings)
    store_dir = prebuild_embedded(sources, literature, workdir / "store")
    settings = Settings(
        store="oxigraph",
        store_path=store_dir,
        literature_dir=literature,
        base_iri=BASE_IRI,
        api_token="bench",
        # the background save of the read model (timed by coldstart.py) is put off, so it
        # does not run beside the writes timed here
        read_model_save_delay_s=3600.0,
    )
    started = time.perf_counter()
    service = EvidenceService.open(settings)
    open_s = time.perf_counter() - started
    # as the app does once it has loaded its evidence (api.main's lifespan)
    freeze_loaded_heap()
    step = max(1, len(sources) // writes)
    targets = sources[::step][:writes]
    samples: dict[str, dict[str, list[float]]] = {"title": {}, "finding": {}}
    profiler = cProfile.Profile() if profile else None
    try:
        for number, source in enumerate(targets):
            title = f"Rewritten synthetic source {number}"
            for kind, flip in (("title", False), ("finding", True)):
                body = entry_json(source, title, flip=flip)
                figures = _write_once(service, source, body, profiler)
                for name, value in figures.items():
                    samples[kind].setdefault(name, []).append(value)
            assert build_source(service.index, source.id).title == title
        shares = stage_shares(pstats.Stats(profiler)) if profiler is not None else None
        return {
            "profiled": profile,
            "where_the_time_goes": shares,
            "findings": n_findings,
            "sources": len(sources),
            "open_s": round(open_s, 2),
            **{name: summary(values) for name, values in samples["title"].items()},
            "finding_edit": {name: summary(values) for name, values in samples["finding"].items()},
            "peak_rss_mib": round((read_status_kib(os.getpid(), "VmHWM") or 0) / 1024, 1),
        }
    finally:
        service.close()
        thaw_heap()


def main(argv: list[str] | None = None) -> int:
    """Command line; prints one JSON object with the figures of every size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k")
    parser.add_argument(
        "--writes", type=int, default=7, help=f"samples per size (>= {MIN_SAMPLES})"
    )
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    parser.add_argument("--profile", action="store_true", help="shares of each stage (cProfile)")
    args = parser.parse_args(argv)
    if args.writes < MIN_SAMPLES:
        parser.error(f"--writes must be at least {MIN_SAMPLES}: no median of one")
    results = []
    for n in (parse_size(text) for text in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"tg-writes-{format_size(n)}-") as folder:
            results.append(measure(n, args.writes, Path(folder), args.profile))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    report({"results": results}, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
