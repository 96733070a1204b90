"""``/sparql``: the read-only SPARQL 1.1 Protocol endpoint and its service description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep, SettingsDep
from api.schemas import SPARQL_QUERY_EXAMPLE as QUERY_EXAMPLE
from api.schemas import errors
from triggergraph.exceptions import QueryError, QueryUriTooLongError
from triggergraph.store import QueryDataset

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
        "(Turtle, N-Triples, JSON-LD, RDF/XML), by Accept. Without a query, GET answers the "
        "SPARQL 1.1 Service Description (Turtle, N-Triples, JSON-LD or RDF/XML).",
        "content": RESULT_CONTENT,
    },
    **errors(400, 413, 414, 429, 503),
}
READ_ONLY = "SPARQL updates are not accepted on this endpoint; it is read-only"
GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri")


@dataclass(frozen=True)
class ProtocolRequest:
    """One request of the SPARQL 1.1 Protocol: the query and the dataset it names."""

    query: str | None
    dataset: QueryDataset | None


def parse_protocol(pairs: list[tuple[str, str]]) -> ProtocolRequest:
    """Read ``query``, ``default-graph-uri`` and ``named-graph-uri`` from request parameters.

    A repeated ``query`` and any ``update`` are refused (400); graph parameters may repeat.
    """
    queries = [value for name, value in pairs if name == "query"]
    if len(queries) > 1:
        raise QueryError(f"the parameter 'query' was given {len(queries)} times; give it once")
    if any(name == "update" for name, _ in pairs):
        raise QueryError(READ_ONLY)
    graphs = {name: tuple(v for n, v in pairs if n == name) for name in GRAPH_PARAMS}
    dataset = None
    if any(graphs.values()):
        dataset = QueryDataset(graphs["default-graph-uri"], graphs["named-graph-uri"])
    return ProtocolRequest(queries[0] if queries else None, dataset)


async def _answer(service, protocol: ProtocolRequest, request: Request) -> Response:
    client = request.client.host if request.client else ""
    body, media_type = await run_in_threadpool(
        service.sparql,
        protocol.query or "",
        request.headers.get("accept"),
        client,
        protocol.dataset,
    )
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


@router.get("/sparql", response_class=Response, responses=RESPONSES)
async def sparql_get(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    query: Annotated[
        str | None,
        Query(
            examples=[QUERY_EXAMPLE],
            description="The query; without it the service description is answered. Queries "
            "longer than sparql_max_get_chars characters go in a POST body (414 here).",
        ),
    ] = None,
    default_graph_uri: Annotated[
        list[str] | None,
        Query(alias="default-graph-uri", description="Graphs whose union is the default graph."),
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None,
        Query(alias="named-graph-uri", description="Graphs that GRAPH may reach."),
    ] = None,
) -> Response:
    """Run a read-only query given as ``?query=``, or describe the service without one."""
    protocol = parse_protocol(list(request.query_params.multi_items()))
    if protocol.query is None and protocol.dataset is None:
        body, media_type = service.sparql_description(request.headers.get("accept"))
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})
    if protocol.query is not None and len(protocol.query) > settings.sparql_max_get_chars:
        raise QueryUriTooLongError(
            f"the query has {len(protocol.query)} characters, over the limit of "
            f"{settings.sparql_max_get_chars} for GET (sparql_max_get_chars); send it with POST",
            limit="get_chars",
        )
    return await _answer(service, protocol, request)


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
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
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
    in_url = list(request.query_params.multi_items())
    if content_type == "application/sparql-query":
        in_url = [(name, value) for name, value in in_url if name != "query"]
        protocol = parse_protocol([*in_url, ("query", _decode(body))])
    elif content_type == "application/x-www-form-urlencoded":
        protocol = parse_protocol(in_url + parse_qsl(_decode(body), keep_blank_values=True))
    elif content_type == "application/sparql-update":
        raise QueryError(READ_ONLY)
    else:
        raise QueryError(
            f"unsupported Content-Type {content_type or '(none)'!r}; send application/sparql-query "
            "or application/x-www-form-urlencoded with 'query='"
        )
    return await _answer(service, protocol, request)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(
            f"the request body is not UTF-8 ({error.reason} at byte {error.start})"
        ) from None
