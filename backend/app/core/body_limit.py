"""Refusing request bodies over a size limit before they are read into memory."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.response_start import StartTrackingSend

OPENAI_PREFIX = "/v1/"  # the OpenAI-compatible API (app/openai_api)
CODE = "body_too_large"


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTPException so that FastAPI passes it to the handlers."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body is larger than the limit of {max_bytes // 1024} KiB.")


class BodySizeLimit:
    """ASGI middleware: 413 when Content-Length, or the bytes actually sent, exceed `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        tracking_send = StartTrackingSend(send)
        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not tracking_send.started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = BodyTooLarge(self.max_bytes).detail
        if scope["path"].startswith(OPENAI_PREFIX):  # OpenAI's clients read OpenAI's error shape
            shape: dict[str, object] = {
                "error": {"message": message, "type": "invalid_request_error", "param": None, "code": CODE}
            }
        else:
            shape = {"detail": message, "code": CODE}
        body = json.dumps(shape).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
