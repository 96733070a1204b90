"""The dataset build (vocabulary graph plus one named graph per source) and its serialisations."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from ..config import BUNDLED_ONTOLOGY, work_dir
from ..exceptions import EntryError, Problem
from ..models import Source
from ..namespaces import PREFIXES, VOCABULARY_GRAPH, source_graph_iri
from ..vocabulary import Vocabulary
from .terms import Terms, new_dataset, new_graph, nt_lines
from .write import _source_triples, _stable_graph

#: The JSON-LD context that makes ``serialize_dataset(..., "jsonld")`` read as plain JSON.
CONTEXT_PATH = BUNDLED_ONTOLOGY / "context.jsonld"

#: Serialisation formats of :func:`serialize_dataset` and the files :func:`write_dist` writes.
DIST_FILES: dict[str, str] = {
    "trig": "triggergraph.trig",
    "nquads": "triggergraph.nq",
    "turtle": "triggergraph.ttl",
    "jsonld": "triggergraph.jsonld",
}

#: rdflib parser name of each format :func:`parse_rdf` accepts.
PARSE_FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "trig": "trig",
    "nquads": "nquads",
    "nq": "nquads",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
}


def build_dataset(sources: list[Source], vocabulary: Vocabulary) -> Dataset:
    """Return the dataset: the vocabulary graph plus one named graph per source.

    Parameters
    ----------
    sources : list of Source
        Validated entries; their ids must be unique.
    vocabulary : Vocabulary
        The ontology and controlled vocabularies; its triples go into ``B graph/vocabulary``.

    Returns
    -------
    rdflib.Dataset

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> vocab = load_vocabulary()
    >>> src = Source(id="demo", type="report", authors=["Doe, J."], year=2020, title="Demo",
    ...              added_by="curators", added_on="2026-11-28")
    >>> sorted(str(g.identifier) for g in build_dataset([src], vocab).graphs() if len(g))
    ['http://127.0.0.1:8000/graph/demo', 'http://127.0.0.1:8000/graph/vocabulary']
    """
    terms = Terms.of(vocabulary)
    _check_unique(sources)
    dataset = new_dataset()
    vocab_graph = dataset.graph(URIRef(vocabulary.base_iri + VOCABULARY_GRAPH))
    vocab_graph += _stable_graph(vocabulary.graph)
    for source in sorted(sources, key=lambda s: s.id):
        graph = dataset.graph(source_graph_iri(terms.base, source.id))
        graph.addN((s, p, o, graph) for s, p, o in _source_triples(source, terms))
    return dataset


def _check_unique(sources: list[Source]) -> None:
    seen: set[str] = set()
    problems = []
    for source in sources:
        if source.id in seen:
            problems.append(Problem(None, None, "id", f"source id {source.id!r} occurs twice"))
        seen.add(source.id)
    if problems:
        raise EntryError(problems)


def build_nquads(sources: list[Source], vocabulary: Vocabulary) -> str:
    """Return the dataset of :func:`build_dataset` as sorted N-Quads, without building it.

    Equal to ``serialize_dataset(build_dataset(sources, vocabulary), "nquads")`` decoded, but
    several times faster for large builds (no rdflib store in between).

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> vocab = load_vocabulary()
    >>> build_nquads([], vocab) == serialize_dataset(build_dataset([], vocab), "nquads").decode()
    True
    """
    terms = Terms.of(vocabulary)
    _check_unique(sources)
    lines = nt_lines(
        _stable_graph(vocabulary.graph), URIRef(vocabulary.base_iri + VOCABULARY_GRAPH)
    )
    for source in sources:
        lines |= nt_lines(_source_triples(source, terms), source_graph_iri(terms.base, source.id))
    return "".join(line + "\n" for line in sorted(lines))


def _named_graphs(dataset: Dataset) -> list[Graph]:
    graphs = [g for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)]
    return sorted(graphs, key=lambda g: str(g.identifier))


def _turtle_body(graph: Graph) -> str:
    """The statements of one graph as Turtle without the prefix lines, indented four spaces."""
    scratch = new_graph()
    scratch += graph
    text = scratch.serialize(format="turtle")
    # split on "\n" only: str.splitlines() would also cut at U+2028/U+2029 inside literals
    lines = [line for line in text.removesuffix("\n").split("\n") if not line.startswith("@prefix")]
    while lines and not lines[0].strip():
        lines.pop(0)
    return "".join(("    " + line if line.strip() else "") + "\n" for line in lines)


def _load_context() -> dict:
    return json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]


def _sort_json(value: Any) -> Any:
    """Sort JSON-LD node arrays so the output does not depend on hash order."""
    if isinstance(value, dict):
        return {k: _sort_json(v) if k != "@context" else v for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def serialize_dataset(dataset: Dataset, fmt: str) -> bytes:
    """Serialise a dataset deterministically: the same dataset gives the same bytes.

    Parameters
    ----------
    dataset : rdflib.Dataset
        Usually from :func:`build_dataset`.
    fmt : str
        ``trig``, ``nquads``, ``turtle`` (union of all graphs) or ``jsonld`` (compacted with
        ``ontology/context.jsonld``, embedded, so readers need no network).

    Returns
    -------
    bytes
        UTF-8 text.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> ds = build_dataset([], load_vocabulary())
    >>> serialize_dataset(ds, "nquads") == serialize_dataset(ds, "nquads")
    True
    """
    graphs = _named_graphs(dataset)
    if fmt == "nquads":
        lines: set[str] = set()
        for graph in graphs:
            lines |= nt_lines(graph, graph.identifier)
        return "".join(line + "\n" for line in sorted(lines)).encode("utf-8")
    if fmt == "turtle":
        union = new_graph()
        for graph in graphs:
            union += graph
        return union.serialize(format="turtle", encoding="utf-8")
    if fmt == "trig":
        # Written graph by graph: rdflib's TriG writer orders graphs by hash, which changes
        # from one process to the next.
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
        blocks = [header]
        for graph in graphs:
            body = _turtle_body(graph)
            blocks.append(f"<{graph.identifier}> {{\n{body}}}\n")
        return "\n".join(blocks).encode("utf-8")
    if fmt == "jsonld":
        ordered = new_dataset()
        for graph in graphs:
            ordered.graph(graph.identifier).__iadd__(graph)
        context = _load_context()
        text = ordered.serialize(
            format="json-ld", context=context, auto_compact=True, sort_keys=True
        )
        data = json.loads(text)
        data.pop("@context", None)
        body = _sort_json(data)
        out = {"@context": context, **body}
        return (json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode(
            "utf-8"
        )
    raise ValueError(f"unknown format {fmt!r}; valid: {', '.join(DIST_FILES)}")


def write_dist(
    sources: list[Source], vocabulary: Vocabulary, out_dir: Path | None = None
) -> list[Path]:
    """Build the dataset and write it as TriG, N-Quads, Turtle and JSON-LD.

    Parameters
    ----------
    sources : list of Source
    vocabulary : Vocabulary
    out_dir : Path, optional
        Folder to write into (created if needed); defaults to ``dist/`` in the project.

    Returns
    -------
    list of Path
        The files written, in the order trig, nq, ttl, jsonld.
    """
    folder = Path(out_dir) if out_dir is not None else work_dir() / "dist"
    folder.mkdir(parents=True, exist_ok=True)
    dataset = build_dataset(sources, vocabulary)
    written = []
    for fmt, name in DIST_FILES.items():
        path = folder / name
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(serialize_dataset(dataset, fmt))
        tmp.replace(path)
        written.append(path)
    return written


def _remote_contexts(value: Any) -> list[str]:
    """Every context a JSON-LD processor would load from elsewhere (``@context``/``@import`` strings)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@import" and isinstance(item, str):
                found.append(item)
            elif key == "@context":
                contexts = item if isinstance(item, list) else [item]
                found += [c for c in contexts if isinstance(c, str)]
                found += [
                    c for ctx in contexts if isinstance(ctx, dict) for c in _remote_contexts(ctx)
                ]
            else:
                found += _remote_contexts(item)
    elif isinstance(value, list):
        for item in value:
            found += _remote_contexts(item)
    return found


