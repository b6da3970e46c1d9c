"""The OpenAI-compatible engine against a real OpenAI-compatible server on the CPU.

The server is `transformers serve` (from transformers, with `openai` installed for its schemas)
serving the default model; in production the same engine talks to `vllm serve` on GPU machines.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from inference_engine import GenerationError, InferenceConfig, OpenAIEngine
from tests.integration.live_server import free_port
from tests.integration.openai_servers import replicas

CHAT = [{"role": "user", "content": "你好"}]


@pytest.fixture(scope="module")
def server_url(llm_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`transformers serve` on a free port, pinned to the default model, for this module's tests."""
    with replicas(llm_path, tmp_path_factory.mktemp("transformers-serve"), 1, one_thread=False) as (server,):
        yield server.url


@pytest.fixture(scope="module")
def engine(server_url: str, llm_path: Path) -> Iterator[OpenAIEngine]:
    # A URL where nothing listens, tried first: failover to the live one.
    dead_url = f"http://127.0.0.1:{free_port()}/v1"
    config = InferenceConfig(
        model_path=str(llm_path),
        server_urls=[dead_url, server_url],
        temperature=0.0,
        max_tokens=4,
        max_retries=1,
    )
    with OpenAIEngine(config) as client:
        yield client


def test_load_checks_the_servers_and_info_reports_them(engine: OpenAIEngine, server_url: str) -> None:
    info = engine.info()
    assert info["state"] == "ready"
    assert info["device"] == "remote"
    dead, live = info["servers"]
    assert "ConnectError" in dead["error"]
    assert (live["url"], live["answering"], live["error"]) == (server_url, True, None)


def test_a_chat_answer_without_streaming(engine: OpenAIEngine) -> None:
    result = engine.generate(CHAT)
    assert result["text"].strip()
    assert result["completion_tokens"] == 4
    assert result["finish_reason"] == "length"
    assert result["prompt_tokens"] > 10  # the chat template's system turn and role markers
    assert result["ttft"] == pytest.approx(result["latency"], abs=0.001)  # a whole answer: first token = last


def test_a_streamed_answer_matches_the_whole_one(engine: OpenAIEngine) -> None:
    whole = engine.generate(CHAT)

    async def read() -> tuple[list[str], dict[str, object]]:
        stream = engine.stream(CHAT)
        deltas = [delta async for delta in stream]
        assert stream.result is not None
        return deltas, dict(stream.result)

    deltas, result = asyncio.run(read())
    assert len(deltas) > 1
    assert "".join(deltas) == result["text"] == whole["text"]
    assert result["completion_tokens"] == 4
    assert 0 < result["ttft"] < result["latency"]  # type: ignore[operator]


def test_a_plain_prompt_is_continued_through_completions(engine: OpenAIEngine) -> None:
    result = engine.generate("1, 2, 3, 4,", max_tokens=3)
    assert "5" in result["text"]
    assert result["prompt_tokens"] > 0


def test_concurrent_requests_of_a_batch_all_come_back(engine: OpenAIEngine) -> None:
    results = engine.batch_generate(["1, 2, 3,", "a, b, c,", "你好"], max_tokens=2)
    assert [r["completion_tokens"] for r in results] == [2, 2, 2]


def test_vllm_only_fields_are_dropped_for_this_server_and_the_prefix_kept(engine: OpenAIEngine) -> None:
    result = engine.generate(CHAT, repetition_penalty=1.05, response_prefix="你好")
    assert result["text"].startswith("你好")
    assert not result["text"].startswith("你好你好")
    live = engine.info()["servers"][1]
    assert live["standard_requests_only"] is True


def test_closing_a_stream_early_leaves_the_engine_serving(engine: OpenAIEngine) -> None:
    async def read_one() -> str:
        stream = engine.stream(CHAT, max_tokens=40)
        first = await anext(stream)
        await stream.aclose()
        return first

    assert asyncio.run(read_one())
    assert engine.generate("1, 2, 3,", max_tokens=1)["completion_tokens"] == 1


def test_a_server_slower_than_the_timeout_is_an_error_not_a_hang(server_url: str, llm_path: Path) -> None:
    # Eight tokens take over a second on this CPU; connecting to this machine takes far less than 0.5 s.
    config = InferenceConfig(
        model_path=str(llm_path), server_urls=[server_url], request_timeout=0.5, max_tokens=8
    )
    with (
        OpenAIEngine(config) as impatient,
        pytest.raises(GenerationError, match=r"did not answer within 0\.5 s"),
    ):
        impatient.generate(CHAT)
