"""Tests of triggergraph.rdf: models to RDF and back, the dataset build and its serialisations."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bench_scripts import load_bench
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from triggergraph.config import PROJECT_ROOT
from triggergraph.exceptions import EntryError
from triggergraph.models import Source
from triggergraph.namespaces import PREFIXES, TG
from triggergraph.rdf import (
    DIST_FILES,
    build_dataset,
    build_nquads,
    canonical_source,
    iri_safe,
    parse_rdf,
    read_source,
    serialize_dataset,
    source_graph,
    source_ntriples,
    source_triples,
    vocabulary_ntriples,
    write_dist,
)
from triggergraph.vocabulary import load_vocabulary

BASE = "http://127.0.0.1:8000/"
CUSTOM_BASE = "https://example.org/tg/"
LITERATURE = PROJECT_ROOT / "literature"


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(base_iri=BASE)


def full_entry(**overrides) -> dict:
    """An entry with every optional field set (ids from ontology/triggergraph.ttl)."""
    data = {
        "id": "full_entry",
        "type": "journal_article",
        "authors": ["Zeta, Z.", "Alpha, A.", "Müller, K."],
        "year": 2017,
        "title": "A test title with ünïcode — and “quotes”",
        "venue": "Journal of Tests 38(5), 815-831",
        "doi": "10.1111/test.12376",
        "url": "https://example.org/article?id=1&x=2",
        "language": "en",
        "design": "survey (n = 1,496)",
        "study_design": "cross_sectional_survey",
        "citation_note": "pages not checked",
        "citation_flags": ["doi_unverified", "pages_unverified"],
        "overlaps_with": ["other_source"],
        "context_notes": [
            {
                "id": "F900",
                "text": "second note",
                "locator": "abstract",
                "verified_from": "https://example.org/a",
            },
            {"text": "a note without id"},
        ],
        "cites": [
            {
                "first_author": "Pyszczynski",
                "year": 2006,
                "co_authors": "Abdollahi, Solomon",
                "note": "mortality salience experiment",
                "locator": "section 3.1.1",
                "factor": "confrontation_with_death",
            },
            {"first_author": "Anonymous"},
        ],
        "added_by": "triggergraph curators",
        "added_on": "2026-11-28",
        "findings": [
            {
                "id": "T2",
                "factor": "detention",
                "drivers": [
                    {"driver": "justice_seeker", "basis": "stated", "term_in_source": "grievance"},
                    {"driver": "meaning_seeker", "basis": "proposed"},
                ],
                "demographics": ["sex_male", "age_18_25"],
                "direction": "increases",
                "certainty": "C",
                "certainty_reasons": ["single study", "large N"],
                "caveats": ["cross_sectional", "self_report"],
                "indirectness": ["other_population"],
                "effect": {
                    "measure": "r",
                    "value": -0.09,
                    "ci": [-0.15, -0.03],
                    "k": 12,
                    "n": 1496,
                    "p": "< .001",
                    "text": "pooled r",
                    "magnitude_in_source": "small",
                },
                "outcome_stages": ["attitude", "behaviour"],
                "outcome": "violent extremist attitudes",
                "population": "Dutch youth aged 14-18",
                "region": "netherlands",
                "locator": "Table 4, p. 12",
                "verified_from": "https://example.org/article",
                "trigger_role": "catalyst",
                "note": "a note",
                "added_by": "Someone Else",
                "added_on": "2026-11-27",
            },
            {
                "id": "T1",
                "factor": "confrontation_with_death",
                "direction": "no_association",
                "certainty": "D",
                "certainty_reasons": ["qualitative"],
                "effect": {
                    "measure": "odds_ratio",
                    "value": 1e-05,
                    "ci": [1e-06, 0.30000000000000004],
                },
                "locator": "p. 30",
            },
        ],
    }
    data.update(overrides)
    return data


def minimal_entry(**overrides) -> dict:
    data = {
        "id": "minimal",
        "type": "report",
        "authors": ["Doe, J."],
        "year": 2015,
        "title": "Minimal",
        "added_by": "triggergraph curators",
        "added_on": "2026-11-28",
    }
    data.update(overrides)
    return data


def make(vocab, data: dict) -> Source:
    return Source.model_validate(data, context={"vocabulary": vocab})


def shipped_sources(vocab) -> list[Source]:
    """Every entry in literature/ (may be none while the literature is being written)."""
    sources = []
    for path in sorted(LITERATURE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sources.append(make(vocab, data))
    return sources


def own_sources(vocab) -> list[Source]:
    return [make(vocab, full_entry()), make(vocab, minimal_entry())]


@pytest.fixture(scope="module")
def all_sources(vocab) -> list[Source]:
    """The shipped literature plus this module's own entries (so tests never run on nothing)."""
    return shipped_sources(vocab) + own_sources(vocab)


