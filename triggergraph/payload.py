"""The saved read model's pickles: a pickler and unpickler that name only the read model's
classes, and refer to the sources and findings saved first by number."""

from __future__ import annotations

import dataclasses
import io
import pickle
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .exceptions import SnapshotError
from .models import Finding, Source
from .pickling import CompactPickler, restore_model, restore_slotted

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

#: The number naming the vocabulary: a reader passes in the one it has loaded.
VOCABULARY_ID = 0


def _defined_classes(module: ModuleType) -> list[type]:
    """The dataclasses and pydantic models that ``module`` itself defines."""
    from pydantic import BaseModel

    return [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and obj.__module__ == module.__name__
        and (dataclasses.is_dataclass(obj) or issubclass(obj, BaseModel))
    ]


@lru_cache(maxsize=1)
def allowed_classes() -> dict[tuple[str, str], type]:
    """What a saved read model may name: the data classes of the read model's modules
    (entry models, vocabulary routes, the verdict's cells, counted findings, downgrades and
    votes, problems) and a few standard containers and dates; ``(module, name) -> class``."""
    from collections import Counter
    from datetime import date, datetime

    from . import exceptions, vocabulary
    from .models import effect, fields, finding, source
    from .verdict import cells, certainty, counting, direction

    allowed: list[type] = [date, datetime, frozenset, set, dict, list, tuple, Counter]
    allowed += [vocabulary.Route, vocabulary.Concept]
    for module in (
        effect,
        fields,
        finding,
        source,
        exceptions,
        cells,
        certainty,
        counting,
        direction,
    ):
        allowed += _defined_classes(module)
    # the vocabulary is passed in by the reader, never read from the file
    found: dict[tuple[str, str], Any] = {
        (cls.__module__, cls.__qualname__): cls
        for cls in allowed
        if cls is not vocabulary.Vocabulary
    }
    # the two makers of the saved reduction, which build only allowed classes
    for maker in (restore_model, restore_slotted):
        found[(maker.__module__, maker.__qualname__)] = maker
    return found


class Saved:
    """What later pickles of a payload name by number instead of saving again: the
    vocabulary, then the sources and findings saved first (in order) and their id strings.

    :attr:`objects` is that table: the vocabulary at 0, then every finding (sources in order,
    each source's findings in order), every source, every finding's id and every source's id.
    A pickler writes a number without keeping anything for its memo, and a reader looks it up
    in the table with a list index (no Python call per reference). A counted finding names
    its finding, source and group by id: read by number, those strings stay one object each.
    """

    def __init__(self, vocabulary: Vocabulary | None, sources: list[Source]):
        self.sources = sources
        self.findings = [finding for source in sources for finding in source.findings]
        self.objects: list[Any] = [
            vocabulary,
            *self.findings,
            *sources,
            *(finding.id for finding in self.findings),
            *(source.id for source in sources),
        ]
        self._places: tuple[dict[str, int], dict[str, int]] | None = None

    def ref(self, obj: Any) -> int | None:
        """The number naming ``obj``, or None when it is not in the table (the vocabulary is
        named by its pickler, which knows it)."""
        cls = type(obj)
        if cls is not str and cls is not Finding and cls is not Source:
            return None
        if self._places is None:
            self._places = (
                {f.id: n for n, f in enumerate(self.findings, start=1)},
                {s.id: k for k, s in enumerate(self.sources, start=1 + len(self.findings))},
            )
        at, source_at = self._places
        if cls is str:
            shift = len(self.findings) + len(self.sources)
            n = at.get(obj)
            if n is not None and self.objects[n].id is obj:
                return n + shift
            k = source_at.get(obj)
            if k is not None and self.objects[k].id is obj:
                return k + shift
            return None
        n = (at if cls is Finding else source_at).get(obj.id)
        return n if n is not None and self.objects[n] is obj else None

    def named(self, ref: Any) -> Any:
        """The object ``ref`` names; :class:`SnapshotError` when it names none."""
        if type(ref) is int and 0 <= ref < len(self.objects):
            return self.objects[ref]
        raise SnapshotError(f"the saved read model names an unknown object: {ref!r}")


class ReadModelUnpickler(pickle.Unpickler):
    """An unpickler that resolves only the read model's classes and a few standard types.

    A number names an object of ``saved`` (:class:`Saved`), or without it the vocabulary
    (0). A number that names nothing stops the load (``IndexError``).

    Examples
    --------
    >>> import io, pickle, os
    >>> ReadModelUnpickler(io.BytesIO(pickle.dumps(os.system)), None).load()
    Traceback (most recent call last):
    ...
    triggergraph.exceptions.SnapshotError: the saved read model names a forbidden global: posix.system
    """

    def __init__(
        self, file: io.BufferedIOBase, vocabulary: Vocabulary | None, saved: Saved | None = None
    ):
        super().__init__(file)
        self._allowed = allowed_classes()
        # a C lookup per reference; a payload passed its checksum and was written by this
        # code, which writes no negative number
        table = saved.objects if saved is not None else [vocabulary] if vocabulary else []
        self.persistent_load = table.__getitem__

    def find_class(self, module: str, name: str) -> Any:
        found = self._allowed.get((module, name))
        if found is None:
            raise SnapshotError(f"the saved read model names a forbidden global: {module}.{name}")
        return found


class ReadModelPickler(CompactPickler):
    """Names the vocabulary by reference (0), and with ``saved`` every source and finding
    saved before, and their ids, by number."""

    def __init__(self, file: Any, vocabulary: Vocabulary, saved: Saved | None = None):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._vocabulary = vocabulary
        self._saved = saved

    def persistent_id(self, obj: Any) -> Any:
        if obj is self._vocabulary:
            return VOCABULARY_ID
        return None if self._saved is None else self._saved.ref(obj)


__all__ = [
    "VOCABULARY_ID",
    "ReadModelPickler",
    "ReadModelUnpickler",
    "Saved",
    "allowed_classes",
]
