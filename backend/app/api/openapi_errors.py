"""The OpenAPI document declares the error bodies actually sent.

FastAPI declares every 422 with its own `HTTPValidationError` shape, but this API answers
`{detail, code}` (app/core/errors.py) and the OpenAI-compatible routes answer OpenAI's
`{error: {message, type, param, code}}` with 400 for a bad parameter (app/openai_api/errors.py).
The generated document is rewritten once to say so, so that clients generated from it (and
schema-checking fuzzers) see the real shapes.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.api.openapi_limits import with_deployment_limits
from app.core.error_docs import DESCRIPTIONS

ERROR = "ErrorResponse"
OPENAI_ERROR = "OpenAIErrorResponse"
REF = "#/components/schemas/"
OPENAI_PREFIX = "/v1/"
_SCHEMAS: dict[str, dict[str, Any]] = {
    ERROR: {
        "type": "object",
        "required": ["detail", "code"],
        "properties": {
            "detail": {"type": "string", "description": "A message for a person."},
            "code": {"type": "string", "description": "A stable code clients translate (docs/api.md)."},
        },
    },
    OPENAI_ERROR: {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["message", "type"],
                "properties": {
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                    "param": {"type": ["string", "null"]},
                    "code": {"type": ["string", "null"]},
                },
            }
        },
    },
}


def install_error_schemas(app: FastAPI) -> None:
    """Serve the document with the real error bodies and the deployment's limits (openapi_limits.py);
    built at the first request, once the engines are configured."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            services = getattr(app.state, "services", None)
            engines = services.engines.names if services is not None else None
            app.openapi_schema = with_deployment_limits(with_real_errors(schema), app.state.settings, engines)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def with_real_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """The document with every error status declared with the real body: `{detail, code}`, or OpenAI's
    on `/v1` (where a bad parameter is 400, not 422). Statuses any route of a kind may give are added
    here: 400 (JSON that does not parse) and 413 (too large) with a request body, 404 with a path
    parameter (the thing it names may not exist)."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update(_SCHEMAS)
    for path, operations in schema.get("paths", {}).items():
        openai = path.startswith(OPENAI_PREFIX)
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in _implied_errors(operation, openai):
                responses.setdefault(str(status), {"description": DESCRIPTIONS[status]})
            if openai:
                responses.pop("422", None)
            elif "422" in responses:
                responses["422"]["description"] = DESCRIPTIONS[422]
            errors = {status: r for status, r in responses.items() if status.startswith(("4", "5"))}
            body = _own_error_body(errors) or REF + (OPENAI_ERROR if openai else ERROR)
            for response in errors.values():
                media = response.setdefault("content", {}).setdefault("application/json", {})
                media["schema"] = {"$ref": body}
    return schema


def _own_error_body(errors: dict[str, dict[str, Any]]) -> str | None:
    """The error body a route declared itself (the seed's alias answers `{success, error, code}`)."""
    for response in errors.values():
        ref = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        if ref and ref.removeprefix(REF) not in ("HTTPValidationError", ERROR, OPENAI_ERROR):
            return str(ref)
    return None


def _implied_errors(operation: dict[str, Any], openai: bool) -> list[int]:
    statuses = []
    body = operation.get("requestBody", {}).get("content", {})
    if body:
        statuses.append(413)
        if "application/json" in body or openai:
            statuses.append(400)
    if any(parameter.get("in") == "path" for parameter in operation.get("parameters", [])):
        statuses.append(404)
    return statuses
