"""Answers as text: the matrix as an aligned table and as CSV, the gaps as lines."""

from __future__ import annotations

import csv
import io

import pytest

from triggergraph.answers import LangQuery, MatrixQuery
from triggergraph.answers.builders import build_gaps, build_matrix
from triggergraph.answers.text import gaps_text, matrix_csv, matrix_table


@pytest.fixture(scope="module")
def vocab(small_vocab):
    return small_vocab


@pytest.fixture(scope="module")
def index(small_index):
    return small_index


def test_matrix_csv_parses(index, vocab):
    rows = list(
        csv.DictReader(
            io.StringIO(matrix_csv(build_matrix(index, MatrixQuery(cols="driver", lang="en"))))
        )
    )
    assert len(rows) == len(vocab.factors)
    by_id = {r["factor"]: r for r in rows}
    assert (by_id["detention"]["justice_seeker"], by_id["detention"]["justice_seeker_n"]) == (
        "strong",
        "2",
    )
    assert by_id["training"]["meaning_seeker"] == "limited"


def test_matrix_table_aligned_with_legend(index):
    table = matrix_table(build_matrix(index, MatrixQuery(cols="driver", lang="en")))
    lines = table.splitlines()
    assert lines[-1].startswith("legend: S strong")
    assert "-- Micro (personal life) --" in lines
    detention = next(line for line in lines if line.startswith("Detention "))
    header = lines[0]
    # the justice column starts at the same offset in the header and in the row
    assert detention[header.index("Justice seeker") :].startswith("S+2")
    assert "o no association" in lines[-1] and "= tie, no direction" in lines[-1]
    assert (
        matrix_table(build_matrix(index, MatrixQuery(cols="driver", lang="nl")))
        .splitlines()[-1]
        .startswith("legenda: S sterk, R redelijk")
    )


def test_gaps_text_names_contested_cells_and_bare_factors(index):
    text = gaps_text(build_gaps(index, LangQuery(lang="en")), "en")
    assert "Contested cells (" in text and "Getting married x Male" in text
    bare = text.split("Empty cells")[0]
    assert bare.startswith("Factors without any finding (") and "Calls to action" in bare
    assert gaps_text(build_gaps(index, LangQuery(lang="nl")), "nl").startswith(
        "Factoren zonder enige bevinding ("
    )
