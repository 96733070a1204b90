"""Tests of /api/v1/matrix."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("cols", "first_column"),
    [
        ("driver", "identity_seeker"),
        ("sex", "sex_male"),
        ("age", "age_under_18"),
        ("education", "education_low"),
    ],
)
def test_matrix_columns(read_client, cols, first_column):
    body = read_client.get("/api/v1/matrix", params={"cols": cols}).json()
    assert body["columns"][0]["id"] == first_column
    assert len(body["rows"]) > 10


def test_matrix_cell_counts_fixture_finding(read_client):
    body = read_client.get("/api/v1/matrix", params={"cols": "driver"}).json()
    cell = body["cells"]["detention"]["justice_seeker"]
    assert cell["n_findings"] == 1


def test_matrix_filters_level(read_client):
    body = read_client.get("/api/v1/matrix", params={"level": "macro"}).json()
    assert {r["level"] for r in body["rows"]} == {"macro"}


def test_matrix_unknown_cols_is_422(read_client):
    response = read_client.get("/api/v1/matrix", params={"cols": "religion"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "cols"


def test_matrix_rows_other_than_factor_is_422(read_client):
    assert read_client.get("/api/v1/matrix", params={"rows": "driver"}).status_code == 422


def test_matrix_bad_min_verdict_is_422(read_client):
    assert read_client.get("/api/v1/matrix", params={"min_verdict": "huge"}).status_code == 422


def test_matrix_cell_findings_are_ids_with_directness(read_client):
    body = read_client.get("/api/v1/matrix", params={"cols": "driver"}).json()
    cell = body["cells"]["detention"]["justice_seeker"]
    assert cell["findings"] and all(set(f) == {"id", "direct"} for f in cell["findings"])
    assert {"verdict", "direction", "n_findings", "deciding", "explanation"} <= set(cell)
    finding_id = cell["findings"][0]["id"]
    assert read_client.get(f"/api/v1/findings/{finding_id}").status_code == 200


def test_matrix_repeated_request_same_body(read_client):
    first = read_client.get("/api/v1/matrix", params={"cols": "sex", "lang": "nl"})
    second = read_client.get("/api/v1/matrix", params={"cols": "sex", "lang": "nl"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content


def test_hot_routes_are_async_so_no_thread_hop():
    import inspect

    from api.routes import factors, matrix, profile

    for route in (
        matrix.read_matrix,
        factors.read_factor,
        factors.list_factors,
        profile.read_profile,
    ):
        assert inspect.iscoroutinefunction(route), route.__name__
