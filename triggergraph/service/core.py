"""EvidenceService: the store and the in-memory index kept in step, reads, writes and polling."""

from __future__ import annotations

import csv
import io
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import (
    EntryError,
    Problem,
    QueryError,
    StoreError,
    TriggergraphError,
)
from ..index import EvidenceIndex
from ..loader import literature_hash, load_literature
from ..query import run_query
from ..rdf import build_dataset, serialize_dataset
from ..shapes import validate_sources
from ..store import check_read_only, open_store
from ..store.base import GRAPH_FORMATS, SELECT_FORMATS
from ..vocabulary import load_vocabulary, suggest
from .formats import EXPORT_FORMATS, negotiate
from .linked_data import LinkedData
from .literature import (
    duplicate_findings,
    literature_ids,
    literature_nquads,
    read_store_sources,
)
from .writes import SourceWrites

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Source
    from ..store.base import Store
    from ..vocabulary import Vocabulary


class EvidenceService(LinkedData, SourceWrites):
    """The store plus the read index, kept in step; what ``api/`` and the CLI call.

    Build with :meth:`open`. Reads answer from the in-memory :class:`EvidenceIndex` and first
    call :meth:`ensure_fresh`; writes validate, write one named graph atomically, and rebuild
    the index.
    """

    def __init__(self, settings: Settings, store: Store, vocabulary: Vocabulary):
        self.settings = settings
        self.store = store
        self.vocabulary = vocabulary
        self._write_lock = threading.RLock()
        self._refresh_lock = threading.Lock()
        self._sources: dict[str, Source] = {}
        self._finding_owner: dict[str, str] = {}
        self._index: EvidenceIndex = EvidenceIndex.build([], vocabulary, "")
        self._version = ""
        self._stale = False
        self._store_error: str | None = None
        self._last_check = 0.0
        self._literature_problems: list[Problem] = []
        self._read_problems: list[Problem] = []
        self._seen_literature_hash: str | None = None
        self._literature_ids: set[str] = set()

    # ---- life cycle ------------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings) -> EvidenceService:
        """Open the store, load ``literature/`` when it is new or changed, and build the index.

        Parameters
        ----------
        settings : Settings
            Backend, paths, base IRI and limits.

        Returns
        -------
        EvidenceService
            Ready to answer; literature problems, if any, are in :meth:`health`.
        """
        vocabulary = load_vocabulary(settings.ontology_dir, settings.base_iri)
        store = open_store(settings)
        service = cls(settings, store, vocabulary)
        try:
            service.sync_literature()
            service.reload()
        except BaseException:
            store.close()
            raise
        return service

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    @property
    def index(self) -> EvidenceIndex:
        """The current read model (fresh as of the last :meth:`ensure_fresh`)."""
        return self._index

    @property
    def sources_by_id(self) -> dict[str, Source]:
        """The sources the index was built from, by id."""
        return dict(self._sources)

    # ---- literature -----------------------------------------------------------------------
    def sync_literature(self) -> bool:
        """Load ``literature/`` into the store when its hash differs from the store's.

        Returns
        -------
        bool
            True when the store was replaced.
        """
        directory = Path(self.settings.literature_dir)
        try:
            current = literature_hash(directory)
        except (OSError, TriggergraphError) as error:
            self._literature_problems = [
                Problem(str(directory), None, "", f"cannot read literature: {error}")
            ]
            return False
        if current == self._seen_literature_hash:
            return False
        with self._write_lock:
            stored_hash = self.store.content_hash()
            self._literature_ids = literature_ids(self.store)
            if current == stored_hash and self.store.graph_names():
                self._seen_literature_hash = current
                self._literature_problems = []
                return False
            try:
                literature = load_literature(directory, self.vocabulary)
                problems = validate_sources(literature, self.vocabulary)
                if problems:
                    raise EntryError(problems)
                stored, _ = read_store_sources(self.store, self.vocabulary)
                new_ids = {s.id for s in literature}
                kept = [
                    s
                    for ident, s in stored.items()
                    if ident not in new_ids and ident not in self._literature_ids
                ]
                problems = duplicate_findings(literature + kept)
                if problems:
                    raise EntryError(problems)
            except EntryError as error:
                self._literature_problems = list(error.problems)
                self._seen_literature_hash = current
                return False
            except OSError as error:
                # a file removed or rewritten while being read: try again at the next check
                self._literature_problems = [
                    Problem(str(directory), None, "", f"cannot read literature: {error}")
                ]
                return False
            everything = sorted(literature + kept, key=lambda s: s.id)
            nquads = serialize_dataset(build_dataset(everything, self.vocabulary), "nquads")
            if isinstance(nquads, bytes):
                nquads = nquads.decode("utf-8")
            bookkeeping = literature_nquads(self.store.base_iri, sorted(new_ids))
            self.store.replace_all(nquads + bookkeeping, content_hash=current)
            self._literature_ids = new_ids
            self._seen_literature_hash = current
            self._literature_problems = []
            return True

    # ---- index ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Rebuild the index from every source graph in the store."""
        with self._write_lock:
            version = self.store.version()
            sources, problems = read_store_sources(self.store, self.vocabulary)
            self._literature_ids = literature_ids(self.store)
            self._install(sources, version)
            self._read_problems = problems

    def _install(self, sources: dict[str, Source], version: str) -> None:
        index = EvidenceIndex.build(list(sources.values()), self.vocabulary, version)
        owner = {f.id: s.id for s in sources.values() for f in s.findings}
        # one reference swap each, so readers in other threads see either old or new
        self._sources, self._finding_owner, self._index, self._version = (
            sources,
            owner,
            index,
            version,
        )

    def ensure_fresh(self) -> EvidenceIndex:
        """Re-check literature and store version (at most once per interval); return the index.

        When the store cannot be reached the last index is returned and ``stale`` is set.
        """
        now = time.monotonic()
        if now - self._last_check < self.settings.version_check_interval_s:
            return self._index
        if not self._refresh_lock.acquire(blocking=False):
            return self._index  # another thread is refreshing; serve what we have
        try:
            self._last_check = now
            self.sync_literature()
            if self.store.version() != self._version:
                self.reload()
            self._stale, self._store_error = False, None
        except StoreError as error:
            self._stale, self._store_error = True, str(error)
        finally:
            self._refresh_lock.release()
        return self._index

    # ---- reads ----------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        """Backend, data version, counts, the stale flag and literature problems."""
        index = self.ensure_fresh()
        counts: dict[str, Any] = {}
        try:
            row = run_query(self.store, "counts", timeout_s=self.settings.sparql_timeout_s).rows
            counts = {k: int(v) for k, v in (row[0] if row else {}).items() if v is not None}
        except StoreError as error:
            self._stale, self._store_error = True, str(error)
        problems = self._literature_problems + self._read_problems
        return {
            "status": "degraded" if (self._stale or problems) else "ok",
            "backend": self.store.backend,
            "version": self._version,
            "stale": self._stale,
            "store_error": self._store_error,
            "index": index.health(),
            "store_counts": counts,
            "sources_from_literature": len(self._literature_ids & set(self._sources)),
            "sources_added": len(set(self._sources) - self._literature_ids),
            "literature_problems": [p.as_dict() for p in problems],
        }

    def factors_json(self, **filters: Any) -> bytes:
        """Paged trigger factors as JSON bytes (see :meth:`EvidenceIndex.factors`)."""
        return self.ensure_fresh().factors_json(**filters)

    def factor_json(self, ident: str, lang: str = "en") -> bytes:
        """One factor as JSON bytes."""
        return self.ensure_fresh().factor_json(ident, lang)

    def drivers(self, lang: str = "en") -> dict:
        """The four drivers, all in one page (``total`` = number of items)."""
        answer = self.ensure_fresh().drivers(lang)
        return {"total": len(answer.get("items", [])), **answer}

    def driver(self, ident: str, lang: str = "en") -> dict:
        """One driver with its factors ranked."""
        return self.ensure_fresh().driver(ident, lang)

    def demographics(self, lang: str = "en") -> dict:
        """Demographic dimensions and their values, all in one page (``total`` = dimensions)."""
        answer = self.ensure_fresh().demographics(lang)
        return {"total": len(answer.get("dimensions", [])), **answer}

    def findings(self, **filters: Any) -> dict:
        """Paged findings (see :meth:`EvidenceIndex.findings`)."""
        return self.ensure_fresh().findings(**filters)

    def finding(self, ident: str, lang: str = "en") -> dict:
        """One finding."""
        return self.ensure_fresh().finding(ident, lang)

    def sources(self, **filters: Any) -> dict:
        """Paged sources."""
        return self.ensure_fresh().sources(**filters)

    def source(self, ident: str) -> dict:
        """One source."""
        return self.ensure_fresh().source(ident)

    def matrix_json(self, **filters: Any) -> bytes:
        """The evidence matrix as JSON bytes; the cached answer when only cols/lang are given."""
        index = self.ensure_fresh()
        if set(filters) <= {"cols", "lang"}:
            return index.matrix_json(**filters)
        import orjson

        return orjson.dumps(index.matrix(**filters))

    def gaps(self, lang: str = "en") -> dict:
        """Empty, indirect-only and contested cells."""
        return self.ensure_fresh().gaps(lang)

    def profile_json(self, **filters: Any) -> bytes:
        """Factors ranked for a profile, with the notice, as JSON bytes."""
        return self.ensure_fresh().profile_json(**filters)

    def export(self, fmt: str) -> tuple[bytes, str, str]:
        """The whole evidence base as a file: ``(body, media type, file name)``.

        Parameters
        ----------
        fmt : str
            ``trig``, ``nquads``, ``turtle``, ``jsonld`` or ``csv`` (the findings table).
            ``graphml`` is written by :mod:`triggergraph.graph`, a layer above this one.
        """
        if fmt not in EXPORT_FORMATS or fmt == "graphml":
            choices = [f for f in EXPORT_FORMATS if f != "graphml"]
            raise EntryError(
                [
                    Problem(
                        None,
                        None,
                        "format",
                        f"{fmt!r} is not an export format; valid: {', '.join(choices)}",
                        tuple(suggest(fmt, choices)),
                    )
                ]
            )
        self.ensure_fresh()
        media_type, extension = EXPORT_FORMATS[fmt]
        if fmt == "csv":
            body = self._findings_csv()
        else:
            dataset = build_dataset(list(self._sources.values()), self.vocabulary)
            body = serialize_dataset(dataset, fmt)
            if isinstance(body, str):
                body = body.encode("utf-8")
        return body, media_type, f"triggergraph.{extension}"

    def _findings_csv(self) -> bytes:
        result = run_query(self.store, "findings_csv", timeout_s=self.settings.sparql_timeout_s)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if row.get(v) is None else row[v] for v in result.variables])
        return out.getvalue().encode("utf-8")

    # ---- SPARQL and Linked Data ---------------------------------------------------------
    def sparql(self, query: str, accept: str | None) -> tuple[bytes, str]:
        """Run a read-only SPARQL query and serialise it in the format ``accept`` prefers.

        Parameters
        ----------
        query : str
            SPARQL 1.1 query text (no updates, no SERVICE).
        accept : str or None
            The HTTP ``Accept`` header.

        Returns
        -------
        tuple of (bytes, str)
            Body and media type.

        Raises
        ------
        QueryError
            For a malformed, forbidden or failed query; ``QueryTimeoutError`` past the limits.
        """
        if not query or not query.strip():
            raise QueryError("empty query; pass the SPARQL text as 'query'")
        form = check_read_only(query).kind.upper()
        if form in ("CONSTRUCT", "DESCRIBE"):
            media_type = negotiate(accept, list(GRAPH_FORMATS), "text/turtle")
        else:
            offered = list(SELECT_FORMATS)
            if form == "ASK":
                offered = ["application/sparql-results+json", "application/sparql-results+xml"]
            media_type = negotiate(accept, offered, "application/sparql-results+json")
        try:
            return self.store.query_serialized(
                query, media_type, timeout_s=self.settings.sparql_timeout_s
            )
        except TriggergraphError:
            raise
        except Exception as error:
            # an engine bug on an odd but valid query is still the query failing, never a 500
            raise QueryError(f"the query failed: {type(error).__name__}: {error}") from error
