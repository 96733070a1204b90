"""Media types and formats the service speaks: entry bodies, content negotiation, exports."""

from __future__ import annotations

from ..exceptions import EntryError, Problem

#: Export formats: name -> (media type, file extension).
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "trig": ("application/trig", "trig"),
    "nquads": ("application/n-quads", "nq"),
    "turtle": ("text/turtle", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "graphml": ("application/graphml+xml", "graphml"),
}

#: Linked Data media types :meth:`EvidenceService.describe` answers, with the rdflib format.
DESCRIBE_FORMATS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}

#: Kinds of resource :meth:`EvidenceService.describe` knows.
DESCRIBE_KINDS = ("factor", "construct", "driver", "demographic", "finding", "source")


def entry_format(media_type: str | None) -> str:
    """Return ``"yaml"`` or ``"json"`` for a request body's media type.

    Parameters
    ----------
    media_type : str or None
        The ``Content-Type`` header, parameters allowed.

    Returns
    -------
    str
        ``"json"`` for ``application/json`` and ``+json`` types, else ``"yaml"``.

    Raises
    ------
    EntryError
        For a media type that is neither YAML nor JSON.

    Examples
    --------
    >>> entry_format("application/json; charset=utf-8")
    'json'
    >>> entry_format("text/yaml")
    'yaml'
    """
    kind = (media_type or "application/yaml").split(";")[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        return "json"
    if kind in ("application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml", "text/plain"):
        return "yaml"
    raise EntryError(
        [
            Problem(
                None,
                None,
                "Content-Type",
                f"{kind!r} is not an entry format; send application/yaml, text/yaml or application/json",
            )
        ]
    )


def negotiate(accept: str | None, offered: list[str], default: str) -> str:
    """Pick the offered media type the ``Accept`` header likes best (q values honoured).

    Unknown or missing preferences give ``default``; ``*/*`` and ``type/*`` match.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", ["application/sparql-results+json",
    ...           "application/sparql-results+xml", "text/csv"], "application/sparql-results+json")
    'application/sparql-results+xml'
    >>> negotiate("*/*", ["text/turtle"], "text/turtle")
    'text/turtle'
    """
    return acceptable(accept, offered, default) or default


def acceptable(accept: str | None, offered: list[str], default: str) -> str | None:
    """Like :func:`negotiate`, but None when ``Accept`` names nothing offered (HTTP 406).

    Examples
    --------
    >>> acceptable("application/pdf", ["text/turtle"], "text/turtle") is None
    True
    >>> acceptable(None, ["text/turtle"], "text/turtle")
    'text/turtle'
    """
    if not accept or not accept.strip():
        return default
    best, best_q = None, -1.0
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        wanted = fields[0].lower()
        quality = 1.0
        for param in fields[1:]:
            if param.lower().startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if wanted in ("*/*", "*", ""):
            candidates = [default]
        elif wanted.endswith("/*"):
            candidates = [o for o in offered if o.startswith(wanted[:-1])]
        else:
            candidates = [o for o in offered if o == wanted or o == ACCEPT_ALIASES.get(wanted)]
        # a slightly lower score for later entries keeps the client's order among equal q values
        score = quality - position * 1e-6
        if candidates and score > best_q:
            best, best_q = candidates[0], score
    return best


#: Media types clients send for the ones offered.
ACCEPT_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
}


#: Media types of the entry format, by rendering.
ENTRY_MEDIA_TYPES = {"application/yaml": "yaml", "text/yaml": "yaml", "application/json": "json"}


def entry_rendering(fmt: str | None, as_: str | None, accept: str | None) -> str | None:
    """How to answer a read of one source: ``"yaml"`` or ``"json"`` in entry format (the
    format PUT takes back), or None for the usual JSON answer.

    ``format=entry`` or ``as`` asks for the entry format; ``as`` picks the rendering, else the
    Accept header (YAML unless JSON is preferred). Without either, an Accept header that
    prefers YAML still gets the entry (the usual answer is only JSON).

    Examples
    --------
    >>> entry_rendering("entry", None, None), entry_rendering("entry", "json", None)
    ('yaml', 'json')
    >>> entry_rendering("entry", None, "application/json"), entry_rendering(None, None, "text/yaml")
    ('json', 'yaml')
    >>> entry_rendering(None, None, "application/json") is None
    True
    """
    if as_ is not None:
        return as_
    offered = ["application/json", "application/yaml", "text/yaml"]
    if fmt == "entry":
        return ENTRY_MEDIA_TYPES[negotiate(accept, offered[1:] + offered[:1], "application/yaml")]
    if accept and negotiate(accept, offered, "application/json") != "application/json":
        return "yaml"
    return None
