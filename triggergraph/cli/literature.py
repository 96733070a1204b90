"""Commands on the literature entries: validate, add, dump, restore and history."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..exceptions import EntryError
from .common import (
    EXIT_ERROR,
    EXIT_OK,
    CommandError,
    UsageError,
    _needs,
    _open_service,
    _say,
    _sources,
    _vocabulary,
    build_settings,
)

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
    from ..checks import check_sources

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
    from ..bibliography import add_skeletons, skeletons_from_bibtex, skeletons_from_ris

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


def command_dump(args: argparse.Namespace) -> int:
    """Write every source in the store as YAML entries into a folder."""
    from ..config import get_settings

    dump_literature = _needs("triggergraph.service", "dump_literature")
    paths = dump_literature(get_settings(), Path(args.literature), args.overwrite, args.server)
    for target in paths:
        _say(f"wrote {target}")
    _say(f"dumped {len(paths)} entries")
    return EXIT_OK


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
