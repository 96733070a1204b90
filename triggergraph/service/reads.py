"""What the service answers: the read answers (hot ones as bytes per data version) and exports."""

from __future__ import annotations

import csv
import io
import logging
import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from ..answers import (
    ConstructAnswer,
    ConstructsPage,
    DemographicsAnswer,
    DriverAnswer,
    DriversAnswer,
    FindingAnswer,
    FindingsPage,
    GapsAnswer,
    HealthAnswer,
    SourceAnswer,
    SourcesPage,
    builders,
)
from ..answers.queries import (
    ENGLISH,
    ConstructsQuery,
    FactorsQuery,
    FindingsQuery,
    LangQuery,
    MatrixQuery,
    ProfileQuery,
    SourcesQuery,
)
from ..exceptions import (
    EntryError,
    Problem,
    QueryTimeoutError,
    StoreError,
)
from ..query import run_query
from ..rdf import build_dataset, serialize_dataset
from ..sparql import QueryPool
from ..vocabulary import suggest
from .formats import EXPORT_FORMATS

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Source
    from ..readmodel import EvidenceIndex
    from ..store.base import Store
    from ..vocabulary import Vocabulary

LOG = logging.getLogger("triggergraph")

#: Bound on remembered hot answers per index, so odd filter combinations cannot grow memory.
MAX_HOT_ANSWERS = 2048


