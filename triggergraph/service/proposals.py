"""Construct proposals in the store: proposed, listed for curators, published or rejected.

Each proposal is one graph ``B graph/construct-proposal/{id}`` holding one ``prov:Entity``
``B construct-proposal/{id}`` with its state in ``dcterms:type`` (``proposed``, ``published``,
``rejected``), when it was proposed in ``prov:generatedAtTime``, and the whole record as JSON
in ``prov:value``: the proposal, who reviewed it, when and why. It is written compare-and-set
on the graph's revision, so of two curators reviewing one proposal at once exactly one wins.
The graph is no source graph, so no public answer reads it; only a published proposal is
listed without the write token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
import pyoxigraph as ox

from ..answers.proposals import ConstructProposalAnswer, ConstructProposalsPage
from ..exceptions import ConflictError, NotFoundError
from ..namespaces import PREFIXES
from ..proposals import (
    ConstructProposal,
    check_proposal,
    polarity,
    proposal_turtle,
)
from ..store.base import ABSENT
from .history import now_utc

if TYPE_CHECKING:
    from ..store.base import Store
    from ..vocabulary import Vocabulary

#: The graph kind under ``B graph/`` that holds construct proposals.
PROPOSAL_GRAPH_KIND = "construct-proposal"

_DCT, _PROV = PREFIXES["dcterms"], PREFIXES["prov"]
_TYPE = ox.NamedNode(_DCT + "type")
_IDENTIFIER = ox.NamedNode(_DCT + "identifier")
_VALUE = ox.NamedNode(_PROV + "value")
_GENERATED_AT = ox.NamedNode(_PROV + "generatedAtTime")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ENTITY = ox.NamedNode(_PROV + "Entity")
_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def proposal_graph_iri(base: str, ident: str) -> str:
    """The graph of one construct proposal.

    Examples
    --------
    >>> proposal_graph_iri("http://x/", "substance_use")
    'http://x/graph/construct-proposal/substance_use'
    """
    return f"{base}graph/{PROPOSAL_GRAPH_KIND}/{ident}"


def record_ntriples(base: str, record: dict[str, Any]) -> str:
    """The N-Triples of a proposal's graph from its record."""
    ident = record["proposal"]["id"]
    node = ox.NamedNode(f"{base}{PROPOSAL_GRAPH_KIND}/{ident}")
    triples = [
        ox.Triple(node, _RDF_TYPE, _ENTITY),
        ox.Triple(node, _IDENTIFIER, ox.Literal(ident)),
        ox.Triple(node, _TYPE, ox.Literal(record["state"])),
        ox.Triple(node, _GENERATED_AT, ox.Literal(record["proposed_at"], datatype=_DATETIME)),
        ox.Triple(node, _VALUE, ox.Literal(orjson.dumps(record).decode("utf-8"))),
    ]
    return "".join(f"{t} .\n" for t in triples)


def read_record(ntriples: str) -> dict[str, Any] | None:
    """The record a proposal's graph holds (None when it holds none)."""
    for triple in ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        if triple.predicate == _VALUE:
            return orjson.loads(triple.object.value)
    return None


def proposal_answer(record: dict[str, Any]) -> ConstructProposalAnswer:
    """A stored record as its answer."""
    proposal = ConstructProposal.model_validate(record["proposal"])
    data = proposal.model_dump()
    for mapping in data["mappings"]:
        mapping["polarity"] = polarity(mapping["kind"])
    return ConstructProposalAnswer(
        **data,
        state=record["state"],
        proposed_at=record["proposed_at"],
        reviewed_by=record.get("reviewed_by"),
        reviewed_at=record.get("reviewed_at"),
        review_why=record.get("review_why"),
        turtle=proposal_turtle(proposal),
    )


class ConstructProposals:
    """Construct proposals; mixed into :class:`EvidenceService` (needs ``store``,
    ``vocabulary`` and ``_write_lock``)."""

    store: Store
    vocabulary: Vocabulary

    def _proposal_graphs(self) -> dict[str, str]:
        """Proposal id -> revision of its graph."""
        prefix = proposal_graph_iri(self.store.base_iri, "")
        revisions = self.store.graph_versions()[1]
        return {g[len(prefix) :]: r for g, r in revisions.items() if g.startswith(prefix)}

    def _proposal_record(self, ident: str) -> dict[str, Any] | None:
        text = self.store.graph_ntriples(proposal_graph_iri(self.store.base_iri, ident))
        return read_record(text) if text else None

    def propose_construct(self, proposal: ConstructProposal) -> ConstructProposalAnswer:
        """Store a construct proposal as *proposed*; nothing public changes.

        Raises
        ------
        ConflictError
            The id is a term of the vocabulary, or a proposal with this id is proposed or
            published already (a rejected one may be proposed again).
        EntryError
            A mapping names an unknown or a repeated trigger factor.
        """
        check_proposal(proposal, self.vocabulary)
        base = self.store.base_iri
        with self._write_lock:
            revision = self._proposal_graphs().get(proposal.id, ABSENT)
            earlier = self._proposal_record(proposal.id) if revision else None
            if earlier is not None and earlier["state"] != "rejected":
                raise ConflictError(
                    f"construct {proposal.id!r} is already {earlier['state']}; "
                    "a curator reviews it, or pick another id"
                )
            record = {
                "proposal": proposal.model_dump(),
                "state": "proposed",
                "proposed_at": now_utc(),
            }
            self.store.replace_graph(
                proposal_graph_iri(base, proposal.id), record_ntriples(base, record), revision
            )
        return proposal_answer(record)

    def construct_proposals(self, state: str | None = None) -> ConstructProposalsPage:
        """Proposals in ``state`` (all when None), by id."""
        items = []
        for ident in sorted(self._proposal_graphs()):
            record = self._proposal_record(ident)
            if record is not None and (state is None or record["state"] == state):
                items.append(proposal_answer(record))
        return ConstructProposalsPage(total=len(items), items=items)

    def review_construct_proposal(
        self, ident: str, decision: str, by: str | None = None, why: str = ""
    ) -> ConstructProposalAnswer:
        """Publish or reject a proposed construct.

        Raises
        ------
        NotFoundError
            No proposal with this id.
        ConflictError
            It was reviewed already, or a term with its id entered the vocabulary since.
        """
        base = self.store.base_iri
        with self._write_lock:
            revisions = self._proposal_graphs()
            record = self._proposal_record(ident) if ident in revisions else None
            if record is None:
                raise NotFoundError("construct proposal", ident, sorted(revisions))
            if record["state"] != "proposed":
                raise ConflictError(f"construct proposal {ident!r} is already {record['state']}")
            if decision == "publish":
                check_proposal(
                    ConstructProposal.model_validate(record["proposal"]), self.vocabulary
                )
            record = {
                **record,
                "state": "published" if decision == "publish" else "rejected",
                "reviewed_by": by or "write-token holder",
                "reviewed_at": now_utc(),
                "review_why": why,
            }
            self.store.replace_graph(
                proposal_graph_iri(base, ident), record_ntriples(base, record), revisions[ident]
            )
        return proposal_answer(record)
