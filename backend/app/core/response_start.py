"""Whether an ASGI response has started: once it has, an error can no longer become a response of
its own (the body-limit and unexpected-error middlewares both need to know)."""

from __future__ import annotations

from starlette.types import Message, Send


class StartTrackingSend:
    """A `send` that remembers whether `http.response.start` has gone out."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self._send(message)
