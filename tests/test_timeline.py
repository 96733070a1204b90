"""Tests for triggergraph.timeline: each cell's verdict read back across dated releases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from triggergraph.answers import FactorAnswer, LangQuery
from triggergraph.answers.builders import build_factor
from triggergraph.exceptions import EntryError
from triggergraph.loader import load_literature
from triggergraph.readmodel import EvidenceIndex
from triggergraph.release import write_release
from triggergraph.timeline import ReleaseReader, factor_history
from triggergraph.vocabulary import load_vocabulary

FIXTURES = Path(__file__).parent / "data" / "api"
GAMMA = {
    "id": "timeline_gamma",
    "type": "report",
    "authors": ["Fixture, G."],
    "year": 2026,
    "title": "Timeline test fixture gamma (not a real study)",
    "added_by": "triggergraph tests",
    "added_on": "2026-12-01",
    "findings": [
        {
            "id": "timeline-gamma-1",
            "factor": "training",
            "drivers": [{"driver": "sensation_seeker", "basis": "proposed"}],
            "direction": "decreases",
            "certainty": "C",
            "certainty_reasons": ["test fixture; not evidence"],
            "locator": "n/a (test fixture)",
        }
    ],
}


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def training_now(literature: Path, vocabulary) -> FactorAnswer:
    index = EvidenceIndex.build(load_literature(literature, vocabulary), vocabulary, "t")
    return build_factor(index, "training", LangQuery(lang="en"))


def cell(history: dict, column: str) -> dict:
    return next(c for c in history["cells"] if c["column"] == column)


def test_history_release_change_release_gives_date_and_previous_verdict(
    tmp_path, literature, vocabulary
):
    releases = tmp_path / "releases"
    reader = ReleaseReader(releases)
    assert reader.log().releases == ()
    write_release(
        load_literature(literature, vocabulary), vocabulary, "1.0", releases, date(2026, 12, 1)
    )
    (literature / "timeline_gamma.yaml").write_text(yaml.safe_dump(GAMMA), encoding="utf-8")
    second = write_release(
        load_literature(literature, vocabulary), vocabulary, "1.1", releases, date(2026, 12, 4)
    )
    changed = next(
        c for c in second.changes if (c["factor"], c["column"]) == ("training", "sensation_seeker")
    )

    history = factor_history(training_now(literature, vocabulary), reader.log()).model_dump()
    assert history["releases"] == [
        {"version": "1.0", "issued": "2026-12-01"},
        {"version": "1.1", "issued": "2026-12-04"},
    ]
    seeker = cell(history, "sensation_seeker")
    assert seeker["spans"] == [
        {"verdict": "no_evidence", "since": {"version": "1.0", "issued": "2026-12-01"}},
        {"verdict": changed["now"], "since": {"version": "1.1", "issued": "2026-12-04"}},
    ]
    assert changed["now"] != "no_evidence"
    assert (seeker["verdict"], seeker["unreleased_change"]) == (changed["now"], False)
    # a cell no release changed holds one span, from the first release on
    assert len(cell(history, "justice_seeker")["spans"]) == 1


def test_history_change_after_last_release_is_flagged_unreleased(tmp_path, literature, vocabulary):
    releases = tmp_path / "releases"
    (literature / "timeline_gamma.yaml").write_text(yaml.safe_dump(GAMMA), encoding="utf-8")
    first = write_release(
        load_literature(literature, vocabulary), vocabulary, "1.0", releases, date(2026, 12, 1)
    )
    released = json.loads((first.folder / "matrix-1.0.json").read_text(encoding="utf-8"))
    assert released["issued"] == "2026-12-01"
    (literature / "timeline_gamma.yaml").unlink()

    seeker = cell(
        factor_history(
            training_now(literature, vocabulary), ReleaseReader(releases).log()
        ).model_dump(),
        "sensation_seeker",
    )
    assert seeker["verdict"] == "no_evidence"
    assert seeker["released_verdict"] not in (None, "no_evidence")
    assert seeker["unreleased_change"] is True


def test_history_reads_the_date_of_a_release_without_it_from_its_description(
    tmp_path, literature, vocabulary
):
    releases = tmp_path / "releases"
    release = write_release(
        load_literature(literature, vocabulary), vocabulary, "1.0", releases, date(2026, 11, 30)
    )
    path = release.folder / "matrix-1.0.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["issued"]  # as written before the matrix file held the date
    path.write_text(json.dumps(data), encoding="utf-8")
    assert ReleaseReader(releases).log().releases[0].issued == "2026-11-30"


def test_history_unreadable_release_names_the_file(tmp_path):
    folder = tmp_path / "releases" / "1.0"
    folder.mkdir(parents=True)
    (folder / "matrix-1.0.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(EntryError) as raised:
        ReleaseReader(tmp_path / "releases").log()
    problem = raised.value.problems[0]
    assert problem.file.endswith("matrix-1.0.json") and problem.field == "release"
