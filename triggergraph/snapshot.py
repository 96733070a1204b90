"""The saved read model: one file holding an EvidenceIndex, its stamps and a checksum.

A saved read model is only a shortcut for a start-up: it is trusted after every check below
passes, and otherwise the caller rebuilds the read model from the store.

File layout::

    TGRM1\\n
    {"code": ..., "vocabulary": ..., "version": ..., "sha256": ..., "size": ...}\\n
    <pickle payload of `size` bytes>

* ``code`` is the package version plus a hash of the modules that shape the read model (see
  :func:`code_stamp`); a file written by other code is never unpickled.
* ``vocabulary`` is a hash of the ontology files and the base IRI (:func:`vocabulary_stamp`).
* ``version`` is the store's data version the model reflects; the graph revisions travel in
  the payload, so the caller can read back only the graphs that moved since.
* ``sha256`` and ``size`` cover the payload: a truncated, corrupt or altered file is refused
  before it is unpickled.

The payload is a pickle read by :class:`ReadModelUnpickler`, which resolves only the classes
of the read model and a few standard types: a payload naming any other global (``os.system``
and the like) is refused. The vocabulary is not stored; the reader passes in the one it has
loaded (a pickle "persistent id"), which ``vocabulary`` stamps.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import io
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any

import orjson

from . import pickling
from .exceptions import SnapshotError
from .pickling import CompactPickler, HashingWriter, restore_model, restore_slotted

if TYPE_CHECKING:
    from .readmodel import EvidenceIndex
    from .vocabulary import Vocabulary

MAGIC = b"TGRM1\n"
#: Largest header line accepted; a real one is a few hundred bytes.
MAX_HEADER_BYTES = 4096
VOCABULARY_ID = "vocabulary"
#: Index attributes not saved: answers rendered per request (pages depend on templates and
#: catalogues, which no stamp covers) and the caches of cell and finding answers and the
#: pair list, all made again on first use; saving them would make the file and the memory
#: of a start larger than the model itself.
UNSAVED_ATTRIBUTES = frozenset({"_json", "vocabulary", "_finding_cache", "pairs", "finding_counts"})
#: Bytes read at a time while the checksum is computed.
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class Snapshot:
    """What a saved read model holds, besides the index itself.

    ``revisions`` maps source id to the revision of its graph the index reflects;
    ``literature_revision`` is the literature graph's revision; ``read_problems`` are the
    problems of graphs that could not be read back (kept so health still names them).
    """

    index: EvidenceIndex
    version: str
    revisions: dict[str, str]
    literature_revision: str | None = None
    read_problems: dict[str, Any] = field(default_factory=dict)


def _read_model_modules() -> list[ModuleType]:
    # imported here: this module sits below the read model in the layers it stamps
    from . import constructs, effects, models, rdf, readmodel, verdict, vocabulary
    from .answers import queries

    return [readmodel, verdict, models, vocabulary, constructs, effects, rdf, queries]


def _module_files(module: ModuleType) -> list[Path]:
    path = Path(module.__file__ or "")
    if path.name == "__init__.py":
        return sorted(path.parent.rglob("*.py"))
    return [path]


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The package version and a hash of the code that shapes a saved read model.

    Covers the index, verdict, model, vocabulary, construct, effect and RDF-reading modules and
    this module and its pickler, plus the Python and pydantic versions (pickles of models
    depend on both).

    Examples
    --------
    >>> code_stamp().startswith("triggergraph ")
    True
    """
    import pydantic

    try:
        version = metadata.version("triggergraph")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        version = "unknown"
    digest = hashlib.sha256()
    files = [f for m in _read_model_modules() for f in _module_files(m)]
    for path in sorted({*files, Path(__file__), Path(pickling.__file__ or "")}):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    python = ".".join(map(str, sys.version_info[:2]))
    return (
        f"triggergraph {version} py{python} pydantic {pydantic.VERSION} {digest.hexdigest()[:16]}"
    )


