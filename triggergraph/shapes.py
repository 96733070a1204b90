"""SHACL validation of sources and findings with ``ontology/shapes.ttl``."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from .config import BUNDLED_ONTOLOGY
from .exceptions import ConfigError, EntryError, Problem
from .models import Source
from .namespaces import TG
from .rdf import FIELD_PROPERTIES, new_graph, sources_graph
from .vocabulary import Vocabulary

SHAPES_PATH = BUNDLED_ONTOLOGY / "shapes.ttl"

#: Property -> the entry field it carries, for naming the path of a problem.
_FIELD_OF: dict[URIRef, str] = {}
for _model, _table in FIELD_PROPERTIES.items():
    for _field, _props in _table.items():
        for _prop in _props:
            _FIELD_OF.setdefault(_prop, f"effect.{_field}" if _model == "Effect" else _field)


#: pyshacl changes the (shared, cached) shapes graph while it validates
_VALIDATE_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _shapes_graph(path: str, base_iri: str, stamp: tuple) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle", publicID=base_iri)
    return graph


def read_shapes(base_iri: str, path: Path | None = None) -> Graph:
    """Return the parsed SHACL shapes, relative IRIs resolved against ``base_iri``.

    Examples
    --------
    >>> from rdflib.namespace import RDF, RDFS, SH, SKOS, RDF
    >>> len(list(read_shapes("http://127.0.0.1:8000/").subjects(RDF.type, SH.NodeShape))) > 3
    True
    """
    shapes = Path(path or SHAPES_PATH)
    if not shapes.exists():
        raise ConfigError(f"SHACL shapes file not found: {shapes}")
    stat = shapes.stat()
    return _shapes_graph(str(shapes.resolve()), base_iri, (stat.st_mtime_ns, stat.st_size))


def _node_name(data: Graph, node, base: str) -> str:
    """A person's name for a focus node: ``sources[x].findings[F1]``, ``sources[x].cites[2]``."""
    text = str(node)
    if not text.startswith(base):
        return f"<{text}>"
    kind, _, rest = text[len(base) :].partition("/")
    if kind == "finding":
        source = data.value(node, TG.reportedIn)
        if source is not None and str(source).startswith(f"{base}source/"):
            return f"sources[{str(source)[len(base) + 7 :]}].findings[{rest}]"
        return f"findings[{rest}]"
    if kind == "source":
        ident, _, tail = rest.partition("/")
        if not tail:
            return f"sources[{ident}]"
        part, _, number = tail.partition("/")
        section = {"cites": "cites", "context": "context_notes", "authors": "authors"}.get(
            part, part
        )
        return f"sources[{ident}].{section}[{number}]"
    if kind == "agent":
        return f"agent {rest}"
    return f"<{text}>"


def _results_to_problems(results: Graph, data: Graph, base: str) -> list[Problem]:
    problems = []
    # Only top-level results: nested sh:node failures also appear as sh:detail, naming the
    # scale value instead of the finding.
    for report in results.subjects(RDF.type, SH.ValidationReport):
        for result in results.objects(report, SH.result):
            if results.value(result, SH.resultSeverity) == SH.Violation:
                problems.append(_problem_of(results, result, data, base))
    return sorted(set(problems), key=lambda p: (p.field, p.message))


def _problem_of(results: Graph, result, data: Graph, base: str) -> Problem:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    messages = sorted(
        (m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)),
        key=lambda m: (m.language != "en", str(m)),
    )
    message = str(messages[0]) if messages else "violates a SHACL constraint"
    field = _node_name(data, focus, base)
    if isinstance(path, URIRef):
        field += "." + _FIELD_OF.get(path, data.namespace_manager.normalizeUri(path))
    if value is not None and value != focus:
        message += f" (found {value.n3(data.namespace_manager)})"
    return Problem(None, None, field, message)


def _ontology_facts(vocabulary: Vocabulary) -> list[tuple]:
    wanted = (RDF.type, RDFS.subClassOf, SKOS.inScheme)
    return [t for p in wanted for t in vocabulary.graph.triples((None, p, None))]


def validate_graph(data_graph: Graph, vocabulary: Vocabulary) -> list[Problem]:
    """Validate a data graph against the SHACL shapes and return every violation.

    Parameters
    ----------
    data_graph : rdflib.Graph
        Source and finding triples (one named graph, or the union of several).
    vocabulary : Vocabulary
        Its class, subclass and scheme triples are mixed in so class and scheme checks see
        the concepts.

    Returns
    -------
    list of Problem
        Empty when the data conforms; each names the node (source or finding id), the field
        and what to write instead.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> from triggergraph.rdf import source_graph
    >>> vocab = load_vocabulary()
    >>> src = Source(id="demo", type="report", authors=["Doe, J."], year=2020, title="Demo",
    ...              added_by="curators", added_on="2026-11-28")
    >>> validate_graph(source_graph(src, vocab), vocab)
    []
    """
    data = new_graph()
    data += data_graph
    return _validate(data, vocabulary)


def _validate(data: Graph, vocabulary: Vocabulary) -> list[Problem]:
    """Validate ``data`` in place, adding the ontology facts the shapes look up."""
    from pyshacl import validate  # heavy; only validation needs it

    # Only what the shapes look up in the ontology (classes and schemes): copying the whole
    # vocabulary graph costs more than the validation itself.
    data.addN((s, p, o, data) for s, p, o in _ontology_facts(vocabulary))
    # pyshacl adds its system triples to the shapes graph it is given, and that graph is
    # shared: two validations at once (two writes in two threads) broke rdflib's store with
    # a KeyError. Validation is CPU-bound under the GIL, so one at a time costs nothing.
    with _VALIDATE_LOCK:
        conforms, results, _ = validate(
            data,
            shacl_graph=read_shapes(vocabulary.base_iri),
            inference="none",
            abort_on_first=False,
            allow_warnings=True,
            advanced=False,
        )
    if conforms:
        return []
    return _results_to_problems(results, data, vocabulary.base_iri)


def validate_vocabulary(vocabulary: Vocabulary) -> list[Problem]:
    """Validate the vocabulary itself (construct mappings) against the shapes.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> validate_vocabulary(load_vocabulary())
    []
    """
    data = new_graph()
    data += vocabulary.graph
    return _validate(data, vocabulary)


def validate_sources(sources: list[Source], vocabulary: Vocabulary) -> list[Problem]:
    """Build the union graph of ``sources`` and validate it.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> validate_sources([], load_vocabulary())
    []
    """
    union = new_graph()
    problems: list[Problem] = []
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            problems.append(
                Problem(None, None, f"sources[{source.id}].id", "this source id occurs twice")
            )
            continue
        seen.add(source.id)
        try:
            sources_graph([source], vocabulary, union)
        except EntryError as exc:
            problems += [
                Problem(p.file, p.line, f"sources[{source.id}].{p.field}", p.message)
                for p in exc.problems
            ]
    return problems + _validate(union, vocabulary)


__all__ = ["SHAPES_PATH", "read_shapes", "validate_graph", "validate_sources"]
