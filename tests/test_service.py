"""Tests of EvidenceService: literature sync, restarts, writes, version polling, SPARQL, export, dump."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import orjson
import pytest
import yaml

from triggergraph.answers import (
    FactorsQuery,
    FindingsQuery,
    LangQuery,
    MatrixQuery,
    SourcesQuery,
)
from triggergraph.answers.builders import (
    answer_json,
    build_findings,
    build_matrix,
    build_sources,
    factors_json,
    matrix_json,
)
from triggergraph.config import Settings
from triggergraph.exceptions import (
    ConflictError,
    EntryError,
    NotFoundError,
    Problem,
    QueryError,
    StoreUnavailableError,
)
from triggergraph.loader import load_literature
from triggergraph.service import (
    EvidenceService,
    dump_literature,
    entry_format,
    negotiate,
)
from triggergraph.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent / "data" / "api"


def entry(source_id: str, finding_ids: list[str], factor: str = "detention", **extra) -> dict:
    """A valid entry built for tests (not a real study)."""
    data = {
        "id": source_id,
        "type": "report",
        "authors": ["Fixture, T."],
        "year": 2026,
        "title": f"Service test fixture {source_id} (not a real study)",
        "added_by": "triggergraph tests",
        "added_on": "2026-11-28",
        "findings": [
            {
                "id": fid,
                "factor": factor,
                "drivers": [{"driver": "meaning_seeker", "basis": "proposed"}],
                "direction": "increases",
                "certainty": "D",
                "certainty_reasons": ["test fixture; not evidence"],
                "locator": "n/a (test fixture)",
            }
            for fid in finding_ids
        ],
    }
    data.update(extra)
    return data


def as_yaml(data: dict) -> bytes:
    return yaml.safe_dump(data, sort_keys=False).encode("utf-8")


def make_settings(tmp_path: Path, literature: Path, **overrides) -> Settings:
    values = dict(
        store="oxigraph",
        store_path=tmp_path / "store",
        literature_dir=literature,
        version_check_interval_s=0,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def service(tmp_path, literature):
    service = EvidenceService.open(make_settings(tmp_path, literature, store="memory"))
    yield service
    service.close()


@pytest.fixture(scope="module")
def read_service(tmp_path_factory):
    """One service per module for tests that only read."""
    root = tmp_path_factory.mktemp("read")
    shutil.copytree(FIXTURES, root / "literature")
    service = EvidenceService.open(
        make_settings(root, root / "literature", store="memory", version_check_interval_s=60)
    )
    yield service
    service.close()


def source_ids(service: EvidenceService) -> list[str]:
    return sorted(service.sources_by_id)


# ---- opening and literature --------------------------------------------------------------
def test_open_loads_literature_into_store_and_index(service):
    assert source_ids(service) == ["fixture_alpha", "fixture_beta"]
    health = service.health()
    assert health.status == "ok"
    assert health.store_counts == {"sources": 2, "findings": 3}
    assert health.sources_from_literature == 2
    assert health.literature_problems == []


def test_restart_with_same_literature_keeps_api_added_source(tmp_path, literature):
    settings = make_settings(tmp_path, literature)
    first = EvidenceService.open(settings)
    first.create_source(as_yaml(entry("added_one", ["added-one-1"])), "application/yaml")
    dump_before = first.store.dump_nquads()
    first.close()
    second = EvidenceService.open(settings)
    try:
        assert "added_one" in source_ids(second)
        assert second.store.dump_nquads() == dump_before
        assert second.health().sources_added == 1
    finally:
        second.close()


def test_restart_with_changed_literature_replaces_literature_keeps_api_sources(
    tmp_path, literature
):
    settings = make_settings(tmp_path, literature)
    first = EvidenceService.open(settings)
    first.create_source(as_yaml(entry("added_one", ["added-one-1"])), "application/yaml")
    first.close()
    (literature / "fixture_beta.yaml").unlink()
    (literature / "fixture_gamma.yaml").write_bytes(as_yaml(entry("fixture_gamma", ["gamma-1"])))
    second = EvidenceService.open(settings)
    try:
        assert source_ids(second) == ["added_one", "fixture_alpha", "fixture_gamma"]
    finally:
        second.close()


def test_literature_file_wins_over_api_source_with_same_id(tmp_path, literature):
    settings = make_settings(tmp_path, literature)
    first = EvidenceService.open(settings)
    first.create_source(as_yaml(entry("fixture_gamma", ["api-gamma-1"])), "application/yaml")
    first.close()
    (literature / "fixture_gamma.yaml").write_bytes(
        as_yaml(entry("fixture_gamma", ["file-gamma-1"]))
    )
    second = EvidenceService.open(settings)
    try:
        findings = [f.id for f in second.sources_by_id["fixture_gamma"].findings]
        assert findings == ["file-gamma-1"]
    finally:
        second.close()


def test_invalid_literature_at_start_keeps_store_data_and_reports(tmp_path, literature):
    settings = make_settings(tmp_path, literature)
    EvidenceService.open(settings).close()
    (literature / "fixture_beta.yaml").write_text("id: fixture_beta\ntitle: [unclosed\n")
    service = EvidenceService.open(settings)
    try:
        assert source_ids(service) == ["fixture_alpha", "fixture_beta"]
        health = service.health()
        assert health.status == "degraded"
        assert any("fixture_beta.yaml" in (p.file or "") for p in health.literature_problems)
    finally:
        service.close()


def test_invalid_literature_on_empty_store_starts_empty_and_reports(tmp_path, literature):
    (literature / "fixture_beta.yaml").write_text("id: fixture_beta\ntitle: [unclosed\n")
    service = EvidenceService.open(make_settings(tmp_path, literature, store="memory"))
    try:
        assert source_ids(service) == []
        problems = service.health().literature_problems
        assert problems[0].file.endswith("fixture_beta.yaml") and problems[0].line
    finally:
        service.close()


def test_missing_literature_folder_is_reported(tmp_path):
    settings = make_settings(tmp_path, tmp_path / "no-such-folder", store="memory")
    service = EvidenceService.open(settings)
    try:
        health = service.health()
        assert health.status == "degraded"
        assert "no-such-folder" in health.literature_problems[0].file
    finally:
        service.close()


def test_literature_broken_while_running_keeps_last_good_data(service, literature):
    (literature / "fixture_alpha.yaml").write_text(
        (literature / "fixture_alpha.yaml")
        .read_text()
        .replace("factor: detention", "factor: detentoin", 1)
    )
    health = service.health()
    assert source_ids(service) == ["fixture_alpha", "fixture_beta"]
    problems = health.literature_problems
    assert problems and "detentoin" in problems[0].message
    assert "detention" in problems[0].suggestions


def test_literature_fixed_while_running_is_loaded(service, literature):
    (literature / "fixture_gamma.yaml").write_bytes(as_yaml(entry("fixture_gamma", ["gamma-1"])))
    service.ensure_fresh()
    assert "fixture_gamma" in source_ids(service)
    assert service.health().literature_problems == []


def test_literature_reusing_api_finding_id_is_reported_not_loaded(service, literature):
    service.create_source(as_yaml(entry("added_one", ["shared-1"])), "application/yaml")
    (literature / "fixture_gamma.yaml").write_bytes(as_yaml(entry("fixture_gamma", ["shared-1"])))
    health = service.health()
    assert "fixture_gamma" not in source_ids(service)
    assert any("shared-1" in p.message for p in health.literature_problems)


# ---- writes ------------------------------------------------------------------------------
def test_create_source_yaml_and_json_add_to_index(service):
    result = service.create_source(as_yaml(entry("added_yaml", ["added-yaml-1"])), "text/yaml")
    assert result.action == "created" and result.findings == 1
    body = json.dumps(entry("added_json", ["added-json-1"])).encode()
    service.create_source(body, "application/json")
    assert {"added_yaml", "added_json"} <= set(source_ids(service))
    assert service.finding("added-json-1").id == "added-json-1"


def test_create_source_existing_id_conflicts_and_changes_nothing(service):
    before = service.store.dump_nquads()
    with pytest.raises(ConflictError, match="already exists"):
        service.create_source(as_yaml(entry("fixture_alpha", ["new-1"])), "application/yaml")
    assert service.store.dump_nquads() == before


def test_create_source_reusing_finding_id_of_other_source_conflicts(service):
    before = service.store.dump_nquads()
    with pytest.raises(ConflictError, match="fixture-alpha-1"):
        service.create_source(as_yaml(entry("added_one", ["fixture-alpha-1"])), "application/yaml")
    assert service.store.dump_nquads() == before


def test_create_source_reserved_id_conflicts(service):
    with pytest.raises(ConflictError, match="reserved"):
        service.create_source(as_yaml(entry("vocabulary", ["v-1"])), "application/yaml")


def test_create_source_invalid_entry_lists_every_problem(service):
    before = service.store.dump_nquads()
    bad = entry("added_bad", ["bad-1"], factor="detentoin")
    bad["findings"][0]["certainty"] = "E"
    with pytest.raises(EntryError) as info:
        service.create_source(as_yaml(bad), "application/yaml")
    fields = [p.field for p in info.value.problems]
    assert any("factor" in f for f in fields) and any("certainty" in f for f in fields)
    assert all(p.file == "<request body>" for p in info.value.problems)
    assert service.store.dump_nquads() == before


def test_create_source_unsupported_media_type_is_entry_error(service):
    with pytest.raises(EntryError, match="application/yaml"):
        service.create_source(b"<xml/>", "application/xml")


def test_replace_source_with_other_body_id_conflicts_and_changes_nothing(service):
    before = service.store.dump_nquads()
    with pytest.raises(ConflictError, match="differs"):
        service.replace_source(
            "fixture_alpha", as_yaml(entry("fixture_beta", ["x-1"])), "text/yaml"
        )
    assert service.store.dump_nquads() == before


def test_replace_source_unknown_id_not_found(service):
    with pytest.raises(NotFoundError) as info:
        service.replace_source("fixture_alfa", as_yaml(entry("fixture_alfa", ["x-1"])), "text/yaml")
    assert "fixture_alpha" in info.value.suggestions


def test_replace_source_changes_findings(service):
    result = service.replace_source(
        "fixture_beta", as_yaml(entry("fixture_beta", ["beta-new-1", "beta-new-2"])), "text/yaml"
    )
    assert result.findings == 2
    with pytest.raises(NotFoundError):
        service.finding("fixture-beta-1")
    assert service.finding("beta-new-2").id == "beta-new-2"


def test_replace_source_reusing_finding_id_of_other_source_conflicts(service):
    before = service.store.dump_nquads()
    with pytest.raises(
        ConflictError, match="'fixture-alpha-1' is already used by source 'fixture_alpha'"
    ):
        service.replace_source(
            "fixture_beta", as_yaml(entry("fixture_beta", ["fixture-alpha-1"])), "text/yaml"
        )
    assert service.store.dump_nquads() == before


def test_finding_id_is_free_once_its_source_let_go_of_it(service):
    service.replace_source(
        "fixture_alpha", as_yaml(entry("fixture_alpha", ["alpha-new-1"])), "text/yaml"
    )
    result = service.replace_source(
        "fixture_beta", as_yaml(entry("fixture_beta", ["fixture-alpha-1"])), "text/yaml"
    )
    assert result.findings == 1
    assert (
        service.human_page("finding", "fixture-alpha-1") == "/sources/fixture_beta#fixture-alpha-1"
    )


def test_same_doi_in_other_case_conflicts_until_the_other_source_changes_it(service):
    service.replace_source(
        "fixture_alpha",
        as_yaml(entry("fixture_alpha", ["alpha-1"], doi="10.5555/Fixture.Same")),
        "text/yaml",
    )
    # the source may keep its own DOI
    service.replace_source(
        "fixture_alpha",
        as_yaml(entry("fixture_alpha", ["alpha-2"], doi="10.5555/fixture.same")),
        "text/yaml",
    )
    before = service.store.dump_nquads()
    other = entry("fixture_beta", ["beta-1"], doi="10.5555/FIXTURE.SAME")
    with pytest.raises(ConflictError, match="source 'fixture_alpha'"):
        service.replace_source("fixture_beta", as_yaml(other), "text/yaml")
    assert service.store.dump_nquads() == before
    service.replace_source(
        "fixture_alpha",
        as_yaml(entry("fixture_alpha", ["alpha-3"], doi="10.5555/fixture.other")),
        "text/yaml",
    )
    assert service.replace_source("fixture_beta", as_yaml(other), "text/yaml").findings == 1


def test_delete_source_removes_it_and_its_findings(service):
    service.delete_source("fixture_beta")
    assert source_ids(service) == ["fixture_alpha"]
    assert service.health().store_counts["findings"] == 2
    with pytest.raises(NotFoundError):
        service.delete_source("fixture_beta")


def test_write_bumps_version(service):
    before = service.health().version
    result = service.create_source(as_yaml(entry("added_one", ["a-1"])), "text/yaml")
    assert result.version != before
    assert service.health().version == result.version


# ---- version polling ----------------------------------------------------------------------
def test_second_service_on_same_store_sees_writes(service):
    other = EvidenceService(service.settings, service.store, service.vocabulary)
    other.reload()
    service.create_source(as_yaml(entry("added_one", ["a-1"])), "text/yaml")
    other.ensure_fresh()
    assert "added_one" in other.sources_by_id


def test_write_after_foreign_write_keeps_both(service):
    other = EvidenceService(service.settings, service.store, service.vocabulary)
    other.reload()
    service.create_source(as_yaml(entry("added_one", ["a-1"])), "text/yaml")
    other.create_source(as_yaml(entry("added_two", ["a-2"])), "text/yaml")
    assert {"added_one", "added_two"} <= set(other.sources_by_id)
    service.ensure_fresh()
    assert {"added_one", "added_two"} <= set(service.sources_by_id)


def test_unreachable_store_serves_last_index_and_refuses_writes(service, monkeypatch):
    def down(*args, **kwargs):
        raise StoreUnavailableError("connection refused")

    monkeypatch.setattr(service.store, "version", down)
    monkeypatch.setattr(service.store, "query", down)
    assert source_ids(service) == ["fixture_alpha", "fixture_beta"]
    health = service.health()
    assert health.stale is True and health.status == "degraded"
    assert service.findings(FindingsQuery()).total == 3
    with pytest.raises(StoreUnavailableError):
        service.create_source(as_yaml(entry("added_one", ["a-1"])), "text/yaml")


# ---- SPARQL, Linked Data, export, dump ----------------------------------------------------
def test_sparql_select_defaults_to_json(read_service):
    body, media_type = read_service.sparql(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", None
    )
    assert media_type.startswith("application/sparql-results+json")
    assert json.loads(body)["head"]["vars"] == ["n"]


def test_sparql_construct_negotiates_ntriples(read_service):
    body, media_type = read_service.sparql(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 3", "application/n-triples"
    )
    assert media_type.startswith("application/n-triples")
    assert body.decode().count(" .\n") == 3


def test_sparql_update_refused_and_store_unchanged(read_service):
    before = read_service.store.dump_nquads()
    with pytest.raises(QueryError, match="read-only"):
        read_service.sparql("DROP ALL", None)
    assert read_service.store.dump_nquads() == before


def test_describe_finding_as_turtle_and_jsonld(read_service):
    body, media_type = read_service.describe("finding", "fixture-alpha-1", "text/turtle")
    assert media_type == "text/turtle"
    assert b"fixture-alpha-1" in body and b"tg:locator" in body
    body, media_type = read_service.describe("finding", "fixture-alpha-1", "application/ld+json")
    assert media_type == "application/ld+json"
    assert "fixture-alpha-1" in json.dumps(json.loads(body))


def test_describe_unknown_id_suggests(read_service):
    with pytest.raises(NotFoundError) as info:
        read_service.describe("factor", "detentoin", "text/turtle")
    assert info.value.suggestions == ["detention"]


def test_human_page_paths(read_service):
    assert read_service.human_page("factor", "detention") == "/factors/detention"
    assert (
        read_service.human_page("finding", "fixture-beta-1")
        == "/sources/fixture_beta#fixture-beta-1"
    )
    assert read_service.human_page("demographic", "sex_female") == "/profile?sex=sex_female"
    assert read_service.human_page("driver", "meaning_seeker") == "/profile?driver=meaning_seeker"


@pytest.mark.parametrize(
    ("fmt", "media_type", "marker"),
    [
        ("trig", "application/trig", b"fixture-alpha-1"),
        ("nquads", "application/n-quads", b"/graph/fixture_alpha>"),
        ("turtle", "text/turtle", b"fixture-beta-1"),
        ("jsonld", "application/ld+json", b"fixture-beta-1"),
        ("csv", "text/csv; charset=utf-8", b"fixture-alpha-2,fixture_alpha,detention"),
    ],
)
def test_export_formats(read_service, fmt, media_type, marker):
    body, got_type, filename = read_service.export(fmt)
    assert got_type == media_type
    assert marker in body
    assert filename.startswith("triggergraph.")


def test_export_unknown_format_is_entry_error(read_service):
    with pytest.raises(EntryError) as info:
        read_service.export("ntriples")
    assert info.value.problems[0].field == "format"


def test_dump_literature_round_trips_every_store_source(tmp_path, literature):
    settings = make_settings(tmp_path, literature)
    service = EvidenceService.open(settings)
    service.create_source(as_yaml(entry("added_one", ["a-1"])), "text/yaml")
    expected = service.sources_by_id
    service.close()
    out = tmp_path / "dumped"
    paths = dump_literature(settings, out)
    assert [p.name for p in paths] == ["added_one.yaml", "fixture_alpha.yaml", "fixture_beta.yaml"]
    vocab = load_vocabulary(settings.ontology_dir, settings.base_iri)
    reloaded = {s.id: s for s in load_literature(out, vocab)}
    assert reloaded == expected
    with pytest.raises(ConflictError):
        dump_literature(settings, out)


# ---- helpers ------------------------------------------------------------------------------
def test_entry_format_rejects_form_bodies():
    with pytest.raises(EntryError, match="multipart/form-data"):
        entry_format("multipart/form-data; boundary=x")


def test_negotiate_prefers_higher_quality():
    offered = ["text/turtle", "application/ld+json"]
    assert negotiate("text/turtle;q=0.2, application/ld+json", offered, "text/turtle") == (
        "application/ld+json"
    )
    assert negotiate("image/png", offered, "text/turtle") == "text/turtle"


# ---- reading back only what changed ------------------------------------------------------
def _index_answers(service: EvidenceService) -> tuple:
    index = service.index
    return (
        matrix_json(index, MatrixQuery(cols="all", lang="en")),
        factors_json(index, FactorsQuery(lang="nl")),
        answer_json(build_findings(index, FindingsQuery(limit=500))),
        answer_json(build_sources(index, SourcesQuery(limit=500))),
    )


def _fresh_answers(service: EvidenceService) -> tuple:
    """The same answers from a service that reads the whole store anew."""
    fresh = EvidenceService(service.settings, service.store, service.vocabulary)
    fresh.reload()
    return _index_answers(fresh)


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_reload_reads_back_only_the_graphs_another_process_wrote(tmp_path, literature, backend):
    writer = EvidenceService.open(make_settings(tmp_path, literature, store=backend))
    try:
        reader = EvidenceService(writer.settings, writer.store, writer.vocabulary)
        reader.reload()
        writer.create_source(as_yaml(entry("added_one", ["a-1"])), "text/yaml")
        writer.create_source(as_yaml(entry("added_two", ["a-2", "a-3"])), "text/yaml")
        before = reader.sources_by_id
        reader.reload()
        after = reader.sources_by_id
        assert set(after) == {"fixture_alpha", "fixture_beta", "added_one", "added_two"}
        # the graphs nobody wrote are the very same models: they were not read again
        assert after["fixture_alpha"] is before["fixture_alpha"]
        assert after["fixture_beta"] is before["fixture_beta"]
        assert _index_answers(reader) == _fresh_answers(reader)

        changed = entry("fixture_beta", ["beta-new-1"], title="Retitled by the other process")
        writer.replace_source("fixture_beta", as_yaml(changed), "text/yaml")
        writer.delete_source("added_one")
        reader.reload()
        after_second = reader.sources_by_id
        assert "added_one" not in after_second
        assert after_second["fixture_beta"].title == "Retitled by the other process"
        assert after_second["added_two"] is after["added_two"]
        assert reader.health().version == writer.store.version()
        assert _index_answers(reader) == _fresh_answers(reader)
        with pytest.raises(NotFoundError):
            reader.finding("a-1")
    finally:
        writer.close()


def test_store_without_revisions_is_read_whole_and_still_follows_writes(tmp_path, literature):
    from triggergraph.namespaces import TG

    service = EvidenceService.open(make_settings(tmp_path, literature))
    try:
        meta = service.store.meta_graph
        # a store written before graph revisions were kept: none in the meta graph
        service.store.store.update(
            f"DELETE WHERE {{ GRAPH <{meta}> {{ ?g <{TG.graphVersion}> ?r }} }}"
        )
        assert service.store.graph_versions()[1] == {}
        reader = EvidenceService(service.settings, service.store, service.vocabulary)
        reader.reload()
        assert set(reader.sources_by_id) == {"fixture_alpha", "fixture_beta"}
        service.create_source(as_yaml(entry("added_one", ["a-1"])), "text/yaml")
        service.delete_source("fixture_alpha")
        reader.reload()
        assert set(reader.sources_by_id) == {"fixture_beta", "added_one"}
        assert _index_answers(reader) == _fresh_answers(reader)
    finally:
        service.close()


def test_unreadable_graph_is_reported_then_cleared_when_rewritten(service):
    from triggergraph.namespaces import source_graph_iri

    other = EvidenceService(service.settings, service.store, service.vocabulary)
    other.reload()
    graph = str(source_graph_iri(service.settings.base_iri, "fixture_beta"))
    # a graph that holds triples but no readable source (e.g. written by another tool)
    service.store.replace_graph(graph, f'<{graph}> <http://example.org/p> "x" .\n')
    other.reload()
    health = other.health()
    assert health.status == "degraded"
    assert [p.file for p in health.literature_problems] == [graph]
    assert "fixture_beta" not in other.sources_by_id
    service.ensure_fresh()
    # the unreadable graph is no source to the index, so it is created anew
    service.create_source(as_yaml(entry("fixture_beta", ["b-9"])), "text/yaml")
    other.reload()
    assert other.health().literature_problems == []
    assert other.sources_by_id["fixture_beta"].findings[0].id == "b-9"


# ---- fast start, background refresh and hot answers ------------------------------------
def test_fresh_load_index_equals_reading_the_store_back(tmp_path, literature):
    from triggergraph.service import read_store_sources

    service = EvidenceService.open(make_settings(tmp_path, literature))
    try:
        back, problems = read_store_sources(service.store, service.vocabulary)
        assert problems == []
        assert back == service.sources_by_id
        assert service.index.version == service.store.version()
    finally:
        service.close()


def test_literature_unchanged_stamp_skips_hashing(service, literature, monkeypatch):
    import triggergraph.service.sync as sync

    calls = []
    monkeypatch.setattr(sync, "literature_hash", lambda d: calls.append(d) or "x")
    service.ensure_fresh()
    assert calls == []
    (literature / "fixture_gamma.yaml").write_bytes(as_yaml(entry("fixture_gamma", ["gamma-1"])))
    service.ensure_fresh()
    assert calls == [Path(service.settings.literature_dir)]


def test_refresher_picks_up_literature_change_without_requests(tmp_path, literature):
    service = EvidenceService.open(
        make_settings(tmp_path, literature, store="memory", version_check_interval_s=0.05)
    )
    try:
        assert service.start_refresher()
        (literature / "fixture_gamma.yaml").write_bytes(
            as_yaml(entry("fixture_gamma", ["gamma-1"]))
        )
        deadline = time.monotonic() + 5
        while "fixture_gamma" not in service.sources_by_id and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "fixture_gamma" in service.sources_by_id
    finally:
        service.close()
    assert service._refresher is None


def test_refresher_not_started_with_interval_zero(service):
    assert service.start_refresher() is False
    assert service.cached_answer("matrix", MatrixQuery()) is None


def test_cached_answer_after_first_computation_same_bytes(tmp_path, literature):
    service = EvidenceService.open(
        make_settings(tmp_path, literature, store="memory", version_check_interval_s=60)
    )
    try:
        service.start_refresher()
        args = ("detention", LangQuery(lang="en"))
        assert service.cached_answer("factor", args) is None
        body = service.factor_json("detention", LangQuery(lang="en"))
        assert service.cached_answer("factor", args) is body
        service.create_source(as_yaml(entry("added_one", ["added-one-1"])), "application/yaml")
        assert service.cached_answer("factor", args) is None  # a new index starts empty
        assert b"added-one-1" in service.factor_json("detention", LangQuery(lang="en"))
    finally:
        service.close()


def test_matrix_json_cells_list_finding_ids_and_directness_only(read_service):
    matrix = json.loads(read_service.matrix_json(MatrixQuery(cols="driver", lang="en")))
    full = orjson.loads(
        answer_json(build_matrix(read_service.index, MatrixQuery(cols="driver", lang="en")))
    )
    built = build_matrix(read_service.index, MatrixQuery(cols="driver", lang="en"))
    counted = 0
    for factor, row in matrix["cells"].items():
        for column, cell in row.items():
            expected = full["cells"][factor][column]
            # the built cell holds the counted findings whole, in the same order
            assert [f["id"] for f in cell["findings"]] == [
                f.id for f in built.cells[factor][column].findings
            ]
            assert cell["findings"] == [
                {"id": f["id"], "direct": f["direct"]} for f in expected["findings"]
            ]
            assert {k: v for k, v in cell.items() if k != "findings"} == {
                k: v for k, v in expected.items() if k != "findings"
            }
            counted += len(cell["findings"])
    assert counted > 0


def test_page_rendered_once_per_data_version(service):
    calls = []

    def render_probe(index, *, lang, params, **kwargs):
        calls.append(index.version)
        return f"<p>{index.version}</p>"

    first = service.page(render_probe, "nl", {"verdict": "strong"})
    again = service.page(render_probe, "nl", {"verdict": "strong"})
    assert again is first
    assert len(calls) == 1
    service.page(render_probe, "en", {"verdict": "strong"})
    assert len(calls) == 2  # another language is another page
    service.create_source(as_yaml(entry("page_probe", ["page-probe-1"])), "application/yaml")
    service.page(render_probe, "nl", {"verdict": "strong"})
    assert len(calls) == 3
    assert calls[-1] != calls[0]  # rendered from the new data version


def test_page_bad_parameter_is_raised_and_not_remembered(service):
    calls = []

    def render_refusing(index, *, lang, params, **kwargs):
        calls.append(1)
        raise EntryError([Problem(None, None, "verdict", "bad")])

    for _ in range(2):
        with pytest.raises(EntryError):
            service.page(render_refusing, "en", {"verdict": "nonsense"})
    assert len(calls) == 2
