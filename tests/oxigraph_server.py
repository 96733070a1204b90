"""Start and stop a real ``oxigraph serve`` on 127.0.0.1 for tests (bench/load.py's store process)."""

from __future__ import annotations

from pathlib import Path

from bench_scripts import load_bench

_load = load_bench("load")
free_port = _load.free_port


class OxigraphServer(_load.StoreProcess):
    """One ``oxigraph serve`` with its data folder; its log sits next to the folder.

    ``timeout_s`` is the server's own query time limit (``--timeout-s``), short in tests so
    runaway queries stop on the server soon after the client gave up on them.
    """

    def __init__(self, location: Path, port: int | None = None, timeout_s: float = 5.0):
        location = Path(location)
        log_path = location.parent / f"{location.name}-oxigraph.log"
        super().__init__(location, log_path, port, query_timeout_s=timeout_s)
