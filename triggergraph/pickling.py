"""Compact pickles of pydantic models and slotted dataclasses: one restoring call per object."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from functools import lru_cache
from typing import IO, Any

from pydantic import BaseModel

from .models.compact import make_model


def restore_model(cls: type, values: tuple, fields_set: set[str]) -> Any:
    """A model of ``cls`` whose field values are ``values`` (in field order), made without
    validation, as :func:`~triggergraph.models.compact.make_model` makes it: its dict shares
    the class's keys and its fields set is the shared one of its shape.

    The inverse of the saved reduction of a model: one call per model. Only read-model
    classes reach it (the unpickler resolves nothing else).
    """
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        raise TypeError(f"{cls!r} is not a model class")
    if type(values) is not tuple or len(values) != len(cls.model_fields):
        raise TypeError(f"the values read are not the fields of {cls.__name__}")
    return make_model(cls, values, fields_set)


@lru_cache(maxsize=64)
def _slots(cls: type) -> tuple[str, ...]:
    """Every slot of ``cls`` and its bases, base first, or () when an instance has a dict."""
    if "__dict__" in dir(cls) or not hasattr(cls, "__slots__"):
        return ()
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        slots = klass.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else [s for s in slots if s not in names]
    # a weak reference is not state: it is made afresh with the object
    return tuple(name for name in names if name != "__weakref__")


def restore_slotted(cls: type, *values: Any) -> Any:
    """An instance of the slotted dataclass ``cls`` with every slot set from ``values``.

    ``__init__`` is not called: the values are the ones saved, including slots that are
    not arguments of ``__init__``.
    """
    names = _slots(cls) if dataclasses.is_dataclass(cls) else ()
    if not names or len(values) != len(names):
        raise TypeError(f"{cls!r} is not a slotted dataclass of {len(values)} slots")
    instance = object.__new__(cls)
    for name, value in zip(names, values, strict=True):
        object.__setattr__(instance, name, value)
    return instance


class CompactPickler(pickle.Pickler):
    """A pickler that saves models as :func:`restore_model` and slotted dataclasses as
    :func:`restore_slotted` calls; a reader must allow those two globals."""

    def reducer_override(self, obj: Any) -> Any:
        # the default reductions give every model and slotted object a state object that
        # the reader builds and drops again: slower, and it leaves the heap fragmented. A
        # model's values go as a tuple, not as its dict: the reader makes a compact model
        # (a dict sharing the class's keys), and what both memos keep alive until the end
        # of the pickle is a tuple, less than half the size of a dict of the same values
        cls = type(obj)
        if isinstance(obj, BaseModel):
            values = obj.__dict__
            if (
                values.keys() == cls.model_fields.keys()
                and obj.__pydantic_extra__ is None
                and obj.__pydantic_private__ is None
            ):
                return restore_model, (cls, tuple(values.values()), obj.__pydantic_fields_set__)
        elif dataclasses.is_dataclass(cls) and (names := _slots(cls)):
            try:
                return (restore_slotted, (cls, *(getattr(obj, name) for name in names)))
            except AttributeError:  # a slot never set: the default reduction says so
                pass
        return NotImplemented


class HashingWriter:
    """A file's ``write`` that also counts the bytes and hashes them."""

    def __init__(self, out: IO[bytes]):
        self._out = out
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: Any) -> int:
        self.digest.update(data)
        self.size += len(memoryview(data))
        return self._out.write(data)


__all__ = ["CompactPickler", "HashingWriter", "restore_model", "restore_slotted"]
