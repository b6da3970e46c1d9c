"""The OpenAPI schema builds (the web UI's client is checked against it) and shows the issue-6 routes."""

from __future__ import annotations

from pathlib import Path

from app.core.config import Settings
from app.main import create_app


def test_the_schema_builds_with_the_stream_engine_and_metrics_routes(tmp_path: Path) -> None:
    # The lifespan (models) does not run: the schema comes from the routes alone.
    app = create_app(Settings(_env_file=None, data_dir=tmp_path))
    schema = app.openapi()
    paths = schema["paths"]

    stream = paths["/api/chat/stream"]["post"]
    assert stream["operationId"] == "chat-stream"
    assert "text/event-stream" in stream["responses"]["200"]["content"]
    assert "sources" in stream["responses"]["200"]["description"]
    assert paths["/api/chat"]["post"]["operationId"] == "chat-ask"

    engines = paths["/api/engines"]["get"]
    assert engines["operationId"] == "engines-list"
    assert engines["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/EnginesPublic"
    )
    switch = paths["/api/admin/engines/default"]["put"]
    assert switch["operationId"] == "admin-switch-engine"
    assert {"200", "202"} <= set(switch["responses"])

    assert "text/plain" in paths["/metrics"]["get"]["responses"]["200"]["content"]
    engine_fields = schema["components"]["schemas"]["EnginePublic"]["properties"]
    assert {"state", "model", "device", "progress", "error", "in_flight"} <= set(engine_fields)


def test_errors_are_declared_with_the_bodies_actually_sent(tmp_path: Path) -> None:
    schema = create_app(Settings(_env_file=None, data_dir=tmp_path)).openapi()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    declared = 0
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            errors = {status: r for status, r in operation["responses"].items() if status[0] in "45"}
            body = "ErrorResponse"
            if path.startswith("/v1/"):
                assert "422" not in errors, path  # OpenAI answers a bad parameter with 400
                body = "OpenAIErrorResponse"
            elif path == "/api/vllm/generate":
                body = "SeedGenerateError"  # the seed's own `{success, error, code}`
            for status, response in errors.items():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == f"#/components/schemas/{body}", (path, status)
                declared += 1
    assert declared >= 120
    error = schema["components"]["schemas"]["ErrorResponse"]
    assert error["required"] == ["detail", "code"]


def test_every_route_declares_the_statuses_of_its_kind(tmp_path: Path) -> None:
    schema = create_app(Settings(_env_file=None, data_dir=tmp_path)).openapi()
    public = {"/api/health", "/api/auth/login", "/api/auth/refresh", "/api/auth/register", "/api/setup"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            if path not in public and path != "/metrics":
                assert "401" in statuses, (method, path)
            if path.startswith("/api/admin/"):
                assert "403" in statuses, (method, path)
            if "{" in path:
                assert "404" in statuses, (method, path)
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                assert {"400", "413"} <= statuses, (method, path)
    chat = schema["paths"]["/api/chat"]["post"]["responses"]
    assert {"404", "409", "429", "502", "503"} <= set(chat)


def test_the_document_states_the_deployments_limits_and_the_stream_events(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, max_question_chars=500, password_min_length=12)
    schema = create_app(settings).openapi()
    components = schema["components"]["schemas"]
    question = components["ChatRequest"]["properties"]["question"]
    assert (question["maxLength"], question["pattern"]) == (500, r"\S")
    assert components["UserCreate"]["properties"]["password"]["minLength"] == 12
    assert "x-min-length-from" not in str(schema)
    assert "x-max-length-from" not in str(schema)
    event = schema["paths"]["/api/chat/stream"]["post"]["responses"]["200"]["content"]["text/event-stream"]
    assert set(event["schema"]["properties"]["event"]["enum"]) == {
        "queued", "sources", "cards", "delta", "done", "error"
    }  # fmt: skip
    assert components["UserUpdate"]["minProperties"] == 1
