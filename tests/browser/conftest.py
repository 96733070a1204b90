"""Browser fixtures: a real uvicorn process serving the app, and headless Debian Chromium."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

BROWSER_TESTS = Path(__file__).resolve().parent
if str(BROWSER_TESTS) not in sys.path:
    # --import-mode=importlib does not put this folder on sys.path; the tests import the payloads
    sys.path.insert(0, str(BROWSER_TESTS))

from bench_scripts import load_bench  # noqa: E402
from browser_payloads import XSS_SOURCE_ID, build_xss_entry  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


#: the server process of tests and benchmarks alike (bench/processes.py)
ApiProcess = load_bench("processes").ApiProcess
#: seconds a page server may take to answer ``/health``
PAGE_SERVER_START_S = 60.0


def page_server_process(literature: Path, log: Path) -> ApiProcess:
    """``api.main:app`` under uvicorn on 127.0.0.1 with the memory store."""
    return ApiProcess(
        {
            "TRIGGERGRAPH_STORE": "memory",
            "TRIGGERGRAPH_LITERATURE_DIR": str(literature),
            "TRIGGERGRAPH_BASE_IRI": "http://127.0.0.1:8000/",
        },
        log,
    )


@pytest.fixture(scope="session")
def browser_literature(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped literature plus one entry full of XSS payloads."""
    folder = tmp_path_factory.mktemp("browser-literature")
    for path in sorted((REPO / "literature").glob("*.yaml")):
        shutil.copy(path, folder / path.name)
    (folder / f"{XSS_SOURCE_ID}.yaml").write_text(
        yaml.safe_dump(build_xss_entry(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="session")
def page_server(
    browser_literature: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiProcess]:
    """One real server for the browser tests of the session; stopped at the end."""
    server = page_server_process(
        browser_literature, tmp_path_factory.mktemp("browser-logs") / "server.log"
    )
    server.start(PAGE_SERVER_START_S)
    try:
        yield server
    finally:
        server.stop()


class PageWatch:
    """A fresh page that records console errors, page errors, dialogs and off-host requests."""

    def __init__(self, context, allowed_hosts: tuple[str, ...] = ("127.0.0.1",)):
        self.context = context
        self.page = context.new_page()
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)
        self.allowed_hosts = allowed_hosts

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request) -> None:
        url = request.url
        self.requests.append(url)
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about", "file"):
            return
        if parsed.hostname not in self.allowed_hosts:
            self.foreign.append(url)

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.page_errors == [], f"page errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.foreign == [], f"requests left 127.0.0.1: {self.foreign}"


@pytest.fixture
def watch(chromium) -> Iterator[PageWatch]:
    """A new browser context (fresh profile state) per test, 1280×900."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield PageWatch(context)
    finally:
        context.close()


#: the write token of the curation server
CURATE_TOKEN = "curate-test-token-0123456789"


def curate_server_process(literature: Path, log: Path) -> ApiProcess:
    """``api.main:app`` with a write token, on a copy of the API test fixtures (memory store)."""
    return ApiProcess(
        {
            "TRIGGERGRAPH_STORE": "memory",
            "TRIGGERGRAPH_LITERATURE_DIR": str(literature),
            "TRIGGERGRAPH_BASE_IRI": "http://127.0.0.1:8000/",
            "TRIGGERGRAPH_API_TOKEN": CURATE_TOKEN,
        },
        log,
    )


@pytest.fixture
def curate_server(tmp_path: Path) -> Iterator[ApiProcess]:
    """A fresh server per test, so what one test submits never meets another."""
    literature = tmp_path / "literature"
    shutil.copytree(REPO / "tests" / "data" / "api", literature)
    server = curate_server_process(literature, tmp_path / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
