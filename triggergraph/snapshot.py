"""The saved read model: one file holding an EvidenceIndex, its stamps and a checksum.

A saved read model is only a shortcut for a start-up: it is trusted after every check below
passes, and otherwise the caller rebuilds the read model from the store.

File layout::

    TGRM2\\n
    {"code": ..., "vocabulary": ..., "version": ..., "sha256": ..., "size": ...}\\n
    <payload of `size` bytes: pickles one after another>

* ``code`` is the package version plus a hash of the modules that shape the read model (see
  :func:`code_stamp`); a file written by other code is never unpickled.
* ``vocabulary`` is a hash of the ontology files and the base IRI (:func:`vocabulary_stamp`).
* ``version`` is the store's data version the model reflects; the graph revisions travel in
  the payload, so the caller can read back only the graphs that moved since.
* ``sha256`` and ``size`` cover the payload: a truncated, corrupt or altered file is refused
  before it is unpickled.

The payload is a run of pickles, each read by a :class:`ReadModelUnpickler` of its own,
which resolves only the classes of the read model and a few standard types: a payload naming
any other global (``os.system`` and the like) is refused. The vocabulary is not stored; the
reader passes in the one it has loaded (a pickle "persistent id"), which ``vocabulary`` stamps.

The run is: a head (what the payload reflects, how many parts of sources follow and the
factors), the sources in parts of :data:`SOURCES_PER_PART`, the rest of the index, then the
cells and routes of each factor. After the sources, a pickle names a source, a finding or
one of their ids by its number (:class:`~triggergraph.payload.Saved`) instead of saving it
again. Each pickle has its own memo, so neither the writer nor the reader keeps a reference
to every object of the model at once: one pickle of the whole model held that many (and a
tuple per model made for it), which raised a saving process's peak by more than half the
model again.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
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

from . import payload, pickling
from .exceptions import SnapshotError
from .models import Source
from .payload import ReadModelPickler, ReadModelUnpickler, Saved
from .pickling import HashingWriter

if TYPE_CHECKING:
    from .readmodel import EvidenceIndex
    from .vocabulary import Vocabulary

MAGIC = b"TGRM2\n"
#: Largest header line accepted; a real one is a few hundred bytes.
MAX_HEADER_BYTES = 4096
#: Index attributes not saved: answers rendered per request (pages depend on templates and
#: catalogues, which no stamp covers) and the caches of cell and finding answers and the
#: pair list, all made again on first use; saving them would make the file and the memory
#: of a start larger than the model itself.
UNSAVED_ATTRIBUTES = frozenset({"_json", "vocabulary", "_finding_cache", "pairs", "finding_counts"})
#: Sources per pickle of the payload's first part (see the module's docstring).
SOURCES_PER_PART = 500
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

    Covers the index, verdict, model, vocabulary, construct, effect and RDF-reading modules,
    this module and its pickling and payload modules, plus the Python and pydantic versions
    (pickles of models depend on both).

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
    extra = [Path(__file__), Path(pickling.__file__ or ""), Path(payload.__file__ or "")]
    for path in sorted({*files, *extra}):
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


def _index_state(index: EvidenceIndex) -> dict[str, Any]:
    # shallow copies: readers fill the lazy caches of a live index while this runs
    return {
        name: dict(value) if isinstance(value, dict) else value
        for name, value in list(index.__dict__.items())
        if name not in UNSAVED_ATTRIBUTES
    }


def dump_snapshot(snapshot: Snapshot, vocabulary: Vocabulary, out: IO[bytes]) -> tuple[str, int]:
    """Write the payload of ``snapshot`` to ``out`` (the vocabulary left out, by reference);
    return its sha256 and size. The layout is in the module's docstring."""
    writer = HashingWriter(out)
    state = _index_state(snapshot.index)
    saved = Saved(vocabulary, list(state.pop("_sources").values()))
    findings = state.pop("_findings")
    cells, routed = state.pop("_cells"), state.pop("_routed")
    factors = [*cells, *(f for f in routed if f not in cells)]
    parts = [
        saved.sources[start : start + SOURCES_PER_PART]
        for start in range(0, len(saved.sources), SOURCES_PER_PART)
    ]
    head = {
        "version": snapshot.version,
        "revisions": dict(snapshot.revisions),
        "literature_revision": snapshot.literature_revision,
        "read_problems": dict(snapshot.read_problems),
        "parts": len(parts),
        "factors": factors,
        "routed": list(routed),
    }
    ReadModelPickler(writer, vocabulary).dump(head)
    for part in parts:
        ReadModelPickler(writer, vocabulary).dump(part)
    # the findings table in its own order, as numbers: its pairs are made again on load
    state["_findings"] = [saved.ref(finding) for finding, _ in findings.values()]
    ReadModelPickler(writer, vocabulary, saved).dump(state)
    for factor in factors:
        ReadModelPickler(writer, vocabulary, saved).dump((cells.get(factor), routed.get(factor)))
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


def _load_parts(stream: io.BufferedReader, vocabulary: Vocabulary) -> dict[str, Any]:
    """The head, the sources, the index and its cells factor by factor, each pickle read with
    a memo of its own (the layout is in the module's docstring)."""
    head = ReadModelUnpickler(stream, vocabulary).load()
    if (
        type(head) is not dict
        or type(head.get("parts")) is not int
        or type(head.get("factors")) is not list
        or type(head.get("routed")) is not list
    ):
        raise ValueError("the payload does not start with its head")
    sources: list[Source] = []
    for _ in range(head["parts"]):
        part = ReadModelUnpickler(stream, vocabulary).load()
        if type(part) is not list or not all(type(s) is Source for s in part):
            raise ValueError("a part of the sources holds something else")
        sources += part
    saved = Saved(vocabulary, sources)
    # a finding's number is its place among all findings, from 1 (0 is the vocabulary)
    owners = [None, *(source for source in sources for _ in source.findings)]
    state = ReadModelUnpickler(stream, vocabulary, saved).load()
    if type(state) is not dict or type(state.get("_findings")) is not list:
        raise ValueError("the index state is not a dict with its findings")
    table = saved.objects
    state["_findings"] = {table[n].id: (table[n], owners[n]) for n in state["_findings"]}
    state["_sources"] = {source.id: source for source in sources}
    state["_cells"], state["_routed"] = {}, {}
    for factor in head["factors"]:
        cells, routed = ReadModelUnpickler(stream, vocabulary, saved).load()
        if cells is not None:
            state["_cells"][factor] = cells
        if routed is not None:
            state["_routed"][factor] = routed
    state["_routed"] = {factor: state["_routed"][factor] for factor in head["routed"]}
    return {**head, "index": state}


def _unpickle(stream: io.BufferedReader, vocabulary: Vocabulary, path: Path) -> Any:
    # a read model is millions of small objects that all stay: collecting during the load
    # would walk them again and again for nothing
    enabled = gc.isenabled()
    gc.disable()
    try:
        state = _load_parts(stream, vocabulary)
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
    except ValueError as error:
        raise SnapshotError(f"{path}: the payload has the wrong shape ({error})") from None
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
