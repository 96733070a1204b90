"""Every REST answer is documented by the one answer model its builder returns, and fits it."""

from __future__ import annotations

import pytest

from api.main import create_app
from triggergraph import answers
from triggergraph.answers import builders as b
from triggergraph.config import Settings
from triggergraph.service import EvidenceService
from triggergraph.timeline import factor_history

REF = "#/components/schemas/{model}"

#: (path, a concrete URL, the answer model, the function that builds it) of every JSON read
#: route; a URL of None is made from the first item of the route's listing
ROUTES = [
    ("/health", "/health", answers.HealthAnswer, EvidenceService.health),
    ("/api/v1/factors", "/api/v1/factors?driver=justice_seeker", answers.FactorsPage, b.build_factors),
    ("/api/v1/factors/{factor_id}", "/api/v1/factors/detention", answers.FactorAnswer, b.build_factor),
    ("/api/v1/constructs", "/api/v1/constructs?q=discrimination", answers.ConstructsPage, b.build_constructs),
    ("/api/v1/constructs/{construct_id}", None, answers.ConstructAnswer, b.build_construct),
    ("/api/v1/drivers", "/api/v1/drivers?lang=nl", answers.DriversAnswer, b.build_drivers),
    ("/api/v1/drivers/{driver_id}", "/api/v1/drivers/justice_seeker", answers.DriverAnswer, b.build_driver),
    ("/api/v1/demographics", "/api/v1/demographics", answers.DemographicsAnswer, b.build_demographics),
    ("/api/v1/findings", "/api/v1/findings", answers.FindingsPage, b.build_findings),
    ("/api/v1/findings/{finding_id}", None, answers.FindingAnswer, b.build_finding),
    ("/api/v1/sources", "/api/v1/sources", answers.SourcesPage, b.build_sources),
    ("/api/v1/sources/{source_id}", None, answers.SourceAnswer, b.build_source),
    ("/api/v1/matrix", "/api/v1/matrix?cols=all&lang=nl", answers.MatrixAnswer, b.build_matrix),
    ("/api/v1/gaps", "/api/v1/gaps", answers.GapsAnswer, b.build_gaps),
    ("/api/v1/profile", "/api/v1/profile?driver=justice_seeker", answers.ProfileAnswer, b.build_profile),
    ("/api/v1/factors/{factor_id}/history", "/api/v1/factors/detention/history", answers.FactorHistoryAnswer, factor_history),
    ("/api/v1/construct-proposals/published", "/api/v1/construct-proposals/published", answers.ConstructProposalsPage, EvidenceService.construct_proposals),
]  # fmt: skip
#: routes documented by an answer model whose answer needs the write token
GUARDED = [
    ("/api/v1/matrix/proposed", answers.MatrixAnswer, b.build_matrix),
    ("/api/v1/construct-proposals", answers.ConstructProposalsPage, EvidenceService.construct_proposals),
]  # fmt: skip


def without_none(value):
    """The schema as the OpenAPI document carries it: FastAPI dumps it with ``exclude_none``."""
    if isinstance(value, dict):
        return {k: without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_none(v) for v in value]
    return value


def returned_model(build) -> type:
    """The class a builder's return annotation names, resolved in the builder's module."""
    return eval(build.__annotations__["return"], build.__globals__)  # noqa: S307


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app(Settings(store="memory")).openapi()


@pytest.mark.parametrize(
    ("path", "model", "build"),
    [(path, model, build) for path, _url, model, build in ROUTES] + GUARDED,
)
def test_route_response_schema_is_the_model_its_builder_returns(spec, path, model, build):
    assert returned_model(build) is model
    ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": REF.format(model=model.__name__)}
    generated = without_none(model.model_json_schema(ref_template=REF, mode="serialization"))
    components = spec["components"]["schemas"]
    for name, schema in {model.__name__: generated, **generated.pop("$defs", {})}.items():
        assert components[name] == schema, name


def answer_model_of(operations: dict) -> str | None:
    """The name of the model a GET route documents for its JSON 200 answer, if any."""
    ok = operations.get("get", {}).get("responses", {}).get("200", {})
    schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").rsplit("/", 1)[-1] or None


def test_every_json_read_route_is_checked(spec):
    documented = {
        path
        for path, operations in spec["paths"].items()
        if answer_model_of(operations) in answers.__all__
    }
    assert documented == {path for path, *_ in ROUTES} | {path for path, *_ in GUARDED}


@pytest.mark.parametrize(("path", "url", "model", "build"), ROUTES)
def test_route_answer_fits_its_model(read_client, path, url, model, build):
    if url is None:
        listing = read_client.get(path.rsplit("/", 1)[0]).json()
        url = f"{path.rsplit('/', 1)[0]}/{listing['items'][0]['id']}"
    response = read_client.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert model.model_validate(body).model_dump(mode="json") == body


@pytest.mark.parametrize(
    ("url", "field", "valid"),
    [
        ("/api/v1/matrix?colums=sex", "colums", "cols"),
        ("/api/v1/factors?levle=meso", "levle", "level"),
        ("/api/v1/findings?sort=year", "sort", "certainty"),
        ("/api/v1/gaps?language=nl", "language", "lang"),
        ("/api/v1/profile?driver=justice_seeker&drivers=x", "drivers", "driver"),
    ],
)
def test_unknown_query_parameter_is_422_naming_the_valid_ones(read_client, url, field, valid):
    response = read_client.get(url)
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["field"] == field
    assert "valid:" in problem["message"] and valid in problem["message"]
