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

#: The persistent id of the vocabulary: a reader passes in the one it has loaded.
VOCABULARY_ID = "vocabulary"


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
    """The sources and findings a payload saved first, in order; later pickles name them, and
    their id strings, by number (:meth:`ref`), which a pickler writes without keeping
    anything for its memo and a reader turns into the objects already read.

    A finding is named by its place ``n >= 0`` among all findings (sources in order, each
    source's findings in order), a source by ``-1 - k`` for its place ``k``; their ids by the
    same numbers moved by :data:`ID_OFFSET` away from zero. A counted finding names its
    finding, source and group by id: loaded by number, those strings stay one object each.
    """

    #: Where the numbers of id strings start (above any count of findings or sources).
    ID_OFFSET = 1 << 40

    def __init__(self, sources: list[Source]):
        self.sources = sources
        self.findings = [finding for source in sources for finding in source.findings]
        self._at: dict[str, int] | None = None
        self._source_at: dict[str, int] | None = None

    def _places(self) -> tuple[dict[str, int], dict[str, int]]:
        if self._at is None or self._source_at is None:
            self._at = {f.id: n for n, f in enumerate(self.findings)}
            self._source_at = {s.id: k for k, s in enumerate(self.sources)}
        return self._at, self._source_at

    def ref(self, obj: Any) -> int | None:
        """The number naming ``obj``, or None when it is not one of the saved objects."""
        cls = type(obj)
        if cls is str:
            at, source_at = self._places()
            n = at.get(obj)
            if n is not None and self.findings[n].id is obj:
                return n + self.ID_OFFSET
            k = source_at.get(obj)
            if k is not None and self.sources[k].id is obj:
                return -1 - k - self.ID_OFFSET
        elif cls is Finding:
            n = self._places()[0].get(obj.id)
            return n if n is not None and self.findings[n] is obj else None
        elif cls is Source:
            k = self._places()[1].get(obj.id)
            return -1 - k if k is not None and self.sources[k] is obj else None
        return None

    def named(self, ref: Any) -> Any:
        """The object ``ref`` names; :class:`SnapshotError` for a number out of range."""
        if type(ref) is int:
            is_id = abs(ref) >= self.ID_OFFSET
            place = ref - self.ID_OFFSET if is_id and ref > 0 else ref + self.ID_OFFSET * is_id
            table, at = (self.findings, place) if place >= 0 else (self.sources, -1 - place)
            if 0 <= at < len(table):
                return table[at].id if is_id else table[at]
        raise SnapshotError(f"the saved read model names an unknown object: {ref!r}")


class ReadModelUnpickler(pickle.Unpickler):
    """An unpickler that resolves only the read model's classes and a few standard types.

    With ``saved``, numbers name the sources and findings a payload saved before
    (:class:`Saved`).

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
        self._vocabulary = vocabulary
        self._allowed = allowed_classes()
        self._saved = saved

    def find_class(self, module: str, name: str) -> Any:
        found = self._allowed.get((module, name))
        if found is None:
            raise SnapshotError(f"the saved read model names a forbidden global: {module}.{name}")
        return found

    def persistent_load(self, pid: Any) -> Any:
        if pid == VOCABULARY_ID and self._vocabulary is not None:
            return self._vocabulary
        if self._saved is not None:
            return self._saved.named(pid)
        raise SnapshotError(f"the saved read model names an unknown object: {pid!r}")


class ReadModelPickler(CompactPickler):
    """Names the vocabulary by reference, and with ``saved`` every source and finding saved
    before by its number."""

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
