"""Parse before you run: a token scan of SPARQL text against explicit limits, before any store.

Query engines build a tree from the query and walk it recursively, so a long flat chain
(``1+1+...``, ``||``, ``&&``, UNION, MINUS, FILTER or BIND repeated 10,000 times) or a deep
nesting overflows their stack: pyoxigraph, and an ``oxigraph serve`` shared by several
processes, die with a segmentation fault. This scan reads the text once, token by token, with
an explicit stack of brackets (no recursion in Python, whatever the depth), and refuses a query
over one of the :class:`QueryLimits` with :class:`QueryLimitError` naming the limit. It also
finds what the endpoint needs before running anything: the query form, updates and SERVICE
(refused), and the ``FROM``/``FROM NAMED`` dataset.

It is a scan, not a full parse: a query it passes may still be malformed, and the engine
then reports the error with its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from triggergraph.exceptions import QueryError, QueryLimitError


@cache
def _token() -> re.Pattern[str]:
    """The tokenizer, compiled by the first query checked: its Unicode ranges make the
    compilation take about 15 ms, which a start that checks no query need not spend."""
    return re.compile(
        r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
        r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
        r'|"(?:[^"\\\n\r]|\\.)*"'
        r"|'(?:[^'\\\n\r]|\\.)*')"
        r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
        r"|(?P<comment>#[^\n\r]*)"
        r"|(?P<var>[?$][A-Za-z0-9_\u00b7-\U000effff]+)"
        r"|(?P<pname>(?:[A-Za-z_\u00c0-\U000effff][\w.\-\u00b7-\U000effff]*)?:"
        r"(?:[\w.\-:%\u00b7-\U000effff]|\\.)*)"
        r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
        r"|(?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)"
        r"|(?P<op>\|\||&&|!=|<=|>=|\^\^|[-+*/|^!=<>])"
        r"|(?P<punct>[{}()\[\].,;?@])"
        r"|(?P<space>\s+)"
        r"|(?P<other>.)",
        re.DOTALL,
    )


QUERY_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}
UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}
#: keywords that add one more operand to the group they stand in
GROUP_CHAIN_WORDS = {"UNION", "MINUS", "OPTIONAL", "FILTER", "BIND", "GRAPH", "VALUES"}
OPEN = {"{": "}", "(": ")", "[": "]"}
TERMS = {"string", "iri", "var", "pname", "number"}


@dataclass(frozen=True)
class QueryLimits:
    """The limits a query must keep to before it reaches a store.

    ``max_chars``: characters of query text. ``max_depth``: brackets (``{``, ``(``, ``[``)
    open at once. ``max_chain``: operands in one chain, counted per bracket: binary
    operators of one expression (``+ - * / || && = != < > <= >=``), property-path steps
    (``/ | ^``), and UNION, MINUS, OPTIONAL, FILTER, BIND, GRAPH or VALUES in one group.
    ``max_triple_patterns``: triple patterns in the whole query, counted from their
    separators (``.``, ``;``, ``,``), so it may count a few more than there are.
    ``max_path_closures``: property paths with ``*`` or ``+`` (each can visit the whole
    graph). The defaults are those of :class:`~triggergraph.config.Settings`.
    """

    max_chars: int = 100_000
    max_depth: int = 64
    max_chain: int = 256
    max_triple_patterns: int = 1_000
    max_path_closures: int = 8


@dataclass(frozen=True)
class QueryShape:
    """What the scan learned: the form, the dataset clauses and whether it ends in VALUES."""

    kind: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    has_values: bool = False
    triple_patterns: int = 0


@dataclass
class _Frame:
    bracket: str
    chain: int = 0
    pending: bool = False


@dataclass
class _Scan:
    limits: QueryLimits
    stack: list[_Frame] = field(default_factory=lambda: [_Frame("")])
    triples: int = 0
    closures: int = 0

    def refuse(self, what: str, value: int, limit: int, setting: str, hint: str) -> None:
        raise QueryLimitError(
            f"query refused before it ran: {what} is {value}, over the limit of {limit} "
            f"(sparql_max_{setting}); {hint}",
            limit=setting,
        )

    def add_chain(self, frame: _Frame) -> None:
        frame.chain += 1
        if frame.chain > self.limits.max_chain:
            self.refuse(
                "a chain of operators or group operands",
                frame.chain,
                self.limits.max_chain,
                "chain",
                "split long chains (e.g. use IN (...) or VALUES instead of many || or UNION)",
            )

    def add_triple(self) -> None:
        self.triples += 1
        if self.triples > self.limits.max_triple_patterns:
            self.refuse(
                "the number of triple patterns",
                self.triples,
                self.limits.max_triple_patterns,
                "triple_patterns",
                "ask for less per query",
            )


def precheck(sparql: str, limits: QueryLimits | None = None) -> QueryShape:
    """Scan ``sparql`` and refuse it when it breaks a limit, is an update or uses SERVICE.

    Parameters
    ----------
    sparql : str
        The query text.
    limits : QueryLimits, optional
        The limits (defaults when omitted).

    Returns
    -------
    QueryShape
        The query form (``select``, ``ask``, ``construct``, ``describe``) and its dataset.

    Raises
    ------
    QueryLimitError
        A limit is broken; the message names it and its setting.
    QueryError
        Empty text, an update, SERVICE, or no query form.

    Examples
    --------
    >>> precheck("SELECT * FROM <http://x/g> WHERE { ?s ?p ?o }").default_graphs
    ('http://x/g',)
    >>> precheck("SELECT * WHERE { FILTER(" + "+".join(["1"] * 300) + ") }")
    Traceback (most recent call last):
    ...
    triggergraph.exceptions.QueryLimitError: query refused before it ran: a chain of operators or group operands is 257, over the limit of 256 (sparql_max_chain); split long chains (e.g. use IN (...) or VALUES instead of many || or UNION)
    """
    limits = limits or QueryLimits()
    if not isinstance(sparql, str) or not sparql.strip():
        raise QueryError("empty SPARQL query")
    scan = _Scan(limits)
    if len(sparql) > limits.max_chars:
        scan.refuse(
            "the query length",
            len(sparql),
            limits.max_chars,
            "chars",
            "send a shorter query",
        )
    prefixes: dict[str, str] = {}
    kind: str | None = None
    updates: list[str] = []
    dataset: dict[str, list[str]] = {"default": [], "named": []}
    has_values = False
    expect_form = True
    previous: tuple[str, str] = ("", "")
    tokens = [(m.lastgroup, m.group()) for m in _token().finditer(sparql)]
    tokens = [t for t in tokens if t[0] not in ("space", "comment")]
    stack = scan.stack
    for position, (group, text) in enumerate(tokens):
        frame = stack[-1]
        upper = text.upper() if group == "word" else ""
        if group == "punct" and text in OPEN:
            if frame.bracket == "{" and text == "{":
                frame.pending = False
            stack.append(_Frame(text))
            if len(stack) - 1 > limits.max_depth:
                scan.refuse(
                    "the nesting depth",
                    len(stack) - 1,
                    limits.max_depth,
                    "depth",
                    "flatten the query",
                )
        elif group == "punct" and text in ("}", ")", "]"):
            if len(stack) > 1:
                closed = stack.pop()
                if closed.bracket in "{[" and closed.pending:
                    scan.add_triple()
                if closed.bracket == "[":
                    stack[-1].pending = True
        elif group == "punct" and text in ".;," and frame.bracket in ("{", "["):
            if frame.pending or text != ".":
                scan.add_triple()
            frame.pending = False
        elif group == "punct" and text == ";" and len(stack) == 1:
            expect_form = True
        elif group == "op":
            if text in ("*", "+") and _is_path_term(previous, frame):
                scan.closures += 1
                if scan.closures > limits.max_path_closures:
                    scan.refuse(
                        "the number of property paths with * or +",
                        scan.closures,
                        limits.max_path_closures,
                        "path_closures",
                        "use fixed-length paths",
                    )
            elif not (text == "*" and previous[1] in ("SELECT", "DISTINCT", "REDUCED", "(")):
                scan.add_chain(frame)
        elif group == "word":
            if upper == "SERVICE":
                raise QueryError(
                    "SERVICE (federated query) is not allowed: only local data is queried"
                )
            if upper in GROUP_CHAIN_WORDS and frame.bracket == "{":
                scan.add_chain(frame)
            if expect_form and len(stack) == 1 and upper not in ("PREFIX", "BASE"):
                expect_form = False
                if upper in QUERY_FORMS and kind is None and not updates:
                    kind = QUERY_FORMS[upper]
                elif upper in UPDATE_WORDS:
                    updates.append(_update_name(upper, tokens, position))
                else:
                    raise QueryError(
                        f"not a SPARQL query: {text!r} where SELECT, ASK, CONSTRUCT or "
                        "DESCRIBE was expected"
                    )
            elif upper == "FROM" and len(stack) == 1:
                named = _word(tokens, position + 1) == "NAMED"
                target = tokens[position + 2 if named else position + 1 : position + 3]
                if target:
                    iri = _resolve(target[0], prefixes)
                    if iri is not None:
                        dataset["named" if named else "default"].append(iri)
            elif upper == "PREFIX" and len(stack) == 1:
                declared = tokens[position + 1 : position + 3]
                if len(declared) == 2 and declared[0][0] == "pname" and declared[1][0] == "iri":
                    prefixes[declared[0][1].rstrip(":")] = declared[1][1][1:-1]
            elif upper == "VALUES" and len(stack) == 1:
                has_values = True
            elif upper == "A" and frame.bracket in ("{", "["):
                frame.pending = True
        elif group in TERMS and frame.bracket in ("{", "["):
            frame.pending = True
        previous = (group, upper or text)
    if updates:
        names = ", ".join(dict.fromkeys(updates))
        raise QueryError(f"SPARQL update ({names}) refused: this endpoint is read-only")
    if kind is None:
        raise QueryError(
            "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prefixes"
        )
    return QueryShape(
        kind,
        tuple(dataset["default"]),
        tuple(dataset["named"]),
        has_values,
        scan.triples,
    )


def _is_path_term(previous: tuple[str, str], frame: _Frame) -> bool:
    """A ``*``/``+`` right after an IRI, ``a`` or a closing path group is a path closure."""
    group, text = previous
    if group in ("iri", "pname") or text == "A":
        return True
    return text == ")" and frame.bracket in ("{", "[")


def _word(tokens: list[tuple[str, str]], position: int) -> str:
    if position < len(tokens) and tokens[position][0] == "word":
        return tokens[position][1].upper()
    return ""


def _update_name(word: str, tokens: list[tuple[str, str]], position: int) -> str:
    following = _word(tokens, position + 1)
    if word in ("INSERT", "DELETE") and following in ("DATA", "WHERE"):
        return f"{word} {following}"
    if word in ("INSERT", "DELETE", "WITH"):
        return "DELETE/INSERT"
    return word


def _resolve(token: tuple[str, str], prefixes: dict[str, str]) -> str | None:
    group, text = token
    if group == "iri":
        return text[1:-1]
    if group == "pname":
        prefix, _, local = text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None
