"""An exception no handler takes becomes a logged 500 in our shape, and is not raised further (the
server would otherwise drop the client's kept-alive connection after answering)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from app.core.errors import install_error_handlers


def app_that_fails() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/late")
    def late() -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            yield b"partial"
            raise RuntimeError("after the response began")

        return StreamingResponse(body())

    return app


def test_an_unexpected_exception_is_a_500_in_our_shape_and_not_raised_to_the_server(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # raise_server_exceptions: the test client raises what the app lets escape to the server.
    client = TestClient(app_that_fails(), raise_server_exceptions=True)
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error.", "code": "internal_error"}
    assert "secret internals" not in response.text
    assert "unhandled error" in caplog.text


def test_a_failure_after_the_response_began_ends_it_without_escaping() -> None:
    client = TestClient(app_that_fails(), raise_server_exceptions=True)
    response = client.get("/late")
    assert (response.status_code, response.content) == (200, b"partial")
