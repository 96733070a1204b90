"""docs/constructs.md: the review check names only terms that exist, with their current mappings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from triggergraph.vocabulary import load_vocabulary

DOC = Path(__file__).resolve().parent.parent / "docs" / "constructs.md"


def table_rows(heading: str) -> list[list[str]]:
    """The body rows of the first table after ``heading``, as stripped cells."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("### "):
            break
        if line.startswith("| ") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows[1:]  # without the header row


COVERED = table_rows("### Factors coded as findings: all have a term")
ADDED = table_rows("### Factors named in the reviews' factor lists: added as constructs")
LEFT = table_rows("### Left without a new term, and why")
LITERATURE = Path(__file__).resolve().parent.parent / "literature"
#: the literature source of each review named in the "review" column
REVIEW_SOURCES = {"Wolfowicz 2021": "wolf_csr", "Vergani 2018": "vergani"}


def ids_in(cell: str) -> list[str]:
    return re.findall(r"`([a-z0-9_]+)`", cell)


@pytest.mark.parametrize("row", COVERED, ids=lambda row: row[0])
def test_covered_row_names_an_existing_term_with_its_mapping(row):
    vocabulary = load_vocabulary()
    (term,) = ids_in(row[3])
    concept = vocabulary.factor_or_construct(term)
    stated = row[4]
    if stated == "none":
        assert not concept.maps_to, f"{term} now maps to {concept.maps_to}"
    else:
        kind, target = stated.split()
        assert (target.strip("`"), kind) in concept.maps_to


def test_unmapped_count_in_text_matches_table():
    unmapped = sum(1 for row in COVERED if row[4] == "none")
    text = DOC.read_text(encoding="utf-8")
    assert f"**{unmapped} of the {len(COVERED)} rows reach no cell**" in text


@pytest.mark.parametrize("row", ADDED, ids=lambda row: row[4])
def test_added_row_is_an_unmapped_term_citing_its_review(row):
    vocabulary = load_vocabulary()
    (term,) = ids_in(row[4])
    concept = vocabulary.factor_or_construct(term)
    assert concept.kind == "construct"
    assert not concept.maps_to, f"{term} maps to {concept.maps_to} without support"
    assert set(concept.labels) == {"en", "nl"} and set(concept.definitions) == {"en", "nl"}
    entry = yaml.safe_load((LITERATURE / f"{REVIEW_SOURCES[row[1]]}.yaml").read_text("utf-8"))
    (source,) = concept.sources
    assert source.startswith("; ".join(entry["authors"]) + f" ({entry['year']}). {entry['title']}")
    assert source.endswith(f"(fact sheet {row[0]})")


def test_added_rows_cover_every_construct_citing_a_review():
    vocabulary = load_vocabulary()
    cited = {c.id for c in vocabulary.constructs.values() if c.sources}
    assert cited == {ids_in(row[4])[0] for row in ADDED}


@pytest.mark.parametrize("row", LEFT, ids=lambda row: row[1])
def test_nearest_terms_of_factors_left_out_exist(row):
    vocabulary = load_vocabulary()
    for term in ids_in(row[2]):
        vocabulary.factor_or_construct(term)
