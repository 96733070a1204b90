"""The curated literature in literature/*.yaml and the construct vocabulary in ontology/constructs.ttl.

These are properties of the shipped corpus (every entry validates, every finding has a locator,
reaches a cell or is reported, ...), never fixed counts: adding a valid entry must not break
them. The fact-sheet checks compare with committed lists of fact-sheet ids only.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from triggergraph.checks import check_sources
from triggergraph.config import PROJECT_ROOT
from triggergraph.models import Source
from triggergraph.namespaces import TG
from triggergraph.shapes import validate_vocabulary
from triggergraph.vocabulary import load_vocabulary

LITERATURE_DIR = PROJECT_ROOT / "literature"
CONSTRUCTS_FILE = PROJECT_ROOT / "ontology" / "constructs.ttl"
STATED_LINKS_FILE = PROJECT_ROOT / "tests" / "data" / "stated_driver_links.yaml"
FACT_SHEET_IDS_FILE = PROJECT_ROOT / "tests" / "data" / "fact_sheet_ids.yaml"
FIXTURE_ENTRY = PROJECT_ROOT / "tests" / "data" / "good" / "fixture_good.yaml"
BASE_IRI = "http://127.0.0.1:8000/"
REPORT_ID = "feddes_2015_report"
#: ids of the compiled fact sheet (F001-F168, with gaps); other finding ids are our own
FACT_SHEET_IDS = frozenset(yaml.safe_load(FACT_SHEET_IDS_FILE.read_text(encoding="utf-8"))["ids"])
LITERATURE_FILES = sorted(LITERATURE_DIR.glob("*.yaml"))
MAPPINGS = (
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    TG.oppositeOf,
)


@cache
def vocabulary():
    return load_vocabulary(PROJECT_ROOT / "ontology", BASE_IRI)


@cache
def load_sources() -> tuple[Source, ...]:
    return tuple(
        Source.model_validate(
            yaml.safe_load(path.read_text(encoding="utf-8")), context={"vocabulary": vocabulary()}
        )
        for path in LITERATURE_FILES
    )


def stated_links(sources) -> set[tuple[str, str]]:
    """(finding id, driver) of every stated driver link of a fact-sheet finding."""
    return {
        (finding.id, link.driver)
        for source in sources
        for finding in source.findings
        if finding.id in FACT_SHEET_IDS
        for link in finding.drivers
        if link.basis == "stated"
    }


def committed_stated_links() -> set[tuple[str, str]]:
    rows = yaml.safe_load(STATED_LINKS_FILE.read_text(encoding="utf-8"))["stated_links"]
    return {(row["finding"], row["driver"]) for row in rows}


def test_literature_folder_is_not_empty():
    assert LITERATURE_FILES


@pytest.mark.parametrize("path", LITERATURE_FILES, ids=lambda p: p.name)
def test_entry_validates_against_models_with_vocabulary(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = Source.model_validate(data, context={"vocabulary": vocabulary()})
    assert source.id == path.stem


def test_entry_validation_rejects_unknown_construct():
    data = yaml.safe_load(FIXTURE_ENTRY.read_text(encoding="utf-8"))
    data["findings"][0]["factor"] = "significance_los_economic"
    with pytest.raises(ValueError, match="significance_loss_economic"):
        Source.model_validate(data, context={"vocabulary": vocabulary()})


def test_finding_ids_unique_across_files():
    counts = Counter(f.id for s in load_sources() for f in s.findings)
    assert [fid for fid, n in counts.items() if n > 1] == []


def test_every_finding_has_locator():
    assert all(f.locator for s in load_sources() for f in s.findings)


def test_fact_sheet_findings_have_verified_from():
    missing = [
        f.id
        for s in load_sources()
        for f in s.findings
        if f.id in FACT_SHEET_IDS and not f.verified_from
    ]
    assert missing == []


def test_fact_sheet_context_notes_have_verified_from():
    missing = [
        n.id for s in load_sources() for n in s.context_notes if n.id and not n.verified_from
    ]
    assert missing == []


def test_fact_sheet_ids_each_encoded_once():
    as_finding = [f.id for s in load_sources() for f in s.findings if f.id in FACT_SHEET_IDS]
    as_context = [n.id for s in load_sources() for n in s.context_notes if n.id in FACT_SHEET_IDS]
    counts = Counter(as_finding + as_context)
    assert sorted(i for i in FACT_SHEET_IDS if counts[i] != 1) == []


def test_stated_driver_links_match_fact_sheet_list():
    assert stated_links(load_sources()) == committed_stated_links()


def test_stated_link_check_flags_a_promoted_proposal():
    sources = [source.model_copy(deep=True) for source in load_sources()]
    finding = next(f for s in sources for f in s.findings if f.id == "F003")
    assert [link.basis for link in finding.drivers] == ["proposed"]
    finding.drivers[0].basis = "stated"
    assert stated_links(sources) - committed_stated_links() == {("F003", "sensation_seeker")}


def test_stated_links_carry_term_in_source():
    links = [
        link
        for s in load_sources()
        for f in s.findings
        for link in f.drivers
        if link.basis == "stated"
    ]
    assert links
    assert all(link.term_in_source for link in links)


def test_no_finding_attached_to_macro_section_5_1():
    assert [
        f.id for s in load_sources() for f in s.findings if f.factor == "macro_section_5_1"
    ] == []


def test_report_source_has_no_driver_links():
    report = next(s for s in load_sources() if s.id == REPORT_ID)
    assert report.findings
    assert [f.id for f in report.findings if f.drivers] == []


def test_report_findings_are_qualitative_grades_only():
    report = next(s for s in load_sources() if s.id == REPORT_ID)
    for finding in report.findings:
        assert finding.certainty in {"C", "D"}
        assert finding.effect is None or finding.effect.value is None


def test_overlaps_point_to_existing_sources():
    by_id = {s.id: s for s in load_sources()}
    for source in by_id.values():
        for other in source.overlaps_with:
            assert other in by_id, f"{source.id} overlaps with unknown source {other}"


def test_corpus_has_no_consistency_errors():
    errors = [
        str(c)
        for c in check_sources(list(load_sources()), vocabulary(), directory=LITERATURE_DIR)
        if c.severity == "error"
    ]
    assert errors == []


def test_every_finding_reaches_a_cell_or_is_reported():
    sources = list(load_sources())
    reported = {
        c.problem.field.split("]")[0].removeprefix("findings[")
        for c in check_sources(sources, vocabulary())
        if c.severity == "warning"
    }
    for source in sources:
        for finding in source.findings:
            votes = [r for r in vocabulary().routes_for(finding.factor) if not r.bundle]
            counts = votes and finding.outcome_kind == "radicalisation"
            context = finding.outcome_kind != "radicalisation"
            assert counts or context or finding.id in reported, finding.id


def test_mapped_constructs_say_why():
    for construct in vocabulary().constructs.values():
        if construct.maps_to:
            assert construct.mapping_notes.get("en"), construct.id


def test_construct_mappings_pass_shacl():
    assert validate_vocabulary(vocabulary()) == []


def test_used_factors_and_constructs_exist():
    vocab = vocabulary()
    used = {f.factor for s in load_sources() for f in s.findings}
    unknown = sorted(u for u in used if u not in vocab.factors and u not in vocab.constructs)
    assert unknown == []


def test_constructs_have_dutch_and_english_labels_and_definitions():
    constructs = vocabulary().constructs
    assert len(constructs) >= 20
    for construct in constructs.values():
        assert set(construct.labels) == {"nl", "en"}, construct.id
        assert set(construct.definitions) == {"nl", "en"}, construct.id
        assert construct.level in {"micro", "meso", "macro"}, construct.id


def test_construct_mappings_point_at_trigger_factors():
    graph = Graph().parse(CONSTRUCTS_FILE, format="turtle", publicID=BASE_IRI)
    full = vocabulary().graph
    targets = [o for p in MAPPINGS for o in graph.objects(None, p)]
    assert targets
    for target in targets:
        assert (URIRef(target), RDF.type, TG.TriggerFactor) in full, target


def test_construct_notation_matches_iri():
    graph = Graph().parse(CONSTRUCTS_FILE, format="turtle", publicID=BASE_IRI)
    for subject in graph.subjects(RDF.type, TG.RiskConstruct):
        notation = str(graph.value(subject, SKOS.notation))
        assert str(subject) == f"{BASE_IRI}construct/{notation}"


def test_construct_mapping_shape_refuses_opposite_of_a_driver():
    from rdflib import URIRef

    vocab = vocabulary()
    graph = vocab.graph
    bad = type(vocab)(vocab.base_iri, vocab.concepts, vocab.scales, Graph() + graph)
    construct = URIRef(f"{BASE_IRI}construct/school_attachment")
    bad.graph.add((construct, TG.oppositeOf, URIRef(f"{BASE_IRI}driver/justice_seeker")))
    problems = validate_vocabulary(bad)
    assert problems and "oppositeOf must point at a trigger factor" in problems[0].message


def test_construct_mapping_doc_lists_every_mapping():
    text = (PROJECT_ROOT / "docs" / "construct-mappings.md").read_text(encoding="utf-8")
    for construct in vocabulary().constructs.values():
        for factor, mapping in construct.maps_to:
            label = vocabulary().factors[factor].label("en")
            assert f"| `{construct.id}` |" in text and f"| {mapping} | {label} |" in text, (
                construct.id
            )
