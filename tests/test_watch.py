"""FolderWatcher, and the background refresh that reads literature/ only when it changed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from triggergraph.config import Settings
from triggergraph.service import EvidenceService, sync
from triggergraph.service.watch import FolderWatcher

pytest.importorskip("watchfiles", reason="file-system notifications need watchfiles")

FIXTURE = Path(__file__).resolve().parent / "data" / "good" / "fixture_good.yaml"


def _until(condition, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def watcher(tmp_path):
    folder = tmp_path / "watched"
    folder.mkdir()
    watcher = FolderWatcher(folder)
    assert watcher.start()
    assert _until(lambda: watcher.watching), "the watch never came up"
    yield watcher
    watcher.stop()


def test_watcher_quiet_folder_reports_no_change(watcher):
    watcher.take_change()
    time.sleep(0.3)
    assert watcher.may_have_changed() is False


def test_watcher_new_file_reports_change(watcher):
    watcher.take_change()
    (watcher.directory / "entry.yaml").write_text("id: x\n")
    assert _until(watcher.may_have_changed)


def test_watcher_rewritten_file_in_place_reports_change(watcher):
    path = watcher.directory / "entry.yaml"
    path.write_text("id: x\n")
    assert _until(watcher.may_have_changed)
    watcher.take_change()
    with path.open("a") as handle:
        handle.write("title: y\n")
    assert _until(watcher.may_have_changed)


def test_watcher_not_started_or_stopped_always_says_look(tmp_path, watcher):
    assert FolderWatcher(tmp_path).may_have_changed() is True
    watcher.take_change()
    watcher.stop()
    assert watcher.may_have_changed() is True


def test_watcher_missing_folder_does_not_start(tmp_path):
    assert FolderWatcher(tmp_path / "absent").start() is False


def test_refresher_idle_does_not_scan_literature(tmp_path, monkeypatch):
    literature = tmp_path / "literature"
    literature.mkdir()
    (literature / FIXTURE.name).write_bytes(FIXTURE.read_bytes())
    service = EvidenceService.open(
        Settings(
            store="memory",
            literature_dir=literature,
            store_path=tmp_path / "store",
            version_check_interval_s=0.02,
        )
    )
    scans = []
    real_stamp = sync.literature_stamp
    monkeypatch.setattr(sync, "literature_stamp", lambda d: scans.append(d) or real_stamp(d))
    try:
        assert service.start_refresher()
        assert _until(lambda: service._watcher.watching and scans), "no first look"
        time.sleep(0.1)  # the round that saw the watch come up has ended
        before = len(scans)
        time.sleep(0.5)  # about 25 rounds
        assert len(scans) == before
        copy = (literature / FIXTURE.name).read_text(encoding="utf-8")
        (literature / "fixture_copy.yaml").write_text(
            copy.replace("id: fixture_good", "id: fixture_copy"), encoding="utf-8"
        )
        assert _until(lambda: len(scans) > before)
    finally:
        service.close()
