"""bench/coldstart.py: a timed start answers the matrix, and no figure is a median of one."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench_scripts import load_bench

bench_coldstart = load_bench("coldstart")
REPO_ROOT = Path(__file__).resolve().parent.parent


def test_start_from_files_times_matrix_and_saves_read_model(tmp_path):
    literature = tmp_path / "literature"
    bench_coldstart.prepare_literature(literature, 60)
    store = tmp_path / "store"
    sample = bench_coldstart.start_once(
        REPO_ROOT, literature, store, tmp_path / "server.log", "from_files"
    )
    assert sample["ready_s"] > 0
    assert sample["peak_rss_mib"] > 0
    # the read model was saved in the background after the start, and its peak recorded
    assert (store / bench_coldstart.SAVED_READ_MODEL).is_file()
    # a peak, read twice: the kernel updates the counters behind VmHWM lazily (they can read
    # a fraction of a MiB lower a moment later), so only a real drop would fail here
    assert sample["peak_rss_after_save_mib"] >= sample["peak_rss_mib"] - 2


def test_this_checkout_saves_its_read_model(tmp_path):
    assert bench_coldstart.saves_read_model(REPO_ROOT)
    assert not bench_coldstart.saves_read_model(tmp_path)


def test_main_refuses_a_median_of_one():
    with pytest.raises(SystemExit):
        bench_coldstart.main(["--sizes", "1k", "--runs", "1"])


def test_main_refuses_unknown_mode():
    with pytest.raises(SystemExit):
        bench_coldstart.main(["--sizes", "1k", "--modes", "warm"])


def test_summary_median_min_max():
    assert bench_coldstart.summary([3.0, 1.0, 2.0]) == {
        "median": 2.0,
        "min": 1.0,
        "max": 3.0,
        "n": 3,
    }
    assert bench_coldstart.summary([]) is None
