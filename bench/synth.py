"""Seeded synthetic literature for benchmarks: obviously fake sources with valid findings."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from collections.abc import Collection
from datetime import date
from pathlib import Path

# Run as ``python bench/synth.py`` the repo root is not on sys.path (the project may not be
# installed), so put it there before importing the package.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from triggergraph.models import Source, dump_entry  # noqa: E402
from triggergraph.vocabulary import Vocabulary, load_vocabulary  # noqa: E402

#: findings per synthetic source, drawn uniformly (a realistic spread for primary studies)
FINDINGS_PER_SOURCE: tuple[int, int] = (3, 10)
#: share of findings on a related construct instead of a trigger factor itself
CONSTRUCT_SHARE = 0.3
#: fixed so that the same seed gives byte-identical entries on any day
ADDED_ON = date(2026, 1, 1)
ADDED_BY = "triggergraph benchmark generator"
SOURCE_PREFIX = "synth"
#: measures the generator uses, with the plausible range a value is drawn from
EFFECT_RANGES: dict[str, tuple[float, float]] = {
    "r": (-0.35, 0.45),
    "odds_ratio": (0.4, 4.0),
    "percent": (1.0, 80.0),
    "cohen_d": (-0.6, 0.9),
}
LOCATOR_KINDS: tuple[str, ...] = ("p. {n}", "table {n}", "section {n}.{m}", "figure {n}")
POPULATIONS: tuple[str, ...] = (
    "synthetic sample of adolescents",
    "synthetic sample of adults",
    "synthetic sample of convicted offenders",
    "synthetic online panel",
)
OUTCOMES: tuple[str, ...] = (
    "synthetic radical attitudes scale",
    "synthetic intention to use violence",
    "synthetic extremist offending",
)


def _effect(rng: random.Random) -> dict:
    """An effect with a value inside the measure's plausible range, or words only."""
    measure = rng.choice([*EFFECT_RANGES, "none"])
    n = rng.randint(40, 5000)
    if measure == "none":
        return {"measure": "none", "n": n, "text": "synthetic: no estimate"}
    low, high = EFFECT_RANGES[measure]
    value = round(rng.uniform(low, high), 3)
    if measure == "odds_ratio":
        ci = (round(value * rng.uniform(0.5, 0.95), 3), round(value * rng.uniform(1.05, 2.0), 3))
    else:
        half = round(rng.uniform(0.01, 0.1) * (high - low), 3)
        ci = (max(low, round(value - half, 3)), min(high, round(value + half, 3)))
    effect = {"measure": measure, "value": value, "ci": list(ci), "n": n}
    if rng.random() < 0.3:
        effect["k"] = rng.randint(2, 60)
    return effect


def _locator(rng: random.Random) -> str:
    return rng.choice(LOCATOR_KINDS).format(n=rng.randint(1, 40), m=rng.randint(1, 9))


def _factor(rng: random.Random, factor_ids: list[str], construct_ids: list[str]) -> str:
    """Mostly trigger factors (the matrix rows), some constructs (indirect evidence)."""
    if construct_ids and rng.random() < CONSTRUCT_SHARE:
        return rng.choice(construct_ids)
    return rng.choice(factor_ids)


def _finding(rng: random.Random, ident: str, vocab: Vocabulary, factor_ids, construct_ids) -> dict:
    drivers = sorted(rng.sample(sorted(vocab.drivers), rng.choice((0, 1, 1, 1, 2))))
    demographic_ids = sorted(vocab.demographics)
    demographics = sorted(rng.sample(demographic_ids, rng.choice((0, 0, 1, 1, 2))))
    if not drivers and not demographics:
        # a finding must link its factor to a driver or a demographic group
        drivers = [rng.choice(sorted(vocab.drivers))]
    scales = vocab.scales
    finding = {
        "id": ident,
        "factor": _factor(rng, factor_ids, construct_ids),
        "drivers": [
            {"driver": d, "basis": rng.choice(("stated", "stated", "proposed"))} for d in drivers
        ],
        "demographics": demographics,
        "direction": rng.choice(sorted(scales["direction"])),
        "certainty": rng.choice(sorted(scales["certainty"])),
        "certainty_reasons": ["synthetic benchmark finding; not evidence"],
        "caveats": sorted(rng.sample(sorted(scales["caveat"]), rng.choice((0, 1, 2)))),
        "effect": _effect(rng),
        "outcome_stages": sorted(
            rng.sample(sorted(scales["outcome-stage"]), rng.choice((1, 1, 2)))
        ),
        "outcome": rng.choice(OUTCOMES),
        "population": rng.choice(POPULATIONS),
        "locator": _locator(rng),
    }
    if rng.random() < 0.2:
        finding["trigger_role"] = rng.choice(sorted(scales["trigger-role"]))
    return finding


def _source(rng, number: int, width: int, finding_count: int, vocab, factor_ids, construct_ids):
    ident = f"{SOURCE_PREFIX}_{number:0{width}d}"
    scales = vocab.scales
    return {
        "id": ident,
        "type": rng.choice(sorted(scales["source-type"])),
        "authors": [f"Synthetic, {chr(65 + i)}." for i in range(rng.randint(1, 4))],
        "year": rng.randint(1995, 2025),
        "title": f"Synthetic source {number:0{width}d}",
        "venue": "Synthetic benchmark data (not a publication)",
        "language": "en",
        "design": "synthetic benchmark record; not a real study",
        "study_design": rng.choice(sorted(scales["study-design"])),
        "citation_note": "Generated for benchmarking; no such publication exists.",
        "added_by": ADDED_BY,
        "added_on": ADDED_ON,
        "findings": [
            _finding(rng, f"{ident}-{k + 1}", vocab, factor_ids, construct_ids)
            for k in range(finding_count)
        ],
    }