def vocabulary_stamp(ontology_dir: Path, base_iri: str) -> str:
    """A hash of the ontology files (``*.ttl``, ``*.jsonld``) and the base IRI."""
    digest = hashlib.sha256(base_iri.encode())
    for path in sorted(Path(ontology_dir).glob("*")):
        if path.suffix in {".ttl", ".jsonld"} and path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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


class ReadModelUnpickler(pickle.Unpickler):
    """An unpickler that resolves only the read model's classes and a few standard types.

    Examples
    --------
    >>> import io, pickle, os
    >>> ReadModelUnpickler(io.BytesIO(pickle.dumps(os.system)), None).load()
    Traceback (most recent call last):
    ...
    triggergraph.exceptions.SnapshotError: the saved read model names a forbidden global: posix.system
    """

    def __init__(self, file: io.BufferedIOBase, vocabulary: Vocabulary | None):
        super().__init__(file)
        self._vocabulary = vocabulary
        self._allowed = allowed_classes()

    def find_class(self, module: str, name: str) -> Any:
        found = self._allowed.get((module, name))
        if found is None:
            raise SnapshotError(f"the saved read model names a forbidden global: {module}.{name}")
        return found

    def persistent_load(self, pid: Any) -> Any:
        if pid != VOCABULARY_ID or self._vocabulary is None:
            raise SnapshotError(f"the saved read model names an unknown object: {pid!r}")
        return self._vocabulary


class _ReadModelPickler(CompactPickler):
    def __init__(self, file: Any, vocabulary: Vocabulary):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._vocabulary = vocabulary

    def persistent_id(self, obj: Any) -> str | None:
        return VOCABULARY_ID if obj is self._vocabulary else None


def _index_state(index: EvidenceIndex) -> dict[str, Any]:
    # shallow copies: readers fill the lazy caches of a live index while this runs
    return {
        name: dict(value) if isinstance(value, dict) else value
        for name, value in list(index.__dict__.items())
        if name not in UNSAVED_ATTRIBUTES
    }


def dump_snapshot(snapshot: Snapshot, vocabulary: Vocabulary, out: IO[bytes]) -> tuple[str, int]:
    """Write the pickle payload of ``snapshot`` to ``out`` (the vocabulary left out, by
    reference); return its sha256 and size."""
    writer = HashingWriter(out)
    _ReadModelPickler(writer, vocabulary).dump(
        {
            "index": _index_state(snapshot.index),
            "version": snapshot.version,
            "revisions": dict(snapshot.revisions),
            "literature_revision": snapshot.literature_revision,
            "read_problems": dict(snapshot.read_problems),
        }
    )
    return writer.digest.hexdigest(), writer.size


def save_snapshot(path: Path, snapshot: Snapshot, vocabulary: Vocabulary, stamp: str) -> int:
    """Write ``snapshot`` to ``path`` atomically (a temporary file, then a rename).

    Parameters
    ----------
    path : Path
        The file; its folder is created when missing.
    snapshot : Snapshot
    vocabulary : Vocabulary
        The vocabulary the index uses (stored by reference only).
    stamp : str
        :func:`vocabulary_stamp` of that vocabulary's ontology.

    Returns
    -------
    int
        Bytes written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # the payload goes to a file as it is made, and the header (which holds its checksum)
    # is written before a copy of it: at 100k findings the payload is over 50 MB, and
    # holding it in memory beside the model raised the peak of a start that saves
    with tempfile.TemporaryFile(dir=path.parent) as spool:
        sha256, size = dump_snapshot(snapshot, vocabulary, spool)
        header = orjson.dumps(
            {
                "code": code_stamp(),
                "vocabulary": stamp,
                "version": snapshot.version,
                "sha256": sha256,
                "size": size,
            }
        )
        descriptor, temporary = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(MAGIC + header + b"\n")
                spool.seek(0)
                shutil.copyfileobj(spool, out, CHUNK_BYTES)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return len(MAGIC) + len(header) + 1 + size


def _read_header(stream: io.BufferedReader, path: Path) -> dict:
    if stream.read(len(MAGIC)) != MAGIC:
        raise SnapshotError(f"{path} is not a saved read model (no {MAGIC[:-1].decode()} mark)")
    line = stream.readline(MAX_HEADER_BYTES)
    if not line.endswith(b"\n"):
        raise SnapshotError(f"{path}: the header line is missing or too long")
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise SnapshotError(f"{path}: the header is not JSON ({error})") from None
    if not isinstance(header, dict):
        raise SnapshotError(f"{path}: the header is not a JSON object")
    return header


def _check_payload(stream: io.BufferedReader, header: dict, path: Path) -> None:
    """Size and sha256 of the rest of ``stream``, read in chunks (never held whole)."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    if header.get("size") != size:
        raise SnapshotError(
            f"{path}: payload of {size} bytes, the header says {header.get('size')!r}"
            " (truncated or extended)"
        )
    if digest.hexdigest() != header.get("sha256"):
        raise SnapshotError(f"{path}: the payload's sha256 does not match its header")


