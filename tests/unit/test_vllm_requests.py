"""Request building and result mapping of the vLLM engine, checked without vLLM (CI has no GPU)."""

from __future__ import annotations

import pytest

from inference_engine import EngineNotLoaded, EngineState, EngineUnavailable, InferenceConfig, VLLMEngine
from inference_engine.base_engine import Sampling
from inference_engine.errors import GenerationError, InvalidConfig
from inference_engine.vllm_engine import vllm_installed
from inference_engine.vllm_requests import (
    engine_arguments,
    finish_reason,
    sampling_arguments,
    visible_devices,
)


def sampling(**changes: object) -> Sampling:
    values: dict[str, object] = {
        "max_tokens": 64,
        "temperature": 0.7,
        "top_p": 0.9,
        "top_k": 50,
        "repetition_penalty": 1.05,
        "stop": [],
        "seed": None,
        "response_prefix": "",
        "ignore_eos": False,
    }
    return Sampling(**(values | changes))  # type: ignore[arg-type]


def test_engine_arguments_carry_every_placement_and_loading_setting() -> None:
    config = InferenceConfig(
        model_path="/models/qwen-7b-awq",
        tensor_parallel_size=2,
        gpu_memory_utilization=0.85,
        max_model_len=4096,
        dtype="bfloat16",
        quantization="awq",
        seed=7,
        load_format="dummy",
        enforce_eager=True,
        trust_remote_code=True,
    )
    assert engine_arguments(config) == {
        "model": "/models/qwen-7b-awq",
        "tensor_parallel_size": 2,
        "gpu_memory_utilization": 0.85,
        "max_model_len": 4096,
        "dtype": "bfloat16",
        "quantization": "awq",
        "seed": 7,
        "load_format": "dummy",
        "enforce_eager": True,
        "trust_remote_code": True,
        "disable_log_stats": True,
    }


def test_unset_values_are_left_to_vllm() -> None:
    arguments = engine_arguments(InferenceConfig(model_path="/m"))
    assert not {"max_model_len", "quantization", "seed"} & set(arguments)
    assert arguments["dtype"] == "auto"


def test_the_cpu_int8_quantization_is_refused_with_the_alternatives_named() -> None:
    with pytest.raises(InvalidConfig, match="gptq"):
        engine_arguments(InferenceConfig(model_path="/m", quantization="int8"))


@pytest.mark.parametrize(
    ("gpu_id", "tp", "inherited", "expected"),
    [
        (None, 1, None, None),  # leave CUDA_VISIBLE_DEVICES alone
        (0, 1, None, "0"),
        (1, 2, None, "1,2"),
        (1, 2, "4,5,6,7", "5,6"),  # gpu_id counts within an inherited list
        (0, 1, "GPU-abc, GPU-def", "GPU-abc"),
    ],
)
def test_visible_devices_start_at_gpu_id(
    gpu_id: int | None, tp: int, inherited: str | None, expected: str | None
) -> None:
    assert visible_devices(gpu_id, tp, inherited) == expected


def test_asking_for_more_gpus_than_are_visible_is_an_error() -> None:
    with pytest.raises(InvalidConfig, match=r"needs GPUs 1\.\.2, but CUDA_VISIBLE_DEVICES='3,4' shows 2"):
        visible_devices(1, 2, "3,4")


def test_sampling_arguments_when_sampling() -> None:
    arguments = sampling_arguments(sampling(stop=["\n\n"], seed=3, ignore_eos=True))
    assert arguments == {
        "max_tokens": 64,
        "temperature": 0.7,
        "top_p": 0.9,
        "top_k": 50,
        "repetition_penalty": 1.05,
        "ignore_eos": True,
        "skip_special_tokens": True,
        "stop": ["\n\n"],
        "seed": 3,
    }


def test_greedy_decoding_sends_neutral_top_p_and_top_k() -> None:
    arguments = sampling_arguments(sampling(temperature=0.0))
    assert (arguments["temperature"], arguments["top_p"], arguments["top_k"]) == (0.0, 1.0, 0)
    assert "stop" not in arguments
    assert "seed" not in arguments


@pytest.mark.parametrize(
    ("vllm_reason", "ours"),
    [("stop", "stop"), ("repetition", "stop"), ("length", "length"), ("abort", "aborted"), (None, "aborted")],
)
def test_finish_reasons_map_to_ours(vllm_reason: str | None, ours: str) -> None:
    assert finish_reason(vllm_reason) == ours


def test_a_request_that_failed_in_vllm_is_an_error() -> None:
    with pytest.raises(GenerationError, match="'error'"):
        finish_reason("error")


@pytest.mark.skipif(vllm_installed(), reason="checks the machine without vLLM")
def test_without_vllm_loading_fails_clearly_and_generation_is_refused() -> None:
    engine = VLLMEngine(InferenceConfig(model_path="/m"))
    with pytest.raises(EngineUnavailable, match="vLLM is not installed"):
        engine.load_model()
    assert engine.state is EngineState.FAILED
    assert "not installed" in str(engine.info()["error"])
    with pytest.raises(EngineNotLoaded, match="call load_model"):
        engine.generate("你好")
