"""Dated, versioned releases: a snapshot of the dataset and matrix, its DCAT/VoID description, a changelog.

A release is one folder ``<release dir>/<version>/``, written to a temporary folder first and
renamed into place, so it is either complete or absent and never overwritten:

- ``triggergraph-<version>.trig`` and ``.jsonld``: the dataset (vocabulary + one graph per source);
- ``matrix-<version>.csv``: every cell (factor x any/driver/demographic value) with its verdict,
  direction, number of findings and the finding ids;
- ``matrix-<version>.json``: the release's ``sequence`` and ``issued`` date, and the same cells
  with each counted finding's coding (certainty, direction, direct or not); the next release
  reads it to explain what changed, and :mod:`triggergraph.timeline` each cell's history;
- ``description.ttl``: DCAT and VoID (``dcat:Dataset`` with ``owl:versionIRI``,
  ``owl:versionInfo``, ``dcterms:issued``, ``void:triples``, a ``dcat:Distribution`` per file);
- ``changelog.md`` and ``changelog.json``: every cell whose verdict changed since the previous
  release, with the findings that changed it.

The previous release is the one in the same folder with the highest ``sequence`` in its
``matrix-<version>.json``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, VOID

from .answers.builders import build_factor, build_matrix
from .answers.queries import LangQuery, MatrixQuery
from .exceptions import ConflictError, EntryError, Problem
from .rdf import build_dataset, serialize_dataset
from .readmodel import EvidenceIndex
from .verdict import ANY_COLUMN, ANY_LABELS, VERDICT_LABELS

if TYPE_CHECKING:
    from .models import Source
    from .vocabulary import Vocabulary

#: a version is a short token that is safe as a folder and file name
VERSION_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")

#: media types of the release files, by suffix
MEDIA_TYPES: dict[str, str] = {
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".csv": "text/csv",
    ".json": "application/json",
    ".md": "text/markdown",
}

#: ``dcat:version`` (DCAT 3), which rdflib's closed DCAT namespace does not list yet
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")

CSV_HEADER: tuple[str, ...] = (
    "factor",
    "factor_label",
    "column",
    "column_label",
    "verdict",
    "direction",
    "n_findings",
    "findings",
)


@dataclass(frozen=True)
class Release:
    """A written release: its folder, files, and the cells whose verdict changed."""

    version: str
    folder: Path
    files: tuple[Path, ...]
    previous: str | None
    changes: tuple[dict, ...]


def check_version(version: str) -> str:
    """Return ``version`` or raise :class:`EntryError` saying what a version may hold."""
    if not VERSION_PATTERN.match(version):
        raise EntryError(
            [
                Problem(
                    file=None,
                    line=None,
                    field="version",
                    message=f"{version!r} is not a valid version: use letters, digits, '.', "
                    "'_' or '-' (up to 64, starting with a letter or digit), e.g. 2026.12",
                )
            ]
        )
    return version


def matrix_cells(index: EvidenceIndex, lang: str = "en") -> list[dict]:
    """Every cell of the matrix (the ``any`` column first), in factor and column order.

    Each cell is ``{factor, factor_label, column, column_label, verdict, direction,
    n_findings, findings: [{id, source, certainty, effective_certainty, direction, inverted,
    direct}]}``.
    """
    cells = []
    for row in build_matrix(index, MatrixQuery(cols="all", lang=lang)).rows:
        factor = build_factor(index, row.id, LangQuery(lang=lang))
        columns = [(ANY_COLUMN, ANY_LABELS[lang]), *((c.id, c.label) for c in factor.columns)]
        for column_id, column_label in columns:
            cell = factor.overall if column_id == ANY_COLUMN else factor.cells[column_id]
            cells.append(
                {
                    "factor": row.id,
                    "factor_label": row.label,
                    "column": column_id,
                    "column_label": column_label,
                    "verdict": cell.verdict,
                    "direction": cell.direction,
                    "n_findings": cell.n_findings,
                    "findings": [
                        {
                            "id": f.id,
                            "source": f.source,
                            "certainty": f.certainty,
                            "effective_certainty": f.effective_certainty,
                            "direction": f.direction,
                            "inverted": f.inverted,
                            "direct": f.direct,
                        }
                        for f in cell.findings
                    ],
                }
            )
    return cells


def matrix_csv(cells: list[dict]) -> bytes:
    """The cells as CSV, one row per cell, finding ids separated by spaces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for cell in cells:
        writer.writerow(
            [
                *(cell[key] for key in CSV_HEADER[:-2]),
                cell["n_findings"],
                " ".join(f["id"] for f in cell["findings"]),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _coding(finding: dict) -> str:
    """How a finding counted in a cell, e.g. ``C (counted D), increases (inverted), indirect``."""
    certainty = finding["certainty"]
    counted = finding.get("effective_certainty", certainty)
    if counted != certainty:
        certainty = f"{certainty} (counted {counted})"
    direction = finding["direction"] + (" (inverted)" if finding.get("inverted") else "")
    reach = "direct" if finding["direct"] else "indirect"
    return f"{certainty}, {direction}, {reach}"


def cell_changes(previous: list[dict], current: list[dict]) -> list[dict]:
    """The cells whose verdict differs between two releases, with the findings behind the change.

    Returns
    -------
    list of dict
        ``{factor, factor_label, column, column_label, was, now, findings_added,
        findings_removed, findings_recoded: [{id, was, now}]}`` per changed cell, in the
        current release's cell order (cells that disappeared last). A cell absent from one
        release counts as ``no_evidence`` there.

    Examples
    --------
    >>> old = [{"factor": "f", "column": "any", "verdict": "no_evidence", "findings": []}]
    >>> new = [{"factor": "f", "column": "any", "verdict": "limited", "findings": [
    ...     {"id": "x1", "certainty": "C", "direction": "increases", "direct": True}]}]
    >>> [(c["was"], c["now"], c["findings_added"]) for c in cell_changes(old, new)]
    [('no_evidence', 'limited', ['x1'])]
    """
    before = {(c["factor"], c["column"]): c for c in previous}
    after = {(c["factor"], c["column"]): c for c in current}
    keys = list(after) + [k for k in before if k not in after]
    changes = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        was = old["verdict"] if old else "no_evidence"
        now = new["verdict"] if new else "no_evidence"
        if was == now:
            continue
        old_findings = {f["id"]: f for f in (old or {}).get("findings", [])}
        new_findings = {f["id"]: f for f in (new or {}).get("findings", [])}
        shown = new or old
        changes.append(
            {
                "factor": key[0],
                "factor_label": shown.get("factor_label", key[0]),
                "column": key[1],
                "column_label": shown.get("column_label", key[1]),
                "was": was,
                "now": now,
                "findings_added": [i for i in new_findings if i not in old_findings],
                "findings_removed": [i for i in old_findings if i not in new_findings],
                "findings_recoded": [
                    {"id": i, "was": _coding(old_findings[i]), "now": _coding(f)}
                    for i, f in new_findings.items()
                    if i in old_findings and _coding(old_findings[i]) != _coding(f)
                ],
            }
        )
    return changes


def changelog_markdown(
    version: str, issued: date, previous: str | None, changes: list[dict]
) -> str:
    """The changelog as Markdown, one section per changed cell."""
    lines = [f"# Changelog of release {version} ({issued.isoformat()})", ""]
    if previous is None:
        lines.append("First release: there is no previous release to compare with.")
        return "\n".join(lines) + "\n"
    lines.append(f"Cells whose verdict changed since release {previous}: {len(changes)}.")
    for change in changes:
        was = VERDICT_LABELS[change["was"]]["en"]
        now = VERDICT_LABELS[change["now"]]["en"]
        lines += [
            "",
            f"## {change['factor_label']} x {change['column_label']}: {now} (was {was})",
            "",
            f"Cell `{change['factor']}` x `{change['column']}`.",
        ]
        for finding in change["findings_added"]:
            lines.append(f"- added: finding `{finding}`")
        for finding in change["findings_removed"]:
            lines.append(f"- removed: finding `{finding}`")
        for recoded in change["findings_recoded"]:
            lines.append(
                f"- recoded: finding `{recoded['id']}`: {recoded['was']} -> {recoded['now']}"
            )
        if not (
            change["findings_added"] or change["findings_removed"] or change["findings_recoded"]
        ):
            lines.append(
                "- no finding in this cell changed: the verdict rule, the vocabulary or an "
                "overlap between sources changed"
            )
    return "\n".join(lines) + "\n"


def find_previous(release_dir: Path, version: str) -> tuple[str, list[dict], int] | None:
    """The latest earlier release in ``release_dir``: ``(version, cells, sequence)``, or None."""
    latest: tuple[int, str, list[dict]] | None = None
    if not release_dir.is_dir():
        return None
    for path in sorted(release_dir.glob("*/matrix-*.json")):
        if path.parent.name == version or path.parent.name.startswith("."):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entry = (int(data["sequence"]), str(data["version"]), list(data["cells"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EntryError(
                [
                    Problem(
                        file=str(path),
                        line=None,
                        field="release",
                        message=f"cannot read this earlier release: {exc}",
                    )
                ]
            ) from None
        if latest is None or entry[0] > latest[0]:
            latest = entry
    if latest is None:
        return None
    return latest[1], latest[2], latest[0]


def description_graph(
    base_iri: str,
    version: str,
    issued: date,
    previous: str | None,
    triples: int,
    files: list[Path],
) -> Graph:
    """DCAT/VoID description of one release and a distribution per file."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    graph.bind("owl", OWL)
    graph.bind("prov", PROV)
    dataset = URIRef(f"{base_iri}dataset")
    release = URIRef(f"{base_iri}release/{version}")
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, OWL.versionIRI, release))
    graph.add((dataset, DCTERMS.hasVersion, release))
    graph.add((release, RDF.type, DCAT.Dataset))
    graph.add((release, RDF.type, VOID.Dataset))
    graph.add((release, DCTERMS.isVersionOf, dataset))
    graph.add((release, DCTERMS.title, Literal(f"triggergraph release {version}", lang="en")))
    graph.add((release, OWL.versionInfo, Literal(version)))
    graph.add((release, DCAT_VERSION, Literal(version)))
    graph.add((release, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
    graph.add((release, VOID.triples, Literal(triples, datatype=XSD.integer)))
    if previous is not None:
        graph.add((release, PROV.wasRevisionOf, URIRef(f"{base_iri}release/{previous}")))
    for path in files:
        dist = URIRef(f"{base_iri}release/{version}/{path.name}")
        data = path.read_bytes()
        graph.add((release, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCTERMS.title, Literal(path.name)))
        graph.add((dist, DCAT.downloadURL, dist))
        graph.add((dist, DCAT.mediaType, Literal(MEDIA_TYPES[path.suffix])))
        graph.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        graph.add((dist, DCTERMS.identifier, Literal(f"sha256:{hashlib.sha256(data).hexdigest()}")))
    return graph


def write_release(
    sources: list[Source],
    vocabulary: Vocabulary,
    version: str,
    release_dir: Path,
    issued: date | None = None,
) -> Release:
    """Write release ``version`` into ``release_dir/version`` and compare it with the previous one.

    Parameters
    ----------
    sources : list of Source
        What the release holds.
    vocabulary : Vocabulary
        Factors, constructs and scales; its base IRI names the release.
    version : str
        The version label (see :data:`VERSION_PATTERN`), e.g. ``2026.12``.
    release_dir : Path
        Folder of all releases; the previous release is read from here.
    issued : date, optional
        Release date; today when omitted.

    Returns
    -------
    Release

    Raises
    ------
    ConflictError
        A release with this version already exists (releases are never overwritten).
    EntryError
        A bad version, or an earlier release that cannot be read.
    """
    check_version(version)
    issued = issued or date.today()
    release_dir = Path(release_dir)
    target = release_dir / version
    if target.exists():
        raise ConflictError(
            f"release {version} already exists in {release_dir}; pick a new version"
        )
    found = find_previous(release_dir, version)
    previous, previous_cells, sequence = found if found else (None, [], 0)

    index = EvidenceIndex.build(sources, vocabulary, version)
    cells = matrix_cells(index)
    changes = cell_changes(previous_cells, cells) if previous is not None else []
    dataset = build_dataset(sources, vocabulary)
    triples = sum(len(graph) for graph in dataset.graphs())

    staging = release_dir / f".{version}.tmp"
    if staging.exists():
        shutil.rmtree(staging)  # left by an interrupted run of this same version
    staging.mkdir(parents=True)
    try:
        contents: dict[str, bytes] = {
            f"triggergraph-{version}.trig": serialize_dataset(dataset, "trig"),
            f"triggergraph-{version}.jsonld": serialize_dataset(dataset, "jsonld"),
            f"matrix-{version}.csv": matrix_csv(cells),
            f"matrix-{version}.json": json.dumps(
                {
                    "version": version,
                    "sequence": sequence + 1,
                    "issued": issued.isoformat(),
                    "cells": cells,
                },
                ensure_ascii=False,
                indent=1,
            ).encode("utf-8"),
            "changelog.json": json.dumps(
                {"version": version, "previous": previous, "changes": changes},
                ensure_ascii=False,
                indent=1,
            ).encode("utf-8"),
            "changelog.md": changelog_markdown(version, issued, previous, changes).encode("utf-8"),
        }
        for name, data in contents.items():
            (staging / name).write_bytes(data)
        files = [staging / name for name in contents]
        description = description_graph(
            vocabulary.base_iri, version, issued, previous, triples, files
        )
        (staging / "description.ttl").write_bytes(description.serialize(format="turtle").encode())
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    written = tuple(target / name for name in [*contents, "description.ttl"])
    return Release(version, target, written, previous, tuple(changes))
