"""Term conversion: bound values to pyoxigraph terms, terms to plain Python and SPARQL JSON, VALUES binding."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox
from rdflib import BNode as RdfBNode
from rdflib import Literal as RdfLiteral
from rdflib import URIRef

from triggergraph.exceptions import (
    EntryError,
    QueryError,
)
from triggergraph.store.guard import inject_values
from triggergraph.store.quads import named_node

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
INTEGER_TYPES = frozenset(
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# ---- terms -----------------------------------------------------------------------------
def to_ox_term(name: str, value: Any) -> ox.NamedNode | ox.Literal:
    """Convert a bound value to a validated pyoxigraph term.

    rdflib ``URIRef``/``Literal`` keep their kind; ``str`` becomes a plain literal (an IRI
    must be a ``URIRef``); ``bool``/``int``/``float``/``Decimal`` become typed literals.

    Examples
    --------
    >>> str(to_ox_term("x", 'say "hi" }'))
    '"say \\\\"hi\\\\" }"'
    >>> str(to_ox_term("f", URIRef("http://127.0.0.1:8000/finding/t1")))
    '<http://127.0.0.1:8000/finding/t1>'
    """
    if not VARIABLE_NAME.match(name):
        raise QueryError(f"binding name {name!r} is not a SPARQL variable name")
    try:
        if isinstance(value, URIRef):
            return named_node(str(value), f"bindings[{name}]")
        if isinstance(value, RdfLiteral):
            if value.language:
                return ox.Literal(str(value), language=value.language)
            if value.datatype:
                return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
            return ox.Literal(str(value))
        if isinstance(value, RdfBNode):
            raise QueryError(f"binding {name!r}: blank nodes cannot be bound")
        if isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
        if isinstance(value, Decimal):
            return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
        if isinstance(value, float):
            return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
        if isinstance(value, str):
            return ox.Literal(value)
    except EntryError as exc:
        raise QueryError(str(exc)) from None
    except ValueError as exc:
        raise QueryError(f"binding {name!r}: {exc}") from None
    raise QueryError(
        f"binding {name!r}: cannot bind a {type(value).__name__}; use URIRef, Literal, str, "
        "int, float, Decimal or bool"
    )


def ox_from_rdflib(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term (from rdflib's query engine) to a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, RdfBNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def rdflib_from_ox(term: Any) -> Any:
    """Convert a pyoxigraph term to an rdflib term (for rdflib graphs and its query engine)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return RdfBNode(term.value)
    if term.language:
        return RdfLiteral(term.value, lang=term.language)
    # rdflib tells "x" and "x"^^xsd:string apart; RDF 1.1 (and Oxigraph) do not.
    if term.datatype.value == XSD_STRING:
        return RdfLiteral(term.value)
    return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))


def plain_value(term: Any) -> Any:
    """Convert a pyoxigraph term to the plain Python value :class:`QueryResult` rows hold.

    Examples
    --------
    >>> plain_value(ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")))
    7
    >>> plain_value(ox.NamedNode("http://127.0.0.1:8000/factor/detention"))
    'http://127.0.0.1:8000/factor/detention'
    >>> plain_value(ox.Literal("2017", datatype=ox.NamedNode(XSD + "gYear")))
    '2017'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype = term.datatype.value
    text = term.value
    try:
        if datatype in INTEGER_TYPES:
            return int(text)
        if datatype == XSD + "decimal":
            return Decimal(text)
        if datatype in (XSD + "double", XSD + "float"):
            return float(text)
        if datatype == XSD + "boolean":
            return text in ("true", "1")
    except (ValueError, InvalidOperation):
        return text
    return text


def result_json_term(term: Any) -> dict[str, str]:
    """One term as a SPARQL 1.1 JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
        out["datatype"] = term.datatype.value
    return out


def bind_values(sparql: str, kind: str, bindings: dict[str, Any] | None) -> str:
    """Return ``sparql`` with ``bindings`` as a VALUES block first in its WHERE group.

    Every value goes through :func:`to_ox_term` (IRIs validated, literals escaped by
    pyoxigraph's N-Triples writer), so a value can never change the query's structure.
    Every backend binds this way, so bound queries mean the same on all of them.

    Examples
    --------
    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", "select", {"o": 'a"} }'})
    'SELECT ?s WHERE { VALUES (?o) { ("a\\\\"} }") } ?s ?p ?o }'
    """
    if not bindings:
        return sparql
    names = list(bindings)
    terms = [str(to_ox_term(name, bindings[name])) for name in names]
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
    return inject_values(sparql, kind, block)
