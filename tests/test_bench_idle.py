"""bench/idle.py: both ways of noticing literature changes are measured with several samples."""

from __future__ import annotations

import pytest
from bench_scripts import load_bench

pytest.importorskip("watchfiles", reason="file-system notifications need watchfiles")
bench_idle = load_bench("idle")


def test_measure_reports_scan_and_notification_cost_with_samples(tmp_path):
    result = bench_idle.measure(20, 3, 0.5, tmp_path)
    assert result["files"] == 20
    assert result["scan_cpu_ms"]["n"] == 3
    assert result["notifications_core_pct"]["n"] == 3
    assert result["scan_core_pct_at_1_per_s"] == round(result["scan_cpu_ms"]["median"] / 10, 2)


def test_main_refuses_a_median_of_one():
    with pytest.raises(SystemExit):
        bench_idle.main(["--files", "3", "--samples", "1"])
