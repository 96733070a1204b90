"""The viewer's static files (CSS, JS) and the vis-network bundle that ships inside pyvis."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"

MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


def _pyvis_lib() -> Path:
    import pyvis

    return Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"


#: Vendored files served from the installed pyvis package, so nothing loads from a CDN.
VENDOR_FILES = {
    "vendor/vis-network.min.js": ("vis-network.min.js", ".js"),
    "vendor/vis-network.css": ("vis-network.css", ".css"),
}


@lru_cache(maxsize=32)
def read_static(name: str) -> tuple[bytes, str] | None:
    """Return ``(content, media type)`` of a viewer asset, or ``None`` if there is none.

    Only plain files directly inside ``static/`` and the vis-network bundle are served; any
    other name (``..``, sub-folders) gives ``None``.

    Parameters
    ----------
    name : str
        The path after ``/static/viewer/``.

    Returns
    -------
    tuple[bytes, str] | None

    Examples
    --------
    >>> read_static("viewer.css")[1]
    'text/css; charset=utf-8'
    >>> read_static("../html.py") is None
    True
    """
    if name in VENDOR_FILES:
        file_name, suffix = VENDOR_FILES[name]
        path = _pyvis_lib() / file_name
        return path.read_bytes(), MEDIA_TYPES[suffix]
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    path = STATIC_DIR / name
    if path.suffix not in MEDIA_TYPES or not path.is_file():
        return None
    return path.read_bytes(), MEDIA_TYPES[path.suffix]


def read_static_text(name: str) -> str:
    """Return a viewer asset as text (for inlining into the offline export)."""
    found = read_static(name)
    if found is None:
        raise FileNotFoundError(name)
    return found[0].decode("utf-8")
