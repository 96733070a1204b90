"""Tests for triggergraph.viewer.curate: the entry form and sign-in pages."""

from __future__ import annotations

from triggergraph.viewer.curate import build_curate_page, render_curate_page, render_login_page
from triggergraph.vocabulary import load_vocabulary


def test_curate_page_offers_every_driver_and_demographic_value():
    vocabulary = load_vocabulary()
    page = render_curate_page(vocabulary, lang="nl", csrf="abc123")
    assert 'data-csrf="abc123"' in page and 'lang="nl"' in page
    for driver in vocabulary.drivers:
        assert f'data-driver="{driver}"' in page
    for value in vocabulary.demographics:
        assert f'data-demographic="{value}"' in page
    assert '<script src="/static/viewer/curate.js"></script>' in page


def test_curate_page_labels_choices_in_the_language():
    vocabulary = load_vocabulary()
    view = build_curate_page(vocabulary, lang="nl", csrf="x")
    directions = {o.value: o.label for o in view.scales["direction"]}
    assert directions["increases"] == vocabulary.scales["direction"]["increases"].label("nl")


def test_curate_page_escapes_the_csrf_value():
    page = render_curate_page(load_vocabulary(), lang="en", csrf='"><script>x</script>')
    assert "<script>x</script>" not in page


def test_curate_pages_are_dutch_in_dutch():
    page = render_curate_page(load_vocabulary(), lang="nl", csrf="x")
    assert "Bron toevoegen" in page and "Bevinding toevoegen" in page
    assert "Verkeerd schrijftoken." in render_login_page(lang="nl", error="wrong_token")


def test_curate_page_carries_the_population_notice():
    page = render_curate_page(load_vocabulary(), lang="en", csrf="x")
    assert 'id="notice"' in page


def test_login_page_states_wrong_token_and_disabled_writes():
    assert "Wrong write token." in render_login_page(lang="en", error="wrong_token")
    disabled = render_login_page(lang="en", writes_enabled=False)
    assert "Writes are disabled" in disabled and 'name="token"' not in disabled
