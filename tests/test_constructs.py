"""Tests for triggergraph.constructs: listing and searching constructs in Dutch and English."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from triggergraph.constructs import (
    find_construct,
    format_constructs,
    list_constructs,
    matches_query,
)
from triggergraph.exceptions import NotFoundError
from triggergraph.vocabulary import load_vocabulary

REPO = Path(__file__).resolve().parent.parent
VOCAB_DATA = Path(__file__).parent / "data" / "vocab"
BASE = "http://example.org/tg/"


@pytest.fixture
def vocabulary(tmp_path):
    """The shipped factors with the three test constructs of tests/data/vocab."""
    folder = tmp_path / "ontology"
    folder.mkdir()
    shutil.copy(REPO / "ontology" / "triggergraph.ttl", folder)
    shutil.copy(VOCAB_DATA / "constructs.ttl", folder)
    return load_vocabulary(folder, BASE)


def ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


def test_list_constructs_without_query_lists_all_sorted(vocabulary):
    page = list_constructs(vocabulary)
    assert ids(page) == [
        "test_felt_exclusion",
        "test_group_grievance",
        "test_protective_bond",
        "test_unmapped_trait",
    ]
    assert page["total"] == 4


def test_list_constructs_finds_dutch_word_in_english_listing(vocabulary):
    page = list_constructs(vocabulary, "buitengesloten", lang="en")
    assert ids(page) == ["test_felt_exclusion"]
    item = page["items"][0]
    assert item["label"] == "Felt exclusion (test)"
    assert item["labels"]["nl"] == "Ervaren uitsluiting (test)"
    assert item["definitions"]["en"].startswith("Feeling shut out")


def test_list_constructs_ignores_accents_and_case(vocabulary):
    assert ids(list_constructs(vocabulary, "GROEPSGRIEF TEST")) == ["test_group_grievance"]


def test_list_constructs_needs_every_word(vocabulary):
    assert ids(list_constructs(vocabulary, "grievance peers")) == []


def test_list_constructs_gives_mappings_with_kind(vocabulary):
    page = list_constructs(vocabulary, "grievance", lang="nl")
    maps_to = page["items"][0]["maps_to"]
    assert [(m["id"], m["mapping"]) for m in maps_to] == [
        ("detention", "relatedMatch"),
        ("direct_discrimination_racism_exclusion", "relatedMatch"),
    ]
    assert maps_to[0]["label"] == vocabulary.factors["detention"].label("nl")
    assert maps_to[0]["iri"] == f"{BASE}factor/detention"


def test_list_constructs_gives_polarity_and_reason_of_an_opposite(vocabulary):
    (item,) = list_constructs(vocabulary, "protective bond")["items"]
    assert [(m["id"], m["mapping"], m["polarity"]) for m in item["maps_to"]] == [
        ("breaking_social_bonds", "oppositeOf", "opposite")
    ]
    assert item["mapping_note"]["en"].startswith("Test reason")
    assert item["counts_for_a_cell"] is True
    grievance = list_constructs(vocabulary, "grievance")["items"][0]
    assert {m["polarity"] for m in grievance["maps_to"]} == {"same"}


def test_list_constructs_marks_constructs_that_reach_no_cell(vocabulary):
    by_id = {item["id"]: item for item in list_constructs(vocabulary)["items"]}
    assert by_id["test_unmapped_trait"]["counts_for_a_cell"] is False
    assert by_id["test_felt_exclusion"]["counts_for_a_cell"] is True


def test_list_constructs_pages(vocabulary):
    page = list_constructs(vocabulary, offset=1, limit=1)
    assert ids(page) == ["test_group_grievance"]
    assert page["total"] == 4


def test_list_constructs_unknown_language_is_an_error(vocabulary):
    with pytest.raises(NotFoundError):
        list_constructs(vocabulary, lang="de")


def test_matches_query_blank_matches_everything(vocabulary):
    assert matches_query(vocabulary.constructs["test_unmapped_trait"], "  ")


def test_find_construct_unknown_suggests_close_ids(vocabulary):
    with pytest.raises(NotFoundError) as caught:
        find_construct(vocabulary, "test_felt_exclusoin")
    assert "test_felt_exclusion" in caught.value.suggestions


def test_format_constructs_says_when_findings_reach_no_cell(vocabulary):
    text = format_constructs(list_constructs(vocabulary, lang="nl"), "nl")
    assert "test_unmapped_trait\n  nl: Eigenschap zonder koppeling (test)\n" in text
    assert "its findings reach no cell" in text
    assert "  -> detention (closeMatch): " in text
    assert "  -> breaking_social_bonds (oppositeOf, counted inverted): " in text
    assert "  why: Test reason: the protective opposite of breaking social bonds." in text
    assert text.endswith("4 constructs")