@pytest.fixture(scope="module")
def all_dataset(vocab, all_sources) -> Dataset:
    return build_dataset(all_sources, vocab)


def quads(dataset: Dataset) -> set[tuple]:
    return {(s, p, o, g.identifier) for g in dataset.graphs() for s, p, o in g}


# ---- round trip -----------------------------------------------------------------------------
def test_round_trip_all_optional_fields_set(vocab):
    source = canonical_source(make(vocab, full_entry()), vocab)
    assert read_source(source_graph(source, vocab), source.id, vocab) == source


def test_round_trip_no_optional_fields(vocab):
    source = make(vocab, minimal_entry(findings=[full_entry()["findings"][1] | {"effect": None}]))
    back = read_source(source_graph(source, vocab), source.id, vocab)
    assert back == source
    assert back.findings[0].effect is None


def test_round_trip_effect_with_measure_only(vocab):
    finding = full_entry()["findings"][1] | {"effect": {"measure": "none"}}
    source = make(vocab, minimal_entry(findings=[finding]))
    back = read_source(source_graph(source, vocab), source.id, vocab)
    assert back.findings[0].effect is not None
    assert back.findings[0].effect.measure == "none"
    assert back == source


@pytest.mark.parametrize("value", [-0.09, 0.1, 1e-05, 0.30000000000000004, -0.26, 0.0])
def test_round_trip_decimal_exact(vocab, value):
    finding = full_entry()["findings"][1] | {"effect": {"measure": "r", "value": value}}
    source = make(vocab, minimal_entry(findings=[finding]))
    graph = source_graph(source, vocab)
    back = read_source(graph, source.id, vocab)
    assert back.findings[0].effect.value == value
    literal = graph.value(URIRef(BASE + "finding/T1"), TG.effectValue)
    assert literal.datatype == URIRef(PREFIXES["xsd"] + "decimal")
    assert "e" not in str(literal).lower()


def test_round_trip_unicode_text(vocab):
    source = make(
        vocab, minimal_entry(title="Radicalisering — één “test” 中文 🙂", authors=["Çelik, Ş."])
    )
    assert read_source(source_graph(source, vocab), source.id, vocab) == source


def test_round_trip_keeps_order_of_findings_authors_cites_and_notes(vocab):
    source = make(vocab, full_entry())
    back = read_source(source_graph(source, vocab), source.id, vocab)
    assert [f.id for f in back.findings] == ["T2", "T1"]
    assert back.authors == ["Zeta, Z.", "Alpha, A.", "Müller, K."]
    assert [c.first_author for c in back.cites] == ["Pyszczynski", "Anonymous"]
    assert [n.text for n in back.context_notes] == ["second note", "a note without id"]


def test_round_trip_sets_come_back_in_canonical_order(vocab):
    data = full_entry()
    data["findings"][0]["outcome_stages"] = ["behaviour", "attitude"]
    data["findings"][0]["drivers"].reverse()
    data["citation_flags"] = ["pages_unverified", "doi_unverified"]
    source = make(vocab, data)
    back = read_source(source_graph(source, vocab), source.id, vocab)
    assert back != source
    assert back == canonical_source(source, vocab)
    assert back.findings[0].outcome_stages == ["attitude", "behaviour"]


def test_round_trip_shipped_and_own_entries(vocab, all_sources):
    for source in all_sources:
        expected = canonical_source(source, vocab)
        assert read_source(source_graph(source, vocab), source.id, vocab) == expected, source.id


