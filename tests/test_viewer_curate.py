"""Tests for triggergraph.viewer.curate: the entry form and sign-in pages."""

from __future__ import annotations

import pytest

from triggergraph.models import Source
from triggergraph.viewer.curate import (
    build_curate_page,
    build_reconcile_page,
    render_curate_page,
    render_login_page,
    render_reconcile_page,
)
from triggergraph.viewer.entry_form import SKIPPED, FormNode, form_tree
from triggergraph.vocabulary import load_vocabulary


def _walk(nodes: list[FormNode]) -> dict[str, FormNode]:
    out = {}
    for node in nodes:
        out[node.path] = node
        out.update(_walk(node.children))
    return out


def _schema_paths(schema: dict, defs: dict, prefix: str = "") -> set[str]:
    paths = set()
    for key, sub in schema.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        paths.add(path)
        sub = next((b for b in sub.get("anyOf", [sub]) if b.get("type") != "null"), sub)
        target = sub.get("items", sub)
        if "$ref" in target:
            ref = defs[target["$ref"].rsplit("/", 1)[-1]]
            paths |= _schema_paths(ref, defs, path + ("[]" if "items" in sub else ""))
    return paths


def test_form_has_a_field_for_every_schema_field_but_a_findings_own_provenance():
    schema = Source.model_json_schema()
    tree = _walk(form_tree(load_vocabulary(), "en"))
    assert set(tree) == _schema_paths(schema, schema["$defs"]) - SKIPPED
    assert tree["findings[].effect.value"].widget == "number"
    assert tree["findings[].caveats"].widget == "checks"
    assert tree["findings[].drivers"].widget == "array"
    assert tree["authors"].widget == "lines" and tree["authors"].required


def test_form_enums_are_vocabulary_choices_labelled_in_the_language():
    vocabulary = load_vocabulary()
    tree = _walk(form_tree(vocabulary, "nl"))
    directions = {o.value: o.label for o in tree["findings[].direction"].options}
    assert directions["increases"] == vocabulary.scales["direction"]["increases"].label("nl")
    assert set(directions) == set(vocabulary.scales["direction"])
    caveats = {o.value for o in tree["findings[].caveats"].options}
    assert caveats == set(vocabulary.scales["caveat"])
    drivers = {o.value for o in tree["findings[].drivers[].driver"].options}
    assert drivers == set(vocabulary.drivers)
    basis = {o.value: o.label for o in tree["findings[].drivers[].basis"].options}
    assert basis == {"stated": "genoemd door de bron", "proposed": "voorgesteld door de codeur"}
    region = tree["findings[].region"]
    assert (region.widget, region.label, region.required) == (
        "select",
        "Regio van de populatie",
        False,
    )
    assert {o.value: o.label for o in region.options}["north_america"] == "Noord-Amerika"


def test_curate_page_renders_every_field_once_with_templates_for_items():
    vocabulary = load_vocabulary()
    page = render_curate_page(vocabulary, lang="nl", csrf="abc123")
    assert 'data-csrf="abc123"' in page and 'lang="nl"' in page and 'data-mode="new"' in page
    for value in vocabulary.demographics:
        assert f'value="{value}"' in page
    assert page.count('data-name="findings"') == 1
    assert page.count('data-name="effect"') == 1  # inside the findings item template
    assert '<script src="/static/viewer/curate.js"></script>' in page
    assert 'id="initial-entry"' not in page


def test_edit_page_embeds_the_entry_as_inert_json():
    entry = {"id": "s", "title": "</script><script>alert(1)</script>"}
    page = render_curate_page(
        load_vocabulary(),
        lang="en",
        csrf="x",
        mode="edit",
        source_id="s",
        loaded={"entry": entry, "revision": "abc"},
    )
    assert 'data-mode="edit"' in page and 'data-revision="abc"' in page
    assert "<script>alert(1)" not in page and "\\u003c/script\\u003e" in page
    assert 'id="paste"' not in page and 'id="coder"' in page and 'id="why"' in page


def test_form_mode_must_be_known():
    with pytest.raises(ValueError, match="not a form mode"):
        build_curate_page(load_vocabulary(), lang="en", csrf="x", mode="delete")


AGREEMENT = {
    "source_id": "s",
    "coder_a": "Ann",
    "coder_b": "Bob",
    "revision": "r1",
    "fields": [
        {"field": "direction", "n": 4, "agreed": 3, "percent": 75.0, "kappa": 0.5},
        {"field": "factor", "n": 4, "agreed": 4, "percent": 100.0, "kappa": None},
    ],
    "differences": [
        {
            "key": "f1|f1|direction",
            "finding_a": "f1",
            "finding_b": "f1",
            "field": "direction",
            "value_a": "increases",
            "value_b": "mixed",
        },
        {
            "key": "f1|f1|drivers",
            "finding_a": "f1",
            "finding_b": "f1",
            "field": "drivers",
            "value_a": "meaning_seeker:stated",
            "value_b": "(none)",
        },
    ],
}


def test_reconcile_page_shows_figures_and_labelled_values_in_dutch():
    vocabulary = load_vocabulary()
    view = build_reconcile_page(vocabulary, AGREEMENT, lang="nl", csrf="x")
    assert [(r.percent, r.kappa) for r in view.agreement] == [("75 %", "0.50"), ("100 %", "–")]
    direction, drivers = view.differences
    assert direction.value_a == vocabulary.scales["direction"]["increases"].label("nl")
    assert drivers.value_a.endswith("(genoemd door de bron)") and drivers.value_b == "geen"
    page = render_reconcile_page(vocabulary, AGREEMENT, lang="nl", csrf="x")
    assert 'name="f1|f1|direction" value="a"' in page and "Cohens kappa" in page
    assert '<script src="/static/viewer/curate.js"></script>' in page


def test_curate_page_escapes_the_csrf_value():
    page = render_curate_page(load_vocabulary(), lang="en", csrf='"><script>x</script>')
    assert "<script>x</script>" not in page


def test_curate_pages_are_dutch_in_dutch():
    page = render_curate_page(load_vocabulary(), lang="nl", csrf="x")
    assert "Bron toevoegen" in page and "Bevinding toevoegen" in page
    assert "Verkeerd schrijftoken." in render_login_page(lang="nl", error="wrong_token")
    assert "Uw sessie is verlopen" in render_login_page(lang="nl", error="expired")


def test_curate_page_carries_the_population_notice():
    page = render_curate_page(load_vocabulary(), lang="en", csrf="x")
    assert 'id="notice"' in page


def test_login_page_states_wrong_token_and_disabled_writes():
    assert "Wrong write token." in render_login_page(lang="en", error="wrong_token")
    disabled = render_login_page(lang="en", writes_enabled=False)
    assert "Writes are disabled" in disabled and 'name="token"' not in disabled
