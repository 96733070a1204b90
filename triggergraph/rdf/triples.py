"""``TripleIndex``: the triples of one graph in plain dicts, the part of an rdflib ``Graph`` the reader uses."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, URIRef


class _Text(str):
    """A literal's lexical form: what the reader takes of an rdflib ``Literal`` (``str()``)."""

    __slots__ = ()


class TripleIndex:
    """The triples of one graph in plain dicts: the part of an rdflib ``Graph`` the reader uses.

    Built from N-Triples by pyoxigraph's parser (Rust), it reads a graph back several times
    faster than parsing it into an rdflib ``Graph``. IRIs become ``URIRef`` (one object per
    IRI), blank nodes ``BNode`` and literals their lexical form, which is all
    :func:`read_source` takes of them; a graph our writer made reads back equal either way.

    Examples
    --------
    >>> index = TripleIndex.from_ntriples('<http://a/s> <http://a/p> "x" .\\n')
    >>> [str(o) for o in index.objects(URIRef("http://a/s"), URIRef("http://a/p"))]
    ['x']
    >>> len(index)
    1
    """

    __slots__ = ("_in", "_out", "_size")

    def __init__(self) -> None:
        self._out: dict[Any, dict[URIRef, dict[Any, None]]] = {}
        self._in: dict[tuple[URIRef, Any], list] = {}
        self._size = 0

    @classmethod
    def from_ntriples(cls, data: str | bytes) -> TripleIndex:
        """Parse N-Triples (``SyntaxError`` on bad input) into an index."""
        index = cls()
        iris: dict[str, URIRef] = {}

        def term(node: Any) -> Any:
            if isinstance(node, ox.NamedNode):
                value = node.value
                iri = iris.get(value)
                if iri is None:
                    iri = iris[value] = URIRef(value)
                return iri
            if isinstance(node, ox.BlankNode):
                return BNode(node.value)
            return _Text(node.value)

        if isinstance(data, str):
            data = data.encode("utf-8")
        out, into = index._out, index._in
        named, text = ox.NamedNode, _Text
        for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            node = triple.subject
            subject = iris.get(node.value) if type(node) is named else None
            if subject is None:
                subject = term(node)
            predicate = iris.get(triple.predicate.value) or term(triple.predicate)
            node = triple.object
            if type(node) is named:
                obj = iris.get(node.value) or term(node)
            elif isinstance(node, ox.Literal):
                obj = text(node.value)
            else:
                obj = term(node)
            # dicts as ordered sets: a repeated line is one triple, as in an rdflib Graph
            objects = out.setdefault(subject, {}).setdefault(predicate, {})
            if obj in objects:
                continue
            objects[obj] = None
            index._size += 1
            if type(obj) is not text:
                into.setdefault((predicate, obj), []).append(subject)
        return index

    def objects(self, subject: Any, predicate: URIRef) -> list:
        """The objects of ``(subject, predicate, ?)``."""
        return list(self._out.get(subject, {}).get(predicate, {}))

    def subjects(self, predicate: URIRef, obj: Any) -> list:
        """The subjects of ``(?, predicate, obj)`` for an IRI or blank node ``obj``."""
        return list(self._in.get((predicate, obj), ()))

    def __contains__(self, triple: tuple) -> bool:
        subject, predicate, obj = triple
        if isinstance(obj, (URIRef, BNode)):
            return subject in self._in.get((predicate, obj), ())
        return str(obj) in (str(o) for o in self.objects(subject, predicate))

    def __len__(self) -> int:
        return self._size
