"""Tests of review states, tombstones, restore, history and entry-format reads of sources.

Run against the in-memory store, embedded Oxigraph and a real ``oxigraph serve``.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import yaml
from test_service import as_yaml
from test_service import entry as service_entry

from triggergraph.answers import MatrixQuery
from triggergraph.config import Settings
from triggergraph.exceptions import ConflictError, EntryError, NotFoundError
from triggergraph.service import EvidenceService
from triggergraph.store import SparqlStore, VirtuosoStore

FIXTURES = Path(__file__).resolve().parent / "data" / "api"
BACKENDS = ["memory", "oxigraph", "sparql", "virtuoso"]
DRIVERS = MatrixQuery(cols="driver")


def entry(source_id: str, finding_ids: list[str], factor: str = "detention", **extra) -> dict:
    """A valid test entry (not a real study), first added by ``first curator``."""
    return service_entry(source_id, finding_ids, factor, **{"added_by": "first curator", **extra})


@pytest.fixture(params=BACKENDS)
def settings(request, tmp_path, literature) -> Settings:
    values = dict(
        store="sparql" if request.param == "virtuoso" else request.param,
        store_path=tmp_path / "store",
        literature_dir=literature,
        version_check_interval_s=0,
    )
    if request.param == "sparql":
        server = request.getfixturevalue("oxigraph_server")
        SparqlStore(server.query_url, server.update_url, Settings().base_iri).replace_all("")
        values.update(sparql_url=server.query_url, sparql_update_url=server.update_url)
    if request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        remote = VirtuosoStore(
            server.query_url, server.update_url, Settings().base_iri, server.auth
        )
        remote.replace_all("")
        remote.close()
        user, password = server.auth
        values.update(
            sparql_url=server.query_url,
            sparql_update_url=server.update_url,
            sparql_dialect="virtuoso",
            sparql_user=user,
            sparql_password=password,
        )
    return Settings(**values)


@pytest.fixture
def service(settings):
    service = EvidenceService.open(settings)
    yield service
    service.close()


def reopen(service: EvidenceService) -> EvidenceService:
    """A restart: the memory store keeps its data in process, so it is handed over."""
    if service.store.backend == "memory":
        again = EvidenceService(service.settings, service.store, service.vocabulary)
        again.sync_literature() or again.reload()
        return again
    service.close()
    return EvidenceService.open(service.settings)


def touch_unrelated(literature: Path) -> None:
    path = literature / "fixture_alpha.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = data["title"] + " (edited)"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def verdicts(matrix_json: bytes) -> dict:
    cells = orjson.loads(matrix_json)["cells"]
    return {
        (factor, column): cell["verdict"]
        for factor, row in cells.items()
        for column, cell in row.items()
    }


# ---- tombstones --------------------------------------------------------------------------
def test_deleted_file_source_stays_deleted_across_restart_and_unrelated_edit(service, literature):
    service.delete_source("fixture_beta", by="curator b", why="duplicate of alpha")
    service = reopen(service)
    try:
        assert "fixture_beta" not in service.sources_by_id
        touch_unrelated(literature)
        service.sync_literature()
        assert service.sources_by_id["fixture_alpha"].title.endswith("(edited)")
        assert "fixture_beta" not in service.sources_by_id
        service = reopen(service)
        assert "fixture_beta" not in service.sources_by_id
        assert service.source_history("fixture_beta")["state"] == "deleted"

        service.restore_source("fixture_beta", by="curator c", why="not a duplicate after all")
        assert [f.id for f in service.sources_by_id["fixture_beta"].findings] == ["fixture-beta-1"]
        touch_unrelated(literature)  # and it is not lost again on the next load
        service.sync_literature()
        assert "fixture_beta" in service.sources_by_id
    finally:
        service.close()


def test_put_brings_a_deleted_source_back(service):
    service.delete_source("fixture_beta")
    body, _ = _entry_of_revision(service, "fixture_beta")
    service.replace_source("fixture_beta", body, "application/yaml", by="curator c")
    assert "fixture_beta" in service.sources_by_id
    assert service.source_history("fixture_beta")["state"] == "published"


def _entry_of_revision(service, source_id) -> tuple[bytes, str]:
    kept = service.kept_revision(source_id)
    from triggergraph.loader import dump_entry_yaml

    return dump_entry_yaml(kept).encode("utf-8"), "application/yaml"


def test_restore_of_a_source_that_is_not_deleted_conflicts(service):
    with pytest.raises(ConflictError, match="not deleted"):
        service.restore_source("fixture_alpha")
    with pytest.raises(NotFoundError):
        service.restore_source("never_there")


def test_store_edit_of_a_file_source_survives_unrelated_file_edit(service, literature):
    edited = entry(
        "fixture_beta", ["fixture-beta-1"], factor="marriage", title="Retitled in the store"
    )
    service.replace_source("fixture_beta", as_yaml(edited), "application/yaml", by="curator b")
    touch_unrelated(literature)
    service.sync_literature()
    assert service.sources_by_id["fixture_beta"].title == "Retitled in the store"
    # a change to the file itself is a new input and is loaded
    path = literature / "fixture_beta.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = "Retitled in the file"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    service.sync_literature()
    assert service.sources_by_id["fixture_beta"].title == "Retitled in the file"
    newest = service.source_history("fixture_beta")["items"][0]
    assert (newest["action"], newest["by"], newest["why"]) == (
        "loaded",
        "literature",
        "its file changed",
    )
    assert "-title: Retitled in the store" in newest["diff"]
    assert "+title: Retitled in the file" in newest["diff"]


# ---- review states -----------------------------------------------------------------------
def test_proposed_source_changes_no_public_verdict_until_published(service):
    before = service.matrix_json(DRIVERS)
    body = as_yaml(entry("proposed_one", ["p-1", "p-2"], factor="marriage"))
    result = service.create_source(body, "application/yaml", publish=False, why="new paper")
    assert (result.action, result.state) == ("proposed", "proposed")
    assert "proposed_one" not in service.sources_by_id
    assert verdicts(service.matrix_json(DRIVERS)) == verdicts(before)
    with pytest.raises(NotFoundError):
        service.source("proposed_one")
    assert [i["id"] for i in service.proposed_sources()["items"]] == ["proposed_one"]
    including = service.matrix_including_proposed(DRIVERS)
    assert verdicts(including) != verdicts(before)

    service.publish_source("proposed_one", by="reviewer", why="checked against the paper")
    after = service.matrix_json(DRIVERS)
    assert verdicts(after) == verdicts(including)
    assert service.proposed_sources()["total"] == 0


def test_proposed_edit_keeps_public_version_until_review(service):
    public = service.sources_by_id["fixture_beta"]
    edit = entry("fixture_beta", ["fixture-beta-1"], factor="marriage", title="Proposed new title")
    service.replace_source("fixture_beta", as_yaml(edit), "text/yaml", publish=False, by="b")
    assert service.sources_by_id["fixture_beta"].title == public.title
    body, media = service.source_entry("fixture_beta", "yaml", state="proposed")
    assert b"Proposed new title" in body and media == "application/yaml"
    service.review_source("fixture_beta", "reject", by="reviewer", why="title is right")
    assert service.sources_by_id["fixture_beta"].title == public.title
    with pytest.raises(NotFoundError):
        service.review_source("fixture_beta", "publish")
    with pytest.raises(EntryError, match="not a review decision"):
        service.review_source("fixture_beta", "maybe")


def test_proposed_versions_survive_restart_and_literature_reload(service, literature):
    body = as_yaml(entry("proposed_one", ["p-1"]))
    service.create_source(body, "application/yaml", publish=False)
    service = reopen(service)
    try:
        assert "proposed_one" in service._proposed
        touch_unrelated(literature)
        service.sync_literature()
        assert [i["id"] for i in service.proposed_sources()["items"]] == ["proposed_one"]
        # a proposed version holds its finding ids: nobody else may take them
        with pytest.raises(ConflictError, match="p-1"):
            service.create_source(as_yaml(entry("other", ["p-1"])), "application/yaml")
    finally:
        service.close()


# ---- history -----------------------------------------------------------------------------
def test_history_records_who_when_what_why_and_keeps_previous_revision(service):
    first = entry("hist_one", ["h-1"])
    service.create_source(as_yaml(first), "application/yaml", why="entered from the paper")
    second = entry("hist_one", ["h-1", "h-2"], added_by="second curator", added_on="2026-12-01")
    service.replace_source("hist_one", as_yaml(second), "application/yaml", why="added h-2")

    stored = service.sources_by_id["hist_one"]
    assert (stored.added_by, str(stored.added_on)) == ("first curator", "2026-11-28")
    assert stored.findings[1].added_by == "second curator"

    history = service.source_history("hist_one")
    newest, oldest = history["items"]
    assert (oldest["action"], oldest["by"], oldest["why"]) == (
        "created",
        "first curator",
        "entered from the paper",
    )
    assert (newest["action"], newest["by"], newest["why"]) == (
        "replaced",
        "second curator",
        "added h-2",
    )
    assert newest["at"] >= oldest["at"] and "T" in newest["at"]
    assert newest["used"] == [oldest["generated"]]
    assert "+  - id: h-2" in newest["diff"] or "+- id: h-2" in newest["diff"]
    kept = service._history("hist_one").revisions[oldest["generated"]]
    assert [f["id"] for f in orjson.loads(kept.entry)["findings"]] == ["h-1"]


def test_first_change_of_a_file_source_keeps_the_loaded_version(service):
    service.delete_source("fixture_alpha", by="curator", why="retracted")
    items = service.source_history("fixture_alpha")["items"]
    assert [i["action"] for i in items] == ["deleted", "loaded"]
    assert items[0]["used"] == [items[1]["generated"]]
    assert items[0]["diff"].startswith("--- ")


def test_history_is_prov_o_in_the_store(service):
    service.create_source(as_yaml(entry("hist_one", ["h-1"])), "application/yaml", why="w")
    text = service.store.graph_ntriples(f"{service.settings.base_iri}graph/history/hist_one")
    for term in ("prov#Activity", "prov#wasAssociatedWith", "prov#startedAtTime", "prov#generated"):
        assert term in text


# ---- entry format and the same DOI twice -----------------------------------------------
@pytest.mark.parametrize("as_", ["yaml", "json"])
def test_entry_get_put_round_trip_is_identity(service, as_):
    body, media = service.source_entry("fixture_alpha", as_)
    before = service.sources_by_id["fixture_alpha"]
    service.replace_source("fixture_alpha", body, media)
    assert service.sources_by_id["fixture_alpha"] == before
    assert service.source_entry("fixture_alpha", as_) == (body, media)


def test_same_doi_twice_is_refused_naming_the_other_source(service):
    service.create_source(
        as_yaml(entry("doi_one", ["d-1"], doi="10.1234/abc.1")), "application/yaml"
    )
    with pytest.raises(ConflictError, match="doi_one"):
        service.create_source(
            as_yaml(entry("doi_two", ["d-2"], doi="10.1234/ABC.1")), "application/yaml"
        )
    with pytest.raises(ConflictError, match="doi_one"):
        service.replace_source(
            "fixture_alpha",
            as_yaml(entry("fixture_alpha", ["fixture-alpha-1"], doi="10.1234/abc.1")),
            "application/yaml",
        )
    assert "doi_two" not in service.sources_by_id


def test_a_proposal_racing_another_writer_for_one_id_is_refused_at_the_store(service, monkeypatch):
    """The proposed graph is part of the write's precondition: a second process that has
    not seen a proposal yet cannot overwrite it (its stale checks pass, the store's gate
    does not)."""
    other = EvidenceService(service.settings, service.store, service.vocabulary)
    other.reload()
    first = as_yaml(entry("raced", ["raced-a"]))
    service.create_source(first, "application/yaml", publish=False, by="a")
    stale_once = iter([True])
    real_sync = other._sync_for_write
    monkeypatch.setattr(
        other, "_sync_for_write", lambda: None if next(stale_once, False) else real_sync()
    )
    with pytest.raises(ConflictError, match="already exists"):
        other.create_source(
            as_yaml(entry("raced", ["raced-b"])), "application/yaml", publish=False, by="b"
        )
    body, _ = service.source_entry("raced", "yaml", state="proposed")
    assert b"raced-a" in body and b"raced-b" not in body
