"""The viewer's renderers without a browser: escaping, languages, legend, notice, export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from triggergraph.answers import FindingsQuery, MatrixQuery, ProfileQuery, SourcesQuery
from triggergraph.answers.builders import (
    build_construct,
    build_finding,
    build_matrix,
    build_profile,
)
from triggergraph.exceptions import EntryError, NotFoundError
from triggergraph.loader import load_literature
from triggergraph.models import Source
from triggergraph.readmodel import EvidenceIndex
from triggergraph.viewer import (
    build_cell_findings,
    build_network_data,
    dump_script_json,
    escape_html,
    keep_verdict,
    read_static,
    render_error_page,
    render_evidence_map,
    render_factor_page,
    render_network_page,
    render_profile_page,
    render_single_file,
    render_source_page,
    safe_href,
    write_single_file,
)
from triggergraph.vocabulary import load_vocabulary

REPO = Path(__file__).resolve().parent.parent
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
ATTR = '" onmouseover="alert(1)'
PAYLOAD = f"{IMG} {SCRIPT} {ATTR} javascript:alert(1)"


def xss_source() -> dict:
    return {
        "id": "xss_unit",
        "type": "report",
        "authors": [IMG, ATTR],
        "year": 2021,
        "title": f"Unit probe {SCRIPT}",
        "venue": PAYLOAD,
        "url": 'https://example.org/"onmouseover="alert(1)',
        "design": PAYLOAD,
        "citation_note": PAYLOAD,
        "context_notes": [{"text": PAYLOAD, "locator": IMG}],
        "cites": [{"first_author": IMG, "note": SCRIPT}],
        "added_by": ATTR,
        "added_on": "2026-01-01",
        "findings": [
            {
                "id": "XSSU1",
                "factor": "detention",
                "drivers": [{"driver": "justice_seeker", "basis": "stated", "term_in_source": IMG}],
                "demographics": ["age_under_18", "sex_female"],
                "direction": "increases",
                "certainty": "C",
                "certainty_reasons": [PAYLOAD],
                "effect": {"measure": "none", "text": PAYLOAD},
                "outcome": PAYLOAD,
                "population": PAYLOAD,
                "locator": f"p. 2 {IMG}",
                "note": PAYLOAD,
            }
        ],
    }


@pytest.fixture(scope="module")
def index() -> EvidenceIndex:
    vocabulary = load_vocabulary()
    sources = load_literature(REPO / "literature", vocabulary)
    sources.append(Source.model_validate(xss_source(), context={"vocabulary": vocabulary}))
    return EvidenceIndex.build(sources, vocabulary)


def raw_payloads_in(html: str) -> list[str]:
    """Payload fragments that appear unescaped (as live markup) in ``html``."""
    found = []
    for fragment in ("<img src=x", "<script>alert(1)", 'onmouseover="alert', 'href="javascript'):
        if fragment in html:
            found.append(fragment)
    return found


def test_escape_html_escapes_markup_and_quotes():
    assert escape_html(IMG) == "&lt;img src=x onerror=alert(1)&gt;"
    assert escape_html(ATTR) == "&quot; onmouseover=&quot;alert(1)"
    assert escape_html(None) == ""


def test_dump_script_json_cannot_close_script():
    data = {"t": SCRIPT, "u": "a\u2028b&c"}
    text = dump_script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_safe_href_refuses_non_http_urls():
    assert safe_href("javascript:alert(1)") is None
    assert safe_href(" JavaScript:alert(1)") is None
    assert safe_href("data:text/html,<script>") is None
    assert safe_href("https://doi.org/10.1/x") == "https://doi.org/10.1/x"


def test_keep_verdict_order_strength_and_contested():
    assert [
        keep_verdict(v, "moderate") for v in ("strong", "moderate", "limited", "contested")
    ] == [
        True,
        True,
        False,
        False,
    ]
    assert keep_verdict("contested", "limited") and not keep_verdict("no_evidence", "limited")
    assert keep_verdict("no_evidence", "no_evidence") and not keep_verdict("limited", "no_evidence")


def test_render_evidence_map_escapes_entry_strings(index):
    html = render_evidence_map(index, lang="en")
    assert raw_payloads_in(html) == []
    # the map ships cells only; a cell's findings arrive as JSON when it is opened, and the
    # offline copy embeds them: both keep the payloads as data, never as markup
    cell = build_cell_findings(index, {"factor": "detention", "column": "justice_seeker"})
    assert IMG in cell["findings"]["XSSU1"]["locator"]
    assert SCRIPT in cell["findings"]["XSSU1"]["effect"]
    export = render_single_file(index, lang="en")
    data = re.search(
        r'<script type="application/json" id="tg-data">(.*?)</script>', export, re.S
    ).group(1)
    finding = json.loads(data)["map"]["findings"]["XSSU1"]
    assert IMG in finding["locator"] and SCRIPT in finding["effect"]


def test_render_evidence_map_has_legend_with_every_verdict(index):
    html = render_evidence_map(index, lang="en")
    legend = html[html.index('class="legend"') :]
    for name in ("strong", "moderate", "limited", "contested"):
        assert name in legend
    for empty in ("not studied", "not encoded", "filtered away"):
        assert empty in legend
    assert "Mark size and number = independent source groups" in legend


def test_render_evidence_map_cells_for_every_row_and_column(index):
    html = render_evidence_map(index, lang="en")
    rows = len(build_matrix(index, MatrixQuery(cols="all")).rows)
    columns = len(build_matrix(index, MatrixQuery(cols="all")).columns)
    assert html.count('<td class="cell') == rows * columns
    empty = html.count('data-verdict="no_evidence"')
    assert 0 < empty < rows * columns


def test_render_evidence_map_switches_language(index):
    nl = render_evidence_map(index, lang="nl", params={"verdict": "limited"})
    en = render_evidence_map(index, lang="en")
    assert '<html lang="nl">' in nl and ">Detentie</a>" in nl and "Bewijskaart" in nl
    assert 'href="/?verdict=limited&amp;lang=en"' in nl
    assert '<html lang="en">' in en and ">Detention</a>" in en and 'href="/?lang=nl"' in en


def test_render_evidence_map_verdict_filter_marks_cells_off(index):
    html = render_evidence_map(index, lang="en", params={"verdict": "strong"})
    matrix = build_matrix(index, MatrixQuery(cols="all"))
    strong = sum(
        1 for cells in matrix.cells.values() for c in cells.values() if c.verdict == "strong"
    )
    shown = re.search(r'<span id="shown-count">(\d+)</span>', html).group(1)
    assert int(shown) == strong
    off = len(re.findall(r'<td class="cell [^"]* off"', html))
    assert off == len(matrix.rows) * len(matrix.columns) - strong


@pytest.mark.parametrize(
    ("field", "value"), [("level", "mikro"), ("verdict", "great"), ("stage", "x"), ("lang", "de")]
)
def test_render_evidence_map_rejects_bad_parameter(index, field, value):
    with pytest.raises(EntryError) as caught:
        render_evidence_map(
            index, lang="en", params={field: value} if field != "lang" else {}
        ) if field != "lang" else render_evidence_map(index, lang=value)
    assert caught.value.problems[0].field == field
    assert repr(value) in caught.value.problems[0].message


def test_render_profile_page_shows_notice_in_both_languages(index):
    en = render_profile_page(index, lang="en", params={"driver": "justice_seeker"})
    nl = render_profile_page(index, lang="nl")
    profile = build_profile(index, ProfileQuery(driver="justice_seeker", lang="en"))
    assert profile.notice["en"] in en
    assert "risk assessment" in en
    assert "risicotaxatie" in nl and 'id="choose-one"' in nl


def test_render_profile_page_ranks_like_index(index):
    html = render_profile_page(
        index, lang="en", params={"sex": "sex_female", "age": "age_under_18"}
    )
    combined = html.split('id="ranking"', 1)[1].split("</ol>", 1)[0]
    shown = re.findall(r'<li data-factor="([^"]+)"', combined)
    expected = [
        i.factor.id
        for i in build_profile(index, ProfileQuery(sex="sex_female", age="age_under_18")).items
    ]
    assert shown == expected and "detention" in shown


def test_render_profile_page_rejects_unknown_driver(index):
    with pytest.raises(EntryError) as caught:
        render_profile_page(index, lang="en", params={"driver": "justice_seekr"})
    assert caught.value.problems[0].suggestions[0] == "justice_seeker"


def test_render_factor_page_lists_findings_and_verdicts(index):
    html = render_factor_page(index, factor_id="detention", lang="en")
    assert raw_payloads_in(html) == []
    assert "XSSU1" in html and 'href="/sources/xss_unit?lang=en"' in html
    for column in ("justice_seeker", "age_under_18", "education_high"):
        assert f'data-column="{column}"' in html
    assert escape_html(IMG) in html


def test_render_factor_page_unknown_id_raises_with_suggestions(index):
    with pytest.raises(NotFoundError) as caught:
        render_factor_page(index, factor_id="detentoin", lang="en")
    assert "detention" in caught.value.suggestions


def test_render_error_page_escapes_id_and_links_suggestions():
    error = NotFoundError("factor", IMG, ["detention"])
    html = render_error_page(error, lang="nl", path="/factors/x")
    assert raw_payloads_in(html) == []
    assert 'href="/factors/detention?lang=nl"' in html and "Niet gevonden" in html


def test_render_source_page_escapes_every_field(index):
    html = render_source_page(index, source_id="xss_unit", lang="en")
    assert raw_payloads_in(html) == []
    link = re.search(r'<a href="(https://example\.org/[^"]*)"', html).group(1)
    assert "onmouseover" in link and '"' not in link
    assert html.count(escape_html(IMG)) >= 4


def test_render_network_page_physics_off_and_no_cdn(index):
    html = render_network_page(index, lang="en")
    assert re.findall(r'src="([^"]+)"', html) == [
        "/static/viewer/vendor/vis-network.min.js",
        "/static/viewer/network.js",
    ]
    assert "cdn" not in html.lower() and "https://" not in html
    data = json.loads(re.search(r'id="tg-data">(.*?)</script>', html, re.S).group(1))["network"]
    assert data["options"]["physics"] == {"enabled": False}
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert "legend" in html


def test_render_network_page_filters_by_level(index):
    def factor_levels(html: str) -> set:
        data = json.loads(re.search(r'id="tg-data">(.*?)</script>', html, re.S).group(1))["network"]
        return {n.get("level") for n in data["nodes"] if n["kind"] == "factor"}

    assert factor_levels(render_network_page(index, lang="en")) == {"micro", "meso", "macro"}
    assert factor_levels(render_network_page(index, lang="en", params={"level": "meso"})) == {
        "meso"
    }


def test_build_network_data_hides_labels_of_large_graphs():
    import networkx as nx

    graph = nx.Graph()
    for i in range(600):
        graph.add_node(f"factor/f{i}", kind="factor", label=f"F {i}", level="micro")
    data = build_network_data(graph, {})
    assert all("label" not in n and n["name"].startswith("F ") for n in data["nodes"])
    assert data["label_all"] is False
    small = nx.Graph()
    small.add_node("factor/macro_section_5_1", kind="factor", label="5.1", level="macro")
    small.add_node("driver/d", kind="driver", label="D")
    small.add_edge("factor/macro_section_5_1", "driver/d", verdict="limited", direction=None)
    few = build_network_data(small, {})
    assert few["label_all"] is True
    placeholder = next(n for n in few["nodes"] if n["id"] == "factor/macro_section_5_1")
    assert placeholder["group"] == "factor_placeholder" and placeholder["placeholder"] is True
    assert few["edges"][0]["direction"] == "tie" and few["edges"][0]["sign"] == "≈"


def test_read_static_serves_vis_bundle_and_refuses_traversal():
    content, media = read_static("vendor/vis-network.min.js")
    assert media.startswith("text/javascript") and len(content) > 100_000
    for name in ("../html.py", "..", "/etc/passwd", "vendor/../../html.py", "missing.js"):
        assert read_static(name) is None


def test_write_single_file_inlines_everything(index, tmp_path):
    path = write_single_file(index, tmp_path / "out" / "tg.html", lang="en")
    html = path.read_bytes().decode("utf-8")
    assert html == render_single_file(index, lang="en")
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert 'id="evidence-map"' in html and 'id="network"' in html and "vis.Network" in html
    assert raw_payloads_in(html.split('id="tg-data">')[1].split("</script>")[0]) == []


def test_render_construct_page_links_trigger_factors_and_findings():
    from triggergraph.viewer import render_construct_page
    from triggergraph.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    index = EvidenceIndex.build(load_literature(Path("literature"), vocab), vocab)
    construct = vocab.constructs["perceived_discrimination"]
    page = render_construct_page(index, construct_id=construct.id, lang="nl")
    assert construct.label("nl") in page
    for factor_id, _mapping in construct.maps_to:
        assert f'href="/factors/{factor_id}?lang=nl"' in page
    assert page.count('<li id="') == len(build_construct(index, construct.id).findings) > 0


def test_render_construct_page_unknown_id_suggests():
    from triggergraph.viewer import render_construct_page
    from triggergraph.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    with pytest.raises(NotFoundError) as info:
        render_construct_page(
            EvidenceIndex.build([], vocab), construct_id="perceived_discrimnation"
        )
    assert "perceived_discrimination" in info.value.suggestions


def test_render_source_page_shows_driver_term_provenance_and_cited_locator():
    from triggergraph.viewer import render_source_page
    from triggergraph.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    sources = load_literature(Path("literature"), vocab)
    with_term = next(
        (s, f, link)
        for s in sources
        for f in s.findings
        for link in f.drivers
        if link.term_in_source
    )
    source, finding, link = with_term
    index = EvidenceIndex.build(sources, vocab)
    page = render_source_page(index, source_id=source.id, lang="en")
    assert f"in the source: {link.term_in_source}" in page
    assert f"{finding.added_by} · {finding.added_on.isoformat()}" in page
    cited = next(s for s in sources if any(c.locator for c in s.cites))
    locator = next(c.locator for c in cited.cites if c.locator)
    assert f"<small>{locator}</small>" in render_source_page(index, source_id=cited.id, lang="nl")


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "geen risicotaxatie"), ("en", "it is no risk assessment")],
)
def test_render_single_file_carries_population_notice(index, lang, words):
    html = render_single_file(index, lang=lang)
    notice = html.split('id="notice"', 1)[1].split("</aside>", 1)[0]
    assert words in notice


def test_render_evidence_map_ships_cells_not_findings(index):
    html = render_evidence_map(index, lang="en")
    data = json.loads(re.search(r'id="tg-data">(.*?)</script>', html, re.S).group(1))["map"]
    assert data["findings"] is None
    assert all("findings" not in cell for row in data["cells"].values() for cell in row.values())
    assert "XSSU1" not in html


def test_build_cell_findings_pages_and_rejects_bad_parameters(index):
    first = build_cell_findings(
        index, {"factor": "detention", "column": "age_under_18", "limit": "1"}
    )
    assert first["total"] >= 1 and len(first["counted"]) == 1
    assert first["next_offset"] == (1 if first["total"] > 1 else None)
    with pytest.raises(EntryError) as caught:
        build_cell_findings(index, {"factor": "detention", "column": "nobody"})
    assert caught.value.problems[0].field == "column"
    with pytest.raises(EntryError):
        build_cell_findings(index, {"factor": "detention", "column": "any", "limit": "1000"})
    with pytest.raises(NotFoundError):
        build_cell_findings(index, {"factor": "detentoin", "column": "any"})


def test_render_evidence_map_tells_three_kinds_of_empty_apart(index):
    plain = render_evidence_map(index, lang="en")
    kinds = set(re.findall(r'data-empty="([a-z_]+)"', plain))
    assert {"not_encoded", "not_studied"} <= kinds and "filtered" not in kinds
    stage = render_evidence_map(index, lang="en", params={"stage": "behaviour"})
    assert "filtered" in set(re.findall(r'data-empty="([a-z_]+)"', stage))


def _finding_answer(index, **changes):
    """A served finding of the index with some fields replaced, from a source it does not know."""
    from triggergraph.answers.evidence import FindingSource

    some = build_finding(index, next(iter(index.findings)))
    source = FindingSource(
        id="nowhere", iri="x", citation="A (2020)", year=2020, title="A", citation_flags=[]
    )
    blank = {"certainty_reasons": [], "effect": None, "population": None, "note": None}
    return some.model_copy(update={"source": source, "outcome": None, **blank, **changes})


def test_finding_card_shows_size_band_and_caution_flags_as_labels(index):
    from triggergraph.answers.base import ScaleRef
    from triggergraph.viewer.common import finding_card

    finding = _finding_answer(
        index,
        id="X1",
        size_band_label="groot",
        effect_flags=[ScaleRef(id="very_large_ratio_without_ci", label="zeer grote ratio")],
        outcome="within extremists",
    )
    card = finding_card(index, finding, "nl")
    facts = {f.label: f.value for f in card.facts}
    assert facts["Grootte van het effect"] == "groot" and facts["Let op"] == "zeer grote ratio"
    assert "very_large_ratio_without_ci" not in str(card)
    # the locator is the curators' English too: with the notes
    assert card.notes_foreign and {f.label for f in card.notes} == {"Vindplaats", "Uitkomst"}


def test_finding_card_reads_direction_against_the_outcome_compared(index):
    from triggergraph.answers.base import ScaleRef
    from triggergraph.viewer.common import finding_card

    within = _finding_answer(
        index,
        id="X2",
        direction="increases",
        outcome_kind=ScaleRef(id="within_extremists", label="vergelijking binnen extremisten"),
    )
    radical = within.model_copy(
        update={"outcome_kind": ScaleRef(id="radicalisation", label="radicalisering")}
    )
    facts = {f.label: f.value for f in finding_card(index, within, "nl").facts}
    assert facts["Richting"] == "hoger op de vergeleken uitkomst"
    facts = {f.label: f.value for f in finding_card(index, radical, "nl").facts}
    assert facts["Richting"] == "verhoogt radicalisering"


def test_dutch_source_page_keeps_english_cited_notes_behind_the_toggle(index):
    from triggergraph.answers.builders import build_source, build_sources
    from triggergraph.viewer import build_source_page, render_view

    ids = [s.id for s in build_sources(index, SourcesQuery(limit=500)).items]
    cited = next(i for i in ids if any(c.get("note") for c in build_source(index, i).cites))
    page = build_source_page(index, source_id=cited, lang="nl")
    noted = [c for c in page.cites if c.note]
    assert noted and all(c.note not in c.text for c in noted)
    html = render_view(page).split('<ul class="cites">')[1].split("</ul>")[0]
    assert html.count('<details class="notes"><summary>Notities (Engels)</summary>') == len(noted)


def test_finding_card_names_effect_measure_and_keeps_locator_with_the_notes(index):
    from triggergraph.answers import LangQuery
    from triggergraph.answers.builders import build_findings
    from triggergraph.viewer.common import finding_card

    finding = next(
        f
        for f in build_findings(index, FindingsQuery(limit=500)).items
        if f.effect is not None
        and f.effect.measure not in (None, "none")
        and f.effect.value is not None
    )
    card = finding_card(index, build_finding(index, finding.id, LangQuery(lang="nl")), "nl")
    effect = next(f.value for f in card.facts if f.label == "Effect")
    assert "_" not in effect.split("=")[0]
    assert "Vindplaats" not in [f.label for f in card.facts]
    assert card.notes_foreign and card.notes[0].value == finding.locator
