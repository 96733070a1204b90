"""Server benchmark: load time, memory, REST and SPARQL latency at 1k/10k/100k synthetic findings.

Everything is measured in one run on this machine, so the ratios compare like with like:

* load: process start of the server until ``/health`` answers 200 (literature -> store -> index);
* peak memory: ``VmHWM`` of the server process after loading and all requests;
* REST: ``/api/v1/matrix``, ``/api/v1/factors/{id}``, ``/api/v1/profile?driver=justice_seeker``
  and the framework floor ``/bench/trivial`` (see ``bench/bench_app.py``) on one uvicorn process
  (uvloop + httptools); latency with one connection, requests/s with several;
* SPARQL: the same question as text, on rdflib's in-memory engine in this process and on the
  server's ``/sparql`` (Oxigraph), with the row counts compared;
* cold start with the bundled ``literature/``: process start until ``/health`` answers 200.

Run ``python bench/run.py --help``. Load is generated with ``wrk`` (``apt-get install -y wrk``);
without it a slower asyncio client is used and the output says so. Only 127.0.0.1 is targeted.

The parts live next to this script: ``processes.py`` (server processes), ``loadgen.py``
(wrk or asyncio load), ``sparql_compare.py`` (``/sparql`` vs rdflib), ``sizes.py`` (one size,
cold start), ``report.py`` (ratios, targets, tables).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from loadgen import WRK_INSTALL_HINT  # noqa: E402
from processes import describe_checkout  # noqa: E402
from report import compute_ratios, render_markdown, render_saved  # noqa: E402
from sizes import (  # noqa: E402
    LOAD_TIMEOUT_S,
    SizeResult,
    log,
    measure_cold_start,
    measure_size,
    parse_size,
)
from sparql_compare import RDFLIB_CAP_S  # noqa: E402
from synth import constructs_of  # noqa: E402

SIZES_DEFAULT = "1k,10k,100k"


def machine_info() -> dict:
    """Cores, memory, CPU model and the versions that matter for the numbers."""
    info = {"cores": os.cpu_count(), "python": platform.python_version()}
    try:
        meminfo = Path("/proc/meminfo").read_text()
        total_kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
        info["memory_gib"] = round(total_kib / 1024 / 1024, 1)
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
        info["cpu"] = model.group(1).strip() if model else platform.processor()
    except (OSError, AttributeError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    for package in ("fastapi", "uvicorn", "uvloop", "httptools", "rdflib", "pyoxigraph"):
        try:
            info[package] = version(package)
        except PackageNotFoundError:
            info[package] = None
    wrk = shutil.which("wrk")
    if wrk:
        out = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout
        info["wrk"] = out.split()[1] if out.split()[1:] else "present"
    return info


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; see ``--help``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--sizes", default=SIZES_DEFAULT, help=f"comma-separated sizes (default {SIZES_DEFAULT})"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--common-with",
        type=Path,
        help="generate only the constructs another checkout defines too, so that a run there "
        "and a run here measure the same evidence base",
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8, help="connections for req/s")
    parser.add_argument("--cold-starts", type=int, default=5, help="starts for the median")
    parser.add_argument(
        "--load-timeout",
        type=float,
        default=LOAD_TIMEOUT_S,
        help=f"seconds a server may take to load one size (default {LOAD_TIMEOUT_S:g})",
    )
    parser.add_argument("--skip-rdflib", action="store_true", help="skip the rdflib comparison")
    parser.add_argument(
        "--rdflib-cap",
        type=float,
        default=RDFLIB_CAP_S,
        help=f"seconds after which one rdflib question is stopped (default {RDFLIB_CAP_S:g})",
    )
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold-start runs")
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=BENCH_DIR / "results",
        help="where the JSON and Markdown of this run are written",
    )
    parser.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="only print the tables of a run saved earlier (bench/results/run-*.json)",
    )
    args = parser.parse_args(argv)
    if args.render:
        print(render_saved(args.render), end="")
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or min(sizes) < 1:
        parser.error(f"--sizes needs positive sizes, got {args.sizes!r}")

    args.constructs = None
    if args.common_with:
        args.constructs = constructs_of(args.common_with.resolve()) & constructs_of(REPO_ROOT)
    info = machine_info()
    info["started"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if args.common_with:
        info["constructs_common_with"] = describe_checkout(args.common_with)
    info["load_tool"] = "wrk" if shutil.which("wrk") else "asyncio (fallback)"
    if not shutil.which("wrk"):
        log(WRK_INSTALL_HINT + "; using the slower asyncio client instead")

    results: list[SizeResult] = []
    cold = None
    with tempfile.TemporaryDirectory(prefix="triggergraph-bench-") as tmp:
        workdir = Path(tmp)
        if not args.skip_cold:
            cold = measure_cold_start(args, workdir)
            log(f"cold start: {cold}")
        for n in sizes:
            results.append(measure_size(n, args, workdir))

    markdown = render_markdown(info, results, cold, args)
    print(markdown)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = info["started"].replace(":", "").replace("-", "")
    payload = {
        "machine": info,
        # results_dir is left out: an absolute path says nothing about the figures
        "args": {
            k: describe_checkout(v) if k == "common_with" and v else str(v)
            for k, v in vars(args).items()
            if k not in ("results_dir", "render")
        },
        "sizes": [asdict(r) | {"ratios": compute_ratios(r)} for r in results],
        "cold_start": cold,
    }
    (args.results_dir / f"run-{stamp}.json").write_text(json.dumps(payload, indent=2) + "\n")
    (args.results_dir / f"run-{stamp}.md").write_text(markdown)
    log(f"results written to {args.results_dir / f'run-{stamp}'}.json/.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
