"""Oxigraph's bulk load in batches: the same dataset as one load, and no matching hash after a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from triggergraph.exceptions import StoreError
from triggergraph.store import OxigraphStore

BASE = "http://127.0.0.1:8000/"
DCT_ID = "http://purl.org/dc/terms/identifier"


def dataset(graphs: int = 40) -> str:
    """N-Quads of ``graphs`` source graphs, a few quads each."""
    lines = []
    for number in range(graphs):
        graph, finding = f"<{BASE}graph/s{number}>", f"<{BASE}finding/t{number}>"
        lines.append(f'{finding} <{DCT_ID}> "t{number}" {graph} .\n')
        lines.append(f'{finding} <{BASE}p> "a line long enough to fill a batch" {graph} .\n')
    return "".join(lines)


def lines_of(text: str) -> set[str]:
    return {line for line in text.splitlines() if line.strip()}


class CountingStore:
    """A pyoxigraph store that counts bulk loads and fails the ``fail_at``-th (a crash)."""

    def __init__(self, store, fail_at: int | None = None):
        self.inner, self.fail_at, self.loads = store, fail_at, 0

    def bulk_load(self, *args, **kwargs):
        self.loads += 1
        if self.loads == self.fail_at:
            raise OSError("the process died here")
        return self.inner.bulk_load(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __iter__(self):
        return iter(self.inner)

    def __contains__(self, quad):
        return quad in self.inner


@pytest.fixture
def store(tmp_path: Path):
    opened = OxigraphStore(tmp_path / "batched", BASE)
    opened.bulk_batch_bytes = 300  # a handful of lines per batch
    yield opened
    if isinstance(opened._store, CountingStore):
        opened._store = opened._store.inner
    opened.close()


def counting(store: OxigraphStore, fail_at: int | None = None) -> CountingStore:
    store._store = CountingStore(store._store, fail_at)
    return store._store


def test_batched_load_gives_the_dataset_of_one_load(store, tmp_path):
    whole = OxigraphStore(tmp_path / "whole", BASE)
    try:
        text = dataset()
        whole.replace_all(text, content_hash="h")
        calls = counting(store)
        half = len(text) // 3  # a piece that ends inside a line
        store.replace_all_chunks([text[:half], text[half:]], "h")
        assert calls.loads > 5
        store._store = calls.inner
        assert lines_of(store.dump_nquads()) == lines_of(whole.dump_nquads()) == lines_of(text)
        assert store.graph_versions()[1].keys() == whole.graph_versions()[1].keys()
        assert store.content_hash() == "h"
    finally:
        whole.close()


def test_text_with_blank_nodes_is_loaded_at_once(store):
    calls = counting(store)
    text = dataset() + f'_:b1 <{DCT_ID}> "x" <{BASE}graph/s1> .\n'
    text += f'_:b1 <{BASE}p> "same node" <{BASE}graph/s2> .\n'
    store.replace_all(text, "h")
    assert calls.loads == 1
    store._store = calls.inner
    subjects = {line.split(" ")[0] for line in lines_of(store.dump_nquads()) if "_:" in line}
    assert len(subjects) == 1  # one label, one node, across graphs


def test_blank_node_label_split_between_two_pieces_is_seen(store):
    calls = counting(store)
    text = dataset() + f'_:b1 <{DCT_ID}> "x" <{BASE}graph/s1> .\n'
    text += f'_:b1 <{BASE}p> "same node" <{BASE}graph/s2> .\n'
    # every label cut after its "_": no piece holds "_:" whole
    first = text.index("_:") + 1
    second = text.index("_:", first) + 1
    store.replace_all_chunks([text[:first], text[first:second], text[second:]], "h")
    assert calls.loads == 1


def test_crash_between_batches_leaves_no_hash_and_a_reload_completes(store):
    store.replace_all("", content_hash="h-empty")  # a hash, no data graph: a first fill next
    assert store.content_hash() == "h-empty"
    counting(store, fail_at=3)
    with pytest.raises(StoreError, match="the process died here"):
        store.replace_all(dataset(), content_hash="h-full")
    store._store = store._store.inner
    assert 0 < len(store.graph_names()) < 40  # half loaded ...
    assert store.content_hash() is None  # ... and never taken for the literature it lacks
    store.replace_all(dataset(), content_hash="h-full")
    assert lines_of(store.dump_nquads()) == lines_of(dataset())
    assert store.content_hash() == "h-full"


def test_crash_between_batches_over_data_leaves_no_hash(store):
    store.replace_all(dataset(10), content_hash="h1")
    counting(store, fail_at=2)
    with pytest.raises(StoreError):
        store.replace_all(dataset(), content_hash="h2")
    store._store = store._store.inner
    assert store.content_hash() is None
    assert lines_of(dataset(10)) <= lines_of(store.dump_nquads())  # nothing old lost
