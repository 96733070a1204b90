#!/usr/bin/env python3
"""System needs of the make targets: find them, install them as root with apt, or stop with one line.

Runs with the system Python before any virtual environment exists, so it uses the standard
library only. Usage: ``python3 scripts/check_system.py chromium [virtuoso wrk ...]``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

APT = "apt-get"


@dataclass(frozen=True)
class Need:
    """One program a make target needs, with the Debian/Ubuntu package that provides it."""

    command: str
    package: str
    purpose: str


NEEDS = {
    "chromium": Need("chromium", "chromium", "the browser tests"),
    "wrk": Need("wrk", "wrk", "the load runs of make soak"),
    "virtuoso": Need("virtuoso-t", "virtuoso-opensource", "the Virtuoso store tests"),
}


def missing_needs(names: list[str], path: str | None = None) -> list[Need]:
    """Return the needs among ``names`` whose command is not on ``path`` (default ``$PATH``).

    >>> missing_needs(["chromium"], path="")
    [Need(command='chromium', package='chromium', purpose='the browser tests')]
    """
    unknown = [name for name in names if name not in NEEDS]
    if unknown:
        raise SystemExit(f"unknown system need {unknown[0]!r}; known: {', '.join(sorted(NEEDS))}")
    return [NEEDS[name] for name in names if shutil.which(NEEDS[name].command, path=path) is None]


def can_install(is_root: bool, path: str | None = None) -> bool:
    """Whether this process may install packages itself: it runs as root and apt-get is there.

    >>> can_install(False)
    False
    """
    return is_root and shutil.which(APT, path=path) is not None


def install_command(missing: list[Need]) -> list[str]:
    """The apt-get command that installs ``missing``.

    >>> install_command([NEEDS["chromium"], NEEDS["wrk"]])
    ['apt-get', 'install', '-y', 'chromium', 'wrk']
    """
    return [APT, "install", "-y", *(need.package for need in missing)]


def refusal(missing: list[Need]) -> str:
    """The one line that names what is missing and the command that installs it.

    >>> refusal([NEEDS["wrk"]])
    'missing system package wrk (for the load runs of make soak); install it with: sudo apt-get install -y wrk'
    """
    command = " ".join(install_command(missing))
    if len(missing) == 1:
        need = missing[0]
        return f"missing system package {need.package} (for {need.purpose}); install it with: sudo {command}"
    purposes = "; ".join(f"{need.package} for {need.purpose}" for need in missing)
    names = " ".join(need.package for need in missing)
    return f"missing system packages {names} ({purposes}); install them with: sudo {command}"


def ensure(names: list[str], is_root: bool, path: str | None = None) -> int:
    """Install what is missing when allowed, else print the refusal; return the exit status."""
    missing = missing_needs(names, path)
    if not missing:
        return 0
    if can_install(is_root, path):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        apt = shutil.which(APT, path=path)
        subprocess.run([apt, "update", "-qq"], check=False, env=env)
        subprocess.run([apt, *install_command(missing)[1:], "-qq"], check=False, env=env)
        missing = missing_needs(names, path)
        if not missing:
            return 0
    print(refusal(missing), file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    """Check (and where allowed install) the needs named on the command line."""
    names = sys.argv[1:] if argv is None else argv
    return ensure(names, is_root=hasattr(os, "geteuid") and os.geteuid() == 0)


if __name__ == "__main__":
    sys.exit(main())