def _unpickle(stream: io.BufferedReader, vocabulary: Vocabulary, path: Path) -> Any:
    # a read model is millions of small objects that all stay: collecting during the load
    # would walk them again and again for nothing
    enabled = gc.isenabled()
    gc.disable()
    try:
        state = ReadModelUnpickler(stream, vocabulary).load()
        if gc.get_freeze_count() == 0:
            # into the oldest generation at once (freeze, then unfreeze: no scan); left among
            # the young, every object made was walked by the first collection after the load,
            # about 0.1 s at 10k findings. Skipped if someone froze objects: unfreezing would
            # give theirs back too.
            gc.freeze()
            gc.unfreeze()
        return state
    except SnapshotError:
        raise
    except Exception as error:  # noqa: BLE001 - any unpickling failure means "rebuild"
        raise SnapshotError(f"{path}: the payload cannot be read ({error})") from None
    finally:
        if enabled:
            gc.enable()


def load_snapshot(path: Path, vocabulary: Vocabulary, stamp: str) -> Snapshot:
    """Read a saved read model, checking every stamp and the checksum before unpickling.

    Parameters
    ----------
    path : Path
    vocabulary : Vocabulary
        The vocabulary now loaded; the index is attached to it.
    stamp : str
        :func:`vocabulary_stamp` of that vocabulary's ontology.

    Returns
    -------
    Snapshot
        The index and what it reflects (data version, graph revisions); the caller compares
        these with the store before use.

    Raises
    ------
    SnapshotError
        Missing or unreadable file, other code or ontology, wrong size or checksum, a
        payload naming a forbidden global, or a payload of the wrong shape.
    """
    from .readmodel import EvidenceIndex

    path = Path(path)
    try:
        # one open file for the checks and the load: a save renames a new file into place,
        # so what was checked is what is read
        with open(path, "rb") as stream:
            header = _read_header(stream, path)
            if header.get("code") != code_stamp():
                raise SnapshotError(
                    f"{path} was saved by other code ({header.get('code')!r}, now {code_stamp()!r})"
                )
            if header.get("vocabulary") != stamp:
                raise SnapshotError(f"{path} was saved with another ontology or base IRI")
            start = stream.tell()
            _check_payload(stream, header, path)
            stream.seek(start)
            state = _unpickle(stream, vocabulary, path)
    except FileNotFoundError:
        raise SnapshotError(f"no saved read model at {path}") from None
    except OSError as error:
        raise SnapshotError(f"cannot read {path}: {error}") from None
    try:
        index = EvidenceIndex.__new__(EvidenceIndex)
        index.__dict__.update(state["index"])
        index.vocabulary = vocabulary
        index._json, index._finding_cache = {}, {}
        snapshot = Snapshot(
            index=index,
            version=str(state["version"]),
            revisions=dict(state["revisions"]),
            literature_revision=state["literature_revision"],
            read_problems=dict(state["read_problems"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotError(f"{path}: the payload has the wrong shape ({error})") from None
    if snapshot.version != header.get("version"):
        raise SnapshotError(f"{path}: the payload's data version differs from its header's")
    return snapshot


__all__ = [
    "ReadModelUnpickler",
    "Snapshot",
    "code_stamp",
    "load_snapshot",
    "save_snapshot",
    "vocabulary_stamp",
]
