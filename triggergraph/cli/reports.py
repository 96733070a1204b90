"""Commands that build or print answers: build, matrix, gaps, vocab, agreement, release and view."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..answers.queries import LangQuery, MatrixQuery
from .common import (
    EXIT_ERROR,
    EXIT_OK,
    CommandError,
    UsageError,
    _index,
    _needs,
    _say,
    _sources,
    _vocabulary,
    build_settings,
)


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
        from ..verdict import cell_report, compute_cell, group_sources

        vocabulary = _vocabulary(settings)
        sources = _sources(settings, vocabulary)
        pairs = [(f, s) for s in sources for f in s.findings]
        factor, column = args.explain
        cell = compute_cell(factor, column, pairs, vocabulary, groups=group_sources(sources))
        _say(cell_report(cell, vocabulary, args.lang))
        return EXIT_OK
    from ..answers.builders import build_matrix
    from ..answers.text import matrix_csv, matrix_table

    answer = build_matrix(_index(settings), MatrixQuery(cols=args.cols, lang=args.lang))
    if args.format == "csv":
        _say(matrix_csv(answer).rstrip("\n"))
    else:
        _say(matrix_table(answer).rstrip("\n"))
    return EXIT_OK


def command_gaps(args: argparse.Namespace) -> int:
    """Print the cells without evidence and the contested ones."""
    from ..answers.builders import build_gaps
    from ..answers.text import gaps_text

    answer = build_gaps(_index(build_settings(args)), LangQuery(lang=args.lang))
    _say(gaps_text(answer, args.lang).rstrip("\n"))
    return EXIT_OK


def command_vocab(args: argparse.Namespace) -> int:
    """List the constructs (labels, definitions, mappings), searched in Dutch and English."""
    from ..constructs import format_constructs, list_constructs

    settings = build_settings(args)
    query = " ".join(args.query) if args.query else None
    page = list_constructs(_vocabulary(settings), query, args.lang)
    _say(format_constructs(page, args.lang))
    return EXIT_OK if page["total"] else EXIT_ERROR


def command_agreement(args: argparse.Namespace) -> int:
    """Compare two coders' folders of entries; print agreement per field and every difference."""
    from ..agreement import compare_corpus, format_agreement
    from ..loader import load_literature

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
    from ..release import write_release

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


def command_view(args: argparse.Namespace) -> int:
    """Write the evidence map and the network as one self-contained HTML file."""
    index = _index(build_settings(args))
    write_single_file = _needs("triggergraph.viewer.export", "write_single_file")
    target = write_single_file(index, Path(args.out), args.lang)
    _say(f"wrote {target}")
    return EXIT_OK