def test_round_trip_through_ntriples_text(vocab):
    source = make(vocab, full_entry())
    graph = Graph().parse(data=source_ntriples(source, vocab), format="nt")
    assert read_source(graph, source.id, vocab) == canonical_source(source, vocab)


def test_read_source_missing_source_raises_entry_error(vocab):
    graph = source_graph(make(vocab, minimal_entry()), vocab)
    with pytest.raises(EntryError) as err:
        read_source(graph, "not_there", vocab)
    assert "not_there" in str(err.value)


def test_read_source_missing_title_names_field(vocab):
    graph = source_graph(make(vocab, minimal_entry()), vocab)
    graph.remove((URIRef(BASE + "source/minimal"), URIRef("http://purl.org/dc/terms/title"), None))
    with pytest.raises(EntryError) as err:
        read_source(graph, "minimal", vocab)
    assert [p.field for p in err.value.problems] == ["title"]


def test_read_source_missing_locator_names_finding(vocab):
    source = make(vocab, full_entry())
    graph = source_graph(source, vocab)
    graph.remove((URIRef(BASE + "finding/T1"), TG.locator, None))
    with pytest.raises(EntryError) as err:
        read_source(graph, source.id, vocab)
    assert "findings[T1].locator" in [p.field for p in err.value.problems]


def test_read_source_unknown_factor_iri_raises(vocab):
    source = make(vocab, full_entry())
    graph = source_graph(source, vocab)
    graph.set((URIRef(BASE + "finding/T1"), TG.factor, URIRef(BASE + "factor/no_such_factor")))
    with pytest.raises(EntryError) as err:
        read_source(graph, source.id, vocab)
    assert "no_such_factor" in str(err.value)


def test_round_trip_region_as_scale_iri_and_absent_when_not_recorded(vocab):
    source = make(vocab, full_entry())
    graph = source_graph(source, vocab)
    assert graph.value(URIRef(BASE + "finding/T2"), TG.region) == URIRef(
        BASE + "scale/region/netherlands"
    )
    assert graph.value(URIRef(BASE + "finding/T1"), TG.region) is None
    back = read_source(graph, source.id, vocab)
    assert [f.region for f in back.findings] == ["netherlands", None]


def test_read_source_region_outside_the_scale_names_the_field(vocab):
    source = make(vocab, full_entry())
    graph = source_graph(source, vocab)
    graph.set((URIRef(BASE + "finding/T2"), TG.region, URIRef(BASE + "scale/region/mars")))
    with pytest.raises(EntryError) as err:
        read_source(graph, source.id, vocab)
    assert "region" in str(err.value) and "mars" in str(err.value)


# ---- graph shape ----------------------------------------------------------------------------
def test_source_graph_has_no_blank_nodes(vocab):
    graph = source_graph(make(vocab, full_entry()), vocab)
    assert not [t for triple in graph for t in triple if isinstance(t, BNode)]


def test_source_graph_identifier_is_graph_iri(vocab):
    graph = source_graph(make(vocab, minimal_entry()), vocab)
    assert graph.identifier == URIRef(BASE + "graph/minimal")


def test_source_graph_types_source_with_bibo_class(vocab):
    graph = source_graph(make(vocab, full_entry()), vocab)
    types = set(graph.objects(URIRef(BASE + "source/full_entry"), RDF.type))
    assert types == {TG.Source, URIRef("http://purl.org/ontology/bibo/AcademicArticle")}


def test_source_graph_size_band_computed(vocab):
    graph = source_graph(make(vocab, full_entry()), vocab)
    assert graph.value(URIRef(BASE + "finding/T2"), TG.sizeBand) == URIRef(
        BASE + "scale/size-band/very_small"
    )
    assert graph.value(URIRef(BASE + "finding/T1"), TG.sizeBand) == URIRef(
        BASE + "scale/size-band/large"
    )


def test_source_graph_driver_terms_prefixed_with_driver(vocab):
    graph = source_graph(make(vocab, full_entry()), vocab)
    terms = {str(o) for o in graph.objects(URIRef(BASE + "finding/T2"), TG.driverTermInSource)}
    assert terms == {"justice_seeker: grievance"}


