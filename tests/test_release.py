"""Tests for triggergraph.release: snapshot files, DCAT/VoID description, per-cell changelog."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID

from triggergraph.cli import main
from triggergraph.exceptions import ConflictError, EntryError
from triggergraph.loader import load_literature
from triggergraph.release import cell_changes, write_release
from triggergraph.vocabulary import load_vocabulary

FIXTURES = Path(__file__).parent / "data" / "api"
NEW_SOURCE = {
    "id": "release_gamma",
    "type": "report",
    "authors": ["Fixture, G."],
    "year": 2026,
    "title": "Release test fixture gamma (not a real study)",
    "added_by": "triggergraph tests",
    "added_on": "2026-12-01",
    "findings": [
        {
            "id": "release-gamma-1",
            "factor": "training",
            "drivers": [{"driver": "sensation_seeker", "basis": "proposed"}],
            "direction": "decreases",
            "certainty": "C",
            "certainty_reasons": ["test fixture; not evidence"],
            "locator": "n/a (test fixture)",
        }
    ],
}


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


def change_literature(folder: Path) -> None:
    """Recode fixture-alpha-1 from C to A and add a source with a finding on training."""
    alpha = folder / "fixture_alpha.yaml"
    text = alpha.read_text(encoding="utf-8")
    alpha.write_text(text.replace("certainty: C", "certainty: A", 1), encoding="utf-8")
    (folder / "release_gamma.yaml").write_text(yaml.safe_dump(NEW_SOURCE), encoding="utf-8")


def cells_of(release_folder: Path, version: str) -> dict[tuple[str, str], dict]:
    rows = csv.DictReader(io.StringIO((release_folder / f"matrix-{version}.csv").read_text()))
    return {(r["factor"], r["column"]): r for r in rows}


def test_release_change_release_names_changed_cells_and_findings(tmp_path, literature, vocabulary):
    releases = tmp_path / "releases"
    first = write_release(
        load_literature(literature, vocabulary), vocabulary, "1.0", releases, date(2026, 12, 1)
    )
    assert first.previous is None and first.changes == ()
    before = cells_of(first.folder, "1.0")

    change_literature(literature)
    second = write_release(
        load_literature(literature, vocabulary), vocabulary, "1.1", releases, date(2026, 12, 4)
    )
    after = cells_of(second.folder, "1.1")
    assert second.previous == "1.0"

    # the changelog holds exactly the cells whose verdict differs between the two CSVs
    differing = {key for key in after if after[key]["verdict"] != before[key]["verdict"]}
    changes = {(c["factor"], c["column"]): c for c in second.changes}
    assert set(changes) == differing
    assert ("training", "sensation_seeker") in changes
    assert ("detention", "justice_seeker") in changes

    training = changes[("training", "sensation_seeker")]
    assert (training["was"], training["findings_added"]) == ("no_evidence", ["release-gamma-1"])
    detention = changes[("detention", "justice_seeker")]
    assert detention["findings_recoded"] == [
        {"id": "fixture-alpha-1", "was": "C, increases, direct", "now": "A, increases, direct"}
    ]

    text = (second.folder / "changelog.md").read_text(encoding="utf-8")
    assert "since release 1.0" in text
    assert "Cell `training` x `sensation_seeker`." in text
    assert "- added: finding `release-gamma-1`" in text
    assert (
        "- recoded: finding `fixture-alpha-1`: C, increases, direct -> A, increases, direct" in text
    )
    logged = json.loads((second.folder / "changelog.json").read_text(encoding="utf-8"))
    assert logged["previous"] == "1.0"
    assert len(logged["changes"]) == len(differing)


def test_release_description_is_dcat_and_void(tmp_path, literature, vocabulary):
    sources = load_literature(literature, vocabulary)
    write_release(sources, vocabulary, "1.0", tmp_path, date(2026, 12, 1))
    release = write_release(sources, vocabulary, "1.1", tmp_path, date(2026, 12, 4))
    description = Graph().parse(release.folder / "description.ttl", format="turtle")
    base = vocabulary.base_iri
    node = URIRef(f"{base}release/1.1")
    assert (URIRef(f"{base}dataset"), OWL.versionIRI, node) in description
    assert (node, RDF.type, DCAT.Dataset) in description
    assert (node, RDF.type, VOID.Dataset) in description
    assert description.value(node, DCTERMS.issued).toPython() == date(2026, 12, 4)
    assert description.value(node, OWL.versionInfo) == Literal("1.1")
    dataset = Dataset().parse(release.folder / "triggergraph-1.1.trig", format="trig")
    triples = sum(len(g) for g in dataset.graphs())
    assert description.value(node, VOID.triples).toPython() == triples > 0
    distributions = set(description.objects(node, DCAT.distribution))
    described = {str(d).rsplit("/", 1)[1]: d for d in distributions}
    on_disk = {p.name for p in release.folder.iterdir()} - {"description.ttl"}
    assert set(described) == on_disk
    for name, dist in described.items():
        size = description.value(dist, DCAT.byteSize).toPython()
        assert size == (release.folder / name).stat().st_size
        assert (dist, RDF.type, DCAT.Distribution) in description
    json.loads((release.folder / "triggergraph-1.1.jsonld").read_text(encoding="utf-8"))


def test_release_same_sources_changes_no_cell(tmp_path, literature, vocabulary):
    sources = load_literature(literature, vocabulary)
    write_release(sources, vocabulary, "1.0", tmp_path)
    again = write_release(sources, vocabulary, "1.1", tmp_path)
    assert again.changes == ()
    assert "verdict changed since release 1.0: 0." in (again.folder / "changelog.md").read_text()


def test_release_compares_with_latest_release(tmp_path, literature, vocabulary):
    sources = load_literature(literature, vocabulary)
    write_release(sources, vocabulary, "b-first", tmp_path)
    write_release(sources, vocabulary, "a-second", tmp_path)
    third = write_release(sources, vocabulary, "c-third", tmp_path)
    assert third.previous == "a-second"


def test_release_existing_version_is_refused_and_kept(tmp_path, literature, vocabulary):
    sources = load_literature(literature, vocabulary)
    first = write_release(sources, vocabulary, "1.0", tmp_path)
    kept = (first.folder / "matrix-1.0.csv").read_bytes()
    with pytest.raises(ConflictError, match="release 1.0 already exists"):
        write_release([], vocabulary, "1.0", tmp_path)
    assert (first.folder / "matrix-1.0.csv").read_bytes() == kept


@pytest.mark.parametrize("version", ["", "../up", "1 0", ".hidden", "a/b"])
def test_release_bad_version_is_refused(tmp_path, vocabulary, version):
    with pytest.raises(EntryError, match="is not a valid version"):
        write_release([], vocabulary, version, tmp_path)
    assert not any(tmp_path.iterdir())


def test_cell_changes_counts_a_vanished_cell_as_no_evidence():
    old = [
        {
            "factor": "f",
            "column": "any",
            "verdict": "limited",
            "findings": [{"id": "x1", "certainty": "C", "direction": "increases", "direct": True}],
        }
    ]
    (change,) = cell_changes(old, [])
    assert (change["was"], change["now"], change["findings_removed"]) == (
        "limited",
        "no_evidence",
        ["x1"],
    )


def test_cli_release_reports_changed_cells(tmp_path, literature, capsys):
    out = tmp_path / "releases"
    assert (
        main(["release", "--version", "1.0", "--out", str(out), "--literature", str(literature)])
        == 0
    )
    change_literature(literature)
    assert (
        main(["release", "--version", "1.1", "--out", str(out), "--literature", str(literature)])
        == 0
    )
    printed = capsys.readouterr().out
    assert "release 1.0: first release" in printed
    assert "cell(s) changed verdict since 1.0" in printed
    assert (
        main(["release", "--version", "1.1", "--out", str(out), "--literature", str(literature)])
        == 1
    )
    assert "already exists" in capsys.readouterr().err
