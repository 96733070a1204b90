"""What every command shares: exit codes, command errors, settings from options, the vocabulary and sources."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..exceptions import TriggergraphError

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Source
    from ..vocabulary import Vocabulary


EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

MATRIX_COLUMNS: tuple[str, ...] = ("driver", "sex", "age", "education")
LANGUAGES: tuple[str, ...] = ("en", "nl")


class CommandError(TriggergraphError):
    """An expected failure of a command, reported as one message (exit 1)."""


class UsageError(TriggergraphError):
    """A command line that cannot work (exit 2)."""


def _needs(module: str, name: str) -> Any:
    """Import ``module.name`` only when a command runs, so one unfinished part breaks no other."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise CommandError(f"{module}.{name} is not available: {exc}") from None


# ---- shared steps -------------------------------------------------------------------


def build_settings(args: argparse.Namespace) -> Settings:
    """Return the settings from the environment with the command-line options on top.

    A new ``Settings`` is built; neither the environment nor the cached settings change.
    """
    from ..config import Settings, get_settings

    overrides: dict[str, Any] = {}
    if getattr(args, "literature", None) is not None:
        overrides["literature_dir"] = Path(args.literature)
    if getattr(args, "out_dir", None) is not None:
        overrides["dist_dir"] = Path(args.out_dir)
    base = get_settings()
    if not overrides:
        return base
    return Settings(**{**base.model_dump(), **overrides})


def _vocabulary(settings: Settings) -> Vocabulary:
    from ..vocabulary import load_vocabulary

    return load_vocabulary(settings.ontology_dir, settings.base_iri)


def _sources(settings: Settings, vocabulary: Vocabulary) -> list[Source]:
    from ..loader import load_literature

    return load_literature(settings.literature_dir, vocabulary)


def _index(settings: Settings):
    vocabulary = _vocabulary(settings)
    sources = _sources(settings, vocabulary)
    evidence_index = _needs("triggergraph.readmodel", "EvidenceIndex")
    return evidence_index.build(sources, vocabulary)


def _say(text: str, stream: TextIO | None = None) -> None:
    print(text, file=stream or sys.stdout)


def _open_service():
    from ..config import get_settings

    return _needs("triggergraph.service", "EvidenceService").open(get_settings())
