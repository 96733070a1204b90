"""Tests of the entry models: structure, ranges and controlled values from the ontology."""

from __future__ import annotations

import pydantic
import pytest

from triggergraph.models import Finding, Source
from triggergraph.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def minimal_entry(**finding_overrides) -> dict:
    finding = {
        "id": "fixture-1",
        "factor": "detention",
        "direction": "increases",
        "certainty": "C",
        "certainty_reasons": ["test fixture"],
        "locator": "p. 1",
    }
    finding.update(finding_overrides)
    return {
        "id": "fixture",
        "type": "journal_article",
        "authors": ["Fixture, T."],
        "year": 2020,
        "title": "Test fixture",
        "added_by": "tests",
        "added_on": "2026-11-28",
        "findings": [finding],
    }


def errors_of(data: dict, vocab) -> list[dict]:
    with pytest.raises(pydantic.ValidationError) as info:
        Source.model_validate(data, context={"vocabulary": vocab})
    return info.value.errors()


def test_validate_entry_accepts_minimal(vocab):
    source = Source.model_validate(minimal_entry(), context={"vocabulary": vocab})
    finding = source.findings[0]
    assert finding.added_by == "tests"  # inherited from the source
    assert str(finding.added_on) == "2026-11-28"


def test_validate_entry_unknown_factor_suggests_close(vocab):
    errors = errors_of(minimal_entry(factor="detentoin"), vocab)
    assert errors[0]["loc"] == ("findings", 0, "factor")
    assert "'detentoin' is not a factor" in errors[0]["msg"]
    assert "detention" in errors[0]["ctx"]["suggestions"]


def test_validate_entry_unknown_scale_value_lists_valid(vocab):
    errors = errors_of(minimal_entry(certainty="E"), vocab)
    assert errors[0]["loc"] == ("findings", 0, "certainty")
    assert "A, B, C, D" in errors[0]["msg"]


def test_validate_entry_unknown_driver_and_demographic_reported_together(vocab):
    data = minimal_entry(
        drivers=[{"driver": "justice_seekr", "basis": "stated"}], demographics=["age_under_81"]
    )
    locs = {e["loc"] for e in errors_of(data, vocab)}
    assert ("findings", 0, "drivers", 0, "driver") in locs
    assert ("findings", 0, "demographics") in locs


@pytest.mark.parametrize(
    ("effect", "fragment"),
    [
        ({"measure": "r", "value": 1.4}, "out of range"),
        ({"measure": "odds_ratio", "value": -2}, "out of range"),
        ({"measure": "percent", "value": 140}, "out of range"),
        ({"measure": "r", "value": 0.2, "ci": [0.3, 0.1]}, "lower bound is above"),
        ({"measure": "none", "value": 0.2}, "needs a measure"),
        ({"measure": "r", "value": float("nan")}, "finite"),
    ],
)
def test_validate_effect_out_of_range_rejected(vocab, effect, fragment):
    errors = errors_of(minimal_entry(effect=effect), vocab)
    assert any(fragment in e["msg"] for e in errors), errors


def test_validate_entry_unknown_key_rejected(vocab):
    errors = errors_of(minimal_entry(locater="p. 2"), vocab)
    assert errors[0]["loc"] == ("findings", 0, "locater")
    assert errors[0]["type"] == "extra_forbidden"


def test_validate_entry_duplicate_finding_ids_rejected(vocab):
    data = minimal_entry()
    data["findings"].append(dict(data["findings"][0]))
    assert any("occurs twice" in e["msg"] for e in errors_of(data, vocab))


def test_validate_entry_duplicate_driver_link_rejected(vocab):
    link = {"driver": "justice_seeker", "basis": "proposed"}
    assert any(
        "linked twice" in e["msg"] for e in errors_of(minimal_entry(drivers=[link, link]), vocab)
    )


def test_validate_entry_without_context_checks_structure_only():
    source = Source.model_validate(minimal_entry(factor="anything_goes"))
    assert source.findings[0].factor == "anything_goes"


def test_validate_finding_requires_locator_and_reason(vocab):
    data = minimal_entry()
    del data["findings"][0]["locator"]
    data["findings"][0]["certainty_reasons"] = []
    locs = {e["loc"] for e in errors_of(data, vocab)}
    assert ("findings", 0, "locator") in locs
    assert ("findings", 0, "certainty_reasons") in locs


def test_finding_model_has_no_field_about_a_person():
    # The graph holds population findings only: no field may identify or describe one person.
    personal = {"name", "person", "birth_date", "address", "individual", "subject_id"}
    assert not personal & set(Finding.model_fields)
