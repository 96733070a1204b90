"""Which source graphs came from ``literature/``, reading sources back from a store, and dumping them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from ..exceptions import EntryError, Problem, TriggergraphError
from ..loader import write_entry
from ..models import SOURCE_ID_PATTERN
from ..namespaces import PREFIXES, source_graph_iri
from ..rdf import read_source
from ..store import open_store
from ..vocabulary import load_vocabulary

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Source
    from ..store.base import Store
    from ..vocabulary import Vocabulary

#: Graph (under the base IRI) listing the source graphs that came from ``literature/`` files.
LITERATURE_GRAPH = "graph/meta/literature"
DCTERMS_HAS_PART = PREFIXES["dcterms"] + "hasPart"

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
    base = store.base_iri
    # Only the source graphs are parsed: the vocabulary graph is most of the dump and is
    # already known. N-Quads lines end with "<graph> ." and IRIs hold no spaces.
    lines_by_source: dict[str, list[str]] = {}
    for line in store.dump_nquads().splitlines():
        parts = line.rsplit(" ", 2)
        if len(parts) != 3 or parts[2] != "." or not parts[1].startswith("<"):
            continue
        ident = graph_source_id(base, parts[1][1:-1])
        if ident is not None:
            lines_by_source.setdefault(ident, []).append(parts[0] + " .")
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    for ident, lines in lines_by_source.items():
        graph = Graph()
        try:
            graph.parse(data="\n".join(lines), format="nt")
            sources[ident] = read_source(graph, ident, vocabulary)
        except (TriggergraphError, ValueError, SyntaxError) as error:
            where = str(source_graph_iri(base, ident))
            problems.append(Problem(where, None, "", f"cannot read source: {error}"))
    return dict(sorted(sources.items())), problems


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


def literature_nquads(base_iri: str, ids: list[str]) -> str:
    graph = f"<{base_iri}{LITERATURE_GRAPH}>"
    return "".join(
        f"{graph} <{DCTERMS_HAS_PART}> <{source_graph_iri(base_iri, i)}> {graph} .\n" for i in ids
    )


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


def dump_literature(settings: Settings, directory: Path, overwrite: bool = False) -> list[Path]:
    """Write every source in the store as a ``literature/``-format YAML entry.

    Parameters
    ----------
    settings : Settings
        Which store to read.
    directory : Path
        Folder to write ``<id>.yaml`` files into (created when missing).
    overwrite : bool
        Replace existing files; otherwise an existing file raises :class:`ConflictError`.

    Returns
    -------
    list of Path
        The files written, sorted by source id.
    """
    vocabulary = load_vocabulary(settings.ontology_dir, settings.base_iri)
    store = open_store(settings)
    try:
        sources, problems = read_store_sources(store, vocabulary)
    finally:
        store.close()
    if problems:
        raise EntryError(problems)
    Path(directory).mkdir(parents=True, exist_ok=True)
    return [
        write_entry(source, Path(directory), overwrite=overwrite) for source in sources.values()
    ]
