"""The viewer's catalogues: complete, compiled, in step with the code; Dutch pages speak Dutch."""

from __future__ import annotations

import re
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from triggergraph.answers.builders import build_finding, build_source, build_sources
from triggergraph.answers.queries import SourcesQuery
from triggergraph.viewer import (
    build_about_page,
    build_construct_page,
    build_factor_page,
    build_gaps_page,
    build_map_page,
    build_network_page,
    build_profile_page,
    build_source_page,
    render_single_file,
    render_view,
    translations_for,
)
from triggergraph.viewer.i18n import LOCALE_DIR

REPO = Path(__file__).resolve().parent.parent
VIEWER = REPO / "triggergraph" / "viewer"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
#: Values that are identifiers, not words: they must never reach a reader as text.
RAW_VALUES = re.compile(
    r"\b(systematic_review|meta_analysis|cross_sectional_survey|journal_article|verified_from|"
    r"no_evidence|no_association|pending|narrowMatch|broadMatch|closeMatch|exactMatch|"
    r"relatedMatch|doi_unverified|construct_not_trigger|proposed_driver_link|justice_seeker|"
    r"north_america|western_democracies)\b"
)


def read_catalogue(lang: str):
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def extracted_ids() -> set:
    method_map = [
        ("triggergraph/viewer/**.py", "python"),
        ("triggergraph/viewer/templates/**.html", "jinja2"),
    ]
    options = {
        "triggergraph/viewer/templates/**.html": {
            "extensions": "jinja2.ext.i18n",
            "trim_blocks": "True",
            "lstrip_blocks": "True",
        }
    }
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(REPO), method_map, options, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message)[0])
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_catalogue_translates_every_message_of_the_code(lang):
    catalogue = read_catalogue(lang)
    assert not catalogue.fuzzy, "a fuzzy catalogue is not compiled"
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    assert extracted_ids() - ids == set(), "run `make i18n`: messages missing from the catalogue"
    untranslated = [
        m.id
        for m in catalogue
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert untranslated == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_compiled_catalogue_matches_po(lang):
    buffer = BytesIO()
    write_mo(buffer, read_catalogue(lang))
    fresh = Translations(BytesIO(buffer.getvalue()))
    shipped = translations_for(lang)
    for message in read_catalogue(lang):
        if message.id and isinstance(message.id, str):
            assert shipped.gettext(message.id) == fresh.gettext(message.id), message.id


def test_dutch_plural_forms_are_right():
    ngettext = translations_for("nl").ngettext
    assert ngettext("%(num)d finding", "%(num)d findings", 1) % {"num": 1} == "1 bevinding"
    assert ngettext("%(num)d finding", "%(num)d findings", 3) % {"num": 3} == "3 bevindingen"


def test_viewer_python_builds_no_html():
    tag = re.compile(
        r"""["'][^"'\n]*<(a|p|div|li|ul|ol|td|th|tr|span|h[1-6]|table|section|dl|dt|dd)[\s>]"""
    )
    for path in VIEWER.glob("*.py"):
        # doctest lines show rendered output; they build nothing
        text = "\n".join(
            line for line in path.read_text(encoding="utf-8").splitlines() if ">>>" not in line
        )
        assert not tag.search(text), f"{path.name} builds HTML in a Python string"
        if path.name != "html.py":
            assert "escape_html(" not in text, f"{path.name} escapes by hand"


def visible_text(html: str) -> str:
    """Text a reader sees in <main>: no scripts, no English notes behind their toggle."""
    main = re.search(r"<main\b.*?</main>", html, re.S).group(0)
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r'<details class="notes">.*?</details>', " ", main, flags=re.S)
    main = re.sub(r"<[^>]+>", " ", main)
    return " ".join(unescape(main).split())


@pytest.fixture(scope="module")
def index(fixture_index):
    return fixture_index


def dutch_pages(index) -> dict[str, str]:
    source_id = build_sources(index, SourcesQuery()).items[0].id
    finding_id = build_source(index, source_id).findings[0].id
    factor_id = build_finding(index, finding_id).factor.id
    pages = {
        "/": build_map_page(index, lang="nl"),
        "/?region": build_map_page(index, lang="nl", params={"region": "western_democracies"}),
        "/network": build_network_page(index, lang="nl"),
        "/factors": build_factor_page(index, factor_id=factor_id, lang="nl"),
        "/constructs": build_construct_page(
            index, construct_id="perceived_discrimination", lang="nl"
        ),
        "/sources": build_source_page(index, source_id=source_id, lang="nl"),
        "/profile": build_profile_page(index, lang="nl", params={"driver": "justice_seeker"}),
        "/about": build_about_page(index, lang="nl"),
        "/gaps": build_gaps_page(index, lang="nl", params={"stage": "behaviour"}),
    }
    rendered = {path: render_view(page) for path, page in pages.items()}
    rendered["export"] = render_single_file(index, lang="nl")
    return rendered


def english_ui_strings() -> list[str]:
    """UI messages whose Dutch differs from the English (so English on a Dutch page is a miss)."""
    return [
        m.id
        for m in read_catalogue("nl")
        if isinstance(m.id, str) and m.id != m.string and len(m.id) > 5 and " " in m.id
    ]


def test_dutch_pages_show_no_english_ui_string_or_raw_value(index):
    english = english_ui_strings()
    for path, html in dutch_pages(index).items():
        text = visible_text(html)
        assert [s for s in english if s in text] == [], path
        assert RAW_VALUES.findall(text) == [], path
        assert "1 bevindingen" not in text, path


def test_dutch_catalogue_uses_the_reviewed_words():
    dutch = " ".join(
        m.string if isinstance(m.string, str) else " ".join(m.string)
        for m in read_catalogue("nl")
        if m.id
    ).lower()
    for avoided in ("graaf", "omstreden", "profiellens"):
        assert not re.search(rf"\b{avoided}\b", dutch), avoided
    assert translations_for("nl").gettext("contested") == "tegenstrijdig"
    assert translations_for("nl").gettext("Profile") == "Profiel"