class Reads:
    """The reads of :class:`~triggergraph.service.EvidenceService`: every answer model, the hot
    ones as JSON bytes remembered per index, and exports (client SPARQL: :mod:`.client_sparql`).

    Each read first takes a fresh index (:meth:`ensure_fresh`, :meth:`current_index`, from
    the service's life cycle) and hands the route's typed query unchanged to one builder of
    :mod:`triggergraph.answers.builders`.
    """

    settings: Settings
    store: Store
    vocabulary: Vocabulary
    _hot: tuple[EvidenceIndex, dict[tuple, bytes]]
    _refresher: threading.Thread | None
    _index: EvidenceIndex
    _sources: dict[str, Source]
    _pool: QueryPool | None
    _pool_lock: threading.Lock

    if TYPE_CHECKING:

        def ensure_fresh(self) -> EvidenceIndex: ...

        def current_index(self) -> EvidenceIndex: ...

    # ---- reads ----------------------------------------------------------------------------
    def health(self, served_at: str | None = None) -> HealthAnswer:
        """Backend, base IRI, data version, counts, the stale flag and literature problems.

        Parameters
        ----------
        served_at : str, optional
            The address the request reached (``http://host:port/``). When the base IRI was
            left at its default and differs from it, the minted IRIs do not dereference on
            this server: ``base_iri_problem`` says so (and the log, once).
        """
        index = self.ensure_fresh()
        # counted once per data version: a health check polled many times a second must
        # not make the store count every finding each time
        counted_at, counts = self._store_counts
        if counted_at != index.version or not counts:
            counts = {}
            try:
                rows = run_query(self.store, "counts", timeout_s=self.settings.sparql_timeout_s)
                row = rows.rows[0] if rows.rows else {}
                counts = {k: int(v) for k, v in row.items() if v is not None}
                self._store_counts = (index.version, counts)
            except QueryTimeoutError:
                pass  # the store answers but is busy: health stays up, without counts this time
            except StoreError as error:
                self._stale, self._store_error = True, str(error)
        problems = self._literature_problems + list(self._read_problems.values())
        base = self.settings.base_iri
        base_problem = None
        if served_at and self.settings.base_iri_is_default and served_at.rstrip("/") + "/" != base:
            base_problem = (
                f"the IRIs are minted under the default base {base}, but this server answers at "
                f"{served_at}; set TRIGGERGRAPH_BASE_IRI to the address clients use"
            )
            if not self._base_warned:
                self._base_warned = True
                LOG.warning(base_problem)
        return HealthAnswer(
            status="degraded" if (self._stale or problems) else "ok",
            backend=self.store.backend,
            base_iri=base,
            base_iri_problem=base_problem,
            version=self._version,
            stale=self._stale,
            store_error=self._store_error,
            index=builders.build_index_health(index),
            store_counts=counts,
            sources_from_literature=len(self._literature_ids & set(self._sources)),
            sources_added=len(set(self._sources) - self._literature_ids),
            literature_problems=[p.as_dict() for p in problems],
        )

    # ---- hot answers: pre-serialised JSON bytes ---------------------------------------------
    def cached_answer(self, kind: str, query: Hashable) -> bytes | None:
        """A hot answer already serialised for the current index, or None.

        Lets an ``async`` route answer without a worker-thread hop: on None it calls the
        ``*_json`` method (``factors``, ``factor``, ``matrix``, ``profile``) in a worker
        thread, which computes, remembers and returns the bytes. Always None while no
        refresher runs, because reads must then check freshness first.

        Parameters
        ----------
        kind : str
            ``factors``, ``factor``, ``matrix`` or ``profile``.
        query : hashable
            The route's typed query (a frozen :mod:`~triggergraph.answers.queries` object);
            for ``factor`` the pair ``(factor id, LangQuery)``.
        """
        if self._refresher is None:
            return None
        index, answers = self._hot
        if index is not self._index:
            return None
        return answers.get((kind, query))

    def _hot_answer(
        self,
        kind: str,
        query: Hashable,
        make: Callable[[EvidenceIndex], bytes],
        index: EvidenceIndex | None = None,
    ) -> bytes:
        """The answer for the current index (or ``index``, a warmer's): remembered bytes, or
        ``make(index)`` remembered while ``index`` is the current one."""
        index = index or self.current_index()
        key = (kind, query)
        hot_index, answers = self._hot
        if hot_index is index:
            found = answers.get(key)
            if found is not None:
                return found
        body = make(index)
        if hot_index is index and len(answers) < MAX_HOT_ANSWERS:
            answers[key] = body
        return body

    def factors_json(self, query: FactorsQuery) -> bytes:
        """Paged trigger factors as JSON bytes (:func:`~triggergraph.answers.builders.build_factors`)."""
        return self._hot_answer("factors", query, lambda index: builders.factors_json(index, query))

    def factor_json(self, ident: str, query: LangQuery) -> bytes:
        """One factor as JSON bytes."""
        return self._hot_answer(
            "factor", (ident, query), lambda index: builders.factor_json(index, ident, query)
        )

    def page(
        self, build: Callable[..., Any], lang: str, params: dict[str, str], **kwargs: Any
    ) -> Any:
        """A human page's view model, built once per index (data version), language and
        parameters.

        Parameters
        ----------
        build : callable
            A page builder of the viewer, ``build(index, lang=, params=, **kwargs)``.
        lang, params, kwargs
            Passed on unchanged; together with ``build`` they are the key of the page.

        Returns
        -------
        object
            What ``build`` returns; a bad parameter raises as ``build`` does and is not
            remembered.
        """
        key = (lang, tuple(sorted(params.items())), tuple(sorted(kwargs.items())))
        return self._hot_answer(
            f"page:{build.__name__}",
            key,
            lambda index: build(index, lang=lang, params=params, **kwargs),
        )

    def constructs(self, query: ConstructsQuery) -> ConstructsPage:
        """Constructs with labels, definitions and mappings, searched in Dutch and English."""
        return builders.build_constructs(self.vocabulary, query)

    def construct(self, ident: str, query: LangQuery = ENGLISH) -> ConstructAnswer:
        """One construct with its mappings and the findings coded on it."""
        return builders.build_construct(self.ensure_fresh(), ident, query)

    def drivers(self, query: LangQuery = ENGLISH) -> DriversAnswer:
        """The four drivers, all in one page (``total`` = number of items)."""
        return builders.build_drivers(self.ensure_fresh(), query)

    def driver(self, ident: str, query: LangQuery = ENGLISH) -> DriverAnswer:
        """One driver with its factors ranked."""
        return builders.build_driver(self.ensure_fresh(), ident, query)

    def demographics(self, query: LangQuery = ENGLISH) -> DemographicsAnswer:
        """Demographic dimensions and their values, all in one page (``total`` = dimensions)."""
        return builders.build_demographics(self.ensure_fresh(), query)

    def findings(self, query: FindingsQuery) -> FindingsPage:
        """Paged findings (:func:`~triggergraph.answers.builders.build_findings`)."""
        return builders.build_findings(self.ensure_fresh(), query)

    def finding(self, ident: str, query: LangQuery = ENGLISH) -> FindingAnswer:
        """One finding."""
        return builders.build_finding(self.ensure_fresh(), ident, query)

    def sources(self, query: SourcesQuery) -> SourcesPage:
        """Paged sources."""
        return builders.build_sources(self.ensure_fresh(), query)

    def source(self, ident: str) -> SourceAnswer:
        """One source."""
        return builders.build_source(self.ensure_fresh(), ident)

    def matrix_json(self, query: MatrixQuery) -> bytes:
        """The evidence matrix as JSON bytes, computed once per index and filter set.

        Each cell lists its counted findings as ``{id, direct}`` only
        (:class:`~triggergraph.answers.MatrixCell`).
        """
        return self._hot_answer("matrix", query, lambda index: builders.matrix_json(index, query))

    def gaps(self, query: LangQuery = ENGLISH) -> GapsAnswer:
        """Empty, indirect-only and contested cells."""
        return builders.build_gaps(self.ensure_fresh(), query)

    def profile_json(self, query: ProfileQuery) -> bytes:
        """Factors ranked for a profile, with the notice, as JSON bytes."""
        return self._hot_answer("profile", query, lambda index: builders.profile_json(index, query))

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
