"""`POST /api/vllm/generate`: the seed's route, kept for its scripts (admins only).

`{prompt, ...options}` → `{success: true, text}`; a failure is `{success: false, error, code}` with
the status the rest of the API gives it. Its route class asks the app's own exception handlers
(app/core/errors.py, app/auth/errors.py) for the response and only reshapes the body, so statuses,
codes and headers cannot drift from the rest of the API.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from app.api.deps import AdminUser, ClientIp, DatabaseDep, require_admin
from app.core.disconnect import run_until_disconnected
from app.engines.dependencies import EnginesDep
from app.playground import service
from app.playground.schemas import (
    GenerateRequest,
    SeedGenerateError,
    SeedGenerateRequest,
    SeedGenerateResponse,
)

ROUTE = "/api/vllm/generate"
# Headers of the standard error response that describe its body, which is replaced.
_BODY_HEADERS = frozenset({"content-length", "content-type"})


class SeedErrorRoute(APIRoute):
    """A route whose errors, authentication and validation included, read `{success: false, error}`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                return _seed_error(await _standard_error(request, exc))

        return handle


async def _standard_error(request: Request, exc: Exception) -> Response:
    """The response the app's exception handlers give `exc` (`Exception` has one: none escapes)."""
    for kind in type(exc).__mro__:
        handler = request.app.exception_handlers.get(kind)
        if handler is not None:
            result = handler(request, exc)
            response: Response = await result if inspect.isawaitable(result) else result
            return response
    raise exc


def _seed_error(standard: Response) -> JSONResponse:
    body = json.loads(bytes(standard.body))
    error = SeedGenerateError(error=str(body.get("detail", "")), code=str(body.get("code", "internal_error")))
    headers = {k: v for k, v in standard.headers.items() if k.lower() not in _BODY_HEADERS}
    return JSONResponse(error.model_dump(), status_code=standard.status_code, headers=headers)


router = APIRouter(
    prefix="/api/vllm",
    tags=["admin"],
    route_class=SeedErrorRoute,
    dependencies=[Depends(require_admin)],
)


@router.post(
    "/generate",
    operation_id="vllm-generate",
    response_model=SeedGenerateResponse,
    deprecated=True,
    responses={
        status: {"model": SeedGenerateError, "description": description}
        for status, description in (
            (401, "Not signed in"),
            (403, "Not an admin"),
            (409, "The engine is not ready"),
            (422, "A bad field, or an unknown engine"),
            (429, "Too many requests of this admin's"),
            (502, "The engine failed"),
            (503, "The default engine is down"),
        )
    },
)
async def generate(
    body: SeedGenerateRequest,
    request: Request,
    admin: AdminUser,
    engines: EnginesDep,
    database: DatabaseDep,
    client_ip: ClientIp,
) -> SeedGenerateResponse:
    """Deprecated: use `POST /api/admin/generate`, which also takes chat messages and reports tokens
    and timings. The prompt is sent to the model as is; options as there, flat in the body."""
    caller = service.Caller(admin.user_id, client_ip, ROUTE)
    playground = GenerateRequest.model_validate(body.model_dump())
    generated = await run_until_disconnected(
        request, lambda abort: service.generate_audited(engines, database, playground, caller, abort)
    )
    return SeedGenerateResponse(text=generated.text)