def test_source_graph_agent_names_colliding_raise(vocab):
    finding = full_entry()["findings"][1] | {"added_by": "Triggergraph Curators"}
    source = make(vocab, minimal_entry(findings=[finding]))
    with pytest.raises(EntryError) as err:
        source_graph(source, vocab)
    assert "same agent" in str(err.value)


def test_proposed_driver_links_only_as_proposed_driver(all_sources, all_dataset):
    dataset, sources = all_dataset, all_sources
    expected = {
        (URIRef(BASE + "finding/" + f.id), URIRef(BASE + "driver/" + d.driver))
        for s in sources
        for f in s.findings
        for d in f.drivers
        if d.basis == "proposed"
    }
    proposed = {(s, o) for s, _, o, _ in dataset.quads((None, TG.proposedDriver, None, None))}
    stated = {(s, o) for s, _, o, _ in dataset.quads((None, TG.driver, None, None))}
    assert proposed == expected
    assert not proposed & stated
    assert (URIRef(BASE + "finding/T2"), URIRef(BASE + "driver/meaning_seeker")) in proposed


def test_iris_under_custom_base():
    vocab = load_vocabulary(base_iri=CUSTOM_BASE)
    dataset = build_dataset(own_sources(vocab), vocab)
    external = tuple(PREFIXES.values()) + ("http://www.w3.org/", "https://w3id.org/triggergraph/")
    iris = {t for quad in dataset.quads() for t in quad if isinstance(t, URIRef)}
    ours = {str(i) for i in iris if not str(i).startswith(external)}
    practitioner_pages = {str(o) for o in vocab.graph.objects(None, TG.practitionerToolPage)}
    urls = {"https://example.org/article", "https://example.org/a"}
    leftover = {i for i in ours if not i.startswith(CUSTOM_BASE)} - practitioner_pages - urls
    assert not leftover
    assert URIRef(CUSTOM_BASE + "graph/full_entry") in {g.identifier for g in dataset.graphs()}
    assert URIRef(CUSTOM_BASE + "finding/T2") in iris
    assert not any(BASE in i for i in ours)


# ---- dataset -----------------------------------------------------------------------------------
def test_build_dataset_one_named_graph_per_source_plus_vocabulary(vocab):
    sources = own_sources(vocab)
    dataset = build_dataset(sources, vocab)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {BASE + "graph/vocabulary", BASE + "graph/full_entry", BASE + "graph/minimal"}
    assert len(dataset.graph(URIRef(BASE + "graph/vocabulary"))) == len(vocab.graph)


def test_build_dataset_duplicate_source_ids_raise(vocab):
    source = make(vocab, minimal_entry())
    with pytest.raises(EntryError):
        build_dataset([source, source], vocab)


def test_build_dataset_counts_sources_findings_factors(all_sources, all_dataset):
    sources, dataset = all_sources, all_dataset
    query = """
        SELECT (COUNT(DISTINCT ?s) AS ?sources) (COUNT(DISTINCT ?f) AS ?findings)
               (COUNT(DISTINCT ?factor) AS ?factors)
        WHERE { GRAPH ?g { ?s a tg:Source . OPTIONAL { ?f tg:reportedIn ?s ; tg:factor ?factor } } }
    """
    row = next(iter(dataset.query(query, initNs={"tg": TG._NS})))
    assert int(row.sources) == len(sources)
    assert int(row.findings) == sum(len(s.findings) for s in sources)
    assert int(row.factors) == len({f.factor for s in sources for f in s.findings})


ASK_FINDING_WITHOUT_SOURCE_OR_LOCATOR = """
    ASK {
        GRAPH ?g { ?f a tg:Finding }
        FILTER NOT EXISTS {
            GRAPH ?g { ?f tg:reportedIn ?s ; tg:locator ?locator . ?s a tg:Source }
            FILTER (STRLEN(STR(?locator)) > 0)
        }
    }
"""


def test_every_finding_has_source_and_locator(all_dataset):
    assert not all_dataset.query(
        ASK_FINDING_WITHOUT_SOURCE_OR_LOCATOR, initNs={"tg": TG._NS}
    ).askAnswer