def split_findings(n_findings: int, rng: random.Random) -> list[int]:
    """Split ``n_findings`` into per-source counts drawn from :data:`FINDINGS_PER_SOURCE`.

    Parameters
    ----------
    n_findings : int
        Total number of findings, at least 1.
    rng : random.Random
        The seeded generator to draw from.

    Returns
    -------
    list[int]
        Counts that sum to ``n_findings``; every count but possibly the last lies in range.

    Examples
    --------
    >>> counts = split_findings(100, random.Random(0))
    >>> sum(counts), min(counts[:-1]) >= 3, max(counts) <= 10
    (100, True, True)
    """
    low, high = FINDINGS_PER_SOURCE
    counts: list[int] = []
    left = n_findings
    while left > 0:
        take = min(left, rng.randint(low, high))
        counts.append(take)
        left -= take
    return counts


def constructs_of(code: Path) -> frozenset[str]:
    """The construct ids the checkout at ``code`` defines, read by its own code.

    A before/after run generates its literature with only the constructs both checkouts
    know: an older checkout drops every source with a finding on a construct it lacks, and
    would so be timed on a smaller evidence base.
    """
    script = (
        "import json; from triggergraph.vocabulary import load_vocabulary; "
        "print(json.dumps(sorted(load_vocabulary().constructs)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
        check=True,
    )
    return frozenset(json.loads(done.stdout))


def generate_sources(
    n_findings: int,
    seed: int = 0,
    vocabulary: Vocabulary | None = None,
    constructs: Collection[str] | None = None,
) -> list[Source]:
    """Return synthetic sources holding ``n_findings`` findings in total.

    Every value comes from the vocabulary (trigger factors and constructs, drivers,
    demographic groups, scale values); titles read "Synthetic source 00042" so nobody mistakes
    them for literature. The same seed and vocabulary give identical sources.

    Parameters
    ----------
    n_findings : int
        Total number of findings (>= 1); spread over sources of 3 to 10 findings.
    seed : int
        Seed of the random generator.
    vocabulary : Vocabulary, optional
        Defaults to :func:`triggergraph.vocabulary.load_vocabulary`.
    constructs : collection of str, optional
        Use only these of the vocabulary's constructs (the ones another checkout also
        defines, so that both read the same evidence base: a finding on a construct a
        checkout does not know makes it drop the whole source).

    Returns
    -------
    list[Source]
        Sources validated against the vocabulary, ids ``synth_00001`` ... in order.

    Examples
    --------
    >>> sources = generate_sources(20, seed=1)
    >>> sum(len(s.findings) for s in sources), sources[0].title
    (20, 'Synthetic source 00001')
    """
    if n_findings < 1:
        raise ValueError(f"n_findings must be at least 1, got {n_findings}")
    vocab = vocabulary or load_vocabulary()
    rng = random.Random(seed)
    factor_ids = sorted(vocab.factors)
    construct_ids = sorted(c for c in vocab.constructs if constructs is None or c in constructs)
    counts = split_findings(n_findings, rng)
    width = max(5, len(str(len(counts))))
    context = {"vocabulary": vocab}
    return [
        Source.model_validate(
            _source(rng, i + 1, width, count, vocab, factor_ids, construct_ids), context=context
        )
        for i, count in enumerate(counts)
    ]


def _fast_yaml(source: Source) -> str:
    """The same entry through libyaml: plain block style, about 4x faster to write."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(
        dump_entry(source), Dumper=dumper, sort_keys=False, allow_unicode=True, width=100
    )


def write_literature(
    sources: list[Source], directory: Path | str, *, fast: bool = False
) -> list[Path]:
    """Write each source as ``<directory>/<id>.yaml`` in the literature entry format.

    Parameters
    ----------
    sources : list[Source]
        Sources to write, e.g. from :func:`generate_sources`.
    directory : Path or str
        Target folder; created if missing. Existing files of the same name are replaced.
    fast : bool
        False: the loader's own writer (``triggergraph.loader.dump_entry_yaml``), the layout a
        person writes. True: libyaml's plain block layout of the same data, for 100k findings
        where the loader's pure-Python writer takes minutes. Both load to equal sources.

    Returns
    -------
    list[Path]
        The written files, in the order of ``sources``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_literature(generate_sources(4), folder)]
    ['synth_00001.yaml']
    """
    from triggergraph.loader import dump_entry_yaml

    render = _fast_yaml if fast else dump_entry_yaml
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for source in sources:
        path = folder / f"{source.id}.yaml"
        path.write_text(render(source), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/synth.py --findings 10000 --out DIR [--seed N]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, required=True, help="total number of findings")
    parser.add_argument("--out", type=Path, required=True, help="folder to write YAML entries to")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--fast", action="store_true", help="write with libyaml (plain layout, ~4x faster)"
    )
    args = parser.parse_args(argv)
    if args.findings < 1:
        parser.error(f"--findings must be at least 1, got {args.findings}")
    sources = generate_sources(args.findings, seed=args.seed)
    paths = write_literature(sources, args.out, fast=args.fast)
    print(f"wrote {len(paths)} sources with {args.findings} findings to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
