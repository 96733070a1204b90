"""The ``triggergraph`` command: a thin shell over the library (validate, add, build, matrix, ...)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import ValidationError

from .answers.queries import LangQuery, MatrixQuery
from .exceptions import EntryError, TriggergraphError

if TYPE_CHECKING:
    from .config import Settings
    from .models import Source
    from .vocabulary import Vocabulary

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
    from .config import Settings, get_settings

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
    from .vocabulary import load_vocabulary

    return load_vocabulary(settings.ontology_dir, settings.base_iri)


def _sources(settings: Settings, vocabulary: Vocabulary) -> list[Source]:
    from .loader import load_literature

    return load_literature(settings.literature_dir, vocabulary)


def _index(settings: Settings):
    vocabulary = _vocabulary(settings)
    sources = _sources(settings, vocabulary)
    evidence_index = _needs("triggergraph.readmodel", "EvidenceIndex")
    return evidence_index.build(sources, vocabulary)


def _say(text: str, stream: TextIO | None = None) -> None:
    print(text, file=stream or sys.stdout)


# ---- commands -----------------------------------------------------------------------


def command_validate(args: argparse.Namespace) -> int:
    """Load every entry, then check the RDF against the SHACL shapes; print every problem."""
    settings = build_settings(args)
    vocabulary = _vocabulary(settings)
    try:
        sources = _sources(settings, vocabulary)
    except EntryError as exc:
        for problem in exc.problems:
            _say(str(problem), sys.stderr)
        files = len({p.file for p in exc.problems})
        _say(
            f"FAILED: {len(exc.problems)} problem(s) in {files} file(s) of "
            f"{settings.literature_dir}; SHACL not run until the entries load",
            sys.stderr,
        )
        return EXIT_ERROR
    try:
        validate_sources = _needs("triggergraph.shapes", "validate_sources")
    except CommandError as exc:
        _say(f"error: SHACL check unavailable ({exc})", sys.stderr)
        _say(f"FAILED: {len(sources)} sources loaded, SHACL check unavailable", sys.stderr)
        return EXIT_ERROR
    duplicate_doi_problems = _needs("triggergraph.models", "duplicate_doi_problems")
    problems = duplicate_doi_problems(sources) + validate_sources(sources, vocabulary)
    problems += _needs("triggergraph.shapes", "validate_vocabulary")(vocabulary)
    if problems:
        for problem in problems:
            _say(str(problem), sys.stderr)
        _say(f"FAILED: {len(problems)} problem(s) (same DOI twice, SHACL)", sys.stderr)
        return EXIT_ERROR
    from .checks import check_sources

    checks = check_sources(sources, vocabulary, directory=settings.literature_dir)
    for check in checks:
        _say(str(check), sys.stderr)
    errors = sum(1 for c in checks if c.severity == "error")
    warnings = len(checks) - errors
    if errors:
        _say(f"FAILED: {errors} consistency error(s), {warnings} warning(s)", sys.stderr)
        return EXIT_ERROR
    findings = sum(len(s.findings) for s in sources)
    note = f"; {warnings} warning(s)" if warnings else ""
    _say(f"OK: {len(sources)} sources, {findings} findings{note}")
    return EXIT_OK


def command_add(args: argparse.Namespace) -> int:
    """Import BibTeX or RIS records as entry skeletons in the literature folder."""
    from .bibliography import add_skeletons, skeletons_from_bibtex, skeletons_from_ris

    if not args.added_by:
        raise UsageError("add needs --added-by NAME: every entry records who added it")
    settings = build_settings(args)
    path = Path(args.bibtex or args.ris)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None
    today = date.today()
    reader = skeletons_from_bibtex if args.bibtex else skeletons_from_ris
    skeletons = reader(text, filename=str(path), added_by=args.added_by, added_on=today)
    written = add_skeletons(
        skeletons,
        settings.literature_dir,
        added_by=args.added_by,
        added_on=today,
        overwrite=args.overwrite,
        vocabulary=_vocabulary(settings),
    )
    for target in written:
        _say(f"wrote {target}")
    _say(
        f"added {len(written)} entr{'y' if len(written) == 1 else 'ies'}; add their findings by hand"
    )
    return EXIT_OK


def command_build(args: argparse.Namespace) -> int:
    """Write the RDF dataset files (TriG, N-Quads, Turtle, JSON-LD) into the dist folder."""
    settings = build_settings(args)
    vocabulary = _vocabulary(settings)
    sources = _sources(settings, vocabulary)
    write_dist = _needs("triggergraph.rdf", "write_dist")
    paths = write_dist(sources, vocabulary, settings.dist_dir)
    for target in paths:
        _say(f"wrote {target}")
    return EXIT_OK


def command_matrix(args: argparse.Namespace) -> int:
    """Print the evidence matrix (factors x drivers or a demographic dimension)."""
    settings = build_settings(args)
    if args.explain:
        from .verdict import cell_report, compute_cell, group_sources

        vocabulary = _vocabulary(settings)
        sources = _sources(settings, vocabulary)
        pairs = [(f, s) for s in sources for f in s.findings]
        factor, column = args.explain
        cell = compute_cell(factor, column, pairs, vocabulary, groups=group_sources(sources))
        _say(cell_report(cell, vocabulary, args.lang))
        return EXIT_OK
    from .answers.builders import build_matrix
    from .answers.text import matrix_csv, matrix_table

    answer = build_matrix(_index(settings), MatrixQuery(cols=args.cols, lang=args.lang))
    if args.format == "csv":
        _say(matrix_csv(answer).rstrip("\n"))
    else:
        _say(matrix_table(answer).rstrip("\n"))
    return EXIT_OK


def command_gaps(args: argparse.Namespace) -> int:
    """Print the cells without evidence and the contested ones."""
    from .answers.builders import build_gaps
    from .answers.text import gaps_text

    answer = build_gaps(_index(build_settings(args)), LangQuery(lang=args.lang))
    _say(gaps_text(answer, args.lang).rstrip("\n"))
    return EXIT_OK


def command_vocab(args: argparse.Namespace) -> int:
    """List the constructs (labels, definitions, mappings), searched in Dutch and English."""
    from .constructs import format_constructs, list_constructs

    settings = build_settings(args)
    query = " ".join(args.query) if args.query else None
    page = list_constructs(_vocabulary(settings), query, args.lang)
    _say(format_constructs(page, args.lang))
    return EXIT_OK if page["total"] else EXIT_ERROR


def command_agreement(args: argparse.Namespace) -> int:
    """Compare two coders' folders of entries; print agreement per field and every difference."""
    from .agreement import compare_corpus, format_agreement
    from .loader import load_literature

    settings = build_settings(args)
    vocabulary = _vocabulary(settings)
    folders = [Path(args.dir_a), Path(args.dir_b)]
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"{folder} is not a folder of entry files")
    coder_a, coder_b = (load_literature(folder, vocabulary) for folder in folders)
    result = compare_corpus(coder_a, coder_b)
    if not result.sources:
        raise CommandError(
            f"no source id is in both {folders[0]} and {folders[1]}; nothing to compare"
        )
    _say(format_agreement(result))
    return EXIT_OK


