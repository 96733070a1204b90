"""Read-only guard for SPARQL: refuse updates and SERVICE, report parse errors with a position."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from triggergraph.exceptions import QueryError

if TYPE_CHECKING:
    from pyparsing import ParseBaseException

QUERY_KINDS: dict[str, str] = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
}
UPDATE_NAMES: dict[str, str] = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}
# pyparsing grammars keep parse state on shared objects; one parse at a time.
PARSE_LOCK = threading.Lock()

# Tokens that can hide a brace: strings, IRIs, comments. Order matters (long strings first).
TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*"
    r"|[{}]"
    r"|[?$][A-Za-z0-9_]+"
    r"|[A-Za-z_][A-Za-z0-9_]*",
    re.DOTALL,
)


@dataclass(frozen=True)
class QueryInfo:
    """What the guard learned about an accepted query.

    ``kind`` is ``select``, ``ask``, ``construct`` or ``describe``; ``has_values`` tells
    whether it ends with its own ``VALUES`` clause; ``dataset`` lists its FROM/FROM NAMED
    IRIs.
    """

    kind: str
    has_values: bool
    dataset: tuple[str, ...]


def _walk(node: Any, comp_value: type, parse_results: type):
    yield node
    if isinstance(node, comp_value):
        for value in node.values():
            yield from _walk(value, comp_value, parse_results)
    elif isinstance(node, (list, tuple, parse_results)):
        for value in node:
            yield from _walk(value, comp_value, parse_results)


def _position_error(exc: ParseBaseException, sparql: str) -> QueryError:
    line = sparql.splitlines()[exc.lineno - 1] if sparql.splitlines() else ""
    return QueryError(
        f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}; near {line.strip()!r}"
    )


@lru_cache(maxsize=512)
def _inspect(sparql: str) -> QueryInfo:
    # rdflib's SPARQL grammar (pyparsing) takes about 70 ms to import: loaded by the first
    # query checked, not by every process start
    from pyparsing import ParseBaseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    with PARSE_LOCK:
        try:
            parsed = parseQuery(sparql)
        except ParseBaseException as query_exc:
            try:
                update = parseUpdate(sparql)
            except ParseBaseException:
                raise _position_error(query_exc, sparql) from None
            operations = [UPDATE_NAMES.get(op.name, op.name) for op in update.request]
            if not operations:
                raise _position_error(query_exc, sparql) from None
            raise QueryError(
                f"SPARQL update ({', '.join(operations)}) refused: this endpoint is read-only"
            ) from None
        except RecursionError:
            raise QueryError("SPARQL query nested too deeply to parse") from None
    main = parsed[1]
    for node in _walk(parsed, CompValue, ParseResults):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise QueryError("SERVICE (federated query) is not allowed: only local data is queried")
    # CompValue.get returns the key itself for a missing key, so look with dict.get.
    dataset = []
    for clause in dict.get(main, "datasetClause") or []:
        iri = dict.get(clause, "default") or dict.get(clause, "named")
        if iri is not None:
            dataset.append(str(iri))
    has_values = dict.get(main, "valuesClause") is not None
    return QueryInfo(QUERY_KINDS[main.name], has_values, tuple(dataset))


def check_read_only(sparql: str) -> QueryInfo:
    """Parse ``sparql`` and refuse anything but a local read-only query.

    Parsing only, never execution. Results are cached per query text, so named queries
    cost one parse per process.

    Parameters
    ----------
    sparql : str
        Query text (SELECT, ASK, CONSTRUCT or DESCRIBE).

    Returns
    -------
    QueryInfo
        The query form and what the backends need to know about it.

    Raises
    ------
    QueryError
        For updates (INSERT/DELETE/LOAD/CLEAR/DROP/CREATE/ADD/MOVE/COPY), SERVICE clauses
        and malformed text (the message names line and column).

    Examples
    --------
    >>> check_read_only("ASK { ?s ?p ?o }").kind
    'ask'
    >>> check_read_only("DROP ALL")
    Traceback (most recent call last):
    ...
    triggergraph.exceptions.QueryError: SPARQL update (DROP) refused: this endpoint is read-only
    """
    if not isinstance(sparql, str) or not sparql.strip():
        raise QueryError("empty SPARQL query")
    return _inspect(sparql)


def inject_values(sparql: str, kind: str, values_block: str) -> str:
    """Return ``sparql`` with ``values_block`` placed first inside its WHERE group.

    A ``VALUES`` block at the start of the WHERE group joins before FILTERs, grouping and
    aggregation, so bound values act like pre-bound variables (as rdflib's
    ``initBindings`` and pyoxigraph's substitutions do); a trailing VALUES clause would
    join only after aggregation. Braces inside strings, IRIs and comments are skipped by
    tokenising. When the WHERE group is a sub-SELECT it is wrapped in a new group.

    Examples
    --------
    >>> inject_values('SELECT * WHERE { ?s ?p "{" }', "select", "VALUES ?s { <http://a/b> }")
    'SELECT * WHERE { VALUES ?s { <http://a/b> } ?s ?p "{" }'
    """
    skip_groups = 1 if kind == "construct" else 0
    depth = 0
    start = None
    after_start: str | None = None
    for match in TOKEN.finditer(sparql):
        token = match.group()
        if start is not None and after_start is None:
            if token.startswith("#"):
                continue
            after_start = token
            if token.upper() != "SELECT":
                break
        if token == "{":
            if depth == 0 and start is None:
                if kind == "construct" and _is_construct_where(sparql, match.start()):
                    skip_groups = 0
                if skip_groups:
                    skip_groups -= 1
                else:
                    start = match.end()
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0 and start is not None and after_start is not None:
                end = match.start()
                return f"{sparql[:start]} {values_block} {{{sparql[start:end]}}} {sparql[end:]}"
    if start is None:
        raise QueryError("could not find the WHERE group to bind values into")
    return f"{sparql[:start]} {values_block}{sparql[start:]}"


def _is_construct_where(sparql: str, brace_at: int) -> bool:
    words = [m.group() for m in TOKEN.finditer(sparql[:brace_at]) if not m.group().startswith("#")]
    return bool(words) and words[-1].upper() == "WHERE"
