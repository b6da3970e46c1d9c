"""The Transformers engine on the real default model (Qwen2.5-Coder-0.5B-Instruct, CPU)."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from inference_engine import (
    BaseInferenceEngine,
    EngineNotLoaded,
    EngineState,
    EngineUnavailable,
    GenerationAborted,
    InferenceConfig,
    InvalidPrompt,
    ModelLoadError,
    TransformersEngine,
    VLLMEngine,
)

CHAT = [{"role": "user", "content": "用一句话介绍莆田。"}]


def test_seed_quick_start_runs_on_the_default_model(llm_path: Path) -> None:
    # The design's quick-start, with fewer tokens to keep CI short. gpu_id=1 falls back to the CPU.
    config = InferenceConfig(
        model_path=str(llm_path), gpu_id=1, max_tokens=16, temperature=0.7, num_threads=1
    )
    engine = TransformersEngine(config)
    engine.load_model()
    try:
        result = engine.generate("莆仙话中祭祀怎么说？")
        assert result["text"].strip()
        assert 0 < result["completion_tokens"] <= 16
        assert result["throughput"] == pytest.approx(result["completion_tokens"] / result["latency"])
        prompts = ["你好", "莆田在哪里？"]
        results = engine.batch_generate(prompts)
        assert len(results) == 2
        assert all(r["throughput"] > 0 for r in results)
        assert engine.info()["device"] == "cpu"
        assert engine.warmup() > 0
    finally:
        engine.unload()
    assert engine.state is EngineState.UNLOADED
    with pytest.raises(EngineUnavailable, match="vLLM is not installed"):
        VLLMEngine(config).load_model()


def test_chat_messages_go_through_the_chat_template_and_greedy_is_repeatable(
    engine: BaseInferenceEngine,
) -> None:
    first = engine.generate(CHAT, max_tokens=20, temperature=0.0)
    second = engine.generate(CHAT, max_tokens=20, temperature=0.0)
    assert first["text"] == second["text"]
    assert first["text"].strip()
    assert first["prompt_tokens"] > 10  # the template adds the system and role markers
    assert 0 < first["ttft"] <= first["latency"]


def test_max_tokens_ends_with_finish_reason_length(engine: BaseInferenceEngine) -> None:
    result = engine.generate(CHAT, max_tokens=3, temperature=0.0)
    assert result["completion_tokens"] == 3
    assert result["finish_reason"] == "length"


def test_stop_strings_cut_the_text_and_end_generation(engine: BaseInferenceEngine) -> None:
    counting = [{"role": "user", "content": "请从1数到10，用逗号分隔，只写数字。"}]
    full = engine.generate(counting, max_tokens=40, temperature=0.0)
    assert "5" in full["text"]
    stopped = engine.generate(counting, max_tokens=40, temperature=0.0, stop=["5"])
    assert stopped["finish_reason"] == "stop"
    assert "5" not in stopped["text"]
    assert full["text"].startswith(stopped["text"])
    assert stopped["completion_tokens"] < full["completion_tokens"]


def test_response_prefix_begins_the_answer(engine: BaseInferenceEngine) -> None:
    result = engine.generate(CHAT, max_tokens=8, temperature=0.0, response_prefix="莆田是")
    assert result["text"].startswith("莆田是")
    assert len(result["text"]) > 3


def test_stream_yields_the_same_text_as_generate(engine: BaseInferenceEngine) -> None:
    expected = engine.generate(CHAT, max_tokens=24, temperature=0.0)

    async def collect() -> tuple[list[str], dict[str, object] | None]:
        stream = engine.stream(CHAT, max_tokens=24, temperature=0.0)
        deltas = [delta async for delta in stream]
        return deltas, dict(stream.result) if stream.result else None

    deltas, result = asyncio.run(collect())
    assert len(deltas) > 3
    assert "".join(deltas) == expected["text"]
    assert result is not None
    assert result["text"] == expected["text"]
    assert result["completion_tokens"] == expected["completion_tokens"]


def test_closing_a_stream_early_frees_the_engine_for_the_next_request(engine: BaseInferenceEngine) -> None:
    async def first_delta_then_leave() -> str:
        stream = engine.stream(CHAT, max_tokens=200, temperature=0.0)
        async for delta in stream:
            await stream.aclose()
            return delta
        return ""

    assert asyncio.run(first_delta_then_leave())
    # The aborted generation stops within a step; the next request gets the model.
    follow_up = engine.generate(CHAT, max_tokens=4, temperature=0.0)
    assert follow_up["completion_tokens"] == 4


def test_setting_the_abort_event_stops_a_whole_generation(engine: BaseInferenceEngine) -> None:
    started = time.monotonic()
    engine.generate(CHAT, max_tokens=20, temperature=0.0, ignore_eos=True)
    seconds_per_token = (time.monotonic() - started) / 20
    abort = threading.Event()
    threading.Timer(0.5, abort.set).start()  # the client goes away half a second in
    started = time.monotonic()
    with pytest.raises(GenerationAborted):
        engine.generate(CHAT, abort, max_tokens=300, temperature=0.0, ignore_eos=True)
    # 300 tokens would take 300 steps; the generation stopped within a few after the abort.
    assert time.monotonic() - started < 0.5 + 100 * seconds_per_token
    assert engine.generate(CHAT, max_tokens=4, temperature=0.0)["completion_tokens"] == 4


def test_bad_prompts_and_states_raise_clear_errors(engine: BaseInferenceEngine, tmp_path: Path) -> None:
    with pytest.raises(InvalidPrompt, match="empty"):
        engine.generate("   ")
    with pytest.raises(InvalidPrompt, match="unknown role"):
        engine.generate([{"role": "robot", "content": "x"}])  # type: ignore[typeddict-item]
    unloaded = TransformersEngine(InferenceConfig(model_path=str(tmp_path)))
    with pytest.raises(EngineNotLoaded, match="call load_model"):
        unloaded.generate("你好")
    with pytest.raises(ModelLoadError, match="expected a Hugging Face model folder"):
        unloaded.load_model()
    assert unloaded.state is EngineState.FAILED
    assert "config.json" in (unloaded.info()["error"] or "")


def test_info_describes_the_loaded_engine(engine: BaseInferenceEngine) -> None:
    info = engine.info()
    assert info["engine"] == "transformers"
    assert info["state"] == "ready"
    assert info["dtype"] == "float32"
    assert info["num_threads"] == 1
    assert info["process_rss_bytes"] > 500 * 2**20
