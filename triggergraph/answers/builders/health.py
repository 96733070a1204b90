"""The read model's part of the health answer: what it holds and for which data version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..health import IndexHealth

if TYPE_CHECKING:
    from ...readmodel import EvidenceIndex


def build_index_health(index: EvidenceIndex) -> IndexHealth:
    """Counts (sources, findings, factors, constructs, drivers, demographic values) and version.

    Examples
    --------
    >>> from triggergraph.readmodel import EvidenceIndex
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> build_index_health(EvidenceIndex.build([], load_vocabulary(), "v0")).findings
    0
    """
    vocab = index.vocabulary
    return IndexHealth(
        status="ok",
        version=index.version,
        sources=len(index.sources),
        findings=len(index.findings),
        factors=len(vocab.factors),
        constructs=len(vocab.constructs),
        drivers=len(index.driver_ids),
        demographics=len(index.value_ids),
    )
