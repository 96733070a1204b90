"""Malformed files end in an ``EntryError`` naming file and line, and nothing is written.

Covers BibTeX and RIS imports, RDF given to ``parse_rdf``, every prefix of a YAML and a JSON
entry, and the ``validate`` command on a folder of broken entries (run as a real process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from triggergraph.bibliography import skeletons_from_bibtex, skeletons_from_ris
from triggergraph.cli import main
from triggergraph.config import PROJECT_ROOT
from triggergraph.exceptions import EntryError
from triggergraph.loader import load_literature, parse_entry
from triggergraph.rdf import parse_rdf
from triggergraph.vocabulary import load_vocabulary

MALFORMED = Path(__file__).parent / "data" / "malformed"
ENTRIES = MALFORMED / "entries"
SHIPPED_ENTRY = PROJECT_ROOT / "literature" / "jasko17.yaml"


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def problems_of(call) -> list:
    with pytest.raises(EntryError) as caught:
        call()
    assert caught.value.problems
    return caught.value.problems


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ---- BibTeX and RIS -----------------------------------------------------------------------

#: (fixture, reader, line of the first problem or None, text its message must hold)
IMPORT_CASES = [
    ("unbalanced_braces.bib", "bibtex", 9, "unbalanced braces (6 '{' but 5 '}')"),
    ("missing_comma.bib", "bibtex", 2, "check braces, quotes and the commas"),
    ("empty.bib", "bibtex", None, "no BibTeX entries"),
    ("comment_only.bib", "bibtex", None, "no BibTeX entries"),
    ("no_er.ris", "ris", 1, "record is not ended with 'ER  - '"),
    ("unknown_tags.ris", "ris", 1, "has no year"),
    ("garbage.ris", "ris", 1, "text outside a record"),
]
READERS = {"bibtex": skeletons_from_bibtex, "ris": skeletons_from_ris}


@pytest.mark.parametrize(("name", "reader", "line", "text"), IMPORT_CASES)
def test_import_malformed_file_names_file_and_line(name, reader, line, text):
    path = MALFORMED / name
    problems = problems_of(
        lambda: READERS[reader](path.read_text(encoding="utf-8"), filename=str(path))
    )
    assert all(p.file == str(path) for p in problems)
    assert problems[0].line == line
    assert text in problems[0].message


def test_import_unknown_ris_type_lists_valid_types():
    path = MALFORMED / "unknown_tags.ris"
    problems = problems_of(lambda: skeletons_from_ris(path.read_text(), filename=str(path)))
    typed = [p for p in problems if p.field == "record2.type"]
    assert typed and typed[0].line == 7
    assert "'ZZZZ'" in typed[0].message and "JOUR" in typed[0].message


@pytest.mark.parametrize("reader", ["bibtex", "ris"])
def test_import_binary_garbage_entry_error(reader):
    garbage = bytes(range(256)).decode("latin-1") * 8
    problems = problems_of(lambda: READERS[reader](garbage, filename="garbage.bin"))
    assert all(p.file == "garbage.bin" for p in problems)


@pytest.mark.parametrize(
    ("name", "line"),
    [("unbalanced_braces.bib", 9), ("missing_comma.bib", 2), ("no_er.ris", 1)],
)
def test_cli_add_malformed_file_writes_nothing(tmp_path, capsys, name, line):
    literature = tmp_path / "literature"
    literature.mkdir()
    (literature / "existing.yaml").write_text("kept: as is\n", encoding="utf-8")
    before = snapshot(literature)
    option = "--bibtex" if name.endswith(".bib") else "--ris"
    argv = ["add", option, str(MALFORMED / name), "--literature", str(literature)]
    assert main([*argv, "--added-by", "tests"]) == 1
    assert snapshot(literature) == before
    assert f"{name}:{line}" in capsys.readouterr().err


def test_cli_add_huge_field_rejected_writes_nothing(tmp_path, capsys):
    literature = tmp_path / "literature"
    literature.mkdir()
    huge = tmp_path / "huge.bib"
    title = "Test fixture " * 100_000  # 1.3 MB in one field
    huge.write_text(
        "@techreport{fixture_huge,\n author = {Fixture, Alpha},\n"
        f" title = {{{title}}},\n year = {{2019}},\n institution = {{Fixture Institute}}\n}}\n",
        encoding="utf-8",
    )
    argv = ["add", "--bibtex", str(huge), "--literature", str(literature)]
    assert main([*argv, "--added-by", "tests"]) == 1
    assert list(literature.iterdir()) == []
    err = capsys.readouterr().err
    assert "title" in err and "at most 4000 characters" in err


def test_cli_add_binary_file_exit_1_writes_nothing(tmp_path, capsys):
    literature = tmp_path / "literature"
    literature.mkdir()
    binary = tmp_path / "binary.bib"
    binary.write_bytes(bytes(range(256)) * 4)
    argv = ["add", "--bibtex", str(binary), "--literature", str(literature)]
    assert main([*argv, "--added-by", "tests"]) == 1
    assert list(literature.iterdir()) == []
    assert "binary.bib" in capsys.readouterr().err


# ---- RDF -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "line", "text"),
    [
        ("bad_turtle.ttl", "turtle", 4, "bad RDF syntax"),
        ("bad_ntriples.nt", "nt", 3, "bad RDF syntax"),
        ("bad_jsonld.jsonld", "jsonld", 6, "not valid JSON"),
    ],
)
def test_parse_rdf_invalid_names_line(name, fmt, line, text):
    problems = problems_of(lambda: parse_rdf((MALFORMED / name).read_bytes(), fmt))
    assert [p.line for p in problems] == [line]
    assert text in problems[0].message


def test_parse_rdf_remote_context_refused_not_fetched():
    problems = problems_of(
        lambda: parse_rdf((MALFORMED / "remote_context.jsonld").read_bytes(), "jsonld")
    )
    assert problems[0].field == "@context" and "not fetched" in problems[0].message


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "nquads", "jsonld"])
def test_parse_rdf_binary_garbage_entry_error(fmt):
    problems_of(lambda: parse_rdf(bytes(range(256)) * 4, fmt))


# ---- truncated uploads --------------------------------------------------------------------


def entry_texts() -> dict[str, bytes]:
    import yaml

    text = SHIPPED_ENTRY.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {
        "yaml": text.encode("utf-8"),
        "json": json.dumps(data, default=str, ensure_ascii=False, indent=1).encode("utf-8"),
    }


@pytest.mark.parametrize("media", ["yaml", "json"])
def test_parse_entry_every_prefix_accepted_or_entry_error(vocabulary, media):
    content = entry_texts()[media]
    counts = {"accepted": 0, "rejected": 0}
    for end in range(len(content) + 1):
        try:
            parse_entry(content[:end], filename="upload", vocabulary=vocabulary, media_type=media)
        except EntryError as exc:
            assert exc.problems and all(p.file == "upload" for p in exc.problems)
            counts["rejected"] += 1
        else:
            counts["accepted"] += 1
    # A YAML prefix that ends inside the last finding's optional fields is still a whole entry
    # (see docs/reliability-input.md); a JSON prefix never is, only the full text.
    if media == "json":
        assert counts["accepted"] == 1
    assert counts["accepted"] + counts["rejected"] == len(content) + 1
    assert counts["rejected"] > counts["accepted"]
    print(f"\nprefixes of a {media} entry: {counts}")


# ---- the validate command -----------------------------------------------------------------

#: Every problem ``validate`` must print for ``tests/data/malformed/entries`` (file:line field).
EXPECTED_VALIDATE = [
    "fixture_binary.yaml:2: not valid UTF-8 text",
    "fixture_control.yaml:3: character U+0001 is not allowed",
    "fixture_duplicate_key.yaml:6: key 'year' appears twice",
    "fixture_not_mapping.yaml:1: an entry must be a mapping",
    "fixture_syntax.yaml:4: malformed YAML",
    "fixture_truncated.yaml:9 findings[0].locator: required field is missing",
    "fixture_truncated.yaml:11 findings[0].direction: 'incr' is not a direction value",
    "fixture_unknown_ids.yaml:10 findings[0].factor: 'detentoin' is not a factor",
    "fixture_unknown_ids.yaml:12 findings[0].drivers[0].driver: 'justice_seekr'",
    "fixture_unknown_ids.yaml:13 findings[0].demographics[0]: 'age_undr_18'",
    "fixture_unknown_ids.yaml:18 findings[0].colour: unknown field 'colour'",
    "fixture_wrong_types.yaml:3 authors: 'Fixture, A.' is not valid",
    "fixture_wrong_types.yaml:4 year: 'next year' is not valid",
    "fixture_wrong_types.yaml:5 title: ['Test fixture', 'as a list'] is not valid",
    "fixture_wrong_types.yaml:12 findings[0].certainty: 'E' is not a certainty value",
    "fixture_wrong_types.yaml:15 findings[0].effect.k: -2 is not valid",
]


def test_load_literature_malformed_folder_reports_every_file(vocabulary):
    problems = problems_of(lambda: load_literature(ENTRIES, vocabulary))
    printed = [str(p) for p in problems]
    for expected in EXPECTED_VALIDATE:
        assert any(expected in line for line in printed), expected
    assert {Path(p.file).name for p in problems} == {p.name for p in ENTRIES.glob("*.yaml")}
    assert all(p.line is not None for p in problems)


def test_cli_validate_malformed_folder_exit_1_every_problem_no_traceback(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "triggergraph.cli", "validate", "--literature", str(ENTRIES)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    for expected in EXPECTED_VALIDATE:
        assert expected in result.stderr, expected
    files = len(list(ENTRIES.glob("*.yaml")))
    assert f"in {files} file(s)" in result.stderr
