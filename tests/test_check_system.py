"""scripts/check_system.py: what make test and make soak need from the system, found, installed or named."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "check_system.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("check_system", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_system"] = module
    spec.loader.exec_module(module)
    return module


check_system = _load_script()


def _program(folder: Path, name: str, body: str = "exit 0") -> Path:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _fake_apt(folder: Path) -> Path:
    """An apt-get that logs its arguments and, on install, puts each package's program on PATH
    (virtuoso-opensource's program is virtuoso-t)."""
    log = folder / "apt.log"
    body = (
        f'echo "$@" >> {log}\n'
        'if [ "$1" = install ]; then\n'
        '  for arg in "$@"; do case $arg in -*|install) ;; *)\n'
        '    name=$arg; [ "$arg" = virtuoso-opensource ] && name=virtuoso-t\n'
        f'    printf "#!/bin/sh\\nexit 0\\n" > {folder}/$name; chmod 755 {folder}/$name;;\n'
        "  esac; done\n"
        "fi"
    )
    _program(folder, "apt-get", body)
    return log


def test_check_absent_chromium_without_apt_stops_with_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "chromium"],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert "chromium" in lines[0]
    assert "apt-get install -y chromium" in lines[0]


def test_check_present_chromium_passes_silently(tmp_path):
    _program(tmp_path, "chromium")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "chromium"],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_check_as_root_with_apt_installs_missing(tmp_path):
    log = _fake_apt(tmp_path)
    status = check_system.ensure(["chromium", "wrk"], is_root=True, path=str(tmp_path))
    assert status == 0
    calls = log.read_text().splitlines()
    assert calls[0].startswith("update")
    assert calls[1].split()[:4] == ["install", "-y", "chromium", "wrk"]
    assert len(calls) == 2


def test_check_not_root_never_runs_apt(tmp_path, capsys):
    log = _fake_apt(tmp_path)
    status = check_system.ensure(["wrk"], is_root=False, path=str(tmp_path))
    assert status == 1
    assert not log.exists()
    assert "sudo apt-get install -y wrk" in capsys.readouterr().err


def test_check_install_that_fails_still_names_the_package(tmp_path, capsys):
    _program(tmp_path, "apt-get", "exit 100")
    status = check_system.ensure(["chromium"], is_root=True, path=str(tmp_path))
    assert status == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [check_system.refusal([check_system.NEEDS["chromium"]])]


def test_check_unknown_need_is_refused():
    with pytest.raises(SystemExit, match="unknown system need 'firefox'"):
        check_system.missing_needs(["firefox"])


def test_check_virtuoso_is_the_debian_server_binary(tmp_path):
    need = check_system.NEEDS["virtuoso"]
    assert (need.command, need.package) == ("virtuoso-t", "virtuoso-opensource")
    _program(tmp_path, "virtuoso-opensource")  # a file named after the package is not enough
    assert check_system.missing_needs(["virtuoso"], path=str(tmp_path)) == [need]
    _program(tmp_path, "virtuoso-t")
    assert check_system.missing_needs(["virtuoso"], path=str(tmp_path)) == []


def test_check_as_root_with_apt_installs_virtuoso_with_chromium(tmp_path):
    log = _fake_apt(tmp_path)
    status = check_system.ensure(["chromium", "virtuoso"], is_root=True, path=str(tmp_path))
    assert status == 0
    calls = log.read_text().splitlines()
    assert calls[1].split()[:4] == ["install", "-y", "chromium", "virtuoso-opensource"]
    assert (tmp_path / "virtuoso-t").exists()


def test_check_absent_virtuoso_without_apt_names_package_and_command(tmp_path):
    _program(tmp_path, "chromium")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "chromium", "virtuoso"],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "missing system package virtuoso-opensource (for the Virtuoso store tests); "
        "install it with: sudo apt-get install -y virtuoso-opensource"
    ]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_stops_before_pytest_when_chromium_is_missing(tmp_path):
    # PATH holds nothing: no chromium, no apt-get; sh and python are called by absolute path
    done = subprocess.run(
        [
            shutil.which("make"),
            "-C",
            str(REPO),
            "test",
            f"PYTHON={sys.executable}",
            "VENV=" + str(tmp_path / "venv"),
        ],
        env={"PATH": str(tmp_path), "HOME": os.environ.get("HOME", "/")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "missing system packages chromium virtuoso-opensource" in done.stderr
    assert "apt-get install -y chromium virtuoso-opensource" in done.stderr
    assert not (tmp_path / "venv").exists()
    assert "pytest" not in done.stdout.replace("scripts/check_system.py", "")
