"""Tests for triggergraph.drafts: drafts from pastes, checks by field path, duplicates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from triggergraph.drafts import check_draft, draft_from_paste, find_duplicates, normalise_doi
from triggergraph.exceptions import EntryError
from triggergraph.loader import load_literature
from triggergraph.vocabulary import load_vocabulary

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


@pytest.fixture(scope="module")
def sources(vocabulary):
    return load_literature(DATA / "api", vocabulary)


def paste(text: str) -> dict:
    return draft_from_paste(text, added_by="a curator", today=TODAY)


def finding(**extra) -> dict:
    return {
        "id": "draft-1",
        "factor": "detention",
        "direction": "increases",
        "certainty": "C",
        "certainty_reasons": ["test fixture; not evidence"],
        "locator": "p. 1",
        **extra,
    }


def entry(**extra) -> dict:
    return {
        "id": "draft_source",
        "type": "report",
        "authors": ["Fixture, D."],
        "year": 2026,
        "title": "Draft test fixture (not a real study)",
        "added_by": "a curator",
        "added_on": "2026-12-01",
        "findings": [finding()],
        **extra,
    }


def test_draft_from_bibtex_record():
    draft = paste("@article{Draft2026, author={Fixture, D.}, title={T}, year={2026}}")
    assert (draft["id"], draft["added_by"], draft["added_on"]) == (
        "draft2026",
        "a curator",
        "2026-12-01",
    )


def test_draft_from_ris_record():
    first = (DATA / "import" / "sample.ris").read_text(encoding="utf-8").split("ER  -")[0]
    draft = paste(first + "ER  - \n")
    assert draft["title"] and draft["findings"] == []


@pytest.mark.parametrize(
    "text", ["10.1111/POPS.12376", "doi:10.1111/pops.12376", "https://doi.org/10.1111/pops.12376."]
)
def test_draft_from_doi_fills_only_the_doi(text):
    assert paste(text) == {
        "doi": "10.1111/pops.12376",
        "added_by": "a curator",
        "added_on": "2026-12-01",
        "findings": [],
    }


@pytest.mark.parametrize("text", ["", "   ", "just some words"])
def test_draft_from_other_text_names_the_paste_field(text):
    with pytest.raises(EntryError) as caught:
        paste(text)
    assert caught.value.problems[0].field == "paste"


def test_draft_from_two_records_asks_for_one():
    two = "@misc{a1, author={A, B}, title={T}, year=2020, url={https://e.org}}\n"
    two += "@misc{a2, author={A, B}, title={U}, year=2020, url={https://e.org/2}}"
    with pytest.raises(EntryError, match="paste one record at a time"):
        paste(two)


def test_normalise_doi_ignores_case_and_resolver():
    assert normalise_doi("https://dx.doi.org/10.5555/ABC") == normalise_doi("10.5555/abc")


def test_find_duplicates_by_doi_and_by_title(sources):
    alpha = next(s for s in sources if s.id == "fixture_alpha")
    by_title = find_duplicates({"title": alpha.title.upper() + " !"}, sources)
    assert by_title == [{"source_id": "fixture_alpha", "title": alpha.title, "by": "title"}]
    assert find_duplicates({"id": "fixture_alpha", "title": alpha.title}, sources) == []


def test_check_draft_valid_entry_is_ok(vocabulary, sources):
    result = check_draft(entry(), vocabulary, sources)
    assert result == {"ok": True, "problems": [], "warnings": [], "duplicates": []}


def test_check_draft_gives_validate_problems_with_field_paths(vocabulary, sources):
    bad = entry(year="twenty", findings=[finding(factor="detentoin", certainty="E")])
    fields = [p["field"] for p in check_draft(bad, vocabulary, sources)["problems"]]
    assert fields == ["year", "findings[0].factor", "findings[0].certainty"]


def test_check_draft_refuses_taken_ids_unless_replacing(vocabulary, sources):
    taken = entry(id="fixture_alpha", findings=[finding(id="fixture-beta-1")])
    fields = [p["field"] for p in check_draft(taken, vocabulary, sources)["problems"]]
    assert fields == ["id", "findings[0].id"]
    replacing = check_draft(
        entry(id="fixture_alpha", findings=[finding(id="fixture-alpha-1")]),
        vocabulary,
        sources,
        replacing="fixture_alpha",
    )
    assert replacing["problems"] == []


def test_check_draft_warns_when_a_finding_reaches_no_cell(vocabulary, sources):
    unmapped = next(c.id for c in vocabulary.constructs.values() if not c.maps_to)
    result = check_draft(entry(findings=[finding(factor=unmapped)]), vocabulary, sources)
    assert result["ok"] is True
    assert [w["field"] for w in result["warnings"]] == ["findings[0].factor"]


def test_check_draft_warns_about_no_cell_before_the_draft_loads(vocabulary, sources):
    unmapped = next(c.id for c in vocabulary.constructs.values() if not c.maps_to)
    draft = entry(year="soon", findings=[finding(factor=unmapped)])
    result = check_draft(draft, vocabulary, sources)
    assert [p["field"] for p in result["problems"]] == ["year"]
    assert [w["field"] for w in result["warnings"]] == ["findings[0].factor"]
