"""Named SPARQL queries (``queries/*.rq``): loaded once, prefixed, run over a store with bound values."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .exceptions import NotFoundError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from .store.base import QueryResult, Store

QUERY_DIR = Path(__file__).resolve().parent / "queries"


def query_names() -> list[str]:
    """Return the names of the bundled queries (file names without ``.rq``), sorted.

    Examples
    --------
    >>> "describe_resource" in query_names()
    True
    """
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


@lru_cache(maxsize=64)
def load_query(name: str) -> str:
    """Return the text of a named query with the shared ``PREFIX`` lines in front.

    Parameters
    ----------
    name : str
        File name in ``queries/`` without ``.rq``.

    Returns
    -------
    str
        The query text, ready for :meth:`Store.query`.

    Raises
    ------
    NotFoundError
        When no query of that name exists (with close names as suggestions).

    Examples
    --------
    >>> load_query("counts").startswith("PREFIX tg: <https://w3id.org/triggergraph/ontology#>")
    True
    """
    path = QUERY_DIR / f"{name}.rq"
    if not path.is_file() or path.parent != QUERY_DIR:
        from difflib import get_close_matches

        raise NotFoundError("query", name, get_close_matches(name, query_names(), n=3))
    prologue = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
    return prologue + path.read_text(encoding="utf-8")


def run_query(
    store: Store, name: str, *, timeout_s: float | None = None, **bindings: Any
) -> QueryResult:
    """Run a named query on ``store`` with values bound to variables, never formatted into text.

    Parameters
    ----------
    store : Store
        Any backend of :mod:`triggergraph.store`.
    name : str
        Query name (see :func:`query_names`).
    timeout_s : float, optional
        Time limit passed to the store.
    **bindings
        Variable name (without ``?``) to an rdflib term (``URIRef``/``Literal``).

    Returns
    -------
    QueryResult
        Rows, boolean or N-Triples, as the store parsed them.

    Examples
    --------
    >>> from triggergraph.store import open_store
    >>> from triggergraph.config import Settings
    >>> store = open_store(Settings(store="memory"))
    >>> run_query(store, "counts").rows[0]["findings"]
    0
    """
    return store.query(load_query(name), bindings=bindings or None, timeout_s=timeout_s)
