"""Process memory helpers: the arena limit, heap trimming and the frozen start-up heap."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the helpers act on glibc's allocator only"
)

ARENAS_SCRIPT = """
import ctypes, sys, threading
from triggergraph.service.process import limit_heap_arenas
if sys.argv[1] == "limit":
    assert limit_heap_arenas(2)
held = []
# every thread allocates while all eight are alive: a thread that ended hands its heap to the
# next, so threads that happen to run one after another (a busy machine) would share one
together = threading.Barrier(8)
def work():
    first = [bytearray(4096) for _ in range(200)]
    together.wait()
    held.append(first + [bytearray(4096) for _ in range(1800)])
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
ctypes.CDLL(None).malloc_stats()  # one "Arena N:" block per heap, on stderr
"""

TRIM_SCRIPT = """
from triggergraph.service.process import trim_heap
def rss_kib():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmRSS"))
blocks = [bytearray(3000) for _ in range(60_000)]   # ~180 MB through malloc
kept = blocks[::50]                                  # every 50th stays: the heap cannot shrink from its top
del blocks
before = rss_kib()
trim_heap()
print(before, rss_kib())
"""


def run_script(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def arenas_used(mode: str) -> int:
    return run_script(ARENAS_SCRIPT, mode).stderr.count("Arena ")


def test_limit_heap_arenas_keeps_threads_to_two_heaps():
    assert arenas_used("default") > 2  # glibc gives busy threads heaps of their own
    assert arenas_used("limit") <= 2


def test_trim_heap_returns_scattered_free_pages():
    before, after = map(int, run_script(TRIM_SCRIPT).stdout.split())
    # about 176 of 180 MB are free but scattered between kept blocks; a trim returns them
    assert before - after > 100_000, (before, after)


def test_freeze_and_thaw_move_objects_out_of_and_back_into_the_collector():
    import gc

    from triggergraph.service.process import freeze_loaded_heap, thaw_heap

    try:
        freeze_loaded_heap()
        assert gc.get_freeze_count() > 0
    finally:
        thaw_heap()
    assert gc.get_freeze_count() == 0
