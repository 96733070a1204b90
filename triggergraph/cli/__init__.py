"""The ``triggergraph`` command: a thin shell over the library (validate, add, build, matrix, ...).

The console entry point is ``triggergraph.cli:main``; ``python -m triggergraph.cli`` runs it too.
Commands are grouped by what they do: ``literature`` (entries), ``reports`` (answers),
``server`` (serve); ``parser`` builds the command line.
"""

from .common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    LANGUAGES,
    MATRIX_COLUMNS,
    CommandError,
    UsageError,
    build_settings,
)
from .literature import (
    command_add,
    command_dump,
    command_history,
    command_restore,
    command_validate,
)
from .parser import build_parser, main
from .reports import (
    command_agreement,
    command_build,
    command_gaps,
    command_matrix,
    command_release,
    command_view,
    command_vocab,
)
from .server import command_serve, serve_base_iri

__all__ = [
    "CommandError",
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_USAGE",
    "LANGUAGES",
    "MATRIX_COLUMNS",
    "UsageError",
    "build_parser",
    "build_settings",
    "command_add",
    "command_agreement",
    "command_build",
    "command_dump",
    "command_gaps",
    "command_history",
    "command_matrix",
    "command_release",
    "command_restore",
    "command_serve",
    "command_validate",
    "command_view",
    "command_vocab",
    "main",
    "serve_base_iri",
]
