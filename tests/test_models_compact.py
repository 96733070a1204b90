"""Compact entry models: key-sharing instance dicts and one fields set per shape, same content."""

from __future__ import annotations

import copy
import pickle
import tracemalloc
from pathlib import Path

import pytest
from pydantic import BaseModel, PrivateAttr

from triggergraph.loader import load_literature
from triggergraph.models import DriverLink, Effect, Finding, Source
from triggergraph.models import compact as compact_module
from triggergraph.models import source as source_module
from triggergraph.models.compact import compact, make_model, shared_fields_set
from triggergraph.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent / "data" / "api"


def entry(number: int) -> dict:
    return {
        "id": f"with_effect{number}",
        "type": "report",
        "authors": ["D, J."],
        "year": 2020,
        "title": "T",
        "added_by": "tester",
        "added_on": "2026-01-01",
        "findings": [
            {
                "id": f"with_effect{number}-1",
                "factor": "detention",
                "direction": "increases",
                "certainty": "C",
                "certainty_reasons": ["one survey"],
                "locator": "p. 3",
                "drivers": [{"driver": "justice_seeker", "basis": "stated"}],
                "effect": {"measure": "r", "value": 0.3, "n": 120},
            }
        ],
    }


@pytest.fixture(scope="module")
def sources() -> list[Source]:
    vocabulary = load_vocabulary()
    extra = Source.model_validate(entry(1), context={"vocabulary": vocabulary})
    return [*load_literature(FIXTURES, vocabulary), extra]


def traced_bytes(make) -> int:
    tracemalloc.start()
    try:
        kept = make()
        return tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        del kept


def test_compact_sources_take_well_under_two_thirds_of_the_memory(monkeypatch):
    vocabulary = load_vocabulary()
    entries = [entry(n) for n in range(1000)]

    def validate():
        return [Source.model_validate(e, context={"vocabulary": vocabulary}) for e in entries]

    compacted = traced_bytes(validate)
    monkeypatch.setattr(source_module, "compact", lambda model: model)
    plain = traced_bytes(validate)
    # measured: about 1,950 against 4,450 bytes per source of one finding
    assert compacted < 0.6 * plain


def models_of(source: Source) -> list[BaseModel]:
    found: list[BaseModel] = [source]
    for finding in source.findings:
        found += [finding, *finding.drivers]
        if finding.effect is not None:
            found.append(finding.effect)
    return found


def test_a_validated_source_and_its_models_are_compact(sources):
    kinds = set()
    for source in sources:
        for model in models_of(source):
            kinds.add(type(model))
            values = vars(model)
            assert list(values) == list(type(model).model_fields)
            assert model.__pydantic_fields_set__ is shared_fields_set(
                type(model), model.model_fields_set
            )
    assert kinds == {Source, Finding, DriverLink, Effect}


def test_compact_models_have_the_content_and_fields_sets_of_plain_ones(monkeypatch):
    vocabulary = load_vocabulary()
    compacted = load_literature(FIXTURES, vocabulary)
    monkeypatch.setattr(source_module, "compact", lambda model: model)
    plain = load_literature(FIXTURES, vocabulary)
    assert plain == compacted
    for before, after in zip(plain, compacted, strict=True):
        assert before.model_dump_json() == after.model_dump_json()
        assert before.model_dump_json(exclude_unset=True) == after.model_dump_json(
            exclude_unset=True
        )
        for old, new in zip(models_of(before), models_of(after), strict=True):
            assert type(old) is type(new)
            assert old.model_fields_set == new.model_fields_set


def test_findings_of_one_shape_share_one_fields_set_and_others_do_not(sources):
    findings = [f for s in sources for f in s.findings]
    by_shape: dict[frozenset, set[int]] = {}
    for finding in findings:
        by_shape.setdefault(frozenset(finding.model_fields_set), set()).add(
            id(finding.__pydantic_fields_set__)
        )
    assert all(len(ids) == 1 for ids in by_shape.values())
    assert len({i for ids in by_shape.values() for i in ids}) == len(by_shape) > 1


def test_copies_and_pickles_leave_the_shared_set_alone(sources):
    finding = sources[0].findings[0]
    shared = finding.__pydantic_fields_set__
    names = set(shared)
    changed = finding.model_copy(update={"note": "changed"})
    assert changed.note == "changed" and "note" in changed.model_fields_set
    assert changed.__pydantic_fields_set__ is not shared and shared == names
    assert copy.deepcopy(sources[0]) == sources[0]
    assert pickle.loads(pickle.dumps(sources[0])) == sources[0]
    assert shared == names


def test_make_model_fills_fields_in_order_without_validation():
    effect = make_model(Effect, ["r", 0.3, None, None, 120, None, None, None], ["measure", "n"])
    assert (effect.measure, effect.value, effect.n) == ("r", 0.3, 120)
    assert effect.model_fields_set == {"measure", "n"}
    assert effect.model_dump()["value"] == 0.3
    with pytest.raises(ValueError):
        make_model(Effect, ["r"], ["measure"])


class WithPrivate(BaseModel):
    name: str
    _seen: int = PrivateAttr(default=0)


def test_a_model_with_private_values_keeps_its_own_dict():
    model = WithPrivate(name="x")
    values = vars(model)
    assert compact(model) is model
    assert vars(model) is values
    assert model._seen == 0


def test_shapes_are_bounded(monkeypatch):
    monkeypatch.setattr(compact_module, "_shapes", {})
    monkeypatch.setattr(compact_module, "MAX_SHAPES", 2)
    first = shared_fields_set(Effect, ["measure"])
    second = shared_fields_set(Effect, ["value"])
    assert shared_fields_set(Effect, ["measure"]) is first
    third = shared_fields_set(Effect, ["n"])
    assert third == {"n"} and shared_fields_set(Effect, ["n"]) is not third
    assert len(compact_module._shapes) == 2 and second == {"value"}


def test_equal_days_are_one_object():
    vocabulary = load_vocabulary()
    sources = [
        Source.model_validate(entry(n), context={"vocabulary": vocabulary}) for n in range(3)
    ]
    days = [m.added_on for s in sources for m in (s, *s.findings)]
    assert len(days) == 6 and all(day == days[0] for day in days)
    assert len({id(day) for day in days}) == 1
