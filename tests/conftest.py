"""Shared fixtures. Each group of fixtures sits in its own section, owned by the part it serves."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:
    # pytest runs with --import-mode=importlib, which does not put tests/ on sys.path.
    sys.path.insert(0, str(TESTS_DIR))

from bench_scripts import load_bench  # noqa: E402

StoreProcess = load_bench("processes").StoreProcess
VirtuosoProcess = load_bench("virtuoso").VirtuosoProcess
#: the store server's own query time limit in tests: runaway queries stop soon after the
#: client gave up on them
STORE_QUERY_TIMEOUT_S = 5.0


# ---- store servers (bench/processes.py) ---------------------------------------------------
@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreProcess]:
    """One real ``oxigraph serve`` for the whole session (``.query_url``, ``.update_url``).

    The data persists between tests that use it: start from a known state, e.g. with
    ``SparqlStore(...).replace_all("")``.
    """
    server = StoreProcess(
        tmp_path_factory.mktemp("oxigraph-serve") / "data", query_timeout_s=STORE_QUERY_TIMEOUT_S
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoProcess]:
    """One real Virtuoso 7 (``virtuoso-t`` of the Debian package) for the whole session.

    ``.query_url``, ``.update_url`` (``/sparql-auth``) and ``.auth`` (digest login). Skipped
    only where the binary is not installed. The data persists between tests that use it:
    start from a known state, e.g. with ``VirtuosoStore(...).replace_all("")``.
    """
    if not VirtuosoProcess.available():
        pytest.skip(
            "virtuoso-t is not installed (Debian package virtuoso-opensource); "
            "make test installs it when run as root"
        )
    server = VirtuosoProcess(
        tmp_path_factory.mktemp("virtuoso") / "db", query_timeout_s=STORE_QUERY_TIMEOUT_S
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def start_oxigraph_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[], StoreProcess]]:
    """Factory for extra servers a test may stop or kill itself; all are stopped afterwards."""
    servers: list[StoreProcess] = []

    def start() -> StoreProcess:
        server = StoreProcess(
            tmp_path_factory.mktemp("oxigraph-extra") / "data",
            query_timeout_s=STORE_QUERY_TIMEOUT_S,
        )
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


# --- viewer -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_index():
    """The read model over the small fixture corpus in ``tests/data/api`` (not the shipped one)."""
    from pathlib import Path

    from triggergraph.loader import load_literature
    from triggergraph.readmodel import EvidenceIndex
    from triggergraph.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    folder = Path(__file__).resolve().parent / "data" / "api"
    return EvidenceIndex.build(load_literature(folder, vocabulary), vocabulary)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give each schemathesis operation its own node id, so xdist can tell the items apart.

    schemathesis gives every operation's item the test function's node id (the operation is
    only in ``operation_label``); xdist matches items by node id and would run one of them.
    pytest 9 keeps the id in ``_id``, built from the parent and the item name.
    """
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and not item.nodeid.endswith("]"):
            item._id = item.parent.id.child(item.name)


# --- a small evidence base for the read model and the answers -------------------------------

#: a construct of ontology/constructs.ttl that maps (SKOS) to the discrimination trigger
CONSTRUCT = "perceived_discrimination"
DISCRIMINATION = "direct_discrimination_racism_exclusion"


def _finding(fid, factor, direction, certainty, drivers=(), demographics=(), stages=()):
    return {
        "id": fid,
        "factor": factor,
        "drivers": [{"driver": d, "basis": b} for d, b in drivers],
        "demographics": list(demographics),
        "direction": direction,
        "certainty": certainty,
        "certainty_reasons": ["set by the test"],
        "outcome_stages": list(stages),
        "locator": "p. 1",
    }


def _source(vocab, sid, author, findings, overlaps=()):
    from datetime import date

    from triggergraph.models import Source

    data = {
        "id": sid,
        "type": "journal_article",
        "authors": [author, "Roe, R."],
        "year": 2021,
        "title": f"Study {sid}",
        "venue": "Journal of Tests 1(1), 1-10",
        "doi": f"10.1234/{sid}",
        "added_by": "tests",
        "added_on": date(2026, 1, 1),
        "overlaps_with": list(overlaps),
        "findings": findings,
    }
    return Source.model_validate(data, context={"vocabulary": vocab})


@pytest.fixture(scope="module")
def small_vocab():
    from triggergraph.config import Settings
    from triggergraph.vocabulary import build_vocabulary, read_ontology_graph

    settings = Settings(base_iri="http://127.0.0.1:8000/")
    vocabulary = build_vocabulary(
        read_ontology_graph(settings.ontology_dir, settings.base_iri), settings.base_iri
    )
    assert (DISCRIMINATION, False) in vocabulary.triggers_for(CONSTRUCT)
    return vocabulary


@pytest.fixture(scope="module")
def small_index(small_vocab):
    """Five sources, six findings: overlapping meta-analyses, a construct, a contested cell."""
    from triggergraph.readmodel import EvidenceIndex

    vocab = small_vocab
    justice = [("justice_seeker", "stated")]
    sources = [
        _source(
            vocab,
            "meta1",
            "Doe, J.",
            [
                _finding("f1", "detention", "increases", "A", justice, ["sex_male"], ["behaviour"]),
            ],
        ),
        _source(
            vocab,
            "meta2",
            "Poe, E.",
            [_finding("f2", "detention", "increases", "B", justice)],
            overlaps=["meta1"],
        ),
        _source(
            vocab,
            "survey3",
            "Lee, K.",
            [
                _finding(
                    "f3",
                    CONSTRUCT,
                    "increases",
                    "C",
                    [("identity_seeker", "proposed")],
                    ["age_under_18"],
                    ["attitude"],
                ),
            ],
        ),
        _source(
            vocab,
            "survey4",
            "Kim, S.",
            [_finding("f4", "marriage", "decreases", "C", demographics=["sex_male"])],
        ),
        _source(
            vocab,
            "survey5",
            "Ng, T.",
            [
                _finding("f5", "marriage", "increases", "B", demographics=["sex_male"]),
                _finding("f6", "training", "mixed", "D", [("meaning_seeker", "stated")]),
            ],
        ),
    ]
    return EvidenceIndex.build(sources, vocab, version="v-test")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser).

    One per test process: Playwright's sync API runs an event loop in this thread while it is
    open, so a second ``sync_playwright()`` in the same process would refuse to start.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def literature(tmp_path) -> Path:
    """A copy of the API test literature (``tests/data/api``) that a test may change."""
    folder = tmp_path / "literature"
    shutil.copytree(Path(__file__).resolve().parent / "data" / "api", folder)
    return folder
