"""README "Adding a literature entry": its commands run as written and its example entry is valid."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from triggergraph.loader import load_literature, parse_entry
from triggergraph.vocabulary import load_vocabulary

REPO = Path(__file__).resolve().parent.parent
IMPORT = Path(__file__).parent / "data" / "import"


def section_blocks(language: str) -> list[str]:
    """The ``language`` code blocks of the README section "Adding a literature entry"."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Adding a literature entry")
    section = text[start : text.index("\n## ", start + 1)]
    pattern = rf"^ *```{language}\n(.*?)^ *```"
    return [textwrap.dedent(b) for b in re.findall(pattern, section, re.M | re.S)]


def readme_commands() -> list[list[str]]:
    return [
        shlex.split(line)
        for block in section_blocks("sh")
        for line in block.splitlines()
        if line.startswith("triggergraph ")
    ]


def run_as_written(argv: list[str], cwd: Path, literature: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        "TRIGGERGRAPH_LITERATURE_DIR": str(literature),
    }
    return subprocess.run(
        [sys.executable, "-m", "triggergraph.cli", *argv[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_readme_shows_add_for_bibtex_and_ris_and_vocab():
    commands = [argv[:2] + argv[2:3] for argv in readme_commands()]
    assert ["triggergraph", "add", "--bibtex"] in commands
    assert ["triggergraph", "add", "--ris"] in commands
    assert ["triggergraph", "vocab", "discriminatie"] in commands


@pytest.mark.parametrize("argv", readme_commands(), ids=lambda argv: " ".join(argv[:3]))
def test_readme_command_runs_as_written(tmp_path, argv):
    shutil.copy(IMPORT / "sample.bib", tmp_path / "refs.bib")
    shutil.copy(IMPORT / "sample.ris", tmp_path / "refs.ris")
    literature = tmp_path / "literature"
    literature.mkdir()
    done = run_as_written(argv, tmp_path, literature)
    assert done.returncode == 0, done.stderr
    if argv[1] == "add":
        sources = load_literature(literature, load_vocabulary())
        assert sources and {s.added_by for s in sources} == {"Your Name"}
        if "--bibtex" in argv:
            # the BibTeX citation keys of refs.bib become the source ids
            keys = re.findall(
                r"^@(?!string)\w+\{([^,]+),", (tmp_path / "refs.bib").read_text(), re.M
            )
            assert {s.id for s in sources} == set(keys)


def test_readme_example_entry_is_valid():
    (block,) = section_blocks("yaml")
    source = parse_entry(block, filename="README.md", vocabulary=load_vocabulary())
    assert source.id == "example2024"
    assert source.findings[0].factor == "perceived_discrimination"
