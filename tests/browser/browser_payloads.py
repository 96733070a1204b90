"""XSS payloads and the literature entry that carries them, for the browser tests."""

from __future__ import annotations

#: Payloads that must show as text and run nothing wherever an entry string reaches a page.
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(1)</script>"
XSS_ATTR = '" onmouseover="alert(1)'
XSS_JS_URL = "javascript:alert(1)"
XSS_SOURCE_ID = "xss_probe"


def build_xss_entry() -> dict:
    """A valid literature entry with an XSS payload in every free-text field."""
    text = f"{XSS_IMG} {XSS_SCRIPT} {XSS_ATTR} {XSS_JS_URL}"
    return {
        "id": XSS_SOURCE_ID,
        "type": "journal_article",
        "authors": [XSS_IMG, XSS_SCRIPT, XSS_ATTR],
        "year": 2020,
        "title": f"Probe {XSS_IMG} title {XSS_SCRIPT}",
        "venue": f"{XSS_ATTR} venue {XSS_JS_URL}",
        # the entry model only accepts http(s) URLs; this one tries to break out of href="..."
        "url": 'https://example.org/"onmouseover="alert(1)',
        "language": "en",
        "design": text,
        "study_design": "cross_sectional_survey",
        "citation_note": text,
        "context_notes": [{"text": text, "locator": XSS_IMG}],
        "cites": [{"first_author": XSS_IMG, "year": 2001, "note": XSS_SCRIPT}],
        "added_by": XSS_ATTR,
        "added_on": "2026-01-01",
        "findings": [
            {
                "id": "XSS1",
                "factor": "detention",
                "drivers": [
                    {"driver": "justice_seeker", "basis": "stated", "term_in_source": XSS_IMG}
                ],
                "demographics": ["age_under_18", "sex_female"],
                "direction": "increases",
                "certainty": "C",
                "certainty_reasons": [text],
                "effect": {"measure": "none", "text": text, "n": 120},
                "outcome_stages": ["attitude"],
                "outcome": text,
                "population": text,
                "locator": f"p. 1 {XSS_IMG}",
                "note": text,
            }
        ],
    }
