"""The command line: the argument parser and ``main``, which maps errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from ..exceptions import EntryError, TriggergraphError
from .common import EXIT_ERROR, EXIT_USAGE, LANGUAGES, MATRIX_COLUMNS, UsageError, _say
from .literature import (
    command_add,
    command_dump,
    command_history,
    command_restore,
    command_validate,
)
from .reports import (
    command_agreement,
    command_build,
    command_gaps,
    command_matrix,
    command_release,
    command_view,
    command_vocab,
)
from .server import command_serve

# ---- parser -------------------------------------------------------------------------


def _literature_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--literature",
        metavar="DIR",
        help="literature folder with <id>.yaml entries (default: from settings)",
    )


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="label language")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``triggergraph`` command."""
    parser = argparse.ArgumentParser(
        prog="triggergraph",
        description="Trigger-factor evidence knowledge graph: validate, import, build and inspect.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser("validate", help="check every entry (models, then SHACL)")
    _literature_option(validate)
    validate.set_defaults(handler=command_validate)

    add = commands.add_parser("add", help="import BibTeX or RIS records as entry skeletons")
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument("--bibtex", metavar="FILE", help="a .bib file")
    source.add_argument("--ris", metavar="FILE", help="a .ris file")
    _literature_option(add)
    add.add_argument("--added-by", metavar="NAME", help="who adds these entries (required)")
    add.add_argument("--overwrite", action="store_true", help="replace entries with the same id")
    add.set_defaults(handler=command_add)

    build = commands.add_parser("build", help="write the RDF dataset files")
    _literature_option(build)
    build.add_argument("--out", dest="out_dir", metavar="DIR", help="output folder (default dist/)")
    build.set_defaults(handler=command_build)

    matrix = commands.add_parser("matrix", help="print the evidence matrix")
    _literature_option(matrix)
    matrix.add_argument("--cols", choices=MATRIX_COLUMNS, default="driver")
    matrix.add_argument("--format", choices=("table", "csv"), default="table")
    matrix.add_argument(
        "--explain",
        nargs=2,
        metavar=("FACTOR", "COLUMN"),
        help="explain one cell: its verdict, the domains that rated it down, its votes and "
        "context (COLUMN: any, a driver id or a demographic group id)",
    )
    _lang_option(matrix)
    matrix.set_defaults(handler=command_matrix)

    gaps = commands.add_parser("gaps", help="print cells without evidence and contested cells")
    _literature_option(gaps)
    _lang_option(gaps)
    gaps.set_defaults(handler=command_gaps)

    vocab = commands.add_parser(
        "vocab", help="list constructs and their mappings to trigger factors (nl and en)"
    )
    vocab.add_argument(
        "query", nargs="*", metavar="QUERY", help="words to find in ids, labels and definitions"
    )
    _lang_option(vocab)
    vocab.set_defaults(handler=command_vocab)

    agreement = commands.add_parser(
        "agreement", help="agreement between two coders' folders of entries (percent, kappa)"
    )
    agreement.add_argument("dir_a", metavar="DIR_A", help="entry files of the first coder")
    agreement.add_argument("dir_b", metavar="DIR_B", help="entry files of the second coder")
    agreement.set_defaults(handler=command_agreement)

    release = commands.add_parser(
        "release", help="write a dated, versioned snapshot with a per-cell changelog"
    )
    release.add_argument("--version", required=True, help="version label, e.g. 2026.12")
    release.add_argument(
        "--out", dest="release_out", metavar="DIR", help="folder of releases (default releases/)"
    )
    _literature_option(release)
    release.set_defaults(handler=command_release)

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.set_defaults(handler=command_serve)

    dump = commands.add_parser("dump", help="write the store's sources as YAML entries")
    dump.add_argument("--literature", metavar="DIR", required=True, help="folder to write")
    dump.add_argument("--overwrite", action="store_true", help="replace existing files")
    dump.add_argument(
        "--server",
        metavar="URL",
        help="read through this running server (default: the store; while a server holds "
        "the embedded store, the server at the base IRI)",
    )
    dump.set_defaults(handler=command_dump)

    restore = commands.add_parser("restore", help="make a deleted source public again")
    restore.add_argument("id", help="source id")
    restore.add_argument("--by", metavar="NAME", required=True, help="who restores it")
    restore.add_argument("--why", metavar="TEXT", default="", help="why (kept in the history)")
    restore.set_defaults(handler=command_restore)

    history = commands.add_parser("history", help="print every recorded change of a source")
    history.add_argument("id", help="source id")
    history.set_defaults(handler=command_history)

    view = commands.add_parser("view", help="write a self-contained HTML evidence map")
    view.add_argument("--out", metavar="FILE.html", required=True)
    _literature_option(view)
    _lang_option(view)
    view.set_defaults(handler=command_view)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``triggergraph`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 1 on an error in the data or the environment, 2 on a usage error.

    Examples
    --------
    >>> main(["validate", "--no-such-option"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler: Callable[[argparse.Namespace], int] = args.handler
    prefix = f"triggergraph {args.command}"
    try:
        return handler(args)
    except UsageError as exc:
        _say(f"{prefix}: usage error: {exc}", sys.stderr)
        return EXIT_USAGE
    except EntryError as exc:
        for problem in exc.problems:
            _say(f"{prefix}: {problem}", sys.stderr)
        return EXIT_ERROR
    except TriggergraphError as exc:
        _say(f"{prefix}: error: {exc}", sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        _say(f"{prefix}: error: {exc}", sys.stderr)
        return EXIT_ERROR
    except ValidationError as exc:
        _say(f"{prefix}: error: invalid settings: {exc}", sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
