"""Cold start at scale: process start until ``/api/v1/matrix`` answers, and the peak memory of it.

For each size the seeded synthetic literature (``bench/synth.py``) is written as YAML and
loaded into an embedded Oxigraph store once, the way the service writes it
(``bench/load.py``'s ``prebuild_embedded``). Then one API process (``api.main:app``, uvicorn) is
started and timed until the first ``GET /api/v1/matrix`` is 200, in three ways:

* **built store, no saved read model**: the store is kept, the read model is rebuilt from it
  (``TRIGGERGRAPH_SAVE_READ_MODEL=false``, as before the read model was saved);
* **built store, saved read model**: the store and the read model saved beside it are kept
  (one unmeasured start saves it first);
* **from files**: an empty store, filled from the literature YAML at start.

Before the first start the checkout's bytecode is written (``compileall``), as an installed
service has it (pip compiles a wheel's modules, ``make`` a checkout's): otherwise, where
processes may not write bytecode (``PYTHONDONTWRITEBYTECODE``), every timed start would
compile each module it imports again, about 0.15 s at 10k findings.

**peak RSS** is the server's ``VmHWM`` when the matrix first answered; for the starts that
save the read model (saved, from files) also after the save it makes in the background.

Every figure is a median over ``--runs`` starts (at least 3), with min and max. ``--code``
points at another checkout to measure it with the same data and the same harness (its own
settings: code that does not know ``TRIGGERGRAPH_SAVE_READ_MODEL`` ignores it). The
literature then holds only constructs both checkouts define (``--common-with`` for the
other side of the comparison): a checkout drops every source with a finding on a construct
it does not know, and would be timed on a smaller evidence base. Run
``python bench/coldstart.py --sizes 10k,100k``; it prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from load import prebuild_embedded, prepare_literature, report  # noqa: E402
from processes import (  # noqa: E402
    BASE_IRI,
    HOST,
    REPO_ROOT,
    describe_checkout,
    free_port,
    read_status_kib,
    stop_process,
    wait_ready,
)
from sizes import format_size, parse_size  # noqa: E402
from synth import constructs_of  # noqa: E402

MIN_RUNS = 3
START_TIMEOUT_S = 900.0
#: seconds to wait for the background save after a start
SAVE_TIMEOUT_S = 300.0
SAVED_READ_MODEL = "read-model.tgrm"
MODES = ("built_store", "saved_read_model", "from_files")


def summary(samples: list[float], digits: int = 2) -> dict | None:
    """Median, min, max and count of ``samples``, or None without any.

    >>> summary([3.0, 1.0, 2.0])
    {'median': 2.0, 'min': 1.0, 'max': 3.0, 'n': 3}
    """
    if not samples:
        return None
    return {
        "median": round(statistics.median(samples), digits),
        "min": round(min(samples), digits),
        "max": round(max(samples), digits),
        "n": len(samples),
    }


class Server:
    """One ``api.main:app`` process from ``code`` over the embedded store at ``store_dir``."""

    def __init__(self, code: Path, literature: Path, store_dir: Path, log: Path, save: bool):
        self.code, self.log_path = code, log
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(code),
            "TRIGGERGRAPH_STORE": "oxigraph",
            "TRIGGERGRAPH_STORE_PATH": str(store_dir),
            "TRIGGERGRAPH_LITERATURE_DIR": str(literature),
            "TRIGGERGRAPH_BASE_IRI": BASE_IRI,
            "TRIGGERGRAPH_SAVE_READ_MODEL": "true" if save else "false",
        }
        self.process: subprocess.Popen | None = None
        self.started = 0.0

    def start(self) -> float:
        """Start and wait for the first 200 from ``/api/v1/matrix``; return the seconds."""
        command = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", HOST]
        command += ["--port", str(self.port), "--loop", "uvloop", "--http", "httptools"]
        command += ["--no-access-log", "--log-level", "warning"]
        self.started = time.monotonic()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=self.code, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        return wait_ready(
            self,
            lambda client: client.get(self.url + "/api/v1/matrix", timeout=30.0).status_code == 200,
            f"API on {self.url}",
            self.started + START_TIMEOUT_S,
        )

    def peak_rss_mib(self) -> float | None:
        kib = read_status_kib(self.process.pid, "VmHWM") if self.process else None
        return round(kib / 1024, 1) if kib else None

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None


def wait_for_save(path: Path, after: float) -> bool:
    """Wait until ``path`` was written after ``after`` (a ``time.time()``)."""
    deadline = time.monotonic() + SAVE_TIMEOUT_S
    while time.monotonic() < deadline:
        if path.is_file() and path.stat().st_mtime >= after:
            return True
        time.sleep(0.2)
    return False


def compile_bytecode(code: Path) -> None:
    """Write the bytecode of the checkout at ``code`` (its packages ``triggergraph`` and ``api``)."""
    command = [sys.executable, "-m", "compileall", "-q", "triggergraph", "api"]
    subprocess.run(command, cwd=code, check=True, stdout=subprocess.DEVNULL)


def saves_read_model(code: Path) -> bool:
    """Whether the checkout at ``code`` saves its read model (older code does not)."""
    config = code / "triggergraph" / "config.py"
    return config.is_file() and "save_read_model" in config.read_text(encoding="utf-8")


def start_once(code: Path, literature: Path, store_dir: Path, log: Path, mode: str) -> dict:
    """One timed start in ``mode``; the server is stopped before returning."""
    save = mode != "built_store" and saves_read_model(code)
    server = Server(code, literature, store_dir, log, save)
    wall = time.time()
    try:
        seconds = server.start()
        sample = {"ready_s": seconds, "peak_rss_mib": server.peak_rss_mib()}
        if save and mode == "from_files" and wait_for_save(store_dir / SAVED_READ_MODEL, wall):
            sample["peak_rss_after_save_mib"] = server.peak_rss_mib()
        return sample
    finally:
        server.stop()


def measure(
    n_findings: int,
    runs: int,
    code: Path,
    workdir: Path,
    modes: list[str],
    constructs: frozenset[str] | None = None,
) -> dict:
    """Every mode at one size: medians over ``runs`` starts; ``constructs`` limits the
    constructs of the synthetic literature."""
    literature = workdir / "literature"
    sources = prepare_literature(literature, n_findings, constructs=constructs)
    built = prebuild_embedded(sources, literature, workdir / "store-built")
    logs = workdir / "logs"
    logs.mkdir()
    compile_bytecode(code)
    out: dict = {"findings": n_findings, "sources": len(sources), "runs": runs}
    for mode in modes:
        samples: list[dict] = []
        problems: list[str] = []
        store_dir = workdir / f"store-{mode}"
        if mode != "from_files":
            shutil.copytree(built, store_dir)
        if mode == "saved_read_model":
            # the first start rebuilds the read model and saves it; it is not timed
            try:
                start_once(code, literature, store_dir, logs / f"{mode}-prime.log", "from_files")
            except RuntimeError as error:
                problems.append(str(error))
            saved = (store_dir / SAVED_READ_MODEL).is_file()
            out["saved_read_model_mib"] = (
                round((store_dir / SAVED_READ_MODEL).stat().st_size / 2**20, 1) if saved else None
            )
        for run in range(runs):
            if mode == "from_files":
                shutil.rmtree(store_dir, ignore_errors=True)
            try:
                samples.append(start_once(code, literature, store_dir, logs / f"{mode}.log", mode))
            except RuntimeError as error:
                problems.append(str(error))
                break
            print(f"[{format_size(n_findings)}] {mode} {run}: {samples[-1]}", file=sys.stderr)
        result = {
            "ready_s": summary([s["ready_s"] for s in samples]),
            "peak_rss_mib": summary([s["peak_rss_mib"] for s in samples if s["peak_rss_mib"]], 1),
            "problems": problems,
        }
        after_save = [
            s["peak_rss_after_save_mib"] for s in samples if "peak_rss_after_save_mib" in s
        ]
        if after_save:
            result["peak_rss_after_save_mib"] = summary(after_save, 1)
        out[mode] = result
        shutil.rmtree(store_dir, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line; prints one JSON object with the figures of every size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k")
    parser.add_argument("--runs", type=int, default=3, help=f"starts per mode (>= {MIN_RUNS})")
    parser.add_argument(
        "--modes", default=",".join(MODES), help="comma-separated: " + ", ".join(MODES)
    )
    parser.add_argument("--code", type=Path, default=REPO_ROOT, help="checkout to start")
    parser.add_argument("--label", default="this checkout", help="what --code is, for the JSON")
    parser.add_argument(
        "--common-with",
        type=Path,
        help="generate only constructs this other checkout defines too (default: --code, "
        "when it is another checkout), so before and after read the same evidence base",
    )
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    if args.runs < MIN_RUNS:
        parser.error(f"--runs must be at least {MIN_RUNS}: no median of one")
    modes = [m for m in args.modes.split(",") if m]
    if "saved_read_model" in modes and not saves_read_model(args.code):
        parser.error("--code does not save its read model: leave out saved_read_model")
    unknown = sorted(set(modes) - set(MODES))
    if unknown:
        parser.error(f"unknown mode(s) {', '.join(unknown)}; valid: {', '.join(MODES)}")
    other = args.common_with or (args.code if args.code.resolve() != REPO_ROOT else None)
    constructs = constructs_of(other.resolve()) & constructs_of(REPO_ROOT) if other else None
    results = []
    for n in (parse_size(text) for text in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"tg-coldstart-{format_size(n)}-") as folder:
            results.append(
                measure(n, args.runs, args.code.resolve(), Path(folder), modes, constructs)
            )
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    common = (
        {"constructs_common_with": describe_checkout(other), "constructs": len(constructs)}
        if other
        else {}
    )
    report({"code": args.label, **common, "results": results}, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
