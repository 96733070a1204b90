"""Linked Data: the IRI of a resource, its human page, and its triples in four RDF formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ..exceptions import NotFoundError, QueryError, QueryTimeoutError
from ..namespaces import PREFIXES, iri_for
from ..query import run_query
from ..vocabulary import suggest
from .formats import DESCRIBE_FORMATS, DESCRIBE_KINDS

#: Statements listed on a resource's HTML page at most (the RDF answers hold all of them).
MAX_PAGE_STATEMENTS = 500


@dataclass
class ResourceView:
    """What the HTML page of any IRI under the base shows: its label and statements.

    ``statements`` are ``(predicate IRI, value, value is an IRI)`` with the resource as
    subject; ``incoming`` are ``(subject IRI, predicate IRI)`` pointing at it.
    """

    iri: str
    label: str | None
    statements: list[tuple[str, str, bool]] = field(default_factory=list)
    incoming: list[tuple[str, str]] = field(default_factory=list)
    truncated: bool = False


class LinkedData:
    """Resolve resource IRIs; mixed into :class:`EvidenceService`.

    Uses the service's ``settings``, ``store``, ``vocabulary``, ``_sources``,
    ``_index`` and ``ensure_fresh``.
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
            if ident not in self._index.findings:
                raise NotFoundError("finding", ident, suggest(ident, self._index.findings))
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
            return f"/sources/{quote(self._index.findings[ident][1].id)}#{quote(ident)}"
        if kind == "driver":
            return "/profile?" + urlencode({"driver": ident})
        concept = self.vocabulary.demographics.get(ident)
        if concept is None or not concept.dimension:
            return "/profile"
        return "/profile?" + urlencode({concept.dimension: ident})

    def describe(self, kind: str, ident: str, media_type: str) -> tuple[bytes, str]:
        """The triples about one resource in ``media_type`` (Linked Data).

        Parameters
        ----------
        kind : str
            One of :data:`DESCRIBE_KINDS`.
        ident : str
            The resource id.
        media_type : str
            One of :data:`DESCRIBE_FORMATS` (Turtle, JSON-LD, N-Triples, RDF/XML).
        """
        return self._serialize(self._description(self.resource_iri(kind, ident)), media_type)

    def path_iri(self, path: str) -> str:
        """The IRI of ``path`` under the base if it occurs in the data, else :class:`NotFoundError`.

        Any IRI the data mints under the base counts (scale values, schemes, levels, groups,
        named graphs, agents, cited works, author list entries ...), as subject, object or
        graph name; the store's bookkeeping graph does not.
        """
        iri = self.settings.base_iri + path.lstrip("/")
        self.ensure_fresh()
        try:
            found = run_query(
                self.store,
                "resource_exists",
                timeout_s=self.settings.sparql_timeout_s,
                resource=URIRef(iri),
            ).boolean
        except QueryTimeoutError:
            raise
        except QueryError:
            found = False  # not even a valid IRI, so not one of ours
        if not found:
            raise NotFoundError("resource", path)
        return iri

    def describe_path(self, path: str, media_type: str) -> tuple[bytes, str]:
        """The triples about the IRI of ``path`` (:meth:`path_iri`); a named graph also
        gives its content."""
        iri = self.path_iri(path)
        graph = self._description(iri)
        if iri in self.store.graph_names():
            graph.parse(data=self.store.graph_ntriples(iri), format="nt")
        return self._serialize(graph, media_type)

    def resource_view(self, path: str) -> ResourceView:
        """The label and statements of the IRI of ``path``, for its HTML page."""
        iri = self.path_iri(path)
        graph = self._description(iri)
        node = URIRef(iri)
        label = graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label)
        statements = sorted(
            (str(p), str(o), not isinstance(o, Literal)) for p, o in graph.predicate_objects(node)
        )
        incoming = sorted((str(s), str(p)) for s, p in graph.subject_predicates(node))
        limit = MAX_PAGE_STATEMENTS
        return ResourceView(
            iri=iri,
            label=str(label) if label is not None else None,
            statements=statements[:limit],
            incoming=incoming[:limit],
            truncated=len(statements) > limit or len(incoming) > limit,
        )

    def _description(self, iri: str) -> Graph:
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
        return graph

    @staticmethod
    def _serialize(graph: Graph, media_type: str) -> tuple[bytes, str]:
        if media_type not in DESCRIBE_FORMATS:
            media_type = "text/turtle"
        fmt = DESCRIBE_FORMATS[media_type]
        if fmt == "json-ld":
            body = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
        else:
            body = graph.serialize(format=fmt)
        return (body if isinstance(body, bytes) else body.encode("utf-8")), media_type
