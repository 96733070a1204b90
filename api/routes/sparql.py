"""``/sparql``: the read-only SPARQL 1.1 endpoint; result format chosen by the Accept header."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep
from api.schemas import SPARQL_QUERY_EXAMPLE as QUERY_EXAMPLE
from api.schemas import errors
from triggergraph.exceptions import QueryError

router = APIRouter(tags=["sparql"])

RESULT_CONTENT = {
    "application/sparql-results+json": {
        "example": {
            "head": {"vars": ["n"]},
            "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]},
        }
    },
    "application/sparql-results+xml": {},
    "text/csv": {"example": "n\r\n1\r\n"},
    "text/tab-separated-values": {},
    "text/turtle": {},
    "application/n-triples": {},
    "application/ld+json": {},
    "application/rdf+xml": {},
}

RESPONSES = {
    200: {
        "description": "SELECT/ASK results (JSON, XML, CSV, TSV) or a CONSTRUCT/DESCRIBE graph "
        "(Turtle, N-Triples, JSON-LD, RDF/XML), by Accept.",
        "content": RESULT_CONTENT,
    },
    **errors(400, 413, 422, 503),
}


def _refuse_dataset_params(params: dict) -> None:
    for name in ("default-graph-uri", "named-graph-uri"):
        if params.get(name):
            raise QueryError(
                f"the parameter {name!r} is not supported; use GRAPH in the query instead"
            )


async def _answer(service, query: str, request: Request) -> Response:
    body, media_type = await run_in_threadpool(service.sparql, query, request.headers.get("accept"))
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


@router.get("/sparql", response_class=Response, responses=RESPONSES)
async def sparql_get(
    request: Request,
    service: ServiceDep,
    # a URL longer than about 64 KiB is cut off by the HTTP server itself (a bare text 400);
    # 5,000 characters stay below that even when every character is percent-encoded UTF-8.
    query: Annotated[
        str | None,
        Query(
            max_length=5_000,
            examples=[QUERY_EXAMPLE],
            description="The query; longer queries go in a POST body.",
        ),
    ] = None,
) -> Response:
    """Run a read-only query given as ``?query=``. Updates and SERVICE are refused (400)."""
    _refuse_dataset_params(dict(request.query_params))
    if request.query_params.get("update"):
        raise QueryError("SPARQL updates are not accepted on this endpoint; it is read-only")
    return await _answer(service, query or "", request)


@router.post(
    "/sparql",
    response_class=Response,
    responses=RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/sparql-query": {
                    "schema": {"type": "string"},
                    "example": QUERY_EXAMPLE,
                },
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"query": {"type": "string"}},
                        "required": ["query"],
                    },
                },
            },
        }
    },
)
async def sparql_post(request: Request, service: ServiceDep) -> Response:
    """Run a read-only query sent as ``application/sparql-query`` or form-encoded ``query=``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    _refuse_dataset_params(dict(request.query_params))
    if content_type == "application/sparql-query":
        query = _decode(body)
    elif content_type == "application/x-www-form-urlencoded":
        form = parse_qs(_decode(body), keep_blank_values=True)
        _refuse_dataset_params({k: v[0] for k, v in form.items()})
        if "update" in form:
            raise QueryError("SPARQL updates are not accepted on this endpoint; it is read-only")
        query = form.get("query", [""])[0]
    elif content_type == "application/sparql-update":
        raise QueryError("SPARQL updates are not accepted on this endpoint; it is read-only")
    else:
        raise QueryError(
            f"unsupported Content-Type {content_type or '(none)'!r}; send application/sparql-query "
            "or application/x-www-form-urlencoded with 'query='"
        )
    return await _answer(service, query, request)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(
            f"the request body is not UTF-8 ({error.reason} at byte {error.start})"
        ) from None
