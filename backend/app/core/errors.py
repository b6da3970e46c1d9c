"""Errors the API returns, and the one place where exceptions become HTTP responses.

Every error body has the same shape: `{"detail": "<message for a person>", "code": "<stable code>"}`;
clients (the web UI) translate by `code`. No stack trace ever leaves the server.
"""

from __future__ import annotations

import functools
import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.response_start import StartTrackingSend
from inference_engine import EngineError, EngineNotLoaded, GenerationAborted, InvalidPrompt

log = logging.getLogger(__name__)

# Error types raised by our validators (PydanticCustomError), passed to clients as codes.
CUSTOM_VALIDATION_CODES = frozenset({"question_empty", "invalid_text"})


class ModelNotPrepared(RuntimeError):
    """A model folder the settings point to does not exist yet (raised by app.model_prep)."""


class ApiError(Exception):
    """An error with its HTTP status, stable code and message (and fields a client may show)."""

    def __init__(self, status: int, code: str, detail: str, **extra: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra
        self.headers: dict[str, str] = {}  # sent with the response (Retry-After, WWW-Authenticate)

    def with_headers(self, **headers: str) -> ApiError:
        self.headers = {**self.headers, **{name.replace("_", "-"): value for name, value in headers.items()}}
        return self


def error_response(status: int, code: str, detail: str, extra: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail, "code": code, **(extra or {})})


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str]:
    """Status, code and message for the first problem; the code is pydantic's error type."""
    errors = exc.errors()
    first = errors[0] if errors else {}
    kind = str(first.get("type", "invalid_request"))
    location = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    if kind == "json_invalid":
        return 400, "invalid_json", "The request body is not valid JSON."
    if kind == "missing":
        return 422, "missing_field", f"The field '{location}' is required."
    if kind == "extra_forbidden":
        return 422, "unknown_field", f"The field '{location}' is not accepted."
    if kind in ("model_attributes_type", "dict_type"):
        return 422, "invalid_body", "The request body must be a JSON object."
    message = str(first.get("msg", "Invalid request."))
    if kind in CUSTOM_VALIDATION_CODES:  # our own messages already name the field
        return 422, kind, message
    return 422, kind, f"{location}: {message}" if location else message


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        response = error_response(exc.status, exc.code, exc.detail, exc.extra)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(*_validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
        response = error_response(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            if allowed is not None:  # else Starlette's own (the web UI's paths)
                response.headers["Allow"] = allowed
        return response

    @app.exception_handler(EngineError)
    async def engine_error(_: Request, exc: EngineError) -> JSONResponse:
        if isinstance(exc, GenerationAborted):  # nobody reads it: nginx's 499 names it in the log
            return error_response(499, "client_closed", "The client closed the request.")
        if isinstance(exc, EngineNotLoaded):
            return error_response(
                503, "engine_not_ready", "The language model is not loaded yet; try again shortly."
            )
        if isinstance(exc, InvalidPrompt):
            return error_response(422, "prompt_too_long", str(exc))
        log.error("engine failed: %s", exc)
        return error_response(502, "engine_failed", "The language model failed to answer; try again.")

    @app.exception_handler(ModelNotPrepared)
    async def model_missing(_: Request, exc: ModelNotPrepared) -> JSONResponse:
        return error_response(503, "model_not_prepared", str(exc))

    # Unexpected exceptions end in UnexpectedErrors (a middleware), not in an exception handler:
    # Starlette re-raises after such a handler answers, and the server then drops the client's
    # kept-alive connection.
    app.add_middleware(UnexpectedErrors)


def allowed_methods(request: Request) -> str | None:
    """The methods the OpenAPI document gives the path (None: a path it does not describe).

    Starlette's own 405 names only the first route that matched, though GET and POST of one path
    are often two routes; and a route's pattern can take paths the document gives to another
    (`DELETE /api/admin/documents/{document_id}` takes `/api/admin/documents/reindex`). The document
    says what a client may do: its most specific path that matches decides.
    """
    path = request.scope["path"]
    matches = [
        (template.count("{"), operations)
        for template, operations in request.app.openapi()["paths"].items()
        if _template_pattern(template).fullmatch(path)
    ]
    if not matches:
        return None
    _, operations = min(matches, key=lambda match: match[0])
    return ", ".join(sorted(method.upper() for method in operations))


@functools.cache
def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts))


class UnexpectedErrors:
    """ASGI middleware: an exception no handler took becomes a logged 500 in our shape (or, once a
    response has started, the end of that response), and is not raised further."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracking_send = StartTrackingSend(send)
        try:
            await self.app(scope, receive, tracking_send)
        except StarletteHTTPException:
            raise  # a body over its limit, answered by the body-limit middleware outside
        except Exception:
            log.exception("unhandled error")
            if tracking_send.started:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await error_response(500, "internal_error", "Internal server error.")(scope, receive, send)
