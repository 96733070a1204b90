"""Every REST answer is documented by the one answer model the read model's dict fits."""

from __future__ import annotations

import pytest

from api.main import create_app
from triggergraph import answers
from triggergraph.config import Settings

REF = "#/components/schemas/{model}"

#: (path, a concrete URL, the answer model) of every JSON read route
ROUTES = [
    ("/health", "/health", answers.HealthAnswer),
    ("/api/v1/factors", "/api/v1/factors?driver=justice_seeker", answers.FactorsPage),
    ("/api/v1/factors/{factor_id}", "/api/v1/factors/detention", answers.FactorAnswer),
    ("/api/v1/drivers", "/api/v1/drivers?lang=nl", answers.DriversAnswer),
    ("/api/v1/drivers/{driver_id}", "/api/v1/drivers/justice_seeker", answers.DriverAnswer),
    ("/api/v1/demographics", "/api/v1/demographics", answers.DemographicsAnswer),
    ("/api/v1/findings", "/api/v1/findings", answers.FindingsPage),
    ("/api/v1/findings/{finding_id}", None, answers.FindingAnswer),
    ("/api/v1/sources", "/api/v1/sources", answers.SourcesPage),
    ("/api/v1/sources/{source_id}", None, answers.SourceAnswer),
    ("/api/v1/matrix", "/api/v1/matrix?cols=all&lang=nl", answers.MatrixAnswer),
    ("/api/v1/gaps", "/api/v1/gaps", answers.GapsAnswer),
    ("/api/v1/profile", "/api/v1/profile?driver=justice_seeker", answers.ProfileAnswer),
]


def without_none(value):
    """The schema as the OpenAPI document carries it: FastAPI dumps it with ``exclude_none``."""
    if isinstance(value, dict):
        return {k: without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_none(v) for v in value]
    return value


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app(Settings(store="memory")).openapi()


@pytest.mark.parametrize(("path", "url", "model"), ROUTES)
def test_route_response_schema_is_the_answer_model(spec, path, url, model):
    ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": REF.format(model=model.__name__)}
    generated = without_none(model.model_json_schema(ref_template=REF, mode="serialization"))
    components = spec["components"]["schemas"]
    for name, schema in {model.__name__: generated, **generated.pop("$defs", {})}.items():
        assert components[name] == schema, name


@pytest.mark.parametrize(("path", "url", "model"), ROUTES)
def test_route_answer_fits_its_model(read_client, path, url, model):
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
