"""Server-Sent Events: encoding events, and a response that always closes its event source.

Every event's data is one line of JSON (JSON escapes newlines), so a client splits events on blank
lines and reads `event:` and `data:` without caring about multi-line data.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import anyio
from starlette.responses import StreamingResponse
from starlette.types import Send

SSE_HEADERS = {
    "Cache-Control": "no-cache",
    # nginx buffers proxied responses by default, which would hold every delta back to the end.
    "X-Accel-Buffering": "no",
}


def event_schema(events: tuple[str, ...] | None, json_data: bool = True) -> dict[str, Any]:
    """The OpenAPI schema of one event of a stream (Open API 3.1: the `schema` of `text/event-stream`
    describes each event): its name, one of `events` (None: events without a name), and its data."""
    data: dict[str, Any] = {"type": "string"}
    if json_data:
        data["contentMediaType"] = "application/json"
    properties: dict[str, Any] = {"data": data}
    if events is not None:
        properties["event"] = {"type": "string", "enum": list(events)}
    return {"type": "object", "required": sorted(properties), "properties": properties}


# The events of POST /api/chat/stream (docs/streaming.md), in the order they may come.
CHAT_EVENT = event_schema(("queued", "sources", "cards", "delta", "done", "error"))


def sse_event(event: str, data: Mapping[str, Any]) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"event: {event}\ndata: {payload}\n\n"


def sse_comment(text: str) -> str:
    """A line clients ignore; keeps an idle connection open through proxies."""
    return f": {text}\n\n"


class EventStreamResponse(StreamingResponse):
    """`text/event-stream` whose generator is closed however the response ends.

    Starlette stops iterating when the client goes away but leaves a generator that was waiting at a
    `yield` to the garbage collector; closing it here runs its cleanup (abort the engine request,
    store the partial answer) at once. Shielded: the response's own scope is being cancelled then.
    """

    media_type = "text/event-stream"

    def __init__(self, events: AsyncIterator[str], on_close: Callable[[], None] | None = None) -> None:
        super().__init__(events, headers=SSE_HEADERS)
        self._events = events
        # Runs however the response ends, even when the generator never started (its own cleanup
        # would not run then): releases what the route took before streaming (the engine lease).
        self._on_close = on_close

    async def stream_response(self, send: Send) -> None:
        try:
            await super().stream_response(send)
        finally:
            with anyio.CancelScope(shield=True):
                aclose = getattr(self._events, "aclose", None)
                if aclose is not None:
                    await aclose()
            if self._on_close is not None:
                self._on_close()
