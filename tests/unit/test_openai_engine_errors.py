"""The OpenAI-compatible engine where no server answers (real sockets on this machine, nothing listening)."""

from __future__ import annotations

import socket

import pytest

from inference_engine import (
    EngineNotLoaded,
    EngineState,
    EngineUnavailable,
    InferenceConfig,
    InvalidConfig,
    OpenAIEngine,
)


def closed_port_url() -> str:
    """A URL of this machine where nothing listens: the port was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def test_without_server_urls_loading_says_what_to_set() -> None:
    engine = OpenAIEngine(InferenceConfig(model_path="qwen"))
    with pytest.raises(InvalidConfig, match="server_urls"):
        engine.load_model()
    assert engine.state is EngineState.FAILED


def test_when_no_server_answers_loading_fails_and_names_each_url() -> None:
    first, second = closed_port_url(), closed_port_url()
    engine = OpenAIEngine(InferenceConfig(model_path="qwen", server_urls=[first, second + "/"]))
    with pytest.raises(EngineUnavailable, match="no OpenAI-compatible server answers") as raised:
        engine.load_model()
    assert first in str(raised.value)
    assert second in str(raised.value)
    assert engine.state is EngineState.FAILED
    servers = engine.info()["servers"]
    assert [s["url"] for s in servers] == [first, second]  # trailing slash dropped
    assert all("ConnectError" in s["error"] for s in servers)
    with pytest.raises(EngineNotLoaded):
        engine.generate("你好")
