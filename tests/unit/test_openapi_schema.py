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
    declared_422 = 0
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            if path.startswith("/v1/"):
                assert "422" not in responses, path  # OpenAI answers a bad parameter with 400
                bad = responses["400"]["content"]["application/json"]["schema"]["$ref"]
                assert bad.endswith("/OpenAIErrorResponse"), path
            elif "422" in responses:
                declared_422 += 1
                ref = responses["422"]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorResponse"), path
    assert declared_422 >= 15
    error = schema["components"]["schemas"]["ErrorResponse"]
    assert error["required"] == ["detail", "code"]
