"""Downloads of the map: the cells on screen as CSV, the sources behind them as RIS and BibTeX."""

from __future__ import annotations

import csv
import io

import pytest
import rispy

from triggergraph.answers.builders import build_sources
from triggergraph.answers.queries import SourcesQuery
from triggergraph.exceptions import EntryError
from triggergraph.viewer import build_map_download, build_map_page


@pytest.fixture(scope="module")
def index(fixture_index):
    return fixture_index


def shown_cells(index, params) -> set:
    page = build_map_page(index, lang="nl", params=params)
    return {
        (cell.factor, cell.column)
        for level in page.map.levels
        if not level.hidden
        for row in level.rows
        for cell in row.cells
        if not cell.off
    }


@pytest.mark.parametrize("params", [{}, {"verdict": "limited"}, {"level": "micro"}])
def test_csv_download_holds_exactly_the_cells_on_screen(index, params):
    name, media, text = build_map_download(index, {**params, "lang": "nl", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(text)))
    assert name.endswith(".csv") and media.startswith("text/csv")
    assert {(r["factor"], r["column"]) for r in rows} == shown_cells(index, params)
    assert all(
        r["verdict"] in ("sterk", "redelijk", "beperkt", "tegenstrijdig", "geen bewijs")
        for r in rows
    )


def test_ris_and_bibtex_downloads_list_the_sources_behind_shown_cells(index):
    _, _, ris = build_map_download(index, {"format": "ris", "verdict": "limited"})
    entries = rispy.loads(ris)
    ids = {e["id"] for e in entries}
    assert ids and ids <= {s.id for s in build_sources(index, SourcesQuery()).items}
    assert all(e["title"] for e in entries)
    _, media, bib = build_map_download(index, {"format": "bib", "verdict": "limited"})
    assert media.startswith("application/x-bibtex")
    assert {
        line.split("{", 1)[1].rstrip(",") for line in bib.splitlines() if line.startswith("@")
    } == ids


def test_download_rejects_unknown_format(index):
    with pytest.raises(EntryError) as caught:
        build_map_download(index, {"format": "xlsx"})
    assert caught.value.problems[0].field == "format"
