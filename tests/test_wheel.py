"""The built wheel works outside the checkout: package data, ``triggergraph serve``, own literature."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest
from bench_scripts import load_bench

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "tests" / "data" / "good"
#: left out of the copy the wheel is built from: environments, outputs, caches
NOT_SOURCE = (".git", ".venv", "var", "dist", "build", "*.egg-info", "__pycache__", ".*_cache")

pytestmark = pytest.mark.server
bench_processes = load_bench("processes")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the checkout, with the wheel built from this tree installed; its bin/."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    # built from a copy so the checkout gets no build/ folder; links are kept as links
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    wheels = root / "wheels"
    # no build isolation and no dependencies: nothing is fetched, the test env's setuptools builds
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        wheels,
        source,
    )
    (wheel,) = wheels.glob("triggergraph-*.whl")
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel)
    # the dependencies come from the running environment: its site-packages as a plain path,
    # so none of its .pth files (an editable install of this checkout) take effect
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def _run(*command) -> str:
    # run outside the checkout: `python -c` puts the current folder first on sys.path
    done = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, env=_clean_env(), cwd="/"
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _clean_env(**settings: str) -> dict[str, str]:
    """The environment without this checkout on the path and without any TRIGGERGRAPH_ settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONPATH" and not k.startswith("TRIGGERGRAPH_")
    }
    return {**env, **settings}


def _serve(bin_dir: Path, cwd: Path, **settings: str):
    """Start ``triggergraph serve`` in ``cwd``; return the process and its base URL once it answers."""
    port = bench_processes.free_port()
    log = (cwd.parent / f"{cwd.name}.log").open("wb")
    process = subprocess.Popen(
        [str(bin_dir / "triggergraph"), "serve", "--port", str(port)],
        cwd=cwd,
        env=_clean_env(**settings),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, (cwd.parent / f"{cwd.name}.log").read_text()
        try:
            if httpx.get(url + "/health", timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    bench_processes.stop_process(process)
    raise AssertionError(f"triggergraph serve did not answer in {cwd}")


def test_wheel_carries_ontology_and_literature_as_package_data(installed):
    site = Path(
        _run(
            installed / "python",
            "-c",
            "import triggergraph.config as c; print(c.BUNDLED_ONTOLOGY.parent)",
        )
    )
    data = Path(str(site).strip())
    assert str(data).startswith(str(installed.parent)), "imported from the checkout, not the wheel"
    names = {path.name for path in (data / "ontology").iterdir()}
    assert {"triggergraph.ttl", "constructs.ttl", "shapes.ttl", "context.jsonld"} <= names
    assert sorted(p.name for p in (data / "literature").glob("*.yaml")) == sorted(
        p.name for p in (REPO / "literature").glob("*.yaml")
    )


def test_wheel_serves_bundled_evidence_from_an_empty_folder(installed, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    process, url = _serve(installed, empty)
    try:
        matrix = httpx.get(url + "/api/v1/matrix", timeout=30)
        sources = httpx.get(url + "/api/v1/sources", params={"limit": 500}, timeout=30)
    finally:
        bench_processes.stop_process(process)
    assert matrix.status_code == 200
    assert sources.status_code == 200
    served = {source["id"] for source in sources.json()["items"]}
    shipped = {path.stem for path in (REPO / "literature").glob("*.yaml")}
    assert served and served <= shipped
    # the default embedded store lives in the folder it was started in, not in site-packages
    assert (empty / "var" / "store").is_dir()


def test_wheel_serves_the_researchers_own_literature_folder(installed, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    process, url = _serve(
        installed, empty, TRIGGERGRAPH_LITERATURE_DIR=str(GOOD), TRIGGERGRAPH_STORE="memory"
    )
    try:
        sources = httpx.get(url + "/api/v1/sources", params={"limit": 500}, timeout=30)
        matrix = httpx.get(url + "/api/v1/matrix", timeout=30)
    finally:
        bench_processes.stop_process(process)
    assert matrix.status_code == 200
    served = {source["id"] for source in sources.json()["items"]}
    assert served == {path.stem for path in GOOD.glob("*.yaml")}