def test_every_finding_has_source_and_locator_detects_missing(vocab):
    dataset = build_dataset(own_sources(vocab), vocab)
    dataset.graph(URIRef(BASE + "graph/full_entry")).remove(
        (URIRef(BASE + "finding/T1"), TG.locator, None)
    )
    assert dataset.query(ASK_FINDING_WITHOUT_SOURCE_OR_LOCATOR, initNs={"tg": TG._NS}).askAnswer


def test_replacing_one_source_touches_one_graph(vocab):
    before = build_dataset(own_sources(vocab), vocab)
    changed = make(vocab, full_entry(title="A changed title"))
    after = build_dataset([changed, make(vocab, minimal_entry())], vocab)
    differing = {
        str(g.identifier) for g in before.graphs() if set(g) != set(after.graph(g.identifier))
    } | {str(g.identifier) for g in after.graphs() if set(g) != set(before.graph(g.identifier))}
    assert differing == {BASE + "graph/full_entry"}


# ---- determinism and serialisations ----------------------------------------------------------
@pytest.mark.parametrize("fmt", sorted(DIST_FILES))
def test_serialize_dataset_two_builds_identical(vocab, fmt):
    first = serialize_dataset(build_dataset(own_sources(vocab), vocab), fmt)
    second = serialize_dataset(build_dataset(list(reversed(own_sources(vocab))), vocab), fmt)
    assert first == second


DIGEST_SCRIPT = """
import hashlib, sys
sys.path.insert(0, sys.argv[1])
import yaml
from triggergraph.models import Source
from triggergraph.rdf import build_dataset, serialize_dataset, DIST_FILES
from triggergraph.vocabulary import load_vocabulary
vocab = load_vocabulary(base_iri="http://127.0.0.1:8000/")
data = yaml.safe_load(sys.stdin.read())
sources = [Source.model_validate(d, context={"vocabulary": vocab}) for d in data]
ds = build_dataset(sources, vocab)
print(" ".join(hashlib.sha256(serialize_dataset(ds, f)).hexdigest() for f in sorted(DIST_FILES)))
"""


def test_serialize_dataset_identical_across_processes(vocab):
    """Hash order differs between processes; the bytes must not."""
    sources = [make(vocab, full_entry()), make(vocab, minimal_entry())]
    dataset = build_dataset(sources, vocab)
    here = " ".join(
        hashlib.sha256(serialize_dataset(dataset, f)).hexdigest() for f in sorted(DIST_FILES)
    )
    seed = "1" if os.environ.get("PYTHONHASHSEED") == "0" else "0"
    run = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT, str(PROJECT_ROOT)],
        input=yaml.safe_dump([full_entry(), minimal_entry()], allow_unicode=True),
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED=seed),
        cwd=PROJECT_ROOT,
        timeout=120,
        check=True,
    )
    assert run.stdout.strip() == here


def test_nquads_sorted_lines(vocab):
    text = serialize_dataset(build_dataset(own_sources(vocab), vocab), "nquads").decode("utf-8")
    lines = text.splitlines()
    assert lines == sorted(lines)
    assert all(line.endswith(" .") for line in lines)


@pytest.mark.parametrize(
    ("fmt", "parser"), [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "jsonld")]
)
def test_serialisation_parses_back_with_same_quads(vocab, fmt, parser):
    dataset = build_dataset(own_sources(vocab), vocab)
    parsed = parse_rdf(serialize_dataset(dataset, fmt), parser)
    assert isinstance(parsed, Dataset)
    assert quads(parsed) == quads(dataset)


def test_turtle_serialisation_is_union_of_graphs(vocab):
    dataset = build_dataset(own_sources(vocab), vocab)
    parsed = parse_rdf(serialize_dataset(dataset, "turtle"), "turtle")
    union = {(s, p, o) for s, p, o, _ in quads(dataset)}
    assert set(parsed) == union
    assert len(parsed) == len(union)


