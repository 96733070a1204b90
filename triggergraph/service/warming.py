"""Warming: answers made for each new data version on a thread, before anyone asks for them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..readmodel import EvidenceIndex

LOG = logging.getLogger("triggergraph")


class Warming:
    """What :class:`~triggergraph.service.EvidenceService` does for each new index off the
    request path: it runs the registered warmers (the app registers its map pages)."""

    _index: EvidenceIndex
    _warmers: list[Callable[[EvidenceIndex], None]]
    _hot_answer: Callable[..., Any]

    def warm_with(self, *warm: Callable[[EvidenceIndex], None]) -> threading.Thread | None:
        """Run each ``warm(index)`` in turn for the current index and every later one, on a
        daemon thread.

        A page builder can so make its answer for a new data version before anyone asks
        (:meth:`page` remembers it per index), and nobody's request pays for it. A failure is
        logged and leaves the request path to build the answer itself.

        Returns
        -------
        threading.Thread or None
            The thread warming the current index (tests and benchmarks may join it); None
            when no warmer is registered.
        """
        self._warmers.extend(warm)
        return self._start_warming(self._index)

    def _start_warming(self, index: EvidenceIndex) -> threading.Thread | None:
        if not self._warmers:
            return None
        thread = threading.Thread(
            target=self._warm, args=(index,), name="triggergraph-warm", daemon=True
        )
        thread.start()
        return thread

    def _warm(self, index: EvidenceIndex) -> None:
        for warm in list(self._warmers):
            if self._index is not index:
                return  # a newer index is being warmed by its own thread
            try:
                warm(index)
            except Exception:  # noqa: BLE001 - warming is an optimisation; requests still work
                LOG.exception("warming the answers of data version %s failed", index.version)

    def warm_page(
        self,
        index: EvidenceIndex,
        build: Callable[..., Any],
        lang: str,
        params: dict[str, str],
        **kwargs: Any,
    ) -> Any:
        """:meth:`page` over ``index`` (the one a warmer was given), never a store read."""
        key = (lang, tuple(sorted(params.items())), tuple(sorted(kwargs.items())))
        return self._hot_answer(
            f"page:{build.__name__}",
            key,
            lambda current: build(current, lang=lang, params=params, **kwargs),
            index=index,
        )
