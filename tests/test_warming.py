"""Warming: the service makes registered answers for each new data version on a thread."""

from __future__ import annotations

import queue
import shutil
from pathlib import Path

import pytest
import yaml

from triggergraph.config import Settings
from triggergraph.service import EvidenceService
from triggergraph.viewer import MapQuery, build_map_page

FIXTURES = Path(__file__).resolve().parent / "data" / "api"


def settings_for(tmp_path: Path, **overrides) -> Settings:
    """A memory store over a copy of the API fixtures."""
    folder = tmp_path / "literature"
    shutil.copytree(FIXTURES, folder)
    values = dict(
        store="memory", store_path=tmp_path / "store", literature_dir=folder, save_read_model=False
    )
    return Settings(**{**values, **overrides})


@pytest.fixture
def service(tmp_path):
    service = EvidenceService.open(settings_for(tmp_path, version_check_interval_s=0))
    yield service
    service.close()


def test_warmed_map_page_is_the_one_a_request_gets(service):
    made = []

    def warm(index):
        made.append(service.warm_page(index, build_map_page, "nl", {}, query=MapQuery(lang="nl")))

    service.warm_with(warm).join()
    asked = service.page(build_map_page, "nl", {}, query=MapQuery(lang="nl"))
    assert made and asked is made[0]


def test_every_new_data_version_is_warmed(service):
    versions: queue.Queue = queue.Queue()
    service.warm_with(lambda index: versions.put(index.version)).join()
    first = versions.get_nowait()
    entry = yaml.safe_load((FIXTURES / "fixture_beta.yaml").read_text())
    entry["title"] = "API test fixture beta, retitled (not a real study)"
    (Path(service.settings.literature_dir) / "fixture_beta.yaml").write_text(
        yaml.safe_dump(entry, sort_keys=False)
    )
    service.ensure_fresh()
    assert versions.get(timeout=60) == service.index.version != first


def test_failing_warmer_leaves_requests_working(service, caplog):
    def broken(index):
        raise RuntimeError("warming broke")

    service.warm_with(broken).join()
    assert "warming the answers" in caplog.text
    page = service.page(build_map_page, "en", {}, query=MapQuery())
    assert page.map.levels


def test_app_warms_the_factor_lists_after_start(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from triggergraph.answers.builders import serialise

    made = []
    build_factors = serialise.build_factors

    def counting(index, query):
        made.append(query.lang)
        return build_factors(index, query)

    monkeypatch.setattr(serialise, "build_factors", counting)
    app = create_app(settings_for(tmp_path))
    with TestClient(app) as client:
        app.state.warming.join(timeout=60)
        assert sorted(made) == ["en", "nl"]
        assert client.get("/api/v1/factors", params={"lang": "nl"}).status_code == 200
        assert client.get("/api/v1/factors").status_code == 200
        assert sorted(made) == ["en", "nl"], "the warmed lists are served, not made again"


def test_warmers_wait_while_a_request_is_in_flight(tmp_path):
    settings = settings_for(tmp_path, version_check_interval_s=0, warm_after_quiet_s=0.2)
    service = EvidenceService.open(settings)
    try:
        ran: queue.Queue = queue.Queue()
        service.activity.begin()
        thread = service.warm_with(lambda index: ran.put(index.version))
        with pytest.raises(queue.Empty):
            ran.get(timeout=0.6)
        service.activity.end()
        assert ran.get(timeout=5) == service.index.version
        thread.join(timeout=5)
    finally:
        service.close()


def test_app_tells_the_service_when_requests_end(tmp_path):
    from fastapi.testclient import TestClient

    from api.main import create_app

    app = create_app(settings_for(tmp_path))
    with TestClient(app) as client:
        activity = app.state.service.activity
        assert activity.wait_quiet(0.6, 5)
        assert client.get("/health").status_code == 200
        assert not activity.wait_quiet(0.5, 0.01), "a request has just ended"
        assert activity.wait_quiet(0.05, 5)
