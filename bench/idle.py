"""Idle cost of noticing literature changes: a scan of every file per round vs notifications.

A folder of ``--files`` small entry files (15,455 is the 100k-findings synthetic literature)
is watched the two ways the background refresh can:

* **scan**: :func:`literature_stamp`, the names, sizes and times of every file, which the
  refresh took every round (every second) before notifications; CPU ms per scan, median of
  ``--samples`` scans, and the share of one core at one scan per second;
* **notifications**: a :class:`FolderWatcher` on the folder, asked once per second whether it
  changed, as the refresh now does between its once-a-minute scans; share of one core over
  ``--samples`` windows of ``--window`` seconds each (median).

Only change detection is measured, not the rest of an idle server. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from load import report  # noqa: E402
from writes import MIN_SAMPLES, summary  # noqa: E402


def measure(files: int, samples: int, window_s: float, folder: Path) -> dict:
    """Both ways of noticing a change over ``folder`` filled with ``files`` entries."""
    from triggergraph.service.literature import literature_stamp
    from triggergraph.service.watch import FolderWatcher

    for number in range(files):
        (folder / f"synth{number:05d}.yaml").write_text(f"id: synth{number:05d}\n")
    scan_ms = []
    for _ in range(samples):
        cpu = time.process_time()
        literature_stamp(folder)
        scan_ms.append((time.process_time() - cpu) * 1000)
    watcher = FolderWatcher(folder)
    if not watcher.start():
        raise SystemExit("file-system notifications are not available here (watchfiles)")
    try:
        deadline = time.monotonic() + 30
        while not watcher.watching and time.monotonic() < deadline:
            time.sleep(0.05)
        watcher.take_change()
        shares = []
        for _ in range(samples):
            cpu, started = time.process_time(), time.monotonic()
            while time.monotonic() - started < window_s:
                watcher.may_have_changed()
                time.sleep(1.0)
            shares.append(100 * (time.process_time() - cpu) / (time.monotonic() - started))
    finally:
        watcher.stop()
    scan = summary(scan_ms)
    return {
        "files": files,
        "scan_cpu_ms": scan,
        "scan_core_pct_at_1_per_s": round(scan["median"] / 10, 2),
        "notifications_core_pct": summary(shares),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line; prints one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=15_455)
    parser.add_argument("--samples", type=int, default=5, help=f">= {MIN_SAMPLES}")
    parser.add_argument("--window", type=float, default=5.0, help="seconds per idle window")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    if args.samples < MIN_SAMPLES:
        parser.error(f"--samples must be at least {MIN_SAMPLES}: no median of one")
    with tempfile.TemporaryDirectory(prefix="tg-idle-") as folder:
        result = measure(args.files, args.samples, args.window, Path(folder))
    report(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