def command_release(args: argparse.Namespace) -> int:
    """Write a dated, versioned release with its DCAT/VoID description and a per-cell changelog."""
    from .release import write_release

    settings = build_settings(args)
    vocabulary = _vocabulary(settings)
    sources = _sources(settings, vocabulary)
    folder = Path(args.release_out) if args.release_out else settings.release_dir
    release = write_release(sources, vocabulary, args.version, folder)
    for target in release.files:
        _say(f"wrote {target}")
    if release.previous is None:
        _say(f"release {release.version}: first release, no changelog to compute")
    else:
        _say(
            f"release {release.version}: {len(release.changes)} cell(s) changed verdict "
            f"since {release.previous} (see {release.folder / 'changelog.md'})"
        )
    return EXIT_OK


def command_serve(args: argparse.Namespace) -> int:
    """Run the HTTP API with uvicorn (by import string; this package never imports ``api``).

    Without a configured base IRI the IRIs are minted under the address served
    (``http://HOST:PORT/``), so they dereference on this server.
    """
    import os

    from .config import Settings

    uvicorn_run = _needs("uvicorn", "run")
    settings = Settings()
    if settings.base_iri_is_default:
        base = serve_base_iri(args.host, args.port)
        # handed to the app (and any reloader child) the way every setting travels
        os.environ["TRIGGERGRAPH_BASE_IRI"] = base
        _say(f"base IRI {base} (set TRIGGERGRAPH_BASE_IRI to mint under a public address)")
    uvicorn_run("api.main:app", host=args.host, port=args.port, reload=args.reload)
    return EXIT_OK


def serve_base_iri(host: str, port: int) -> str:
    """The base IRI of a server reached at ``host:port``.

    Examples
    --------
    >>> serve_base_iri("127.0.0.1", 8000)
    'http://127.0.0.1:8000/'
    >>> serve_base_iri("0.0.0.0", 8080)
    'http://127.0.0.1:8080/'
    >>> serve_base_iri("::1", 9000)
    'http://[::1]:9000/'
    """
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"  # every address: the local one is the one known to answer
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def command_dump(args: argparse.Namespace) -> int:
    """Write every source in the store as YAML entries into a folder."""
    from .config import get_settings

    dump_literature = _needs("triggergraph.service", "dump_literature")
    paths = dump_literature(get_settings(), Path(args.literature), args.overwrite, args.server)
    for target in paths:
        _say(f"wrote {target}")
    _say(f"dumped {len(paths)} entries")
    return EXIT_OK


def _open_service():
    from .config import get_settings

    return _needs("triggergraph.service", "EvidenceService").open(get_settings())


def command_restore(args: argparse.Namespace) -> int:
    """Make a deleted source public again (its last public version, from its history)."""
    service = _open_service()
    try:
        result = service.restore_source(args.id, by=args.by, why=args.why)
    finally:
        service.close()
    _say(f"restored {result.id} ({result.findings} findings); change {result.change}")
    return EXIT_OK


def command_history(args: argparse.Namespace) -> int:
    """Print every recorded change of a source: when, who, what, why, and the diff."""
    service = _open_service()
    try:
        history = service.source_history(args.id)
    finally:
        service.close()
    _say(f"{history['id']}: {history['state']}, {history['total']} change(s)")
    for item in history["items"]:
        _say(f"\n{item['at']}  {item['action']}  by {item['by']}")
        if item["why"]:
            _say(f"  why: {item['why']}")
        if item["diff"]:
            _say(item["diff"])
    return EXIT_OK


def command_view(args: argparse.Namespace) -> int:
    """Write the evidence map and the network as one self-contained HTML file."""
    index = _index(build_settings(args))
    write_single_file = _needs("triggergraph.viewer.export", "write_single_file")
    target = write_single_file(index, Path(args.out), args.lang)
    _say(f"wrote {target}")
    return EXIT_OK


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


if __name__ == "__main__":
    sys.exit(main())
