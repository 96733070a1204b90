"""Tests for triggergraph.loader: every problem with file:line and field, round trips, writes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triggergraph.exceptions import ConflictError, EntryError
from triggergraph.loader import (
    dump_entry_yaml,
    format_path,
    literature_hash,
    load_literature,
    parse_entry,
    write_entry,
)
from triggergraph.models import Source
from triggergraph.vocabulary import load_vocabulary

DATA = Path(__file__).parent / "data"
BROKEN = DATA / "broken"
GOOD = DATA / "good"

GOOD_ENTRY = """\
id: fixture_x
type: report
authors: ["Fixture, T."]
year: 2026
title: "Test fixture"
added_by: tests
added_on: 2026-11-28
findings:
  - id: fixture-x-1
    factor: detention
    direction: increases
    certainty: D
    certainty_reasons: ["test fixture"]
    locator: "n/a"
"""

#: (file, line, field, text the message must contain, suggestion expected or None)
BROKEN_EXPECTED = [
    (
        "bad_values.yaml",
        11,
        "findings[0].factor",
        "'meeting_radical_person_frends' is not a factor or construct",
        "meeting_radical_person_friends",
    ),
    (
        "bad_values.yaml",
        20,
        "findings[1].drivers[1].driver",
        "'justice_seekr' is not a driver",
        "justice_seeker",
    ),
    (
        "bad_values.yaml",
        27,
        "findings[2].demographics[0]",
        "'age_under_21' is not a demographic group",
        "age_under_18",
    ),
    ("bad_values.yaml", 39, "findings[3].effect.value", "value 1.4 is out of range", None),
    ("bad_values.yaml", 46, "findings[4].effect.ci", "lower bound is above the upper", None),
    (
        "bad_values.yaml",
        53,
        "findings[5].region",
        "'north_amerika' is not a region value",
        "north_america",
    ),
    ("duplicate_b.yaml", 7, "overlaps_with[0]", "'duplicate_aa' is not a source", "duplicate_a"),
    ("duplicate_b.yaml", 11, "findings[0].id", "duplicate_a.yaml:10", None),
    ("malformed.yaml", 5, "", "malformed YAML (line 5, column 1)", None),
    ("missing_locator.yaml", 10, "findings[0].locator", "required field is missing", None),
    ("name_mismatch.yaml", 2, "id", "'another_name' does not match the file name", None),
    ("unknown_key.yaml", 10, "findings[0].locator", "required field is missing", None),
    ("unknown_key.yaml", 15, "findings[0].locater", "unknown field 'locater'", "locator"),
    ("wrong_type.yaml", 5, "year", "'twenty' is not valid", None),
]


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def _problems(exc_info) -> list:
    return exc_info.value.problems


def test_load_literature_reports_every_problem_broken_folder(vocabulary):
    with pytest.raises(EntryError) as exc_info:
        load_literature(BROKEN, vocabulary)
    problems = _problems(exc_info)
    found = {(Path(p.file).name, p.line, p.field): p for p in problems}
    for name, line, field, text, suggestion in BROKEN_EXPECTED:
        problem = found.get((name, line, field))
        assert problem is not None, f"missing {name}:{line} {field}; got {sorted(found)}"
        assert text in problem.message
        if suggestion is not None:
            assert problem.suggestions[0] == suggestion
            assert f"did you mean {suggestion!r}" in str(problem)
    assert len(problems) == len(BROKEN_EXPECTED)


def test_load_literature_file_as_given_broken_folder(vocabulary):
    with pytest.raises(EntryError) as exc_info:
        load_literature(BROKEN, vocabulary)
    first = _problems(exc_info)[0]
    assert first.file == str(BROKEN / "bad_values.yaml")
    assert str(first).startswith(f"{BROKEN / 'bad_values.yaml'}:11 findings[0].factor: ")


def test_load_literature_good_fixture_loads(vocabulary):
    sources = load_literature(GOOD, vocabulary)
    assert [s.id for s in sources] == ["fixture_good"]
    assert sources[0].added_on == date(2026, 11, 28)
    assert sources[0].findings[0].added_by == "triggergraph tests"


def test_load_literature_sorted_by_id(tmp_path, vocabulary):
    for ident in ("zeta", "alpha", "mid"):
        text = GOOD_ENTRY.replace("fixture_x", ident).replace("fixture-x-1", f"{ident}-1")
        (tmp_path / f"{ident}.yaml").write_text(text, encoding="utf-8")
    assert [s.id for s in load_literature(tmp_path, vocabulary)] == ["alpha", "mid", "zeta"]


def test_load_literature_missing_folder_is_entry_error(tmp_path, vocabulary):
    with pytest.raises(EntryError, match="does not exist"):
        load_literature(tmp_path / "nope", vocabulary)


def test_parse_entry_empty_file_is_problem(vocabulary):
    with pytest.raises(EntryError) as exc_info:
        parse_entry("# only a comment\n", filename="e.yaml", vocabulary=vocabulary)
    assert "empty" in _problems(exc_info)[0].message


def test_parse_entry_top_level_list_is_problem(vocabulary):
    with pytest.raises(EntryError) as exc_info:
        parse_entry("- id: x\n", filename="e.yaml", vocabulary=vocabulary)
    assert "must be a mapping" in _problems(exc_info)[0].message


def test_parse_entry_missing_top_field_points_at_mapping(vocabulary):
    text = "# comment\nid: fixture_x\ntype: report\n"
    with pytest.raises(EntryError) as exc_info:
        parse_entry(text, filename="e.yaml", vocabulary=vocabulary)
    missing = {p.field: p.line for p in _problems(exc_info)}
    assert missing["title"] == 2
    assert missing["added_on"] == 2


def test_parse_entry_unknown_top_key_suggests_field(vocabulary):
    text = GOOD_ENTRY.replace("title:", "titel:")
    with pytest.raises(EntryError) as exc_info:
        parse_entry(text, filename="e.yaml", vocabulary=vocabulary)
    unknown = [p for p in _problems(exc_info) if p.field == "titel"][0]
    assert unknown.line == 5
    assert unknown.suggestions[0] == "title"


def test_parse_entry_unknown_key_without_close_match_lists_fields(vocabulary):
    text = GOOD_ENTRY.replace("title:", "zzzzzz: 1\ntitle:")
    with pytest.raises(EntryError) as exc_info:
        parse_entry(text, filename="e.yaml", vocabulary=vocabulary)
    unknown = [p for p in _problems(exc_info) if p.field == "zzzzzz"][0]
    assert "valid fields:" in unknown.message and "locator" not in unknown.message


def test_parse_entry_unknown_region_names_file_line_field_and_valid_values(vocabulary):
    text = GOOD_ENTRY.replace('    locator: "n/a"', '    region: NL\n    locator: "n/a"')
    with pytest.raises(EntryError) as exc_info:
        parse_entry(text, filename="e.yaml", vocabulary=vocabulary)
    problem = _problems(exc_info)[0]
    assert (problem.file, problem.field) == ("e.yaml", "findings[0].region")
    assert problem.line == text.splitlines().index("    region: NL") + 1
    assert "'NL' is not a region value; valid values: europe, netherlands, north_america" in str(
        problem
    )


def test_parse_entry_region_is_optional_and_kept(vocabulary):
    (source,) = [parse_entry(GOOD_ENTRY, filename="e.yaml", vocabulary=vocabulary)]
    assert source.findings[0].region is None
    text = GOOD_ENTRY.replace('    locator: "n/a"', '    region: worldwide\n    locator: "n/a"')
    assert parse_entry(text, filename="e.yaml", vocabulary=vocabulary).findings[0].region == (
        "worldwide"
    )


def test_parse_entry_duplicate_key_is_problem(vocabulary):
    text = GOOD_ENTRY.replace("year: 2026\n", "year: 2026\nyear: 2025\n")
    with pytest.raises(EntryError) as exc_info:
        parse_entry(text, filename="e.yaml", vocabulary=vocabulary)
    problem = _problems(exc_info)[0]
    assert problem.line == 5
    assert "'year' appears twice" in problem.message and "line 4" in problem.message


def test_parse_entry_aliases_rejected(vocabulary):
    text = GOOD_ENTRY.replace('authors: ["Fixture, T."]', 'authors: &a ["Fixture, T."]')
    text = text.replace('certainty_reasons: ["test fixture"]', "certainty_reasons: *a")
    with pytest.raises(EntryError, match="aliases"):
        parse_entry(text, filename="e.yaml", vocabulary=vocabulary)


def test_parse_entry_python_tag_not_constructed(vocabulary):
    text = "id: !!python/object/apply:os.system ['echo unsafe']\n"
    with pytest.raises(EntryError) as exc_info:
        parse_entry(text, filename="e.yaml", vocabulary=vocabulary)
    assert exc_info.value.problems[0].line == 1
    assert "python/object" in exc_info.value.problems[0].message


def test_parse_entry_duplicate_finding_in_one_source_points_at_second(vocabulary):
    second = GOOD_ENTRY.split("findings:\n", 1)[1]
    text = GOOD_ENTRY + second
    with pytest.raises(EntryError) as exc_info:
        parse_entry(text, filename="e.yaml", vocabulary=vocabulary)
    problem = _problems(exc_info)[0]
    assert (problem.field, problem.line) == ("findings[1].id", 15)


def test_parse_entry_json_syntax_error_has_line_and_column(vocabulary):
    text = '{\n  "id": "fixture_x",\n  "type": "report",,\n}'
    with pytest.raises(EntryError) as exc_info:
        parse_entry(text, filename="<request body>", vocabulary=vocabulary, media_type="json")
    problem = _problems(exc_info)[0]
    assert problem.file == "<request body>"
    assert problem.line == 3
    assert "column 20" in problem.message


def test_parse_entry_json_field_problem_has_line(vocabulary):
    import yaml

    data = yaml.safe_load(GOOD_ENTRY)
    data["added_on"] = "2026-11-28"
    data["findings"][0]["factor"] = "detension"
    text = json.dumps(data, indent=2)
    expected_line = next(i for i, ln in enumerate(text.splitlines(), 1) if "detension" in ln)
    with pytest.raises(EntryError) as exc_info:
        parse_entry(
            text.encode(),
            filename="<request body>",
            vocabulary=vocabulary,
            media_type="application/json",
        )
    problem = _problems(exc_info)[0]
    assert (problem.field, problem.line) == ("findings[0].factor", expected_line)
    assert problem.suggestions[0] == "detention"


def test_parse_entry_json_valid_equals_yaml(vocabulary):
    import yaml

    data = yaml.safe_load(GOOD_ENTRY)
    data["added_on"] = "2026-11-28"
    from_json = parse_entry(
        json.dumps(data), filename="b", vocabulary=vocabulary, media_type="json"
    )
    from_yaml = parse_entry(GOOD_ENTRY, filename="b", vocabulary=vocabulary)
    assert from_json == from_yaml


def test_parse_entry_invalid_utf8_is_problem(vocabulary):
    with pytest.raises(EntryError, match="UTF-8"):
        parse_entry(b"id: x\ntitle: \xff\n", filename="e.yaml", vocabulary=vocabulary)


def test_parse_entry_unknown_media_type_is_problem(vocabulary):
    with pytest.raises(EntryError, match="unsupported media type"):
        parse_entry(GOOD_ENTRY, filename="e", vocabulary=vocabulary, media_type="text/csv")


def test_parse_entry_dates_become_date(vocabulary):
    source = parse_entry(GOOD_ENTRY, filename="e.yaml", vocabulary=vocabulary)
    assert source.added_on == date(2026, 11, 28)


def test_format_path_nested_indices():
    assert format_path(("findings", 0, "drivers", 1, "driver")) == "findings[0].drivers[1].driver"
    assert format_path(()) == ""


def test_literature_hash_changes_with_content_and_name(tmp_path):
    (tmp_path / "a.yaml").write_text("x", encoding="utf-8")
    first = literature_hash(tmp_path)
    assert literature_hash(tmp_path) == first
    (tmp_path / "a.yaml").write_text("y", encoding="utf-8")
    second = literature_hash(tmp_path)
    (tmp_path / "a.yaml").rename(tmp_path / "b.yaml")
    third = literature_hash(tmp_path)
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    assert len({first, second, third}) == 3
    assert literature_hash(tmp_path) == third


RICH_ENTRY = {
    "id": "fixture_rich",
    "type": "journal_article",
    "authors": ["Fixture, T.", "Sample, C. D."],
    "year": 2020,
    "title": "Test fixture: every field: filled in, with 'quotes' and ümlauts",
    "venue": "Journal of Test Fixtures 1(2), 3-4",
    "doi": "10.5555/fixture.0003",
    "url": "https://example.org/fixture",
    "language": "nl",
    "design": "no",
    "study_design": "cross_sectional_survey",
    "citation_note": "made up for a test",
    "citation_flags": ["pages_unverified"],
    "overlaps_with": ["fixture_other"],
    "context_notes": [{"id": "C1", "text": "context", "locator": "p. 1"}],
    "cites": [{"first_author": "Sample", "year": 2001, "factor": "detention"}],
    "added_by": "triggergraph tests",
    "added_on": date(2026, 11, 28),
    "findings": [
        {
            "id": "fixture-rich-1",
            "factor": "detention",
            "drivers": [
                {"driver": "justice_seeker", "basis": "stated", "term_in_source": "grievance"},
                {"driver": "meaning_seeker", "basis": "proposed"},
            ],
            "demographics": ["sex_male", "age_18_25"],
            "direction": "increases",
            "certainty": "C",
            "certainty_reasons": ["1.0", "yes", "null"],
            "caveats": ["cross_sectional", "self_report"],
            "indirectness": ["other_population"],
            "effect": {
                "measure": "r",
                "value": 0.25,
                "ci": [0.1, 0.4],
                "k": 3,
                "n": 500,
                "p": "< .001",
                "magnitude_in_source": "moderate",
            },
            "outcome_stages": ["attitude"],
            "outcome": "made-up outcome",
            "population": "made-up population",
            "region": "western_democracies",
            "locator": "Table 2",
            "verified_from": "https://example.org/fixture#t2",
            "trigger_role": "catalyst",
            "note": "multi\nline note",
            "added_by": "someone else",
            "added_on": date(2026, 11, 29),
        },
        {
            "id": "fixture-rich-2",
            "factor": "detention",
            "direction": "no_association",
            "certainty": "D",
            "certainty_reasons": ["test fixture"],
            "locator": "p. 5",
        },
    ],
}


def test_dump_entry_yaml_round_trip_rich_entry(vocabulary):
    source = Source.model_validate(RICH_ENTRY, context={"vocabulary": vocabulary})
    text = dump_entry_yaml(source)
    again = parse_entry(text, filename="fixture_rich.yaml", vocabulary=vocabulary)
    assert again == source
    assert dump_entry_yaml(again) == text


def test_dump_entry_yaml_order_and_omissions(vocabulary):
    source = Source.model_validate(RICH_ENTRY, context={"vocabulary": vocabulary})
    text = dump_entry_yaml(source)
    keys = [ln.split(":")[0] for ln in text.splitlines() if ln and not ln.startswith((" ", "-"))]
    assert keys == [k for k in RICH_ENTRY if k != "findings"] + ["findings"]
    second = text.split("- id: fixture-rich-2", 1)[1]
    assert "added_by" not in second and "effect" not in second and "drivers" not in second
    assert "- {driver: justice_seeker, basis: stated, term_in_source: grievance}" in text
    assert "design: 'no'" in text
    assert "ümlauts" in text
    assert "&" not in text and "*" not in text


def test_dump_entry_yaml_no_aliases_for_shared_values(vocabulary):
    # Two findings sharing one date object would make a plain dumper write &id001 / *id001.
    shared_day = date(2026, 12, 1)
    findings = [{**f, "added_on": shared_day} for f in RICH_ENTRY["findings"]]
    source = Source.model_validate(
        {**RICH_ENTRY, "findings": findings}, context={"vocabulary": vocabulary}
    )
    assert source.findings[0].added_on is source.findings[1].added_on
    text = dump_entry_yaml(source)
    assert "&id" not in text and "*id" not in text
    assert text.count("added_on: 2026-12-01") == 2


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120
    ).filter(lambda s: s.strip()),
    note=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
    value=st.floats(min_value=-1, max_value=1, allow_nan=False),
)
def test_dump_entry_yaml_round_trip_any_text(title, note, value):
    data = {
        **RICH_ENTRY,
        "title": title,
        "findings": [
            {**RICH_ENTRY["findings"][0], "note": note, "effect": {"measure": "r", "value": value}}
        ],
    }
    try:
        source = Source.model_validate(data)
    except Exception:
        return  # e.g. control characters the models refuse; nothing to dump
    assert parse_entry(dump_entry_yaml(source), filename="f", vocabulary=None) == source


def test_write_entry_refuses_overwrite(tmp_path, vocabulary):
    source = parse_entry(GOOD_ENTRY, filename="e.yaml", vocabulary=vocabulary)
    path = write_entry(source, tmp_path)
    assert path == tmp_path / "fixture_x.yaml"
    before = path.read_text(encoding="utf-8")
    changed = source.model_copy(update={"title": "Test fixture, changed"})
    with pytest.raises(ConflictError, match="fixture_x.yaml"):
        write_entry(changed, tmp_path)
    assert path.read_text(encoding="utf-8") == before
    write_entry(changed, tmp_path, overwrite=True)
    assert load_literature(tmp_path, vocabulary)[0].title == "Test fixture, changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture_x.yaml"]


def test_load_literature_yml_extension_is_problem(tmp_path, vocabulary):
    (tmp_path / "fixture_x.yml").write_text(GOOD_ENTRY, encoding="utf-8")
    with pytest.raises(EntryError, match=r"rename to 'fixture_x.yaml'"):
        load_literature(tmp_path, vocabulary)


# ---- fast path (libyaml + pydantic) and its fall-back to the line-tracking loader ----------
def _folder_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "literature"
    folder.mkdir()
    (folder / "fixture_x.yaml").write_text(text, encoding="utf-8")
    return folder


def test_load_literature_fast_path_equals_parse_entry_valid_entry(tmp_path, vocabulary):
    folder = _folder_with(tmp_path, GOOD_ENTRY)
    [source] = load_literature(folder, vocabulary)
    assert source == parse_entry(GOOD_ENTRY, filename="e.yaml", vocabulary=vocabulary)


def test_load_literature_ampersand_in_text_still_loads(tmp_path, vocabulary):
    text = GOOD_ENTRY.replace('title: "Test fixture"', 'title: "R&D * fixture << test"')
    [source] = load_literature(_folder_with(tmp_path, text), vocabulary)
    assert source.title == "R&D * fixture << test"


def test_load_literature_duplicate_key_same_problem_as_parse_entry(tmp_path, vocabulary):
    text = GOOD_ENTRY.replace("year: 2026\n", "year: 2026\nyear: 2025\n")
    with pytest.raises(EntryError) as exc_info:
        load_literature(_folder_with(tmp_path, text), vocabulary)
    [problem] = _problems(exc_info)
    assert problem.line == 5
    assert "'year' appears twice" in problem.message and "line 4" in problem.message


def test_load_literature_alias_rejected_with_line(tmp_path, vocabulary):
    text = GOOD_ENTRY.replace('authors: ["Fixture, T."]', 'authors: &a ["Fixture, T."]')
    text = text.replace('certainty_reasons: ["test fixture"]', "certainty_reasons: *a")
    with pytest.raises(EntryError) as exc_info:
        load_literature(_folder_with(tmp_path, text), vocabulary)
    [problem] = _problems(exc_info)
    assert "aliases" in problem.message
    with pytest.raises(EntryError) as entry_error:
        parse_entry(text, filename=problem.file, vocabulary=vocabulary)
    assert _problems(entry_error) == [problem]


def test_load_literature_merge_key_rejected(tmp_path, vocabulary):
    text = GOOD_ENTRY.replace("  - id: fixture-x-1\n", "  - id: fixture-x-1\n    <<: {note: x}\n")
    with pytest.raises(EntryError, match="merge keys"):
        load_literature(_folder_with(tmp_path, text), vocabulary)


def test_load_literature_invalid_value_same_problem_as_parse_entry(tmp_path, vocabulary):
    text = GOOD_ENTRY.replace("certainty: D", "certainty: Z")
    with pytest.raises(EntryError) as folder_error:
        load_literature(_folder_with(tmp_path, text), vocabulary)
    with pytest.raises(EntryError) as entry_error:
        parse_entry(
            text, filename=str(tmp_path / "literature" / "fixture_x.yaml"), vocabulary=vocabulary
        )
    assert _problems(folder_error) == _problems(entry_error)
    assert _problems(folder_error)[0].line == 12


def test_overlaps_are_closed_by_the_loader(tmp_path, vocabulary):
    for sid, overlaps in (("alpha", ["beta"]), ("beta", [])):
        data = {
            "id": sid,
            "type": "report",
            "authors": ["Doe, J."],
            "year": 2020,
            "title": sid,
            "added_by": "tests",
            "added_on": "2026-11-28",
            "overlaps_with": overlaps,
        }
        (tmp_path / f"{sid}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    by_id = {s.id: s for s in load_literature(tmp_path, vocabulary)}
    assert by_id["alpha"].overlaps_with == ["beta"]
    assert by_id["beta"].overlaps_with == ["alpha"]
