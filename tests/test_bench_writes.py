"""bench/writes.py: the write-cost figures come from real writes, several samples each."""

from __future__ import annotations

import pytest
from bench_scripts import load_bench

bench_writes = load_bench("writes")


def test_measure_small_size_reports_every_figure_of_both_edits_with_its_samples(tmp_path):
    result = bench_writes.measure(60, 3, tmp_path)
    assert result["findings"] == 60
    for figure in (
        "write_ms",
        "write_cpu_ms",
        "matrix_after_write_ms",
        "factors_after_write_ms",
        "index_update_ms",
    ):
        for figures in (result, result["finding_edit"]):
            assert figures[figure]["n"] == 3
            assert figures[figure]["min"] <= figures[figure]["median"] <= figures[figure]["max"]


def test_main_refuses_a_median_of_one():
    with pytest.raises(SystemExit):
        bench_writes.main(["--sizes", "1k", "--writes", "1"])


def test_summary_median_min_max():
    assert bench_writes.summary([3.0, 1.0, 2.0]) == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3}


def test_profile_gives_each_stage_a_share_of_the_write(tmp_path):
    result = bench_writes.measure(60, 3, tmp_path, profile=True)
    shares = result["where_the_time_goes"]
    assert set(shares) == {stage for stage, *_ in bench_writes.STAGES}
    assert all(0 <= share <= 100 for share in shares.values())
    # every write parses its entry and goes through the store and the index
    for stage in ("parse and SHACL", "store: gated update", "index update"):
        assert shares[stage] > 0, stage
