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

ERROR = "ErrorResponse"
OPENAI_ERROR = "OpenAIErrorResponse"
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
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            app.openapi_schema = with_real_errors(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def with_real_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """The document with every 422 (our routes) or 400 (OpenAI's) declared with the real body."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update(_SCHEMAS)
    for path, operations in schema.get("paths", {}).items():
        openai = path.startswith(OPENAI_PREFIX)
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if openai:
                responses.pop("422", None)
                responses.setdefault("400", {"description": "A parameter is wrong"})
                for status, response in responses.items():
                    if status.startswith(("4", "5")):
                        _body(response, OPENAI_ERROR)
            elif "422" in responses:
                responses["422"] = {
                    "description": "The request is not valid; `code` names the problem (docs/api.md).",
                }
                _body(responses["422"], ERROR)
    return schema


def _body(response: dict[str, Any], name: str) -> None:
    media = response.setdefault("content", {}).setdefault("application/json", {})
    media["schema"] = {"$ref": f"#/components/schemas/{name}"}
