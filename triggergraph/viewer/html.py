"""Safety helpers of the viewer: escaping, JSON for <script>, checked links and URLs."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from urllib.parse import quote, urlencode


def escape_html(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute; ``None`` becomes ``""``.

    Templates escape by themselves (autoescape); this is for the rare text built elsewhere.

    Examples
    --------
    >>> escape_html('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def dump_script_json(data: object) -> str:
    """Serialise ``data`` as JSON that is safe inside a ``<script>`` element.

    Examples
    --------
    >>> dump_script_json({"t": "</script><script>alert(1)</script>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    for char, replacement in _SCRIPT_ESCAPES.items():
        text = text.replace(char, replacement)
    return text


def safe_href(url: object) -> str | None:
    """Return ``url`` if it is an http(s) URL, else ``None`` (no ``javascript:`` links).

    Examples
    --------
    >>> safe_href("javascript:alert(1)") is None
    True
    >>> safe_href("https://doi.org/10.1/x")
    'https://doi.org/10.1/x'
    """
    if not isinstance(url, str):
        return None
    stripped = url.strip()
    if stripped.lower().startswith(("http://", "https://")) and not any(
        c.isspace() for c in stripped
    ):
        return stripped
    return None


def doi_href(doi: object) -> str | None:
    """Return the https://doi.org/ link of a DOI, or ``None`` when it is not one.

    Examples
    --------
    >>> doi_href("10.1080/1057610X.2017.1311111")
    'https://doi.org/10.1080/1057610X.2017.1311111'
    >>> doi_href("javascript:alert(1)") is None
    True
    """
    if not isinstance(doi, str):
        return None
    text = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    if not text.startswith("10.") or "/" not in text or any(c.isspace() for c in text):
        return None
    return "https://doi.org/" + quote(text, safe="/:;()._-[]")


def build_url(path: str, params: Mapping[str, object]) -> str:
    """Return ``path`` with the non-empty ``params`` as a query string.

    Examples
    --------
    >>> build_url("/", {"lang": "nl", "level": None, "direct": ""})
    '/?lang=nl'
    """
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path


def path_segment(value: object) -> str:
    """Return ``value`` quoted for use as one path segment of a site link.

    Examples
    --------
    >>> path_segment("a/b c")
    'a%2Fb%20c'
    """
    return quote(str(value), safe="")
