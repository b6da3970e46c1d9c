"""Forwarded headers are believed only from the configured proxies (PUXIAN_TRUSTED_PROXIES)."""

from __future__ import annotations

import asyncio

import uvicorn
from starlette.types import Receive, Scope, Send

from app.cli import proxy_options
from app.core.config import Settings


async def _echo_client(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(scope["client"][0]).encode()})


def seen_client(settings: Settings, peer: str, forwarded_for: str) -> str:
    """The client address the app sees behind uvicorn's configuration for these settings."""
    config = uvicorn.Config(_echo_client, **proxy_options(settings))
    config.load()
    scope: Scope = {
        "type": "http", "method": "GET", "path": "/", "client": (peer, 5000), "scheme": "http",
        "headers": [(b"x-forwarded-for", forwarded_for.encode())],
    }  # fmt: skip
    body = bytearray()

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.body":
            body.extend(message["body"])  # type: ignore[arg-type]

    asyncio.run(config.loaded_app(scope, receive, send))  # type: ignore[arg-type]
    return body.decode()


def test_by_default_no_one_can_pose_as_another_address_not_even_a_local_client() -> None:
    assert seen_client(Settings(), "127.0.0.1", "203.0.113.9") == "127.0.0.1"


def test_a_configured_proxy_is_believed_and_only_it() -> None:
    settings = Settings(trusted_proxies="10.0.0.2")
    assert seen_client(settings, "10.0.0.2", "203.0.113.9") == "203.0.113.9"
    assert seen_client(settings, "127.0.0.1", "203.0.113.9") == "127.0.0.1"
