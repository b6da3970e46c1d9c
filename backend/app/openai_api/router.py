"""The OpenAI-compatible API: `GET /v1/models` and `POST /v1/chat/completions`, with RAG inside.

Signed in like the rest of the API (an API key `pk-…`, or an access token, as the bearer); mounted
with the protected routes in app/api/routes.py. Errors are OpenAI's (`errors.OpenAIRoute`).
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Body, Request

from app.api.deps import CurrentUser, RagDep, SettingsDep
from app.chat.sse import EventStreamResponse, event_schema
from app.core.disconnect import run_until_disconnected
from app.engines.dependencies import EnginesDep
from app.observability.dependencies import MetricsDep
from app.openai_api import errors
from app.openai_api.completions import Completion
from app.openai_api.messages import read_exchange, sampling_overrides
from app.openai_api.schemas import ChatCompletion, ChatCompletionRequest, ModelCard, ModelList
from inference_engine import GenerationAborted

router = APIRouter(prefix="/v1", tags=["openai"], route_class=errors.OpenAIRoute)
# The `created` of every model: when this server started (the engines have no date of their own).
_STARTED = int(time.time())

_EXAMPLES = [
    (400, "A parameter is wrong", errors.invalid_request("Invalid value for 'top_p'", "top_p")),
    (401, "No valid API key", errors.OpenAIError(401, "…", code="invalid_api_key")),
    (404, "No such model", errors.model_not_found("gpt-4", ["vllm"])),
    (409, "The model cannot answer here", errors.OpenAIError(409, "…", code="engine_unavailable")),
    (413, "The body is too large", errors.OpenAIError(413, "…", code="body_too_large")),
    (429, "Too many requests of yours", errors.OpenAIError(429, "…", code="too_many_requests")),
    (502, "The model failed", errors.OpenAIError(502, "…", errors.SERVER_ERROR, "engine_failed")),
    (
        503,
        "The model is busy or not loaded",
        errors.OpenAIError(503, "…", errors.SERVER_ERROR, "engine_busy"),
    ),
]
_ERRORS: dict[int | str, dict[str, object]] = {
    status: {"description": description, "content": {"application/json": {"example": error.body()}}}
    for status, description, error in _EXAMPLES
}
_STREAM = {
    "content": {"text/event-stream": {"schema": event_schema(None, json_data=False)}},
    "description": "With `stream`: server-sent events, each a chunk (JSON), the last `[DONE]`.",
}


@router.get("/models", operation_id="openai-models", response_model=ModelList)
def list_models(engines: EnginesDep) -> ModelList:
    """The engines a request's `model` may name (`state` says which can answer now)."""
    snapshot = engines.snapshot()
    return ModelList(
        data=[
            ModelCard(
                id=engine.name,
                created=_STARTED,
                label=engine.label,
                kind=engine.kind,
                state=engine.state,
                default=engine.name == snapshot.default,
            )
            for engine in snapshot.engines
        ]
    )


@router.post(
    "/chat/completions",
    operation_id="openai-chat-completions",
    response_model=ChatCompletion,
    responses={**_ERRORS, 200: _STREAM},
)
async def create_chat_completion(
    body: Annotated[ChatCompletionRequest, Body()],
    request: Request,
    rag: RagDep,
    settings: SettingsDep,
    metrics: MetricsDep,
    principal: CurrentUser,
) -> ChatCompletion | EventStreamResponse:
    """Answer the last user message from the knowledge base, as OpenAI's chat completions do.

    The answer cites passages as [n]; `sources` (an extra field; on the first chunk of a stream)
    lists them. `temperature`, `top_p`, `max_tokens`, `stop` and `seed` are honoured.
    """
    if body.model not in rag.engines.names:
        raise errors.model_not_found(body.model, rag.engines.names)
    rag.engines.check(body.model)  # a model that cannot answer now is refused before any work
    completion = Completion(
        body.model,
        read_exchange(body.messages, settings.max_question_chars),
        sampling_overrides(body),
        rag,
        metrics,
        settings.stream_heartbeat_seconds,
        principal.user_id,
    )
    if body.stream:
        include_usage = body.stream_options is not None and body.stream_options.include_usage
        lease = completion.lease()
        return EventStreamResponse(completion.chunks(include_usage, lease), on_close=lease.release)
    try:
        return await run_until_disconnected(request, completion.answer)  # a client gone stops the model
    except GenerationAborted:
        # Nobody reads this: nginx's 499 names it in the access log.
        raise errors.OpenAIError(499, "The client closed the request.", code="client_closed") from None


_ROUTES = {"models": "GET", "chat/completions": "POST"}


@router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
def unknown_route(path: str, request: Request) -> None:
    """Other paths and methods under /v1 are OpenAI errors too, not the rest of the API's."""
    if path in _ROUTES:
        message = f"{request.method} is not allowed here; use {_ROUTES[path]}."
        raise errors.OpenAIError(405, message, code="method_not_allowed", headers={"Allow": _ROUTES[path]})
    raise errors.OpenAIError(404, f"Invalid URL ({request.method} /v1/{path}).", code="not_found")
