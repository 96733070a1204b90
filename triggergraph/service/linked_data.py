"""Linked Data: the IRI of a resource, its human page, and its triples as Turtle or JSON-LD."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from rdflib import Graph, URIRef

from ..exceptions import NotFoundError
from ..namespaces import PREFIXES, iri_for
from ..query import run_query
from ..vocabulary import suggest
from .formats import DESCRIBE_FORMATS, DESCRIBE_KINDS


class LinkedData:
    """Resolve resource IRIs; mixed into :class:`EvidenceService`.

    Uses the service's ``settings``, ``store``, ``vocabulary``, ``_sources``,
    ``_finding_owner`` and ``ensure_fresh``.
    """

    def resource_iri(self, kind: str, ident: str) -> str:
        """Return the IRI of an existing resource, or raise :class:`NotFoundError` with suggestions."""
        vocab = self.vocabulary
        if kind in ("factor", "construct", "driver"):
            vocab.concept(kind, ident)
        elif kind == "demographic":
            if ident not in vocab.demographics and ident not in vocab.dimensions:
                table = {**vocab.demographics, **vocab.dimensions}
                raise NotFoundError("demographic", ident, suggest(ident, table))
        elif kind == "source":
            self.ensure_fresh()
            if ident not in self._sources:
                raise NotFoundError("source", ident, suggest(ident, self._sources))
        elif kind == "finding":
            self.ensure_fresh()
            if ident not in self._finding_owner:
                raise NotFoundError("finding", ident, suggest(ident, self._finding_owner))
        else:
            raise NotFoundError("kind", kind, suggest(kind, DESCRIBE_KINDS))
        return str(iri_for(self.settings.base_iri, kind, ident))

    def human_page(self, kind: str, ident: str) -> str:
        """Path of the HTML page for an existing resource (where a browser is sent with 303).

        Raises
        ------
        NotFoundError
            For an unknown id, with close ids.
        """
        self.resource_iri(kind, ident)
        if kind == "factor":
            return f"/factors/{quote(ident)}"
        if kind == "construct":
            return f"/constructs/{quote(ident)}"
        if kind == "source":
            return f"/sources/{quote(ident)}"
        if kind == "finding":
            return f"/sources/{quote(self._finding_owner[ident])}#{quote(ident)}"
        if kind == "driver":
            return "/profile?" + urlencode({"driver": ident})
        concept = self.vocabulary.demographics.get(ident)
        if concept is None or not concept.dimension:
            return "/profile"
        return "/profile?" + urlencode({concept.dimension: ident})

    def describe(self, kind: str, ident: str, media_type: str) -> tuple[bytes, str]:
        """The triples about one resource as Turtle or JSON-LD (Linked Data).

        Parameters
        ----------
        kind : str
            One of :data:`DESCRIBE_KINDS`.
        ident : str
            The resource id.
        media_type : str
            ``text/turtle`` or ``application/ld+json``.
        """
        iri = self.resource_iri(kind, ident)
        result = run_query(
            self.store,
            "describe_resource",
            timeout_s=self.settings.sparql_timeout_s,
            resource=URIRef(iri),
        )
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        if result.ntriples:
            graph.parse(data=result.ntriples, format="nt")
        fmt = DESCRIBE_FORMATS.get(media_type, "turtle")
        if fmt == "json-ld":
            body = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
        else:
            body = graph.serialize(format="turtle")
        return body.encode("utf-8"), media_type if media_type in DESCRIBE_FORMATS else "text/turtle"

    # ---- writes ---------------------------------------------------------------------------
