"""Construct proposals as answers: one proposal with its review state, and a list of them."""

from __future__ import annotations

from pydantic import Field

from .base import Answer


class ProposedMapping(Answer):
    """A trigger factor a proposed construct maps to: kind and polarity."""

    factor: str
    kind: str
    polarity: str = Field(description="'opposite' for oppositeOf (counted inverted), else 'same'.")


class ConstructProposalAnswer(Answer):
    """A proposed construct, its review state and the Turtle that adds it to the ontology."""

    id: str
    label: dict[str, str]
    definition: dict[str, str]
    level: str
    mappings: list[ProposedMapping]
    reason: str
    source: str | None
    proposed_by: str
    state: str = Field(description="'proposed', 'published' or 'rejected'.")
    proposed_at: str
    reviewed_by: str | None
    reviewed_at: str | None
    review_why: str | None
    turtle: str = Field(description="The block for ontology/constructs.ttl.")


class ConstructProposalsPage(Answer):
    """Construct proposals, by id."""

    total: int
    items: list[ConstructProposalAnswer]
