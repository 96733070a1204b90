"""Compact entry models: instance dicts that share their keys and one fields set per shape.

A validated pydantic model holds its field values in a dict of its own and the names of the
fields it was given in a set of its own. For the read model of 100,000 findings that is
about 330,000 models, and those sets and dicts were the largest part of its memory (a
finding's set alone is 728 bytes). :func:`compact` makes an equal model whose instance dict
shares its keys with every other instance of the class (CPython keeps such a dict's keys once
per class when they are inserted in the same order) and whose fields set is one shared set
per class and set of names.

Entry models in the read model are not changed in place (a write makes new ones), which is
what makes sharing the fields set safe: pydantic adds to it only when an attribute is set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel

#: Bound on the remembered field-name sets: the shapes of real entries are a few dozen;
#: beyond this a model simply gets a set of its own.
MAX_SHAPES = 4096

_shapes: dict[tuple[type, frozenset[str]], set[str]] = {}
_set_attribute = object.__setattr__

M = TypeVar("M", bound=BaseModel)


def shared_fields_set(cls: type, names: Iterable[str]) -> set[str]:
    """The one fields set of ``cls`` holding ``names`` (made on first use).

    Examples
    --------
    >>> from triggergraph.models import Effect
    >>> shared_fields_set(Effect, ["value", "measure"]) is shared_fields_set(Effect, {"measure", "value"})
    True
    """
    key = (cls, frozenset(names))
    found = _shapes.get(key)
    if found is None:
        if len(_shapes) >= MAX_SHAPES:
            return set(key[1])
        found = _shapes.setdefault(key, set(key[1]))
    return found


@lru_cache(maxsize=256)
def _blank(cls: type) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The field names of ``cls`` and a dict of them (all None) that shares the class's keys:
    reading ``__dict__`` of a fresh instance makes such a dict, and filling it in field order
    keeps it that way. A copy of it is the same kind of dict, made in C."""
    names = tuple(cls.model_fields)
    slots = cls.__new__(cls).__dict__
    for name in names:
        slots[name] = None
    return names, slots


def _filled(cls: type, values: Sequence[Any]) -> dict[str, Any]:
    """A dict of the fields of ``cls`` (in field order) holding ``values``, sharing the
    class's keys: a copy of the blank one, filled with one update."""
    names, blank = _blank(cls)
    if len(values) != len(names):
        raise ValueError(f"{len(values)} values for the {len(names)} fields of {cls.__name__}")
    slots = blank.copy()
    slots.update(zip(names, values, strict=True))  # lengths checked above
    return slots


def make_model(cls: type[M], values: Sequence[Any], fields_set: Iterable[str]) -> M:
    """A model of ``cls`` whose fields (in ``cls.model_fields`` order) are ``values``, made
    without validation, with a key-sharing instance dict and a shared fields set."""
    slots = _filled(cls, values)
    model = cls.__new__(cls)
    _set_attribute(model, "__dict__", slots)
    _set_attribute(model, "__pydantic_fields_set__", shared_fields_set(cls, fields_set))
    _set_attribute(model, "__pydantic_extra__", None)
    _set_attribute(model, "__pydantic_private__", None)
    return model


@lru_cache(maxsize=4096, typed=True)
def _one_date(day: date) -> date:
    """One object per day: every finding holds the day it was added, mostly its source's."""
    return day


def compact(model: M) -> M:
    """Make ``model`` (and the models in its fields and lists) compact in place; return it.

    The values stay the same objects (a day becomes the one object of that day); only the
    dict holding them and the fields set are replaced. A model with extra or private values,
    or whose dict is not exactly its fields, keeps its own dict and set (its nested models
    are still made compact).

    Examples
    --------
    >>> from triggergraph.models import Effect
    >>> e = Effect(measure="odds_ratio", value=2.0, n=50)
    >>> values = e.__dict__
    >>> c = compact(e)
    >>> c is e, c.__dict__ is values, c.__dict__ == values, c.model_dump()["n"]
    (True, False, True, 50)
    >>> other = compact(Effect(n=50, value=1.0, measure="r"))
    >>> e.__pydantic_fields_set__ is other.__pydantic_fields_set__
    True
    """
    cls = type(model)
    values = model.__dict__
    for value in values.values():
        if isinstance(value, BaseModel):
            compact(value)
        elif type(value) is list and value and isinstance(value[0], BaseModel):
            for item in value:
                if isinstance(item, BaseModel):
                    compact(item)
    if (
        model.__pydantic_extra__ is None
        and model.__pydantic_private__ is None
        and values.keys() == cls.model_fields.keys()
    ):
        shared = [_one_date(v) if type(v) is date else v for v in values.values()]
        # the filled dict shares the class's keys, and stays that kind of dict when it
        # becomes this model's
        _set_attribute(model, "__dict__", _filled(cls, shared))
        _set_attribute(
            model, "__pydantic_fields_set__", shared_fields_set(cls, model.__pydantic_fields_set__)
        )
    return model


__all__ = ["MAX_SHAPES", "compact", "make_model", "shared_fields_set"]
