"""triggergraph: a trigger-factor evidence knowledge graph; this module is its public surface.

Names are imported lazily on first use, so ``import triggergraph.models`` stays light and the
command line starts fast. ``api/`` and users import from here; ``tests/test_init.py`` keeps
``__all__`` honest.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # settings and errors
    "Settings": "triggergraph.config",
    "get_settings": "triggergraph.config",
    "TriggergraphError": "triggergraph.exceptions",
    "EntryError": "triggergraph.exceptions",
    "NotFoundError": "triggergraph.exceptions",
    "ConflictError": "triggergraph.exceptions",
    "AuthError": "triggergraph.exceptions",
    "QueryError": "triggergraph.exceptions",
    "QueryTimeoutError": "triggergraph.exceptions",
    "QueryLimitError": "triggergraph.exceptions",
    "QueryUriTooLongError": "triggergraph.exceptions",
    "ResultLimitError": "triggergraph.exceptions",
    "TooManyQueriesError": "triggergraph.exceptions",
    "StoreError": "triggergraph.exceptions",
    "StoreUnavailableError": "triggergraph.exceptions",
    "ConfigError": "triggergraph.exceptions",
    "Problem": "triggergraph.exceptions",
    # vocabulary terms and IRIs
    "TG": "triggergraph.namespaces",
    "PREFIXES": "triggergraph.namespaces",
    "iri_for": "triggergraph.namespaces",
    # entry models
    "Source": "triggergraph.models",
    "Finding": "triggergraph.models",
    "DriverLink": "triggergraph.models",
    "Effect": "triggergraph.models",
    "CitedWork": "triggergraph.models",
    "ContextNote": "triggergraph.models",
    "effect_size_band": "triggergraph.effects",
    # vocabulary, loading, RDF, validation
    "Vocabulary": "triggergraph.vocabulary",
    "Concept": "triggergraph.vocabulary",
    "load_vocabulary": "triggergraph.vocabulary",
    "list_constructs": "triggergraph.constructs",
    "load_literature": "triggergraph.loader",
    "parse_entry": "triggergraph.loader",
    "dump_entry_yaml": "triggergraph.loader",
    "literature_hash": "triggergraph.loader",
    "skeletons_from_bibtex": "triggergraph.bibliography",
    "skeletons_from_ris": "triggergraph.bibliography",
    "source_graph": "triggergraph.rdf",
    "read_source": "triggergraph.rdf",
    "build_dataset": "triggergraph.rdf",
    "serialize_dataset": "triggergraph.rdf",
    "write_dist": "triggergraph.rdf",
    "validate_sources": "triggergraph.shapes",
    # store, queries
    "Store": "triggergraph.store",
    "open_store": "triggergraph.store",
    "run_query": "triggergraph.query",
    # verdicts, read model, service
    "CellVerdict": "triggergraph.verdict",
    "compute_cell": "triggergraph.verdict",
    "cohen_kappa": "triggergraph.agreement",
    "compare_corpus": "triggergraph.agreement",
    "EvidenceIndex": "triggergraph.readmodel",
    "EvidenceService": "triggergraph.service",
    "dump_literature": "triggergraph.service",
    # projections and views
    "project_graph": "triggergraph.graph",
    "layout_graph": "triggergraph.graph",
    "write_single_file": "triggergraph.viewer",
    "write_release": "triggergraph.release",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'triggergraph' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    # ruff: noqa: F401 - these names are re-exported lazily by __getattr__
    from .agreement import cohen_kappa, compare_corpus
    from .config import Settings, get_settings
    from .constructs import list_constructs
    from .exceptions import (
        AuthError,
        ConfigError,
        ConflictError,
        EntryError,
        NotFoundError,
        Problem,
        QueryError,
        QueryLimitError,
        QueryTimeoutError,
        QueryUriTooLongError,
        ResultLimitError,
        StoreError,
        StoreUnavailableError,
        TooManyQueriesError,
        TriggergraphError,
    )
    from .models import (
        CitedWork,
        ContextNote,
        DriverLink,
        Effect,
        Finding,
        Source,
        effect_size_band,
    )
    from .readmodel import EvidenceIndex
    from .release import write_release
    from .service import EvidenceService, dump_literature
    from .store import Store, open_store
    from .vocabulary import Concept, Vocabulary, load_vocabulary
