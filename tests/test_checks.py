"""The consistency checks of triggergraph/checks.py, each with a case that trips it and one that does not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from triggergraph.checks import check_sources
from triggergraph.loader import load_literature
from triggergraph.vocabulary import load_vocabulary

TODAY = date(2026, 12, 4)


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def entry(**finding) -> dict:
    base = {
        "id": "f1",
        "factor": "detention",
        "direction": "increases",
        "certainty": "C",
        "certainty_reasons": ["set by the test"],
        "locator": "p. 1",
    }
    return {
        "id": "demo",
        "type": "journal_article",
        "authors": ["Doe, J."],
        "year": 2020,
        "title": "Demo",
        "added_by": "tests",
        "added_on": "2026-11-28",
        "findings": [base | finding],
    }


def run(tmp_path, vocab, data, today=TODAY):
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    sources = load_literature(tmp_path, vocab)
    return check_sources(sources, vocab, directory=tmp_path, today=today)


def messages(checks, severity="error"):
    return [c.problem.message for c in checks if c.severity == severity]


def test_clean_entry_has_no_checks(tmp_path, vocab):
    assert run(tmp_path, vocab, entry()) == []


def test_direction_contradicting_sign_names_file_line_field(tmp_path, vocab):
    checks = run(tmp_path, vocab, entry(effect={"measure": "odds_ratio", "value": 0.4}))
    (check,) = checks
    assert check.severity == "error"
    text = (tmp_path / "demo.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.strip().startswith("direction:"))
    assert check.problem.file.endswith("demo.yaml") and check.problem.line == line
    assert check.problem.field == "findings[f1].direction"
    assert "'increases' contradicts the effect odds_ratio = 0.4" in check.problem.message
    assert str(check).startswith("ERROR: ")


def test_direction_matching_sign_passes(tmp_path, vocab):
    assert run(tmp_path, vocab, entry(effect={"measure": "r", "value": 0.2})) == []


def test_estimate_outside_its_interval(tmp_path, vocab):
    data = entry(effect={"measure": "r", "value": 0.5, "ci": [0.1, 0.3]})
    assert "outside its own confidence interval" in messages(run(tmp_path, vocab, data))[0]


@pytest.mark.parametrize(
    ("p", "ok"),
    [("< .001", True), (".03", True), ("= 0.049", True), ("n.s.", False), ("significant", False)],
)
def test_p_value_must_be_a_number(tmp_path, vocab, p, ok):
    checks = run(tmp_path, vocab, entry(effect={"measure": "none", "p": p}))
    assert (messages(checks) == []) is ok


def test_added_on_in_the_future(tmp_path, vocab):
    data = entry(added_on=str(TODAY + timedelta(days=1)))
    assert "is in the future" in messages(run(tmp_path, vocab, data))[0]


def test_certainty_above_a_single_cross_sectional_survey(tmp_path, vocab):
    data = entry(certainty="B") | {"study_design": "cross_sectional_survey"}
    assert "above what a cross_sectional_survey allows" in messages(run(tmp_path, vocab, data))[0]
    several = entry(certainty="B", effect={"measure": "none", "k": 7})
    several["study_design"] = "cross_sectional_survey"
    assert messages(run(tmp_path, vocab, several)) == []


def test_stated_link_needs_the_source_term(tmp_path, vocab):
    data = entry(drivers=[{"driver": "justice_seeker", "basis": "stated"}])
    assert "needs the source's own term" in messages(run(tmp_path, vocab, data))[0]
    data = entry(
        drivers=[{"driver": "justice_seeker", "basis": "stated", "term_in_source": "grievance"}]
    )
    assert messages(run(tmp_path, vocab, data)) == []


def test_finding_reaching_no_cell_is_a_warning_naming_the_construct(tmp_path, vocab):
    checks = run(tmp_path, vocab, entry(factor="depression"))
    assert messages(checks) == []
    (warning,) = messages(checks, "warning")
    assert "construct 'depression' maps to no trigger factor" in warning


def test_bundle_is_reported_as_context(tmp_path, vocab):
    checks = run(tmp_path, vocab, entry(factor="adverse_life_events"))
    assert "a bundle" in messages(checks, "warning")[0]


def test_other_outcome_is_not_reported(tmp_path, vocab):
    assert run(tmp_path, vocab, entry(factor="depression", outcome_kind="within_extremists")) == []
