"""The literature hash remembered by the folder's stamp: a restart on an unchanged folder
reads no file, and a change is still seen."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_snapshot import make_settings

from triggergraph.service import EvidenceService, sync
from triggergraph.service.literature import literature_stamp
from triggergraph.service.stamp_memo import STAMP_MEMO, remember_hash, remembered_hash


@pytest.fixture
def hashed(monkeypatch) -> list[Path]:
    """The folders whose files the service hashes."""
    calls: list[Path] = []
    real = sync.literature_hash

    def counting(directory):
        calls.append(Path(directory))
        return real(directory)

    monkeypatch.setattr(sync, "literature_hash", counting)
    return calls


def test_restart_on_an_unchanged_folder_hashes_no_file(tmp_path, literature, hashed):
    settings = make_settings(tmp_path, literature)
    EvidenceService.open(settings).close()
    assert hashed == [literature]
    assert (tmp_path / "store" / STAMP_MEMO).is_file()
    service = EvidenceService.open(settings)
    try:
        assert hashed == [literature]
        assert service.restored.how == "saved"
    finally:
        service.close()


def test_a_file_written_since_is_seen_at_restart(tmp_path, literature, hashed):
    settings = make_settings(tmp_path, literature)
    EvidenceService.open(settings).close()
    path = literature / "fixture_beta.yaml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry["title"] = "API test fixture beta, retitled while the service was down"
    path.write_text(yaml.safe_dump(entry, sort_keys=False), encoding="utf-8")
    service = EvidenceService.open(settings)
    try:
        assert hashed == [literature, literature]
        assert service.sources_by_id["fixture_beta"].title == entry["title"]
    finally:
        service.close()


def test_without_a_saved_read_model_nothing_is_remembered(tmp_path, literature, hashed):
    settings = make_settings(tmp_path, literature, save_read_model=False)
    EvidenceService.open(settings).close()
    EvidenceService.open(settings).close()
    assert hashed == [literature, literature]
    assert not (tmp_path / "store" / STAMP_MEMO).exists()


def test_memo_answers_only_its_own_stamp_and_folder(tmp_path, literature):
    memo = tmp_path / STAMP_MEMO
    stamp = literature_stamp(literature)
    assert remembered_hash(memo, literature, stamp) is None
    remember_hash(memo, literature, stamp, "abc123")
    assert remembered_hash(memo, literature, stamp) == "abc123"
    assert remembered_hash(memo, tmp_path, stamp) is None
    (literature / "new.yaml").write_text("id: x\n", encoding="utf-8")
    assert remembered_hash(memo, literature, literature_stamp(literature)) is None
    memo.write_text("not json", encoding="utf-8")
    assert remembered_hash(memo, literature, stamp) is None
    assert remembered_hash(None, literature, stamp) is None
