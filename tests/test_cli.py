"""Tests for triggergraph.cli: exit codes and output of each command, in-process and as processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml
from bench_scripts import load_bench

from triggergraph.cli import main
from triggergraph.config import Settings
from triggergraph.loader import load_literature, parse_entry
from triggergraph.vocabulary import load_vocabulary

#: the server-process helpers shared with the benchmarks
processes = load_bench("processes")

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
BROKEN = DATA / "broken"
GOOD = DATA / "good"
IMPORT = DATA / "import"

#: One problem of each kind in tests/data/broken, as the command prints it.
BROKEN_LINES = [
    "bad_values.yaml:11 findings[0].factor: 'meeting_radical_person_frends' is not a factor or "
    "construct; did you mean 'meeting_radical_person_friends'",
    "bad_values.yaml:20 findings[1].drivers[1].driver: 'justice_seekr'",
    "bad_values.yaml:27 findings[2].demographics[0]: 'age_under_21'",
    "bad_values.yaml:39 findings[3].effect.value: value 1.4 is out of range",
    "bad_values.yaml:46 findings[4].effect.ci:",
    "bad_values.yaml:53 findings[5].region: 'north_amerika' is not a region value; did you mean "
    "'north_america'?",
    "duplicate_b.yaml:11 findings[0].id: finding id 'shared-id-1' is also used in",
    "malformed.yaml:5: malformed YAML (line 5, column 1)",
    "missing_locator.yaml:10 findings[0].locator: required field is missing",
    "name_mismatch.yaml:2 id:",
    "unknown_key.yaml:15 findings[0].locater: unknown field 'locater'; did you mean 'locator'?",
    "wrong_type.yaml:5 year: 'twenty'",
]


def test_validate_broken_folder_prints_every_problem(capsys):
    assert main(["validate", "--literature", str(BROKEN)]) == 1
    captured = capsys.readouterr()
    for expected in BROKEN_LINES:
        assert expected in captured.err, expected
    assert "Traceback" not in captured.err
    assert captured.err.strip().splitlines()[-1].startswith("FAILED: 14 problem(s) in 7 file(s)")
    assert captured.out == ""


def test_validate_good_folder_ok(capsys):
    assert main(["validate", "--literature", str(GOOD)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "OK: 1 sources, 1 findings"
    assert captured.err == ""


def test_validate_missing_folder_exit_1(tmp_path, capsys):
    assert main(["validate", "--literature", str(tmp_path / "absent")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_main_unknown_command_exit_2(capsys):
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_main_bad_choice_exit_2(capsys):
    assert main(["matrix", "--cols", "colour"]) == 2
    assert "--cols" in capsys.readouterr().err


def test_main_help_exit_0(capsys):
    assert main(["--help"]) == 0
    assert "validate" in capsys.readouterr().out


def test_add_bibtex_writes_entries_then_refuses_rewrite(tmp_path, capsys):
    literature = tmp_path / "literature"
    args = ["add", "--bibtex", str(IMPORT / "sample.bib"), "--literature", str(literature)]
    assert main([*args, "--added-by", "tests"]) == 0
    out = capsys.readouterr().out
    assert "added 7 entries" in out
    vocabulary = load_vocabulary()
    sources = load_literature(literature, vocabulary)
    assert len(sources) == 7 and {s.added_by for s in sources} == {"tests"}
    before = {p.name: p.read_text(encoding="utf-8") for p in literature.iterdir()}

    assert main([*args, "--added-by", "someone else"]) == 1
    err = capsys.readouterr().err
    assert "refusing to overwrite" in err and "fixture_article" in err and "Traceback" not in err
    assert {p.name: p.read_text(encoding="utf-8") for p in literature.iterdir()} == before

    assert main([*args, "--added-by", "someone else", "--overwrite"]) == 0
    assert {s.added_by for s in load_literature(literature, vocabulary)} == {"someone else"}


def test_add_ris_writes_entries(tmp_path, capsys):
    args = ["add", "--ris", str(IMPORT / "sample.ris"), "--literature", str(tmp_path)]
    assert main([*args, "--added-by", "tests"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fixture2019a.yaml",
        "fixture2019b.yaml",
        "sample2023.yaml",
    ]


def test_add_without_added_by_exit_2(tmp_path, capsys):
    assert main(["add", "--bibtex", str(IMPORT / "sample.bib"), "--literature", str(tmp_path)]) == 2
    assert "--added-by" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_add_both_sources_exit_2(tmp_path, capsys):
    argv = ["add", "--bibtex", "a.bib", "--ris", "b.ris", "--added-by", "tests"]
    assert main(argv) == 2


def test_add_malformed_bibtex_names_line(tmp_path, capsys):
    bib = IMPORT / "broken.bib"
    argv = ["add", "--bibtex", str(bib), "--literature", str(tmp_path), "--added-by", "tests"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"{bib}:8 fixture_unbalanced" in err
    assert list(tmp_path.iterdir()) == []


def test_add_missing_file_exit_1(tmp_path, capsys):
    missing = tmp_path / "absent.bib"
    argv = ["add", "--bibtex", str(missing), "--literature", str(tmp_path), "--added-by", "t"]
    assert main(argv) == 1
    assert f"cannot read {missing}" in capsys.readouterr().err


def test_build_writes_dist_files(tmp_path, capsys):
    out = tmp_path / "dist"
    assert main(["build", "--literature", str(GOOD), "--out", str(out)]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert "triggergraph.trig" in written and "triggergraph.nq" in written
    assert "fixture-good-1" in (out / "triggergraph.nq").read_text(encoding="utf-8")
    assert str(out / "triggergraph.trig") in capsys.readouterr().out


def test_build_broken_literature_exit_1(tmp_path, capsys):
    assert main(["build", "--literature", str(BROKEN), "--out", str(tmp_path)]) == 1
    assert "bad_values.yaml:11" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_matrix_table_and_csv(capsys):
    assert main(["matrix", "--literature", str(GOOD)]) == 0
    table = capsys.readouterr().out
    assert "Detention" in table and "Justice seeker" in table
    assert main(["matrix", "--literature", str(GOOD), "--format", "csv", "--cols", "age"]) == 0
    csv_text = capsys.readouterr().out
    assert "," in csv_text.splitlines()[0]
    assert any(line.startswith(("detention", "Detention")) for line in csv_text.splitlines())


def test_matrix_dutch_labels(capsys):
    assert main(["matrix", "--literature", str(GOOD), "--lang", "nl"]) == 0
    assert "Detentie" in capsys.readouterr().out


def test_gaps_prints_text(capsys):
    assert main(["gaps", "--literature", str(GOOD)]) == 0
    assert "Confrontation with death" in capsys.readouterr().out


def test_view_writes_single_html(tmp_path, capsys):
    target = tmp_path / "map.html"
    assert main(["view", "--literature", str(GOOD), "--out", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    assert "<html" in html.lower() and "Detention" in html


def _child_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIGGERGRAPH_")}
    env["PYTHONPATH"] = str(REPO)
    env.update({f"TRIGGERGRAPH_{k.upper()}": v for k, v in settings.items()})
    return env


def test_dump_writes_store_sources_as_entries(tmp_path):
    from triggergraph.service import EvidenceService

    store_path = tmp_path / "store"
    service = EvidenceService.open(
        Settings(store="oxigraph", store_path=store_path, literature_dir=GOOD)
    )
    service.close()
    out = tmp_path / "dumped"
    result = subprocess.run(
        [sys.executable, "-m", "triggergraph.cli", "dump", "--literature", str(out)],
        cwd=tmp_path,
        env=_child_env(store="oxigraph", store_path=str(store_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    vocabulary = load_vocabulary()
    dumped = parse_entry(
        (out / "fixture_good.yaml").read_bytes(), filename="d", vocabulary=vocabulary
    )
    assert dumped == load_literature(GOOD, vocabulary)[0]
    again = subprocess.run(
        [sys.executable, "-m", "triggergraph.cli", "dump", "--literature", str(out)],
        cwd=tmp_path,
        env=_child_env(store="oxigraph", store_path=str(store_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 1
    assert "fixture_good.yaml" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.server
def test_serve_runs_api_on_port(tmp_path):
    port = processes.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "triggergraph.cli", "serve", "--port", str(port)],
        cwd=REPO,
        env=_child_env(store="memory", literature_dir=str(GOOD)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        response = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, "server did not answer"
        assert response.status_code == 200
        assert "paths" in response.json()
    finally:
        processes.stop_process(process)
        if process.stdout is not None:
            process.stdout.close()


def test_build_out_is_a_file_exit_1(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["build", "--literature", str(GOOD), "--out", str(blocker)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("triggergraph build: error:") and "Traceback" not in err


def _run_cli(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "triggergraph.cli", *args],
        cwd=tmp_path,
        env=_child_env(**settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.server
def test_dump_while_the_server_runs_reads_through_it(tmp_path):
    port = processes.free_port()
    base = f"http://127.0.0.1:{port}/"
    store_path = str(tmp_path / "store")
    env = {
        "TRIGGERGRAPH_STORE": "oxigraph",
        "TRIGGERGRAPH_STORE_PATH": store_path,
        "TRIGGERGRAPH_LITERATURE_DIR": str(GOOD),
        "TRIGGERGRAPH_BASE_IRI": base,
        "TRIGGERGRAPH_API_TOKEN": "cli-dump-test-token",
    }
    api = processes.ApiProcess(env, tmp_path / "api.log", port=port).start()
    try:
        entry = httpx.get(
            api.url + "/api/v1/sources/fixture_good", params={"format": "entry", "as": "json"}
        ).json()
        entry["title"] = "Changed through the running server"
        put = httpx.put(
            api.url + "/api/v1/sources/fixture_good",
            json=entry,
            params={"publish": "true"},
            headers={"Authorization": "Bearer cli-dump-test-token"},
        )
        assert put.status_code == 200, put.text
        # the server holds the embedded store: the dump reads through the server at the base IRI
        found = _run_cli(
            tmp_path,
            "dump",
            "--literature",
            "out",
            store="oxigraph",
            store_path=store_path,
            base_iri=base,
        )
        assert found.returncode == 0, found.stderr
        assert (
            "Changed through the running server" in (tmp_path / "out/fixture_good.yaml").read_text()
        )
        named = _run_cli(
            tmp_path,
            "dump",
            "--literature",
            "out2",
            "--server",
            api.url,
            store="oxigraph",
            store_path=store_path,
        )
        assert named.returncode == 0, named.stderr
        assert (tmp_path / "out2/fixture_good.yaml").read_text() == (
            tmp_path / "out/fixture_good.yaml"
        ).read_text()
    finally:
        api.stop()


def test_dump_that_finds_nothing_fails_naming_the_base_iri_it_holds(tmp_path):
    from triggergraph.service import EvidenceService

    store_path = tmp_path / "store"
    EvidenceService.open(
        Settings(store="oxigraph", store_path=store_path, literature_dir=GOOD)
    ).close()
    result = _run_cli(
        tmp_path,
        "dump",
        "--literature",
        "out",
        store="oxigraph",
        store_path=str(store_path),
        base_iri="https://example.org/other/",
    )
    assert result.returncode == 1
    assert "found no sources" in result.stderr and "nothing was written" in result.stderr
    assert Settings().base_iri in result.stderr  # the base IRI the store does hold
    assert not (tmp_path / "out").exists()


def test_restore_and_history_commands(tmp_path):
    from triggergraph.service import EvidenceService

    store_path = tmp_path / "store"
    service = EvidenceService.open(
        Settings(store="oxigraph", store_path=store_path, literature_dir=GOOD)
    )
    service.delete_source("fixture_good", by="Curator, A.", why="checking restore")
    service.close()
    settings = {"store": "oxigraph", "store_path": str(store_path), "literature_dir": str(GOOD)}
    restored = _run_cli(tmp_path, "restore", "fixture_good", "--by", "Curator, B.", **settings)
    assert restored.returncode == 0, restored.stderr
    again = _run_cli(tmp_path, "restore", "fixture_good", "--by", "Curator, B.", **settings)
    assert again.returncode == 1 and "not deleted" in again.stderr
    history = _run_cli(tmp_path, "history", "fixture_good", **settings)
    assert history.returncode == 0, history.stderr
    lines = history.stdout
    assert "restored  by Curator, B." in lines and "deleted  by Curator, A." in lines
    assert "why: checking restore" in lines


def _with_doi(path: Path, source_id: str, doi: str) -> None:
    text = (GOOD / "fixture_good.yaml").read_text(encoding="utf-8")
    text = text.replace("id: fixture_good", f"id: {source_id}", 1)
    text = text.replace("fixture-good-", f"{source_id}-")
    path.write_text(text.replace("\nyear:", f"\ndoi: {doi}\nyear:", 1), encoding="utf-8")


def test_validate_refuses_the_same_doi_twice_naming_the_other(tmp_path, capsys):
    _with_doi(tmp_path / "first_one.yaml", "first_one", "10.5555/Same.1")
    _with_doi(tmp_path / "second_one.yaml", "second_one", "10.5555/same.1")
    assert main(["validate", "--literature", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "second_one.yaml doi:" in err and "'first_one'" in err


def test_add_refuses_a_doi_already_in_the_folder(tmp_path, capsys):
    _with_doi(tmp_path / "already_here.yaml", "already_here", "10.5555/fixture.0001")
    before = sorted(p.name for p in tmp_path.iterdir())
    argv = ["add", "--bibtex", str(IMPORT / "sample.bib"), "--literature", str(tmp_path)]
    assert main([*argv, "--added-by", "tests"]) == 1
    assert "'already_here'" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_matrix_explain_prints_domains_votes_and_context(tmp_path, capsys):
    entry = {
        "id": "explained",
        "type": "journal_article",
        "authors": ["Doe, J."],
        "year": 2020,
        "title": "Made up for the test",
        "added_by": "tests",
        "added_on": "2026-11-28",
        "findings": [
            {
                "id": "x1",
                "factor": "school_attachment",
                "direction": "decreases",
                "certainty": "C",
                "certainty_reasons": ["test"],
                "caveats": ["cross_sectional"],
                "locator": "p. 1",
            },
            {
                "id": "x2",
                "factor": "job_loss_or_school_dropout",
                "direction": "increases",
                "certainty": "C",
                "certainty_reasons": ["test"],
                "outcome_kind": "within_extremists",
                "locator": "p. 2",
            },
        ],
    }
    (tmp_path / "explained.yaml").write_text(yaml.safe_dump(entry), encoding="utf-8")
    args = [
        "matrix",
        "--literature",
        str(tmp_path),
        "--explain",
        "job_loss_or_school_dropout",
        "any",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Counted inverted: School attachment" in out
    assert "indirectness: -1 (measures a related construct" in out
    assert "x1" in out and "(inverted)" in out
    assert "context (not counted):" in out and "x2" in out


def test_matrix_explain_unknown_cell_is_a_clear_error(capsys):
    assert main(["matrix", "--literature", str(GOOD), "--explain", "detentoin", "any"]) != 0
    assert "detention" in capsys.readouterr().err


def test_validate_prints_warnings_and_passes(tmp_path, capsys):
    entry = {
        "id": "warned",
        "type": "journal_article",
        "authors": ["Doe, J."],
        "year": 2020,
        "title": "Made up for the test",
        "added_by": "tests",
        "added_on": "2026-11-28",
        "findings": [
            {
                "id": "w1",
                "factor": "depression",
                "direction": "increases",
                "certainty": "D",
                "certainty_reasons": ["test"],
                "locator": "p. 1",
            }
        ],
    }
    (tmp_path / "warned.yaml").write_text(yaml.safe_dump(entry), encoding="utf-8")
    assert main(["validate", "--literature", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "WARNING:" in captured.err and "warned.yaml:" in captured.err
    assert "maps to no trigger factor" in captured.err
    assert "1 warning(s)" in captured.out


def test_vocab_searches_dutch_and_prints_mappings(capsys):
    assert main(["vocab", "discriminatie", "--lang", "nl"]) == 0
    out = capsys.readouterr().out
    assert "perceived_discrimination\n  nl: Waargenomen discriminatie\n" in out
    assert "  -> direct_discrimination_racism_exclusion (closeMatch): " in out


def test_vocab_without_match_exits_1(capsys):
    assert main(["vocab", "no-construct-has-this-word"]) == 1
    assert capsys.readouterr().out.strip() == "0 constructs"
