"""Long fault and load loops (marker ``soak``, run by ``make soak``): 20 kills, 60 s loads, outages."""

from __future__ import annotations

import json
import secrets
import shutil

import pytest
from test_faults import (
    API_FIXTURES,
    ApiProcess,
    Expected,
    assert_kill_report,
    bench_load,
    run_kill_rounds,
    run_store_outage,
    summary_of,
)

pytestmark = [pytest.mark.soak, pytest.mark.server]

KILL_ROUNDS = 20
LOAD_FINDINGS = 10_000
LOAD_SECONDS = 60.0
LOAD_CONNECTIONS = 16
OUTAGES = 5


def report(capsys: pytest.CaptureFixture, name: str, figures: dict) -> None:
    """Print the figures even under ``-q`` (they go into docs/reliability-faults-load.md)."""
    with capsys.disabled():
        print(f"\n{name}: {json.dumps(figures)}")


#: acknowledged writes per second the 1/s writer must reach (one late answer is allowed)
MIN_WRITE_RATE = 0.95


def assert_load(result: dict) -> None:
    """No read or write errors, writes kept up at 1/s, memory within the growth limit."""
    assert result["reads"]["requests"] > 0
    assert result["reads"]["errors"] == 0, result["reads"]["error_kinds"]
    assert result["writes"]["failed"] == 0, result["writes"]["statuses"]
    assert result["writes"]["rate_per_s"] >= MIN_WRITE_RATE, result["writes"]
    for growth in result["rss_growth_pct"]:
        assert growth <= bench_load.RSS_GROWTH_LIMIT_PCT, result


def test_kill_during_writes_soak_keeps_acknowledged_writes(tmp_path, capsys):
    kills = run_kill_rounds(tmp_path, rounds=KILL_ROUNDS, seed=2015)
    report(capsys, "kill loop", summary_of(kills))
    assert_kill_report(kills)
    assert len(kills.rounds) == KILL_ROUNDS


def test_store_outage_repeated_recovers_each_time(tmp_path, start_oxigraph_server, capsys):
    server = start_oxigraph_server()
    literature = tmp_path / "literature"
    shutil.copytree(API_FIXTURES, literature)
    token = secrets.token_hex(16)
    env = bench_load.api_env(literature, token, sparql_url=server.query_url)
    env.update(TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S="0.2", TRIGGERGRAPH_SPARQL_TIMEOUT_S="3")
    api = ApiProcess(env, tmp_path / "api.log").start(timeout_s=120)
    outcomes = []
    try:
        expected = Expected()
        for number in range(OUTAGES):
            # each cycle writes its own ids, so rename the fixed ones of run_store_outage
            outcome = run_store_outage(api.url, token, server, expected, prefix=f"o{number}")
            outcomes.append(outcome)
    finally:
        api.stop()
    figures = {
        "cycles": len(outcomes),
        "write_recovery_s": [o["write_recovery_s"] for o in outcomes],
        "health_recovery_s": [o["health_recovery_s"] for o in outcomes],
        "statuses_during": [
            [o["read_status"], o["write"]["status_code"], o["sparql"]["status_code"]]
            for o in outcomes
        ],
    }
    report(capsys, "store outages", figures)
    for o in outcomes:
        assert o["read_status"] == [200, 200] and o["read_same_data"]
        assert o["write"]["status_code"] == 503 and o["sparql"]["status_code"] == 503
        assert o["health"]["stale"] is True
        assert o["write_after_status"] == 201 and o["fresh_read"] and o["refused_write_absent"]


@pytest.mark.parametrize("processes", [1, 2])
def test_load_mixed_reads_with_writes_no_errors(tmp_path, capsys, processes):
    result = bench_load.measure(
        processes, LOAD_FINDINGS, LOAD_SECONDS, LOAD_CONNECTIONS, tmp_path / "load"
    )
    report(capsys, f"load {processes} process(es)", result)
    assert_load(result)
    if processes > 1:
        assert result["write_visible_elsewhere_s"] is not None, "write not seen by the other API"
