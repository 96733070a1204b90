"""Compact pickles: models and slotted dataclasses saved as one restoring call, read back whole."""

from __future__ import annotations

import io
import pickle
import pickletools
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from triggergraph.exceptions import SnapshotError
from triggergraph.loader import load_literature
from triggergraph.models import Finding
from triggergraph.pickling import CompactPickler, HashingWriter, restore_model, restore_slotted
from triggergraph.snapshot import ReadModelUnpickler
from triggergraph.verdict.counting import CountedFinding
from triggergraph.vocabulary import load_vocabulary

FIXTURES = Path(__file__).resolve().parent / "data" / "api"


@dataclass(slots=True)
class Tally:
    """A slotted dataclass with a slot that ``__init__`` does not take."""

    name: str
    votes: tuple[str, ...] = ()
    total: int = field(init=False, default=0)


def compact(obj) -> bytes:
    out = io.BytesIO()
    CompactPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return out.getvalue()


def opcodes(payload: bytes) -> set[str]:
    return {op.name for op, _arg, _pos in pickletools.genops(payload)}


@pytest.fixture(scope="module")
def sources():
    return load_literature(FIXTURES, load_vocabulary())


def test_models_restore_whole_without_state_objects(sources):
    payload = compact(sources)
    # BUILD is the opcode that applies a per-instance state object after creation
    assert "BUILD" not in opcodes(payload)
    again = ReadModelUnpickler(io.BytesIO(payload), None).load()
    assert again == sources
    for before, after in zip(sources, again, strict=True):
        assert after.model_dump() == before.model_dump()
        assert after.model_fields_set == before.model_fields_set
        assert list(vars(after)) == list(type(after).model_fields)
        for old, new in zip(before.findings, after.findings, strict=True):
            assert new.model_fields_set == old.model_fields_set
            assert type(new.model_fields_set) is set


def test_slotted_objects_restore_every_slot_without_init():
    tally = Tally("a", ("x",))
    tally.total = 7
    payload = compact([tally, tally])
    assert "BUILD" not in opcodes(payload)
    first, second = pickle.loads(payload)
    assert first is second  # shared objects stay shared
    assert (first.name, first.votes, first.total) == ("a", ("x",), 7)


def test_counted_finding_restores_through_the_read_model_unpickler():
    counted = CountedFinding("f1", "s1", "g1", "increases", "B", "C", False, ("r",), "mixed")
    payload = compact({"cell": [counted]})
    assert "BUILD" not in opcodes(payload)
    again = ReadModelUnpickler(io.BytesIO(payload), None).load()["cell"][0]
    assert again == counted
    assert not hasattr(again, "__dict__")


def test_slotted_object_with_an_unset_slot_falls_back_to_the_default():
    tally = Tally.__new__(Tally)
    tally.name = "only a name"
    again = pickle.loads(compact(tally))
    assert again.name == "only a name" and not hasattr(again, "votes")


def test_restore_refuses_other_classes():
    with pytest.raises(TypeError, match="not a model class"):
        restore_model(dict, {}, set())
    with pytest.raises(TypeError, match="not the fields of Finding"):
        restore_model(Finding, {"id": "t1"}, set())
    with pytest.raises(TypeError, match="not a slotted dataclass"):
        restore_slotted(dict, 1)
    with pytest.raises(TypeError, match="not a slotted dataclass"):
        restore_slotted(Tally, "too", "few")


class CallsRestore:
    """Unpickles into ``restore_model(dict, ...)``: an allowed maker, a class it refuses."""

    def __reduce__(self):
        return (restore_model, (dict, {}, set()))


def test_unpickler_refuses_a_restore_of_a_non_model_and_other_globals():
    payload = pickle.dumps(CallsRestore(), protocol=5)
    with pytest.raises(TypeError, match="not a model class"):
        ReadModelUnpickler(io.BytesIO(payload), None).load()
    payload = pickle.dumps(pickle.loads, protocol=5)
    with pytest.raises(SnapshotError, match="forbidden global: _pickle.loads"):
        ReadModelUnpickler(io.BytesIO(payload), None).load()


def test_hashing_writer_counts_and_hashes_what_it_passes_on():
    import hashlib

    out = io.BytesIO()
    writer = HashingWriter(out)
    writer.write(b"abc")
    writer.write(memoryview(b"defg"))
    assert out.getvalue() == b"abcdefg"
    assert writer.size == 7
    assert writer.digest.hexdigest() == hashlib.sha256(b"abcdefg").hexdigest()