def parse_rdf(data: bytes, fmt: str, base_iri: str | None = None) -> Graph | Dataset:
    """Parse RDF text, turning every parser error into an :class:`EntryError` with its line.

    Parameters
    ----------
    data : bytes
        The document.
    fmt : str
        ``turtle``/``ttl``, ``nt``, ``trig``, ``nquads``/``nq`` or ``jsonld``.
    base_iri : str, optional
        Base against which relative IRIs resolve.

    Returns
    -------
    rdflib.Graph or rdflib.Dataset
        A Dataset for the quad formats (TriG, N-Quads, JSON-LD), else a Graph.

    Examples
    --------
    >>> parse_rdf(b"<http://x.org/a> <http://x.org/b> 'c' .", "turtle").__len__()
    1
    >>> try:
    ...     parse_rdf(b"<http://x.org/a> <http://x.org/b> .", "turtle")
    ... except EntryError as err:
    ...     print(err.problems[0].line)
    1
    """
    parser = PARSE_FORMATS.get(fmt)
    if parser is None:
        raise EntryError(
            [
                Problem(
                    None,
                    None,
                    "format",
                    f"unknown RDF format {fmt!r}; valid: {', '.join(PARSE_FORMATS)}",
                )
            ]
        )
    if parser == "json-ld":
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            raise EntryError([Problem(None, line, "", f"not valid JSON: {exc}")]) from None
        remote = _remote_contexts(document)
        if remote:
            raise EntryError(
                [
                    Problem(
                        None,
                        None,
                        "@context",
                        f"remote JSON-LD contexts are not fetched ({remote[0]!r}); embed the context object",
                    )
                ]
            )
    target: Graph | Dataset = (
        new_dataset() if parser in ("trig", "nquads", "json-ld") else new_graph()
    )
    try:
        target.parse(data=data, format=parser, publicID=base_iri)
    except Exception as exc:  # rdflib raises many unrelated classes for bad syntax
        raise EntryError([_parse_problem(exc, data, parser)]) from None
    return target


def _parse_problem(exc: Exception, data: bytes, parser: str) -> Problem:
    line = getattr(exc, "lines", None)
    if isinstance(line, int):
        why = getattr(exc, "_why", None) or str(exc)
        return Problem(None, line + 1, "", f"bad RDF syntax: {why}")  # notation3 counts from 0
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    number = None
    if parser in ("nt", "nquads"):
        # The line-based parsers do not say where; parse line by line to find the first bad one.
        lines = data.decode("utf-8", "replace").splitlines()
        for index, text in enumerate(lines, start=1):
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            try:
                (new_dataset() if parser == "nquads" else Graph()).parse(data=text, format=parser)
            except Exception as line_exc:  # noqa: BLE001 - any failure marks the line
                message = str(line_exc).strip().splitlines()[0] or message
                number = index
                break
    else:
        match = re.search(r"line (\d+)", str(exc))
        number = int(match.group(1)) if match else None
    return Problem(None, number, "", f"bad RDF syntax: {message}")