def test_jsonld_reads_as_plain_json_with_embedded_context(vocab):
    dataset = build_dataset(own_sources(vocab), vocab)
    document = json.loads(serialize_dataset(dataset, "jsonld"))
    assert isinstance(document["@context"], dict)  # embedded, never a URL to fetch
    graphs = {g["id"]: g["graph"] for g in document["graph"]}
    nodes = {n["id"]: n for n in graphs[BASE + "graph/full_entry"]}
    finding = nodes[BASE + "finding/T2"]
    assert finding["type"] == "Finding"
    assert finding["factor"] == BASE + "factor/detention"
    assert finding["driver"] == BASE + "driver/justice_seeker"
    assert finding["certainty"] == BASE + "scale/certainty/C"
    assert finding["effectValue"] == "-0.09"
    assert nodes[BASE + "source/full_entry"]["title"] == "A test title with ünïcode — and “quotes”"


def test_write_dist_writes_four_parseable_files(vocab, tmp_path: Path):
    paths = write_dist(own_sources(vocab), vocab, tmp_path / "dist")
    assert [p.name for p in paths] == list(DIST_FILES.values())
    expected = quads(build_dataset(own_sources(vocab), vocab))
    for path, fmt in zip(paths, DIST_FILES, strict=True):
        parsed = parse_rdf(path.read_bytes(), fmt)
        got = quads(parsed) if isinstance(parsed, Dataset) else {(s, p, o) for s, p, o in parsed}
        want = expected if isinstance(parsed, Dataset) else {(s, p, o) for s, p, o, _ in expected}
        assert got == want, path.name


def test_vocabulary_ntriples_sorted_and_complete(vocab):
    text = vocabulary_ntriples(vocab)
    lines = text.splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(vocab.graph)
    assert text == vocabulary_ntriples(vocab)


def test_source_ntriples_deterministic(vocab):
    source = make(vocab, full_entry())
    assert source_ntriples(source, vocab) == source_ntriples(make(vocab, full_entry()), vocab)


# ---- parse_rdf errors --------------------------------------------------------------------------
def test_parse_rdf_invalid_turtle_gives_entry_error_with_line():
    data = b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n"
    with pytest.raises(EntryError) as err:
        parse_rdf(data, "turtle")
    assert err.value.problems[0].line == 3


def test_parse_rdf_invalid_nquads_gives_line():
    data = b"<http://x.org/a> <http://x.org/b> <http://x.org/c> .\n<http://x.org/a> <http://x.org/b> .\n"
    with pytest.raises(EntryError) as err:
        parse_rdf(data, "nquads")
    assert err.value.problems[0].line == 2


def test_parse_rdf_remote_jsonld_context_rejected():
    data = json.dumps(
        {"@context": "https://schema.org/", "@id": "http://x.org/a", "name": "x"}
    ).encode()
    with pytest.raises(EntryError) as err:
        parse_rdf(data, "jsonld")
    assert "remote JSON-LD contexts" in str(err.value)


def test_parse_rdf_jsonld_import_in_context_rejected():
    document = {
        "@context": {"@version": 1.1, "@import": "https://example.org/ctx.jsonld"},
        "@id": "http://x.org/a",
    }
    with pytest.raises(EntryError) as err:
        parse_rdf(json.dumps(document).encode(), "jsonld")
    assert "https://example.org/ctx.jsonld" in str(err.value)


def test_parse_rdf_unknown_format_rejected():
    with pytest.raises(EntryError) as err:
        parse_rdf(b"", "rdfxml-ish")
    assert "unknown RDF format" in str(err.value)


def test_parse_rdf_valid_turtle_returns_graph():
    graph = parse_rdf(b'<http://x.org/a> <http://x.org/b> "c" .', "turtle")
    assert (URIRef("http://x.org/a"), URIRef("http://x.org/b"), Literal("c")) in graph


def test_build_dataset_shipped_literature_hash_stable(vocab, all_sources, all_dataset):
    sources = all_sources
    first = hashlib.sha256(serialize_dataset(all_dataset, "nquads")).hexdigest()
    second = hashlib.sha256(
        serialize_dataset(build_dataset(sources[::-1], vocab), "nquads")
    ).hexdigest()
    assert first == second


# ---- N-Triples text ----------------------------------------------------------------------------
def test_source_ntriples_parses_to_the_source_graph(vocab):
    source = make(vocab, full_entry())
    parsed = Graph().parse(data=source_ntriples(source, vocab), format="nt")
    assert set(parsed) == set(source_graph(source, vocab))


