"""Warming: answers made for each new data version on a thread, before anyone asks for them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..readmodel import EvidenceIndex

LOG = logging.getLogger("triggergraph")
#: Seconds a warmer waits at most for a quiet moment before it runs anyway.
MAX_WARM_WAIT_S = 10.0


class Activity:
    """Requests in flight (the app's middleware tells), so warming can wait for a lull.

    Answers are made ahead on a thread, but that thread shares the interpreter lock with the
    request threads: at 100k findings the first matrix after a start took 2.6 s instead of
    0.4 s while the factor lists were being made beside it.

    Examples
    --------
    >>> activity = Activity()
    >>> activity.begin(); activity.wait_quiet(0.0, 0.05)
    False
    >>> activity.end(); activity.wait_quiet(0.0, 0.05)
    True
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._in_flight = 0
        self._last = time.monotonic()

    def begin(self) -> None:
        """A request started."""
        with self._changed:
            self._in_flight += 1

    def end(self) -> None:
        """A request ended."""
        with self._changed:
            self._in_flight -= 1
            self._last = time.monotonic()
            self._changed.notify_all()

    def touch(self) -> None:
        """Count the quiet time from now (a new data version was just installed)."""
        with self._changed:
            self._last = time.monotonic()

    def wait_quiet(self, quiet_s: float, max_wait_s: float) -> bool:
        """Wait until no request has been in flight for ``quiet_s`` seconds; False when
        ``max_wait_s`` passed first."""
        deadline = time.monotonic() + max_wait_s
        with self._changed:
            while True:
                now = time.monotonic()
                if self._in_flight == 0 and now - self._last >= quiet_s:
                    return True
                if now >= deadline:
                    return False
                until_quiet = quiet_s - (now - self._last) if self._in_flight == 0 else quiet_s
                self._changed.wait(min(max(until_quiet, 0.005), deadline - now))


class Warming:
    """What :class:`~triggergraph.service.EvidenceService` does for each new index off the
    request path: it runs the registered warmers (the app registers its map pages)."""

    _index: EvidenceIndex
    _warmers: list[Callable[[EvidenceIndex], None]]
    _hot_answer: Callable[..., Any]
    activity: Activity
    settings: Any

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
        self.activity.touch()
        thread = threading.Thread(
            target=self._warm, args=(index,), name="triggergraph-warm", daemon=True
        )
        thread.start()
        return thread

    def _warm(self, index: EvidenceIndex) -> None:
        for warm in list(self._warmers):
            # each warmer waits for a lull in the requests (or runs after MAX_WARM_WAIT_S)
            self.activity.wait_quiet(self.settings.warm_after_quiet_s, MAX_WARM_WAIT_S)
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
