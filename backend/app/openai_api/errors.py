"""Errors of the OpenAI-compatible API, in OpenAI's format: `{"error": {message, type, param, code}}`.

Only the routes of this package answer so: their route class (`OpenAIRoute`) turns whatever the
request raised — authentication, validation, an engine — into this body, and the rest of the API
keeps `{detail, code}` (app/core/errors.py). No stack trace is ever returned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.errors import ApiError, ModelNotPrepared
from inference_engine import EngineError, EngineNotLoaded, InvalidPrompt

log = logging.getLogger(__name__)

INVALID_REQUEST = "invalid_request_error"
SERVER_ERROR = "server_error"


class OpenAIError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        type_: str = INVALID_REQUEST,
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type_, code, param
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def model_not_found(name: str, known: list[str]) -> OpenAIError:
    return OpenAIError(
        404,
        f"The model {name!r} does not exist; the models are {', '.join(known)} (GET /v1/models).",
        code="model_not_found",
        param="model",
    )


def invalid_request(message: str, param: str | None = None, code: str | None = None) -> OpenAIError:
    return OpenAIError(400, message, code=code, param=param)


def _type_for(status: int) -> str:
    if status == 403:
        return "permission_error"
    if status == 429:
        return "rate_limit_error"
    return SERVER_ERROR if status >= 500 else INVALID_REQUEST


def _from_api_error(exc: ApiError) -> OpenAIError:
    headers = exc.headers
    if exc.status == 401:  # whatever was wrong with the credential, for OpenAI clients it is the key
        return OpenAIError(401, exc.detail, code="invalid_api_key", headers=headers)
    if exc.code == "engine_not_ready":  # a model that exists but cannot answer now:
        # 503 while the default loads (try again), 409 for another one (an admin must load it).
        return OpenAIError(exc.status, exc.detail, _type_for(exc.status), "model_not_ready", "model")
    status = 400 if exc.status == 422 else exc.status  # OpenAI answers bad parameters with 400
    return OpenAIError(status, exc.detail, _type_for(status), exc.code, headers=headers)


def _from_validation(exc: RequestValidationError) -> OpenAIError:
    first = exc.errors()[0] if exc.errors() else {}
    kind = str(first.get("type", "invalid_request"))
    if kind == "json_invalid":
        return invalid_request("The request body is not valid JSON.", code="invalid_json")
    location = [str(part) for part in first.get("loc", ()) if part != "body"]
    param = ".".join(location) or None
    message = str(first.get("msg", "Invalid request.")).removeprefix("Value error, ")
    if kind == "missing":
        message = f"Missing required parameter: '{param}'."
    elif param:
        message = f"Invalid value for '{param}': {message}"
    return invalid_request(message, param, kind)


def from_exception(exc: Exception) -> OpenAIError:
    """The OpenAI error a request that raised `exc` is answered with."""
    if isinstance(exc, OpenAIError):
        return exc
    if isinstance(exc, ApiError):
        return _from_api_error(exc)
    if isinstance(exc, RequestValidationError):
        return _from_validation(exc)
    if isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        codes = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
        return OpenAIError(status, str(exc.detail), _type_for(status), codes.get(status))
    if isinstance(exc, EngineNotLoaded):
        message = "The language model is not loaded yet; try again shortly."
        return OpenAIError(503, message, SERVER_ERROR, "engine_not_ready")
    if isinstance(exc, InvalidPrompt):
        return invalid_request(str(exc), "messages", "context_length_exceeded")
    if isinstance(exc, EngineError):
        log.error("engine failed: %s", exc)
        message = "The language model failed to answer; try again."
        return OpenAIError(502, message, SERVER_ERROR, "engine_failed")
    if isinstance(exc, ModelNotPrepared):
        return OpenAIError(503, str(exc), SERVER_ERROR, "model_not_prepared")
    log.exception("unhandled error", exc_info=exc)
    return OpenAIError(500, "Internal server error.", SERVER_ERROR, "internal_error")


class OpenAIRoute(APIRoute):
    """A route whose errors, from its dependencies (authentication) to its handler, are OpenAI errors."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                return from_exception(exc).response()

        return handle
