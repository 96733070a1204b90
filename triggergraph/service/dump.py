"""Writing the store's sources out as ``literature/`` entries: from the store, or through a running server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import (
    EntryError,
    NotFoundError,
    StoreError,
    StoreUnavailableError,
    TriggergraphError,
)
from ..loader import parse_entry, write_entry
from ..store import open_store
from ..vocabulary import load_vocabulary
from .literature import read_store_sources

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Source
    from ..store.base import Store
    from ..vocabulary import Vocabulary

#: Sources asked per page when reading through a server.
PAGE = 500


class NothingFoundError(NotFoundError):
    """A dump that found no source at all (a wrong base IRI, an empty store)."""

    def __init__(self, where: str):
        TriggergraphError.__init__(self, f"found no sources in {where}; nothing was written")
        self.kind, self.ident, self.suggestions = "source", "", []


def dump_literature(
    settings: Settings, directory: Path, overwrite: bool = False, server: str | None = None
) -> list[Path]:
    """Write every public source as a ``literature/``-format YAML entry.

    The store is read directly. While a server holds the embedded store (one process at a
    time), the sources are read through that server's API instead: at ``server``, or else
    at the base IRI (where a deployed server answers). Nothing is written unless every
    source could be read, and finding no source at all is an error, never "0 entries".

    Parameters
    ----------
    settings : Settings
        Which store to read, and its base IRI.
    directory : Path
        Folder to write ``<id>.yaml`` files into (created when missing).
    overwrite : bool
        Replace existing files; otherwise an existing file raises :class:`ConflictError`.
    server : str, optional
        URL of a running triggergraph server to read through, instead of the store.

    Returns
    -------
    list of Path
        The files written, sorted by source id.

    Raises
    ------
    NothingFoundError
        No source found (with the base IRIs the store does hold, when it holds others).
    StoreUnavailableError
        The store is in use and no server answers.
    """
    vocabulary = load_vocabulary(settings.ontology_dir, settings.base_iri)
    if server is not None:
        sources = read_server_sources(server, vocabulary)
        where = f"the server at {server}"
    else:
        try:
            store = open_store(settings)
        except StoreError as error:
            if settings.store != "oxigraph":
                raise
            try:
                sources = read_server_sources(settings.base_iri, vocabulary)
            except StoreUnavailableError as unreachable:
                raise StoreUnavailableError(
                    f"{error}; and no server answers at the base IRI ({unreachable}); "
                    "stop the server or dump through it: triggergraph dump --server URL"
                ) from None
            where = f"the server at {settings.base_iri}"
        else:
            try:
                found, problems = read_store_sources(store, vocabulary)
                if problems:
                    raise EntryError(problems)
                sources = list(found.values())
                where = _describe(store)
            finally:
                store.close()
    if not sources:
        raise NothingFoundError(where)
    Path(directory).mkdir(parents=True, exist_ok=True)
    return [write_entry(source, Path(directory), overwrite=overwrite) for source in sources]


def _describe(store: Store) -> str:
    """The store and base IRI read, with the other base IRIs it holds graphs under."""
    where = f"the {store.backend} store under base IRI {store.base_iri}"
    others = sorted(
        {g.split("graph/", 1)[0] for g in store.graph_names() if "/graph/" in g} - {store.base_iri}
    )
    if others:
        where += f" (it holds graphs under {', '.join(others)}: set TRIGGERGRAPH_BASE_IRI)"
    return where


def read_server_sources(url: str, vocabulary: Vocabulary, timeout_s: float = 30.0) -> list[Source]:
    """Every public source of a running server, read in entry format through its API.

    Raises
    ------
    StoreUnavailableError
        The server does not answer, or answers with an error.
    EntryError
        An entry it serves does not validate here (other vocabulary).
    """
    # httpx takes about 60 ms to import: only a dump through a server needs it, not the service
    import httpx

    base = url.rstrip("/")
    try:
        with httpx.Client(base_url=base, timeout=timeout_s) as client:
            ids: list[str] = []
            while True:
                page = client.get("/api/v1/sources", params={"limit": PAGE, "offset": len(ids)})
                page.raise_for_status()
                data = page.json()
                ids += [item["id"] for item in data["items"]]
                if not data["items"] or len(ids) >= data["total"]:
                    break
            sources = []
            for ident in ids:
                answer = client.get(
                    f"/api/v1/sources/{ident}", params={"format": "entry", "as": "json"}
                )
                answer.raise_for_status()
                sources.append(
                    parse_entry(
                        answer.content,
                        filename=f"{base}/api/v1/sources/{ident}",
                        vocabulary=vocabulary,
                        media_type="json",
                    )
                )
    except (httpx.HTTPError, ValueError, KeyError) as error:
        raise StoreUnavailableError(f"cannot read the sources from {base}: {error}") from None
    return sorted(sources, key=lambda s: s.id)
