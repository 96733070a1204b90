"""EvidenceService: the store, the in-memory index, literature sync, writes and version polling.

``api/`` and the CLI call one method of :class:`EvidenceService` per request or command.

Literature and API-added sources
--------------------------------
The store holds one named graph per source. Sources come from two places: files in
``literature/`` and writes through the API. A bookkeeping graph ``B graph/meta/literature``
lists (``dcterms:hasPart``) the graphs that were loaded from ``literature/`` files; the store's
meta graph keeps the hash of the literature last loaded.

* Restart with an unchanged ``literature/`` (same hash): the store is used as it is, so every
  source added through the API survives.
  The index is then read back from the store (one graph at a time, parsed by pyoxigraph
  into a :class:`~triggergraph.rdf.TripleIndex`).
* ``literature/`` changed: the literature is parsed and validated by pydantic (every model
  rule, file:line errors); when valid, the dataset is replaced by ``replace_all`` made of the
  vocabulary, every literature source, and every *API-added* source (in the store, not a
  literature source before, and not a literature file now). A file wins over an API-added
  source with the same id; a source whose file was removed is removed. The index is built
  from the models just written (in :func:`~triggergraph.rdf.canonical_source` order, equal to
  what reading the store back gives), not read back.
* ``literature/`` invalid, or a kept API-added source would reuse a finding id of the new
  literature: nothing changes, the last good data keeps being served and ``health()`` reports
  every problem. The same check runs while serving, at most once per
  ``version_check_interval_s``.

SHACL is not run over the whole literature at start-up or on a literature change: over a large
literature it took longer than everything else together (71 s at 10k findings). It runs in
``triggergraph validate`` / ``make validate``, in the tests over the shipped literature, and on
every write through the API (one source, fast). pyshacl is imported only where it is used.

Refresh off the request path: the literature check first compares a stamp of the folder
(names, inodes, sizes, modification and change times) and hashes the files only when it
changed. In the server the check and the store-version poll run on a background thread every
``version_check_interval_s`` (:meth:`EvidenceService.start_refresher`, started by the app's
lifespan), so hot reads only take the current index reference; with an interval of 0 ("check
on every request") and outside the server the reads check inline instead.

Writes are parsed and validated before the store is touched, serialised by a lock in this
process, and each is one atomic, compare-and-set ``replace_graph``/``delete_graph`` (the
revision the index saw, no finding of the source in another graph; see ``store/update.py``),
so two processes sharing a store never both create one id; the index is then updated
with the one source changed (:meth:`EvidenceIndex.updated`), without a read-back. Another
process writing to the same store (sparql backend) is noticed through :meth:`Store.version`,
and only the graphs whose revision moved (:meth:`Store.graph_versions`) are read back.
"""

from __future__ import annotations

from .core import EvidenceService
from .formats import (
    DESCRIBE_FORMATS,
    DESCRIBE_KINDS,
    EXPORT_FORMATS,
    acceptable,
    entry_format,
    negotiate,
)
from .literature import LITERATURE_GRAPH, RESERVED_SOURCE_IDS, dump_literature, read_store_sources
from .process import freeze_loaded_heap, limit_heap_arenas, thaw_heap
from .writes import WriteResult

__all__ = [
    "DESCRIBE_FORMATS",
    "DESCRIBE_KINDS",
    "EXPORT_FORMATS",
    "LITERATURE_GRAPH",
    "RESERVED_SOURCE_IDS",
    "EvidenceService",
    "WriteResult",
    "acceptable",
    "dump_literature",
    "entry_format",
    "freeze_loaded_heap",
    "limit_heap_arenas",
    "negotiate",
    "read_store_sources",
    "thaw_heap",
]
