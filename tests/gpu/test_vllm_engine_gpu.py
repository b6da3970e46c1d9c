"""VLLMEngine on a real GPU: generation, continuous batching, concurrent streams, abort, info."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from inference_engine import EngineState, InferenceConfig, VLLMEngine
from inference_engine.benchmark.dummy_model import make_dummy_model
from tests.gpu.conftest import needs_gpus

pytestmark = pytest.mark.gpu

FIXED = {"temperature": 0.0, "ignore_eos": True}


@pytest.fixture(scope="module")
def engine(tokenizer_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[VLLMEngine]:
    needs_gpus(1, vllm=True)
    model = make_dummy_model("qwen2.5-0.5b", tokenizer_dir, tmp_path_factory.mktemp("qwen-0.5b"))
    config = InferenceConfig(
        model_path=str(model),
        load_format="dummy",
        gpu_memory_utilization=0.4,
        max_model_len=4096,
        enforce_eager=True,  # starts in seconds; speed is the benchmark's business
        seed=0,
        temperature=0.0,
    )
    vllm_engine = VLLMEngine(config)
    vllm_engine.load_model()
    yield vllm_engine
    vllm_engine.unload()
    assert vllm_engine.state is EngineState.UNLOADED


def test_generate_and_batch_return_exactly_the_tokens_asked_for(engine: VLLMEngine) -> None:
    single = engine.generate("莆田在哪里？", max_tokens=16, **FIXED)
    assert single["completion_tokens"] == 16
    assert single["finish_reason"] == "length"
    assert single["prompt_tokens"] > 0
    assert 0 < single["ttft"] <= single["latency"]
    batch = engine.batch_generate([f"第 {n} 个问题" for n in range(8)], max_tokens=24, **FIXED)
    assert [r["completion_tokens"] for r in batch] == [24] * 8


def test_chat_messages_and_response_prefix(engine: VLLMEngine) -> None:
    result = engine.generate(
        [{"role": "user", "content": "你好"}], max_tokens=8, response_prefix="根据资料，", **FIXED
    )
    assert result["text"].startswith("根据资料，")
    assert result["completion_tokens"] == 8


def test_concurrent_streams_are_served_together(engine: VLLMEngine) -> None:
    async def read(n: int) -> tuple[str, dict[str, object]]:
        stream = engine.stream(f"问题 {n}", max_tokens=32, **FIXED)
        text = "".join([delta async for delta in stream])
        assert stream.result is not None
        return text, dict(stream.result)

    async def read_all() -> list[tuple[str, dict[str, object]]]:
        return await asyncio.gather(*(read(n) for n in range(16)))

    outcomes = asyncio.run(read_all())
    for text, result in outcomes:
        assert result["completion_tokens"] == 32
        assert text == result["text"]


def test_a_stream_closed_early_is_aborted_in_vllm(engine: VLLMEngine) -> None:
    async def read_a_little() -> int:
        stream = engine.stream("讲一个很长的故事", max_tokens=3000, **FIXED)
        deltas = 0
        async for _ in stream:
            deltas += 1
            if deltas == 3:
                break
        await stream.aclose()
        return deltas

    assert asyncio.run(read_a_little()) == 3
    processor = engine._engine.output_processor  # vLLM's own count of requests in flight
    deadline = time.monotonic() + 10
    while processor.get_num_unfinished_requests() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processor.get_num_unfinished_requests() == 0
    assert engine.generate("还在吗？", max_tokens=4, **FIXED)["completion_tokens"] == 4


def test_info_reports_device_memory_and_cache(engine: VLLMEngine) -> None:
    info = engine.info()
    assert info["state"] == "ready"
    assert str(info["device"]).startswith("cuda")
    assert info["gpu_used_bytes"] > 1e9  # weights and the KV cache
    assert info["kv_cache_blocks"] > 0
    assert info["dtype"] == "bfloat16"


def test_two_gpus_with_tensor_parallelism(tokenizer_dir: Path, tmp_path: Path) -> None:
    needs_gpus(2, vllm=True)
    model = make_dummy_model("qwen2.5-0.5b", tokenizer_dir, tmp_path / "m")
    config = InferenceConfig(
        model_path=str(model),
        load_format="dummy",
        tensor_parallel_size=2,
        gpu_id=0,
        gpu_memory_utilization=0.4,
        max_model_len=4096,
        enforce_eager=True,
    )
    with VLLMEngine(config) as engine:
        assert engine.generate("你好", max_tokens=8, **FIXED)["completion_tokens"] == 8
        assert engine.info()["device"] == "cuda:0,1"
