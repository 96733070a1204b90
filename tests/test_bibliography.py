"""Tests for triggergraph.bibliography: BibTeX/RIS skeletons, type mapping, ids, safe writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from triggergraph.bibliography import (
    BIBTEX_TYPES,
    add_skeletons,
    format_author,
    skeletons_from_bibtex,
    skeletons_from_ris,
)
from triggergraph.exceptions import ConflictError, EntryError
from triggergraph.loader import load_literature, parse_entry
from triggergraph.vocabulary import load_vocabulary

IMPORT = Path(__file__).parent / "data" / "import"
DAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def _read(name: str) -> str:
    return (IMPORT / name).read_text(encoding="utf-8")


def _bib(kind: str, extra: str = "") -> str:
    return (
        f"@{kind}{{key1, author={{Fixture, Alpha}}, title={{Test fixture}}, year={{2020}}{extra}}}"
    )


def test_skeletons_from_bibtex_sample_types_and_fields():
    skeletons = skeletons_from_bibtex(
        _read("sample.bib"), filename="sample.bib", added_by="tests", added_on=DAY
    )
    by_title = {s["title"]: s for s in skeletons}
    article = by_title["Test fixture: an Article about nothing"]
    assert article["type"] == "journal_article"
    assert article["authors"] == ["Fixture, A. B.", "Schön, É.", "van der Test, J.-P."]
    assert article["venue"] == "Journal of Test Fixtures 12(3), 101-110"
    assert article["doi"] == "10.5555/fixture.0001"
    assert article["language"] == "en"
    assert (article["added_by"], article["added_on"], article["findings"]) == ("tests", DAY, [])
    assert [s["type"] for s in skeletons] == [
        "journal_article",
        "book",
        "chapter",
        "report",
        "thesis",
        "conference_paper",
        "web_page",
    ]
    report = by_title["Test fixture: a report"]
    assert report["authors"] == ["Fixture Institute"]
    assert report["language"] == "nl"
    assert list(article) == [
        "id",
        "type",
        "authors",
        "year",
        "title",
        "venue",
        "doi",
        "language",
        "added_by",
        "added_on",
        "findings",
    ]


@pytest.mark.parametrize(("kind", "expected"), sorted(BIBTEX_TYPES.items()))
def test_skeletons_from_bibtex_type_mapping_each_type(kind, expected):
    assert skeletons_from_bibtex(_bib(kind), filename="t.bib")[0]["type"] == expected


@pytest.mark.parametrize("kind", ["misc", "online"])
def test_skeletons_from_bibtex_web_type_needs_url(kind):
    with_url = _bib(kind, ", url={https://example.org/x}")
    assert skeletons_from_bibtex(with_url, filename="t.bib")[0]["type"] == "web_page"
    with pytest.raises(EntryError) as exc_info:
        skeletons_from_bibtex(_bib(kind), filename="t.bib")
    problem = exc_info.value.problems[0]
    assert (problem.field, problem.line) == ("key1.type", 1)
    assert kind in problem.message


def test_skeletons_from_bibtex_ids_deduplicated_with_suffixes():
    text = "\n".join(
        f"@article{{key:{i}, author={{Fixture, A.}}, title={{Test fixture {i}}}, year=2019}}"
        for i in range(3)
    )
    text += "\n@article{key:9, author={Other, B.}, title={Test fixture}, year=2019}"
    ids = [s["id"] for s in skeletons_from_bibtex(text, filename="t.bib")]
    assert ids == ["fixture2019a", "fixture2019b", "fixture2019c", "other2019"]


def test_skeletons_from_bibtex_id_is_the_citation_key():
    text = "@article{Jasko2017Quest, author={Jasko, K.}, title={T}, year={2017}}"
    assert skeletons_from_bibtex(text, filename="t.bib")[0]["id"] == "jasko2017quest"


def test_skeletons_from_bibtex_id_without_usable_key_is_ascii_family_and_year():
    text = '@article{k:1, author={Sch{\\"o}n-Doe, Jane and Zed, Q.}, title={T}, year={2019}}'
    assert skeletons_from_bibtex(text, filename="t.bib")[0]["id"] == "schondoe2019"


def test_skeletons_from_bibtex_unbalanced_braces_has_line():
    with pytest.raises(EntryError) as exc_info:
        skeletons_from_bibtex(_read("broken.bib"), filename="broken.bib")
    problems = exc_info.value.problems
    assert len(problems) == 1
    assert problems[0].line == 8
    assert "fixture_unbalanced" in str(problems[0])
    assert "unbalanced braces" in problems[0].message


def test_skeletons_from_bibtex_missing_title_and_year_named():
    with pytest.raises(EntryError) as exc_info:
        skeletons_from_bibtex(_read("missing_fields.bib"), filename="missing_fields.bib")
    found = {(p.field, p.line) for p in exc_info.value.problems}
    assert found == {("fixture_no_title.title", 2), ("fixture_no_year.year", 7)}


def test_skeletons_from_bibtex_bad_year_doi_language_reported():
    text = (
        "@article{k, author={Fixture, A.}, title={T}, year={in press}, doi={not-a-doi},"
        " language={klingon}}"
    )
    with pytest.raises(EntryError) as exc_info:
        skeletons_from_bibtex(text, filename="t.bib")
    fields = {p.field for p in exc_info.value.problems}
    assert fields == {"k.year", "k.doi", "k.language"}


def test_skeletons_from_bibtex_undefined_string_has_line():
    text = "@article{k,\n  author={Fixture, A.},\n  journal = nosuchmacro,\n  title={T}, year=2019}"
    with pytest.raises(EntryError) as exc_info:
        skeletons_from_bibtex(text, filename="t.bib")
    problem = exc_info.value.problems[0]
    assert problem.line == 3 and "nosuchmacro" in problem.message


def test_skeletons_from_bibtex_no_entries_is_problem():
    with pytest.raises(EntryError, match="no BibTeX entries"):
        skeletons_from_bibtex("just some text", filename="t.bib")


def test_skeletons_from_ris_sample_fields():
    skeletons = skeletons_from_ris(_read("sample.ris"), filename="sample.ris")
    assert [s["id"] for s in skeletons] == ["fixture2019a", "fixture2019b", "sample2023"]
    assert [s["type"] for s in skeletons] == ["journal_article", "report", "web_page"]
    article = skeletons[0]
    assert article["authors"] == ["Fixture, A. B.", "Sample, C."]
    assert article["year"] == 2019
    assert article["venue"] == "Journal of Test Fixtures 12(3), 101-110"
    assert article["language"] == "nl"
    assert skeletons[2]["url"] == "https://example.org/fixture-ris"


def test_skeletons_from_ris_unended_record_has_line():
    with pytest.raises(EntryError) as exc_info:
        skeletons_from_ris(_read("broken.ris"), filename="broken.ris")
    problem = exc_info.value.problems[0]
    assert problem.line == 6
    assert "line 1" in problem.message


def test_skeletons_from_ris_missing_title_named():
    text = "TY  - JOUR\nAU  - Fixture, A.\nPY  - 2020\nER  - \n"
    with pytest.raises(EntryError) as exc_info:
        skeletons_from_ris(text, filename="t.ris")
    problem = exc_info.value.problems[0]
    assert (problem.field, problem.line) == ("record1.title", 1)


def test_skeletons_from_ris_unknown_type_lists_valid():
    text = "TY  - ABST\nAU  - Fixture, A.\nTI  - T\nPY  - 2020\nER  - \n"
    with pytest.raises(EntryError, match="JOUR"):
        skeletons_from_ris(text, filename="t.ris")


def test_format_author_initials():
    assert format_author("Doe", ["Jean-Pierre", "K."]) == "Doe, J.-P. K."


def test_add_skeletons_written_entries_load_back(tmp_path, vocabulary):
    skeletons = skeletons_from_bibtex(_read("sample.bib"), filename="sample.bib")
    paths = add_skeletons(
        skeletons, tmp_path, added_by="tests", added_on=DAY, vocabulary=vocabulary
    )
    assert [p.name for p in paths] == [f"{s['id']}.yaml" for s in skeletons]
    for path, skeleton in zip(paths, skeletons, strict=True):
        source = parse_entry(path.read_bytes(), filename=str(path), vocabulary=vocabulary)
        assert source.id == skeleton["id"] and source.findings == []
        assert source.added_by == "tests" and source.added_on == DAY
    assert len(load_literature(tmp_path, vocabulary)) == len(skeletons)


def test_add_skeletons_refuses_existing_id(tmp_path, vocabulary):
    skeletons = skeletons_from_ris(_read("sample.ris"), filename="sample.ris")
    add_skeletons(skeletons[:1], tmp_path, added_by="tests", added_on=DAY, vocabulary=vocabulary)
    existing = tmp_path / "fixture2019a.yaml"
    before = existing.read_text(encoding="utf-8")
    with pytest.raises(ConflictError) as exc_info:
        add_skeletons(skeletons, tmp_path, added_by="other", added_on=DAY, vocabulary=vocabulary)
    assert "fixture2019a" in str(exc_info.value) and str(existing) in str(exc_info.value)
    assert existing.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture2019a.yaml"]
    add_skeletons(
        skeletons, tmp_path, added_by="other", added_on=DAY, overwrite=True, vocabulary=vocabulary
    )
    assert "added_by: other" in existing.read_text(encoding="utf-8")
    assert len(list(tmp_path.glob("*.yaml"))) == 3


def test_add_skeletons_invalid_skeleton_writes_nothing(tmp_path, vocabulary):
    skeletons = skeletons_from_ris(_read("sample.ris"), filename="sample.ris")
    skeletons[1]["type"] = "pamphlet"
    with pytest.raises(EntryError) as exc_info:
        add_skeletons(skeletons, tmp_path, added_by="tests", added_on=DAY, vocabulary=vocabulary)
    assert exc_info.value.problems[0].field == "type"
    assert list(tmp_path.iterdir()) == []
