"""Changes in the literature folder, noticed by file-system notifications instead of a scan."""

from __future__ import annotations

import threading
from pathlib import Path

#: seconds the notification thread may sleep before it looks at its stop flag
WAKE_S = 1.0


class FolderWatcher:
    """Tell whether a folder may have changed since the last look, without reading it.

    A daemon thread follows the folder with ``watchfiles`` (inotify on Linux; it comes with
    ``uvicorn[standard]``). Until the watch is known to be in place, after it failed, or
    without ``watchfiles``, :meth:`may_have_changed` always says True, so the caller falls back
    to its own scan: a missed notification can delay a reload, never lose it for good.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     FolderWatcher(Path(folder)).may_have_changed()
    True
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._changed = threading.Event()
        self._changed.set()
        self._watching = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def watching(self) -> bool:
        """True while notifications are known to arrive."""
        return self._watching.is_set()

    def start(self) -> bool:
        """Start following the folder; False when notifications are not available here."""
        try:
            import watchfiles
        except ImportError:
            return False
        if not self.directory.is_dir():
            return False
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._follow, args=(watchfiles,), name="triggergraph-watch", daemon=True
        )
        self._thread.start()
        return True

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop following; :meth:`may_have_changed` says True from now on."""
        self._stop.set()
        self._watching.clear()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)

    def may_have_changed(self) -> bool:
        """True when the folder may differ from the last :meth:`take_change` (or is unwatched)."""
        return not self._watching.is_set() or self._changed.is_set()

    def take_change(self) -> None:
        """Note that the caller now reads the folder: later changes raise the flag again.

        Before the watch is in place nothing is cleared, so the first look after it is a scan.
        """
        if self._watching.is_set():
            self._changed.clear()

    def recheck(self) -> None:
        """Ask for another look at the next round (the last one could not read the folder)."""
        self._changed.set()

    def _follow(self, watchfiles) -> None:
        try:
            # every change counts (no default filter): an editor's temporary file that is
            # renamed onto an entry is a change of that entry
            for changes in watchfiles.watch(
                self.directory,
                watch_filter=None,
                debounce=int(WAKE_S * 1000),
                step=20,
                stop_event=self._stop,
                rust_timeout=int(WAKE_S * 1000),
                yield_on_timeout=True,
                recursive=False,
                raise_interrupt=False,
            ):
                # the first yield (a change or, as an empty set, a timeout) proves the watch
                # is in place
                if changes:
                    self._changed.set()
                self._watching.set()
        except Exception:  # noqa: BLE001 - any failure means: scan again, as without a watch
            pass
        finally:
            self._watching.clear()
            self._changed.set()
