"""Which source graphs came from ``literature/``, and reading sources back from a store."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from ..exceptions import Problem, TriggergraphError
from ..loader import entry_data
from ..models import SOURCE_ID_PATTERN
from ..namespaces import PREFIXES, VOCABULARY_GRAPH, source_graph_iri
from ..rdf import TripleIndex, read_source, vocabulary_ntriples
from ..rdf.terms import Terms, nt_lines
from ..rdf.write import _source_triples

if TYPE_CHECKING:
    from ..models import Source
    from ..store.base import Store
    from ..vocabulary import Vocabulary

#: Graph (under the base IRI) listing the source graphs that came from ``literature/`` files.
LITERATURE_GRAPH = "graph/meta/literature"
DCTERMS_HAS_PART = PREFIXES["dcterms"] + "hasPart"
DCTERMS_HAS_VERSION = PREFIXES["dcterms"] + "hasVersion"

#: Source ids that would collide with the bookkeeping graphs under ``B graph/``.
RESERVED_SOURCE_IDS = frozenset({"vocabulary", "meta"})
_SOURCE_ID_RE = re.compile(SOURCE_ID_PATTERN)


def graph_source_id(base_iri: str, graph_iri: str) -> str | None:
    prefix = f"{base_iri}graph/"
    if not graph_iri.startswith(prefix):
        return None
    ident = graph_iri[len(prefix) :]
    if ident in RESERVED_SOURCE_IDS or not _SOURCE_ID_RE.match(ident):
        return None
    return ident


def read_store_sources(
    store: Store, vocabulary: Vocabulary
) -> tuple[dict[str, Source], list[Problem]]:
    """Read every source graph of ``store`` back into :class:`Source` models.

    Parameters
    ----------
    store : Store
        The store to read (one ``dump_nquads`` call, so also cheap over HTTP).
    vocabulary : Vocabulary
        Controlled values used to read ids back from IRIs.

    Returns
    -------
    tuple of (dict, list)
        Sources by id, and a problem for each graph that could not be read (skipped).
    """
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    for ident, text in _source_graph_texts(store):
        source, problem = _read_graph(store.base_iri, ident, text, vocabulary)
        if source is not None:
            sources[ident] = source
        if problem is not None:
            problems.append(problem)
    return dict(sorted(sources.items())), problems


def read_source_graphs(
    store: Store, vocabulary: Vocabulary, ids: list[str]
) -> tuple[dict[str, Source | None], dict[str, Problem]]:
    """Read the named source graphs back, one request each.

    Returns
    -------
    tuple of (dict, dict)
        ``{id: Source}``, or ``{id: None}`` for a graph that is now empty or unreadable, and
        the problem of each unreadable one by id.
    """
    sources: dict[str, Source | None] = {}
    problems: dict[str, Problem] = {}
    for ident in ids:
        text = store.graph_ntriples(str(source_graph_iri(store.base_iri, ident)))
        source, problem = (
            _read_graph(store.base_iri, ident, text, vocabulary) if text else (None, None)
        )
        sources[ident] = source
        if problem is not None:
            problems[ident] = problem
    return sources, problems


def _read_graph(
    base: str, ident: str, text: str, vocabulary: Vocabulary
) -> tuple[Source | None, Problem | None]:
    try:
        return read_source(TripleIndex.from_ntriples(text), ident, vocabulary), None
    except (TriggergraphError, ValueError, SyntaxError) as error:
        # one unreadable graph is reported in health; it must not stop the server starting
        where = str(source_graph_iri(base, ident))
        return None, Problem(where, None, "", f"cannot read source: {error}")


def _source_graph_texts(store: Store) -> Iterator[tuple[str, str]]:
    """``(source id, N-Triples)`` of every source graph, one graph in memory at a time.

    A remote store is read with one ``dump_nquads`` request; a local one graph by graph.
    """
    base = store.base_iri
    if store.backend != "sparql":
        for graph in store.graph_names():
            ident = graph_source_id(base, graph)
            if ident is not None:
                yield ident, store.graph_ntriples(graph)
        return
    # Only the source graphs are parsed: the vocabulary graph is most of the dump and is
    # already known. N-Quads lines end with "<graph> ." and IRIs hold no spaces.
    lines_by_source: dict[str, list[str]] = {}
    # split on "\n" only: str.splitlines() would also cut at U+2028/U+2029 inside literals
    for line in store.dump_nquads().split("\n"):
        parts = line.rsplit(" ", 2)
        if len(parts) != 3 or parts[2] != "." or not parts[1].startswith("<"):
            continue
        ident = graph_source_id(base, parts[1][1:-1])
        if ident is not None:
            lines_by_source.setdefault(ident, []).append(parts[0] + " .")
    for ident, lines in lines_by_source.items():
        yield ident, "\n".join(lines)


def literature_stamp(directory: Path) -> tuple:
    """Names, inodes, sizes and change times of a folder's entries: cheap to take, and
    different whenever a file was added, removed, replaced or written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     literature_stamp(Path(folder))
    ()
    """
    with os.scandir(directory) as entries:
        stamps = []
        for entry in entries:
            info = entry.stat()
            stamps.append(
                (entry.name, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            )
    return tuple(sorted(stamps))


def literature_ids(store: Store) -> set[str]:
    text = store.graph_ntriples(f"{store.base_iri}{LITERATURE_GRAPH}")
    ids = set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == f"<{DCTERMS_HAS_PART}>":
            ident = graph_source_id(store.base_iri, parts[2].strip("<>"))
            if ident:
                ids.add(ident)
    return ids


def literature_hashes(store: Store) -> dict[str, str]:
    """Source id -> :func:`entry_hash` of its file when ``literature/`` was last loaded."""
    text = store.graph_ntriples(f"{store.base_iri}{LITERATURE_GRAPH}")
    hashes = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == f"<{DCTERMS_HAS_VERSION}>":
            ident = graph_source_id(store.base_iri, parts[0].strip("<>"))
            if ident:
                hashes[ident] = parts[2].strip('"')
    return hashes


def entry_hash(source: Source) -> str:
    """A short hash of an entry's content, to tell whether a file changed since it was loaded.

    Examples
    --------
    >>> from triggergraph.models import Source
    >>> s = Source(id="d", type="report", authors=["D, J."], year=2020, title="T",
    ...            added_by="t", added_on="2026-01-01")
    >>> entry_hash(s) == entry_hash(s.model_copy()) != entry_hash(s.model_copy(update={"year": 2021}))
    True
    """
    return hashlib.sha256(orjson.dumps(entry_data(source))).hexdigest()[:32]


def literature_nquads(base_iri: str, hashes: dict[str, str]) -> str:
    """The bookkeeping graph: each loaded source graph (``dcterms:hasPart``) and the hash of
    its file (``dcterms:hasVersion`` on the graph)."""
    graph = f"<{base_iri}{LITERATURE_GRAPH}>"
    lines = []
    for ident, digest in sorted(hashes.items()):
        source = f"<{source_graph_iri(base_iri, ident)}>"
        lines.append(f"{graph} <{DCTERMS_HAS_PART}> {source} {graph} .\n")
        lines.append(f'{source} <{DCTERMS_HAS_VERSION}> "{digest}" {graph} .\n')
    return "".join(lines)


#: Bookkeeping graph kinds kept over a reload of ``literature/`` (history, reviews, deletions,
#: second codings, construct proposals).
KEPT_GRAPHS = ("history", "proposed", "tombstone", "coding", "construct-proposal")


def bookkeeping_nquads(store: Store) -> str:
    """N-Quads of the history, proposed, tombstone, coding and construct-proposal graphs,
    carried over a literature load."""
    prefixes = tuple(f"{store.base_iri}graph/{kind}/" for kind in KEPT_GRAPHS)
    out = []
    for graph in store.graph_names():
        if not graph.startswith(prefixes):
            continue
        tail = f" <{graph}> .\n"
        for line in store.graph_ntriples(graph).split("\n"):
            line = line.rstrip()
            if line.endswith("."):
                out.append(line[:-1].rstrip() + tail)
    return "".join(out)


def dataset_chunks(
    sources: list[Source],
    vocabulary: Vocabulary,
    literature: dict[str, str],
    bookkeeping: str = "",
) -> Iterator[str]:
    """The dataset to load, as N-Quads pieces: vocabulary, one piece per source, bookkeeping.

    The same quads as :func:`~triggergraph.rdf.build_nquads` plus :func:`literature_nquads`
    (``literature``: source id -> file hash) and the kept ``bookkeeping`` N-Quads, unsorted
    and one source at a time, so a large literature is never one string.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> vocab = load_vocabulary()
    >>> text = "".join(dataset_chunks([], vocab, {}))
    >>> from triggergraph.rdf import build_nquads
    >>> sorted(text.splitlines()) == build_nquads([], vocab).splitlines()
    True
    """
    base = vocabulary.base_iri
    vocabulary_graph = f" <{base}{VOCABULARY_GRAPH}> .\n"
    yield "".join(
        line[:-2] + vocabulary_graph for line in vocabulary_ntriples(vocabulary).split("\n") if line
    )
    # one Terms for all sources: building it per source would cost more than the source
    terms = Terms.of(vocabulary)
    for source in sources:
        tail = f" <{source_graph_iri(base, source.id)}> ."
        yield "".join(line[:-2] + tail + "\n" for line in nt_lines(_source_triples(source, terms)))
    yield literature_nquads(base, literature)
    yield bookkeeping


def duplicate_findings(sources: list[Source]) -> list[Problem]:
    owner: dict[str, str] = {}
    problems = []
    for source in sources:
        for finding in source.findings:
            other = owner.setdefault(finding.id, source.id)
            if other != source.id:
                problems.append(
                    Problem(
                        f"literature/{source.id}.yaml",
                        None,
                        "findings.id",
                        f"finding id {finding.id!r} is also used by source {other!r}; finding ids must be unique",
                    )
                )
    return problems
