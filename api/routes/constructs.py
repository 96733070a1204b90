"""``/api/v1/constructs``: related risk-factor constructs with their mappings to trigger factors."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import ServiceDep, WriteAuthDep
from api.schemas import ReviewIn, errors, json_response
from triggergraph.answers import (
    ConstructAnswer,
    ConstructProposalAnswer,
    ConstructProposalsPage,
    ConstructsPage,
    ConstructsQuery,
    LangQuery,
)
from triggergraph.proposals import ConstructProposal

router = APIRouter(prefix="/api/v1", tags=["constructs"])


@router.get(
    "/constructs",
    response_model=ConstructsPage,
    response_description="A page of constructs.",
    responses=errors(422),
)
def list_constructs(service: ServiceDep, query: Annotated[ConstructsQuery, Query()]) -> Response:
    """Constructs with labels, definitions and the trigger factors they map to; ``q`` searches
    ids, Dutch and English labels and definitions."""
    return json_response(service.constructs(query))


@router.get(
    "/constructs/{construct_id}",
    response_model=ConstructAnswer,
    response_description="One construct with its findings.",
    responses=errors(404, 422),
)
def read_construct(
    service: ServiceDep,
    construct_id: Annotated[str, Path(max_length=100, examples=["perceived_discrimination"])],
    query: Annotated[LangQuery, Query()],
) -> Response:
    """One construct: labels, definitions, mappings and the findings coded on it."""
    return json_response(service.construct(construct_id, query))


@router.post(
    "/construct-proposals",
    status_code=201,
    response_model=ConstructProposalAnswer,
    response_description="The proposal, stored as proposed.",
    responses=errors(400, 401, 403, 409, 422, 503),
)
async def propose_construct(
    service: ServiceDep, _auth: WriteAuthDep, proposal: ConstructProposal
) -> Response:
    """Propose a construct (id, nl/en label and definition, level, mappings with their kind,
    reason, source). It is stored as *proposed* and public only once a curator publishes it."""
    body = await run_in_threadpool(service.propose_construct, proposal)
    return json_response(body, status=201)


@router.get(
    "/construct-proposals",
    response_model=ConstructProposalsPage,
    response_description="Every construct proposal with its state, for curators.",
    responses=errors(401, 403, 422),
)
def list_construct_proposals(
    service: ServiceDep,
    _auth: WriteAuthDep,
    state: Annotated[Literal["proposed", "published", "rejected"] | None, Query()] = None,
) -> Response:
    """Construct proposals for curators (the write token), optionally of one state."""
    return json_response(service.construct_proposals(state))


@router.get(
    "/construct-proposals/published",
    response_model=ConstructProposalsPage,
    response_description="Published construct proposals.",
    responses=errors(422),
)
def list_published_construct_proposals(service: ServiceDep) -> Response:
    """Published construct proposals, open to all, each with the Turtle that adds it to the
    ontology; proposed and rejected ones are not listed here."""
    return json_response(service.construct_proposals("published"))


@router.post(
    "/construct-proposals/{construct_id}/review",
    response_model=ConstructProposalAnswer,
    response_description="The proposal, published or rejected.",
    responses=errors(400, 401, 403, 404, 409, 422, 503),
)
async def review_construct_proposal(
    service: ServiceDep,
    _auth: WriteAuthDep,
    construct_id: Annotated[str, Path(max_length=100)],
    review: ReviewIn,
) -> Response:
    """Publish (then listed publicly) or reject a proposed construct."""
    body = await run_in_threadpool(
        lambda: service.review_construct_proposal(
            construct_id, review.decision, by=review.by, why=review.why
        )
    )
    return json_response(body)