def test_source_ntriples_escapes_hard_characters(vocab):
    text = 'line one\nline "two"\r\ttab \\ back — ü 🙂'
    source = make(vocab, minimal_entry(title="T", design=text))
    parsed = Graph().parse(data=source_ntriples(source, vocab), format="nt")
    assert read_source(parsed, source.id, vocab).design == text


def test_source_triples_match_source_graph(vocab):
    source = make(vocab, full_entry())
    assert set(source_triples(source, vocab)) == set(source_graph(source, vocab))


def test_build_nquads_equals_serialized_dataset(vocab, all_sources, all_dataset):
    assert build_nquads(all_sources, vocab) == serialize_dataset(all_dataset, "nquads").decode(
        "utf-8"
    )


def test_iri_safe_encodes_characters_iris_forbid(vocab):
    url = "https://example.org/a|b{c}^d`e"
    assert iri_safe(url) == "https://example.org/a%7Cb%7Bc%7D%5Ed%60e"
    finding = full_entry()["findings"][1] | {"verified_from": url}
    source = make(vocab, minimal_entry(findings=[finding]))
    parsed = Graph().parse(data=source_ntriples(source, vocab), format="nt")
    assert str(parsed.value(URIRef(BASE + "finding/T1"), TG.verifiedFrom)) == iri_safe(url)


# ---- TripleIndex: the fast reader input (pyoxigraph parse, plain dicts) ---------------------
def _both_readers(text: str, source_id: str, vocab) -> tuple[Source, Source]:
    from triggergraph.rdf import TripleIndex

    slow = read_source(Graph().parse(data=text, format="nt"), source_id, vocab)
    fast = read_source(TripleIndex.from_ntriples(text), source_id, vocab)
    return slow, fast


def test_triple_index_reads_like_rdflib_shipped_and_own_entries(vocab, all_sources):
    for source in all_sources:
        slow, fast = _both_readers(source_ntriples(source, vocab), source.id, vocab)
        assert fast == slow, source.id
        assert fast.model_dump() == slow.model_dump()


def test_triple_index_reads_like_rdflib_synthetic_entries(vocab):
    sources = load_bench("synth").generate_sources(400, seed=7, vocabulary=vocab)
    assert any(f.effect and f.effect.value is not None for s in sources for f in s.findings)
    for source in sources:
        slow, fast = _both_readers(source_ntriples(source, vocab), source.id, vocab)
        assert fast == slow == canonical_source(source, vocab), source.id


def test_triple_index_keeps_author_order_and_exact_decimals(vocab):
    finding = full_entry()["findings"][1] | {
        "effect": {"measure": "r", "value": 0.30000000000000004, "ci": [-0.09, 1e-05]}
    }
    source = make(vocab, full_entry(findings=[finding]))
    slow, fast = _both_readers(source_ntriples(source, vocab), source.id, vocab)
    assert fast == slow
    assert fast.authors == ["Zeta, Z.", "Alpha, A.", "Müller, K."]
    assert fast.findings[0].effect.value == 0.30000000000000004
    assert fast.findings[0].effect.ci == (-0.09, 1e-05)


def test_triple_index_repeated_line_is_one_triple():
    from triggergraph.rdf import TripleIndex

    line = '<http://a/s> <http://a/p> "x" .\n'
    index = TripleIndex.from_ntriples(line + line)
    assert len(index) == 1
    assert [str(o) for o in index.objects(URIRef("http://a/s"), URIRef("http://a/p"))] == ["x"]


def test_triple_index_bad_ntriples_raises_syntax_error():
    from triggergraph.rdf import TripleIndex

    with pytest.raises(SyntaxError):
        TripleIndex.from_ntriples("<http://a/s> <http://a/p> .\n")


def test_triple_index_missing_source_raises_entry_error_like_rdflib(vocab):
    from triggergraph.rdf import TripleIndex

    with pytest.raises(EntryError, match="has no source"):
        read_source(
            TripleIndex.from_ntriples("<http://a/s> <http://a/p> <http://a/o> .\n"), "x", vocab
        )
