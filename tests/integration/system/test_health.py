from __future__ import annotations

import os

import httpx
import pytest

# A service given by an environment variable is someone else's: the test only stops the ones it started.
STOPPABLE = [
    name
    for name, var in [("redis", "REDIS_URL"), ("s3", "S3_ENDPOINT_URL"), ("postgres", "DATABASE_URL")]
    if var not in os.environ
]


@pytest.fixture
async def plain_client(app):
    """A client on the app's own engine (no test transaction): it must survive a database restart."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as c:
        yield c


async def test_live_and_ready(client):
    live = await client.get("/health/live")
    assert live.status_code == 200 and live.json() == {"status": "live"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "ready"
    assert set(body["services"]) == {"postgres", "redis", "s3"}
    assert all(check["ok"] for check in body["services"].values())


@pytest.mark.parametrize("service", STOPPABLE)
async def test_ready_turns_unready_when_a_service_stops(plain_client, stack, service):
    client = plain_client
    stack.stop_service(service)
    try:
        response = await client.get("/health/ready")
        assert response.status_code == 503, response.text
        body = response.json()
        assert body["status"] == "unready"
        assert body["services"][service]["ok"] is False
        others = {name: c["ok"] for name, c in body["services"].items() if name != service}
        assert all(others.values()), others
    finally:
        stack.start_service(service)
    recovered = await client.get("/health/ready")
    assert recovered.status_code == 200, recovered.text


async def test_openapi_schema_is_served(client):
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/auth/login" in paths and "/health/ready" in paths
    operation_ids = {op["operationId"] for item in paths.values() for op in item.values() if "operationId" in op}
    assert {"login", "register", "listRegions", "setRegionQuota", "healthReady"} <= operation_ids


async def test_the_schema_documents_errors_as_the_api_sends_them(client):
    schema = (await client.get("/schema/openapi.json")).json()
    operations = [op for item in schema["paths"].values() for op in item.values() if "operationId" in op]
    for op in operations:
        for status in ("400", "422"):
            content = op["responses"][status]["content"]
            assert content == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}, (
                op["operationId"],
                status,
            )
    assert {"type", "title", "status"} <= set(schema["components"]["schemas"]["Problem"]["required"])
    # What the API really sends for a malformed parameter, as documented.
    bad = await client.get("/api/offers", params={"page_size": "many"})
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["errors"][0]["field"] == "page_size"


async def test_the_schema_says_what_the_cv_upload_body_is(client):
    schema = (await client.get("/schema/openapi.json")).json()
    body = schema["paths"]["/api/me/cv"]["put"]["requestBody"]
    assert body["required"] is True
    assert body["content"] == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
