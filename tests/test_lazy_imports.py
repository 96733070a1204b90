"""The API starts and answers its first matrix without importing what only some routes need."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LITERATURE = REPO / "tests" / "data" / "api"

#: loaded on first use: the remote stores' HTTP client, rdflib's SPARQL grammar, the viewer
#: with its templates and catalogues, and the folder watch (started by the first refresh)
HEAVY = (
    "httpx",
    "pyparsing",
    "rdflib.plugins.sparql.parser",
    "jinja2",
    "babel",
    "triggergraph.viewer",
    "watchfiles",
)

#: imports the app, starts it (lifespan) and asks for the matrix over ASGI, noting after each
#: step which of the modules named in argv were loaded
SCRIPT = """
import asyncio, json, sys

heavy = sys.argv[1:]
loaded = lambda: sorted(m for m in heavy if m in sys.modules)
import api.main

report = {"after_import": loaded()}
app = api.main.app


async def first_matrix():
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": "/api/v1/matrix", "raw_path": b"/api/v1/matrix",
        "query_string": b"", "root_path": "", "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {}, "app": app,
    }
    async with app.router.lifespan_context(app):
        await app(scope, receive, send)
        report["status"] = sent[0]["status"]
        report["after_first_matrix"] = loaded()


asyncio.run(first_matrix())
print(json.dumps(report))
"""


def test_app_start_and_first_matrix_load_no_heavy_module(tmp_path):
    literature = tmp_path / "literature"
    shutil.copytree(LITERATURE, literature)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TRIGGERGRAPH_STORE": "oxigraph",
        "TRIGGERGRAPH_STORE_PATH": str(tmp_path / "store"),
        "TRIGGERGRAPH_LITERATURE_DIR": str(literature),
        # no refresh round (it starts the watch) and no warming (it renders the map) before
        # the modules are looked at
        "TRIGGERGRAPH_VERSION_CHECK_INTERVAL_S": "3600",
        "TRIGGERGRAPH_WARM_AFTER_QUIET_S": "60",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *HEAVY],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["after_import"] == []
    assert report["status"] == 200
    assert report["after_first_matrix"] == []
